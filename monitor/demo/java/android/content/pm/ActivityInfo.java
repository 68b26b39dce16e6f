// Stand-in for android.content.pm.ActivityInfo so the demo app runs on a plain JVM.
package android.content.pm;

/** Manifest facts about an activity; the ComponentInfo base class is left out. */
public class ActivityInfo {
    public String packageName;
    public String name;

    public ActivityInfo() {
    }
}
