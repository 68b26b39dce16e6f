// Stand-in for android.os.Looper so the demo app runs on a plain JVM.
package android.os;

import java.util.PriorityQueue;

/**
 * Per-thread message loop. The stand-in keeps its queue inside the Looper and runs plain
 * Runnables, where Android has a separate MessageQueue of Message objects.
 */
public final class Looper {
    private static final ThreadLocal<Looper> THREAD_LOOPER = new ThreadLocal<>();
    private static volatile Looper mainLooper;

    private final Thread thread = Thread.currentThread();
    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private long nextSequence;
    private boolean quitting;

    private Looper() {
    }

    public static void prepare() {
        if (THREAD_LOOPER.get() != null) {
            throw new RuntimeException("a Looper is already prepared on this thread");
        }
        THREAD_LOOPER.set(new Looper());
    }

    public static void prepareMainLooper() {
        prepare();
        synchronized (Looper.class) {
            if (mainLooper != null) {
                throw new IllegalStateException("the main Looper is already prepared");
            }
            mainLooper = myLooper();
        }
    }

    public static Looper getMainLooper() {
        return mainLooper;
    }

    public static Looper myLooper() {
        return THREAD_LOOPER.get();
    }

    /** Runs queued tasks on the calling thread until {@link #quit} is called. */
    public static void loop() {
        Looper me = myLooper();
        if (me == null) {
            throw new RuntimeException("no Looper on this thread; call Looper.prepare() first");
        }
        Runnable task;
        while ((task = me.next()) != null) {
            task.run();
        }
    }

    /** Stops the loop and drops pending tasks, as Android's quit() does. */
    public void quit() {
        synchronized (queue) {
            quitting = true;
            queue.clear();
            queue.notifyAll();
        }
    }

    public Thread getThread() {
        return thread;
    }

    /** Queues a task to run at {@code uptimeMillis}, or returns false once the loop has quit. */
    boolean enqueue(Runnable task, long uptimeMillis) {
        synchronized (queue) {
            if (quitting) {
                return false;
            }
            queue.add(new Task(task, uptimeMillis, nextSequence++));
            queue.notifyAll();
            return true;
        }
    }

    /** Returns milliseconds on a monotonic clock, standing in for SystemClock.uptimeMillis(). */
    static long uptimeMillis() {
        return System.nanoTime() / 1_000_000L;
    }

    private Runnable next() {
        synchronized (queue) {
            while (true) {
                if (quitting) {
                    return null;
                }
                Task head = queue.peek();
                long waitMillis = head == null ? 0 : head.when - uptimeMillis();
                if (head != null && waitMillis <= 0) {
                    return queue.poll().runnable;
                }
                try {
                    queue.wait(Math.max(waitMillis, 0));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        }
    }

    private static final class Task implements Comparable<Task> {
        final Runnable runnable;
        final long when;
        final long sequence;

        Task(Runnable runnable, long when, long sequence) {
            this.runnable = runnable;
            this.when = when;
            this.sequence = sequence;
        }

        @Override
        public int compareTo(Task other) {
            int byTime = Long.compare(when, other.when);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }
}
