// Stand-in for android.content.pm.ApplicationInfo so the demo app runs on a plain JVM.
package android.content.pm;

/** Facts about an installed app, without the PackageItemInfo base class. */
public class ApplicationInfo {
    public static final int FLAG_SYSTEM = 1;

    public String packageName;
    public int uid;
    public int flags;
    public String sourceDir;

    public ApplicationInfo() {
    }

    @Override
    public String toString() {
        return "ApplicationInfo{" + packageName + "}";
    }
}
