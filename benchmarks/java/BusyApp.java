import android.telephony.TelephonyManager;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;

/**
 * A JVM program that calls one hooked API (TelephonyManager.getLine1Number of the demo's
 * android.* stand-ins) in a loop, for the flood, stop-while-busy and per-call cost studies.
 *
 * <pre>
 * BusyApp burst N      N calls on the main thread, print "done N", then System.exit(0)
 * BusyApp busy T       T threads calling without pause; System.exit(0) when the line
 *                      "exit" arrives on stdin, else run until the process is killed
 * BusyApp time W N R   W warm-up calls, then R rounds of N timed calls, each round
 *                      starting on a new wall-clock second; print "ns_per_call X" each
 * </pre>
 */
public final class BusyApp {
    private static volatile int sink;

    public static void main(String[] args) throws InterruptedException {
        TelephonyManager telephony = new TelephonyManager(null);
        switch (args[0]) {
            case "burst":
                int calls = Integer.parseInt(args[1]);
                call(telephony, calls);
                System.out.println("done " + calls);
                System.exit(0);
                break;
            case "busy":
                startBusyThreads(telephony, Integer.parseInt(args[1]));
                System.out.println("busy");
                waitForExitLine();
                System.exit(0);
                break;
            case "time":
                call(telephony, Integer.parseInt(args[1]));
                int timed = Integer.parseInt(args[2]);
                int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 1;
                for (int round = 0; round < rounds; round++) {
                    sleepToNextSecond();
                    long start = System.nanoTime();
                    call(telephony, timed);
                    long elapsed = System.nanoTime() - start;
                    System.out.println("ns_per_call " + (elapsed / timed));
                }
                System.exit(0);
                break;
            default:
                System.err.println("unknown mode: " + args[0]);
                System.exit(2);
        }
    }

    /** Returns when the line "exit" arrives on stdin. At the end of stdin it waits to be killed. */
    private static void waitForExitLine() throws InterruptedException {
        BufferedReader input = new BufferedReader(new InputStreamReader(System.in));
        try {
            for (String line = input.readLine(); line != null; line = input.readLine()) {
                if (line.trim().equals("exit")) {
                    return;
                }
            }
        } catch (IOException e) {
            System.err.println("stdin failed: " + e);
        }
        Thread.sleep(Long.MAX_VALUE);
    }

    /** Per-second call limits (privmon's flood counting) start afresh in each round. */
    private static void sleepToNextSecond() throws InterruptedException {
        Thread.sleep(1000 - System.currentTimeMillis() % 1000 + 5);
    }

    private static void call(TelephonyManager telephony, int count) {
        for (int i = 0; i < count; i++) {
            sink += telephony.getLine1Number().length();
        }
    }

    private static void startBusyThreads(TelephonyManager telephony, int threads) {
        for (int i = 0; i < threads; i++) {
            Thread thread = new Thread(() -> {
                while (true) {
                    call(telephony, 1000);
                }
            }, "busy-" + i);
            thread.setDaemon(true);
            thread.start();
        }
    }
}
