// Stand-in for android.content.pm.PackageInfo so the demo app runs on a plain JVM.
package android.content.pm;

public class PackageInfo {
    public String packageName;
    public String versionName;
    @Deprecated
    public int versionCode;
    public long firstInstallTime;
    public long lastUpdateTime;
    public ApplicationInfo applicationInfo;

    public PackageInfo() {
    }

    public long getLongVersionCode() {
        return versionCode;
    }

    @Override
    public String toString() {
        return "PackageInfo{" + packageName + "}";
    }
}
