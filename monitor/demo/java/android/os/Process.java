// Stand-in for android.os.Process so the demo app runs on a plain JVM.
package android.os;

public class Process {
    /** Uid of the demo app. Android gives installed apps uids from 10000 upwards. */
    private static final int DEMO_APP_UID = 10123;

    private Process() {
    }

    public static int myUid() {
        return DEMO_APP_UID;
    }

    public static int myPid() {
        return (int) ProcessHandle.current().pid();
    }
}
