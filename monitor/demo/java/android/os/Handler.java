// Stand-in for android.os.Handler so the demo app runs on a plain JVM.
package android.os;

public class Handler {
    private final Looper looper;

    public Handler(Looper looper) {
        if (looper == null) {
            throw new NullPointerException("looper must not be null");
        }
        this.looper = looper;
    }

    public final Looper getLooper() {
        return looper;
    }

    /** Queues {@code r} on this handler's looper, or returns false once that looper has quit. */
    public final boolean post(Runnable r) {
        return looper.enqueue(r, Looper.uptimeMillis());
    }

    public final boolean postDelayed(Runnable r, long delayMillis) {
        return looper.enqueue(r, Looper.uptimeMillis() + Math.max(delayMillis, 0));
    }
}
