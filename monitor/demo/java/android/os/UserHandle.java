// Stand-in for android.os.UserHandle so the demo app runs on a plain JVM.
package android.os;

public final class UserHandle {
    private final int handle;

    public UserHandle(int handle) {
        this.handle = handle;
    }

    public static UserHandle of(int userId) {
        return new UserHandle(userId);
    }

    /** Returns 0 because the demo process runs as the device's primary user. */
    public static int myUserId() {
        return 0;
    }

    public int getIdentifier() {
        return handle;
    }

    @Override
    public String toString() {
        return "UserHandle{" + handle + "}";
    }
}
