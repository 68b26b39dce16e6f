// Stand-in for android.os.Build so the demo app runs on a plain JVM.
package android.os;

/** Device facts of an Android 10 (API 29) phone, as seen by an app without privileges. */
public class Build {
    /** Always "unknown" since Android 8, so apps must call {@link #getSerial()}. */
    public static final String SERIAL = "unknown";
    public static final String MANUFACTURER = "Google";
    public static final String MODEL = "Pixel 4a";

    private Build() {
    }

    /**
     * Throws SecurityException because a non-privileged app targeting API 29 or later may not
     * read the serial number.
     */
    public static String getSerial() {
        throw new SecurityException("getSerial: The user " + Process.myUid()
                + " does not meet the requirements to access device identifiers.");
    }

    public static class VERSION {
        public static final int SDK_INT = 29;
        public static final String RELEASE = "10";

        private VERSION() {
        }
    }
}
