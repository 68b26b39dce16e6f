// Stand-in for android.content.pm.ResolveInfo so the demo app runs on a plain JVM.
package android.content.pm;

/** One component that matches an intent. */
public class ResolveInfo {
    public ActivityInfo activityInfo;

    public ResolveInfo() {
    }

    @Override
    public String toString() {
        return "ResolveInfo{" + activityInfo.packageName + "/" + activityInfo.name + "}";
    }
}
