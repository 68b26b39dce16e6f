package net.geomaps.sdk;

import android.content.Context;
import android.location.Location;
import android.location.LocationManager;
import android.util.Log;
import java.util.ArrayList;
import java.util.List;

/**
 * Fictitious maps SDK component that polls the last known GPS fix on its own thread, also
 * before the user has agreed to the privacy policy.
 */
public final class LocationPoller {
    /** Name of the polling thread, so that monitors can attribute its calls. */
    public static final String THREAD_NAME = "geomaps-poller";
    private static final String TAG = "GeoMaps";

    private final LocationManager locationManager;
    private final long intervalMs;
    private final List<Location> fixes = new ArrayList<>();
    private RuntimeException failure;

    public LocationPoller(Context context, long intervalMs) {
        this.locationManager =
                (LocationManager) context.getSystemService(Context.LOCATION_SERVICE);
        this.intervalMs = intervalMs;
    }

    /**
     * Starts a thread that reads the last known GPS fix {@code count} times, intervalMs apart,
     * and returns the started thread.
     */
    public Thread start(int count) {
        Thread thread = new Thread(() -> poll(count), THREAD_NAME);
        thread.start();
        return thread;
    }

    /** Returns every fix read so far, in order. A null entry means no fix was known. */
    public synchronized List<Location> fixes() {
        return new ArrayList<>(fixes);
    }

    /** Returns the exception that stopped polling, or null. */
    public synchronized RuntimeException failure() {
        return failure;
    }

    private void poll(int count) {
        try {
            for (int i = 1; i <= count; i++) {
                if (i > 1) {
                    Thread.sleep(intervalMs);
                }
                Location fix = locationManager.getLastKnownLocation(LocationManager.GPS_PROVIDER);
                synchronized (this) {
                    fixes.add(fix);
                }
                Log.d(TAG, "poll " + i + "/" + count + ": " + fix);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            synchronized (this) {
                failure = e;
            }
            Log.e(TAG, "polling stopped: " + e);
        }
    }
}
