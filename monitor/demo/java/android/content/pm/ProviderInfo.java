// Stand-in for android.content.pm.ProviderInfo so the demo app runs on a plain JVM.
package android.content.pm;

/** Manifest facts of a content provider. */
public class ProviderInfo {
    public String authority;
    public String name;
    public String packageName;

    public ProviderInfo() {
    }
}
