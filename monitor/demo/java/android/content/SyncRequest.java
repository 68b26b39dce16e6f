// Stand-in for android.content.SyncRequest so the demo app runs on a plain JVM.
package android.content;

/** A sync request built by SyncRequest.Builder; the stand-in holds only the authority. */
public class SyncRequest {
    public SyncRequest() {
    }
}
