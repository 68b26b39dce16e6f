// Stand-in for android.os.CancellationSignal so the demo app runs on a plain JVM.
package android.os;

public final class CancellationSignal {
    private volatile boolean canceled;

    public boolean isCanceled() {
        return canceled;
    }

    public void cancel() {
        canceled = true;
    }
}
