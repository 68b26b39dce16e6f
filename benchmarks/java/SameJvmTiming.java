package bench;

import android.telephony.TelephonyManager;

/**
 * A JVM program that times four methods of the same shape in one JVM, for the same-JVM
 * hook-cost study (benchmarks/hook_cost_same_jvm.py). privmon hooks the demo's stand-in of
 * TelephonyManager.getLine1Number, the study's second agent hooks BareTarget and SendTarget,
 * and nothing hooks PlainTarget.
 *
 * <pre>
 * SameJvmTiming W R N   W warm-up calls of each method, then R rounds. Each round times N
 *                       calls of each method, in an order that rotates by one place per
 *                       round, and prints "round I NAME NS" (ns per call) for each.
 * </pre>
 *
 * Every timed block starts on a new wall-clock second. That keeps privmon's calls below
 * its flood limit (500 calls of one hook per second) when N is at most 500, so privmon
 * sends every timed call as an event. It also leaves the rest of the second for the host
 * to take in a block's messages (the send hook's, mostly), so that this work overlaps less
 * with the next block.
 */
public final class SameJvmTiming {
    private static final String[] NAMES = {"privmon", "bare", "send", "none"};

    private static final TelephonyManager TELEPHONY = new TelephonyManager(null);
    private static final BareTarget BARE = new BareTarget();
    private static final SendTarget SEND = new SendTarget();
    private static final PlainTarget PLAIN = new PlainTarget();

    private static volatile int sink;

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 3) {
            System.err.println("usage: SameJvmTiming WARMUP_CALLS ROUNDS CALLS_PER_ROUND");
            System.exit(2);
        }
        int warmup = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        int calls = Integer.parseInt(args[2]);
        for (int index = 0; index < NAMES.length; index++) {
            call(index, warmup);
        }
        for (int round = 0; round < rounds; round++) {
            for (int place = 0; place < NAMES.length; place++) {
                int index = (round + place) % NAMES.length;
                sleepToNextSecond();
                long start = System.nanoTime();
                call(index, calls);
                long elapsed = System.nanoTime() - start;
                System.out.println("round " + round + " " + NAMES[index] + " " + elapsed / calls);
            }
        }
        timingFinished();
        System.exit(0);
    }

    /** Empty on purpose: the study's second agent hooks it to report its call counts. */
    private static void timingFinished() {
    }

    private static void sleepToNextSecond() throws InterruptedException {
        Thread.sleep(1000 - System.currentTimeMillis() % 1000 + 5);
    }

    /**
     * Calls the method named NAMES[index] {@code count} times. Each class has its own loop,
     * so that every call site stays monomorphic, as in BusyApp.
     */
    private static void call(int index, int count) {
        switch (index) {
            case 0:
                for (int i = 0; i < count; i++) {
                    sink += TELEPHONY.getLine1Number().length();
                }
                break;
            case 1:
                for (int i = 0; i < count; i++) {
                    sink += BARE.getLine1Number().length();
                }
                break;
            case 2:
                for (int i = 0; i < count; i++) {
                    sink += SEND.getLine1Number().length();
                }
                break;
            default:
                for (int i = 0; i < count; i++) {
                    sink += PLAIN.getLine1Number().length();
                }
        }
    }
}

/**
 * Copies of the stand-in's two getLine1Number overloads, with the same bodies: the public
 * overload passes the default subscription id to the hidden one, which returns a constant.
 * Each way of hooking needs its own class, because a hook replaces the methods of one class.
 */
final class BareTarget {
    private static final String LINE1_NUMBER = "+15555215554";

    public String getLine1Number() {
        return getLine1Number(getSubId());
    }

    public String getLine1Number(int subId) {
        return LINE1_NUMBER;
    }

    private int getSubId() {
        return 1;
    }
}

/** Same as BareTarget, for the per-call send() hook. */
final class SendTarget {
    private static final String LINE1_NUMBER = "+15555215554";

    public String getLine1Number() {
        return getLine1Number(getSubId());
    }

    public String getLine1Number(int subId) {
        return LINE1_NUMBER;
    }

    private int getSubId() {
        return 1;
    }
}

/** Same as BareTarget, left unhooked. */
final class PlainTarget {
    private static final String LINE1_NUMBER = "+15555215554";

    public String getLine1Number() {
        return getLine1Number(getSubId());
    }

    public String getLine1Number(int subId) {
        return LINE1_NUMBER;
    }

    private int getSubId() {
        return 1;
    }
}
