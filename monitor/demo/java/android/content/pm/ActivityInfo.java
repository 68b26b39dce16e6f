// Stand-in for android.content.pm.ActivityInfo so the demo app runs on a plain JVM.
package android.content.pm;

/** Manifest facts about an activity, without the ComponentInfo base class. */
public class ActivityInfo {
    public String packageName;
    public String name;

    public ActivityInfo() {
    }
}
