// Stand-in for android.content.pm.PackageManager so the demo app runs on a plain JVM.
package android.content.pm;

import android.content.Intent;
import android.util.AndroidException;
import java.util.List;

/** Abstract as on Android, where the runtime class is ApplicationPackageManager. */
public abstract class PackageManager {
    public static final int GET_PERMISSIONS = 0x00001000;
    public static final int GET_META_DATA = 0x00000080;
    public static final String ACTION_REQUEST_PERMISSIONS =
            "android.content.pm.action.REQUEST_PERMISSIONS";
    public static final String EXTRA_REQUEST_PERMISSIONS_NAMES =
            "android.content.pm.extra.REQUEST_PERMISSIONS_NAMES";

    public PackageManager() {
    }

    public abstract PackageInfo getPackageInfo(String packageName, int flags)
            throws NameNotFoundException;

    /** Hidden on Android. */
    public abstract PackageInfo getPackageInfoAsUser(String packageName, int flags, int userId)
            throws NameNotFoundException;

    public abstract List<PackageInfo> getInstalledPackages(int flags);

    /** Hidden on Android. */
    public abstract List<PackageInfo> getInstalledPackagesAsUser(int flags, int userId);

    public abstract List<ApplicationInfo> getInstalledApplications(int flags);

    public abstract List<ResolveInfo> queryIntentActivities(Intent intent, int flags);

    public abstract ApplicationInfo getApplicationInfo(String packageName, int flags)
            throws NameNotFoundException;

    /** Hidden on Android. */
    public abstract List<ApplicationInfo> getInstalledApplicationsAsUser(int flags, int userId);

    /** Hidden on Android. */
    public abstract String getPermissionControllerPackageName();

    /**
     * Hidden on Android: builds the intent that Activity.requestPermissions sends to the
     * permission controller.
     */
    public Intent buildRequestPermissionsIntent(String[] permissions) {
        if (permissions == null || permissions.length == 0) {
            throw new IllegalArgumentException("permissions must not be null or empty");
        }
        Intent intent = new Intent(ACTION_REQUEST_PERMISSIONS);
        intent.putExtra(EXTRA_REQUEST_PERMISSIONS_NAMES, permissions);
        intent.setPackage(getPermissionControllerPackageName());
        return intent;
    }

    public static class NameNotFoundException extends AndroidException {
        public NameNotFoundException() {
        }

        public NameNotFoundException(String name) {
            super(name);
        }
    }
}
