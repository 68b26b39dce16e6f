// Stand-in for android.os.WorkSource so the demo app runs on a plain JVM.
package android.os;

/** Hidden attribution of work to apps; the stand-in carries nothing. */
public class WorkSource {
    public WorkSource() {
    }
}
