// Stand-in for android.app.ActivityThread so the demo app runs on a plain JVM.
package android.app;

/**
 * The app's main thread on Android; it creates the Application and the components. The
 * stand-in keeps only currentApplication(), which Android code and monitors use to find
 * the app context.
 */
public final class ActivityThread {
    private static volatile Application sCurrentApplication;

    private ActivityThread() {
    }

    /** Hidden on Android. Null until the Application is created. */
    public static Application currentApplication() {
        return sCurrentApplication;
    }

    /** Stand-in only: the demo's launcher plays handleBindApplication and sets it. */
    public static void setCurrentApplication(Application app) {
        sCurrentApplication = app;
    }
}
