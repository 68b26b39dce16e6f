// Stand-in for android.app.ApplicationPackageManager so the demo app runs on a plain JVM.
package android.app;

import android.content.Intent;
import android.content.pm.ActivityInfo;
import android.content.pm.ResolveInfo;
import android.content.pm.ApplicationInfo;
import android.content.pm.PackageInfo;
import android.content.pm.PackageManager;
import android.os.Process;
import java.util.ArrayList;
import java.util.List;

/**
 * Package manager of an Android 10 phone with a few apps installed. The app targets API 29,
 * so package-visibility filtering (API 30 and later) does not apply and every package shows.
 */
public class ApplicationPackageManager extends PackageManager {
    /** Package name, version name, version code, system app or not, and app id (user 0 uid). */
    private static final Object[][] INSTALLED = {
        {"com.example.demoapp", "1.0.0", 1, false, Process.myUid()},
        {"com.tencent.mm", "8.0.49", 2581, false, 10145},
        {"com.eg.android.AlipayGphone", "10.6.0.8000", 758, false, 10146},
        {"com.partner.pushhelper", "2.3.1", 231, false, 10150},
        {"com.android.chrome", "124.0.6367.82", 636708233, true, 10089},
        {"com.google.android.permissioncontroller", "10.0.0", 290000000, true, 10055},
    };
    private static final long INSTALL_TIME = 1_700_000_000_000L;

    private final ContextImpl mContext;

    protected ApplicationPackageManager(ContextImpl context) {
        mContext = context;
    }

    @Override
    public PackageInfo getPackageInfo(String packageName, int flags)
            throws NameNotFoundException {
        return getPackageInfoAsUser(packageName, flags, getUserId());
    }

    @Override
    public PackageInfo getPackageInfoAsUser(String packageName, int flags, int userId)
            throws NameNotFoundException {
        for (Object[] row : INSTALLED) {
            if (row[0].equals(packageName)) {
                return packageInfo(row, userId);
            }
        }
        throw new NameNotFoundException(packageName);
    }

    @Override
    public List<PackageInfo> getInstalledPackages(int flags) {
        return getInstalledPackagesAsUser(flags, getUserId());
    }

    @Override
    public List<PackageInfo> getInstalledPackagesAsUser(int flags, int userId) {
        List<PackageInfo> packages = new ArrayList<>();
        for (Object[] row : INSTALLED) {
            packages.add(packageInfo(row, userId));
        }
        return packages;
    }

    @Override
    public List<ApplicationInfo> getInstalledApplications(int flags) {
        return getInstalledApplicationsAsUser(flags, getUserId());
    }

    @Override
    public List<ApplicationInfo> getInstalledApplicationsAsUser(int flags, int userId) {
        List<ApplicationInfo> applications = new ArrayList<>();
        for (Object[] row : INSTALLED) {
            applications.add(applicationInfo(row, userId));
        }
        return applications;
    }

    /** Launcher activities of every package for a MAIN intent; nothing for other intents. */
    @Override
    public List<ResolveInfo> queryIntentActivities(Intent intent, int flags) {
        return queryIntentActivitiesAsUser(intent, flags, getUserId());
    }

    /** Hidden on Android. */
    public List<ResolveInfo> queryIntentActivitiesAsUser(Intent intent, int flags, int userId) {
        List<ResolveInfo> matches = new ArrayList<>();
        if (!Intent.ACTION_MAIN.equals(intent.getAction())) {
            return matches;
        }
        for (Object[] row : INSTALLED) {
            ResolveInfo info = new ResolveInfo();
            info.activityInfo = new ActivityInfo();
            info.activityInfo.packageName = (String) row[0];
            info.activityInfo.name = row[0] + ".MainActivity";
            matches.add(info);
        }
        return matches;
    }

    @Override
    public ApplicationInfo getApplicationInfo(String packageName, int flags)
            throws NameNotFoundException {
        return getApplicationInfoAsUser(packageName, flags, getUserId());
    }

    /** Hidden on Android. */
    public ApplicationInfo getApplicationInfoAsUser(String packageName, int flags, int userId)
            throws NameNotFoundException {
        for (Object[] row : INSTALLED) {
            if (row[0].equals(packageName)) {
                return applicationInfo(row, userId);
            }
        }
        throw new NameNotFoundException(packageName);
    }

    @Override
    public String getPermissionControllerPackageName() {
        return "com.google.android.permissioncontroller";
    }

    private int getUserId() {
        return mContext.getUserId();
    }

    @SuppressWarnings("deprecation")
    private static PackageInfo packageInfo(Object[] row, int userId) {
        PackageInfo info = new PackageInfo();
        info.packageName = (String) row[0];
        info.versionName = (String) row[1];
        info.versionCode = (Integer) row[2];
        info.firstInstallTime = INSTALL_TIME;
        info.lastUpdateTime = INSTALL_TIME;
        info.applicationInfo = applicationInfo(row, userId);
        return info;
    }

    /** Builds the ApplicationInfo, with uids in Android's userId * 100000 + appId layout. */
    private static ApplicationInfo applicationInfo(Object[] row, int userId) {
        ApplicationInfo info = new ApplicationInfo();
        boolean system = (Boolean) row[3];
        info.packageName = (String) row[0];
        info.flags = system ? ApplicationInfo.FLAG_SYSTEM : 0;
        info.uid = userId * 100_000 + (Integer) row[4];
        info.sourceDir = (system ? "/system/app/" : "/data/app/") + row[0] + "/base.apk";
        return info;
    }
}
