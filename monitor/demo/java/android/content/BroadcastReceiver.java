// Stand-in for android.content.BroadcastReceiver so the demo app runs on a plain JVM.
package android.content;

/** Receives broadcasts. */
public abstract class BroadcastReceiver {
    public BroadcastReceiver() {
    }

    public abstract void onReceive(Context context, Intent intent);
}
