// Stand-in for android.util.Log so the demo app runs on a plain JVM.
package android.util;

/** Logcat writer. The stand-in prints "L/tag: message" lines to standard output. */
public final class Log {
    private Log() {
    }

    public static int d(String tag, String msg) {
        return println('D', tag, msg);
    }

    public static int i(String tag, String msg) {
        return println('I', tag, msg);
    }

    public static int w(String tag, String msg) {
        return println('W', tag, msg);
    }

    public static int e(String tag, String msg) {
        return println('E', tag, msg);
    }

    private static int println(char priority, String tag, String msg) {
        String line = priority + "/" + tag + ": " + msg;
        System.out.println(line);
        return line.length();
    }
}
