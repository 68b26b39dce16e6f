// Stand-in for android.location.LocationManager so the demo app runs on a plain JVM.
package android.location;

import android.os.CancellationSignal;
import java.util.function.Consumer;
import android.app.PendingIntent;
import android.content.Context;
import android.os.Looper;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

/**
 * Location access with the API 29 overloads, plus the Executor overload from API 30. Every
 * request overload ends in the private requestLocationUpdates(LocationRequest,
 * LocationListener, Looper, PendingIntent), as in API 29. The demo models an app that was
 * already granted location permission, so no call throws SecurityException.
 */
public class LocationManager {
    public static final String GPS_PROVIDER = "gps";
    public static final String NETWORK_PROVIDER = "network";
    public static final String PASSIVE_PROVIDER = "passive";

    /**
     * Last fix per provider, shared by every manager like the system location service. Android
     * returns a new Location on each call. The stand-in returns this one instance, so tests can
     * check that a hook passes the original object through.
     */
    private static final Map<String, Location> LAST_KNOWN = new ConcurrentHashMap<>();

    static {
        long fixTime = System.currentTimeMillis() - 30_000L;
        LAST_KNOWN.put(GPS_PROVIDER, fix(GPS_PROVIDER, 39.908722, 116.397499, 4.0f, fixTime));
        LAST_KNOWN.put(NETWORK_PROVIDER, fix(NETWORK_PROVIDER, 39.9075, 116.3972, 35.0f, fixTime));
    }

    /** Registered requests. The stand-in records them but delivers no updates. */
    private final List<Registration> registrations = new CopyOnWriteArrayList<>();

    /** Hidden on Android, where apps get the manager from getSystemService("location"). */
    public LocationManager(Context context) {
    }

    /** Returns the cached fix for gps or network, and null for any other provider. */
    public Location getLastKnownLocation(String provider) {
        checkProvider(provider);
        return LAST_KNOWN.get(provider);
    }

    public void requestLocationUpdates(String provider, long minTime, float minDistance,
            LocationListener listener) {
        checkProvider(provider);
        checkListener(listener);
        LocationRequest request = LocationRequest.createFromDeprecatedProvider(
                provider, minTime, minDistance, false);
        requestLocationUpdates(request, listener, null, null);
    }

    public void requestLocationUpdates(String provider, long minTime, float minDistance,
            LocationListener listener, Looper looper) {
        checkProvider(provider);
        checkListener(listener);
        LocationRequest request = LocationRequest.createFromDeprecatedProvider(
                provider, minTime, minDistance, false);
        requestLocationUpdates(request, listener, looper, null);
    }

    public void requestLocationUpdates(String provider, long minTime, float minDistance,
            PendingIntent intent) {
        checkProvider(provider);
        checkPendingIntent(intent);
        LocationRequest request = LocationRequest.createFromDeprecatedProvider(
                provider, minTime, minDistance, false);
        requestLocationUpdates(request, null, null, intent);
    }

    /** Added in API 30. The executor is only checked, because the stand-in sends no updates. */
    public void requestLocationUpdates(String provider, long minTime, float minDistance,
            Executor executor, LocationListener listener) {
        checkProvider(provider);
        checkListener(listener);
        if (executor == null) {
            throw new IllegalArgumentException("executor must not be null");
        }
        LocationRequest request = LocationRequest.createFromDeprecatedProvider(
                provider, minTime, minDistance, false);
        requestLocationUpdates(request, listener, null, null);
    }

    public void requestLocationUpdates(long minTime, float minDistance, Criteria criteria,
            LocationListener listener, Looper looper) {
        checkCriteria(criteria);
        checkListener(listener);
        LocationRequest request = LocationRequest.createFromDeprecatedCriteria(
                criteria, minTime, minDistance, false);
        requestLocationUpdates(request, listener, looper, null);
    }

    public void requestLocationUpdates(long minTime, float minDistance, Criteria criteria,
            PendingIntent intent) {
        checkCriteria(criteria);
        checkPendingIntent(intent);
        LocationRequest request = LocationRequest.createFromDeprecatedCriteria(
                criteria, minTime, minDistance, false);
        requestLocationUpdates(request, null, null, intent);
    }

    public void requestSingleUpdate(String provider, LocationListener listener, Looper looper) {
        checkProvider(provider);
        checkListener(listener);
        LocationRequest request = LocationRequest.createFromDeprecatedProvider(
                provider, 0, 0, true);
        requestLocationUpdates(request, listener, looper, null);
    }

    public void requestSingleUpdate(Criteria criteria, LocationListener listener, Looper looper) {
        checkCriteria(criteria);
        checkListener(listener);
        LocationRequest request = LocationRequest.createFromDeprecatedCriteria(
                criteria, 0, 0, true);
        requestLocationUpdates(request, listener, looper, null);
    }

    public void requestSingleUpdate(String provider, PendingIntent intent) {
        checkProvider(provider);
        checkPendingIntent(intent);
        LocationRequest request = LocationRequest.createFromDeprecatedProvider(
                provider, 0, 0, true);
        requestLocationUpdates(request, null, null, intent);
    }

    public void requestSingleUpdate(Criteria criteria, PendingIntent intent) {
        checkCriteria(criteria);
        checkPendingIntent(intent);
        LocationRequest request = LocationRequest.createFromDeprecatedCriteria(
                criteria, 0, 0, true);
        requestLocationUpdates(request, null, null, intent);
    }

    /** API 30: delivers one current fix (the cached one) to the consumer on the executor. */
    public void getCurrentLocation(String provider, CancellationSignal cancellationSignal,
            Executor executor, Consumer<Location> consumer) {
        checkProvider(provider);
        Location fix = LAST_KNOWN.get(provider);
        executor.execute(() -> consumer.accept(fix));
    }

    public void removeUpdates(LocationListener listener) {
        checkListener(listener);
        registrations.removeIf(registration -> registration.listener == listener);
    }

    private void requestLocationUpdates(LocationRequest request, LocationListener listener,
            Looper looper, PendingIntent intent) {
        registrations.add(new Registration(request, listener, looper, intent));
    }

    private static Location fix(String provider, double latitude, double longitude,
            float accuracy, long time) {
        Location location = new Location(provider);
        location.setLatitude(latitude);
        location.setLongitude(longitude);
        location.setAccuracy(accuracy);
        location.setTime(time);
        return location;
    }

    private static void checkProvider(String provider) {
        if (provider == null) {
            throw new IllegalArgumentException("provider must not be null");
        }
    }

    private static void checkCriteria(Criteria criteria) {
        if (criteria == null) {
            throw new IllegalArgumentException("criteria must not be null");
        }
    }

    private static void checkListener(LocationListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("listener must not be null");
        }
    }

    private static void checkPendingIntent(PendingIntent intent) {
        if (intent == null) {
            throw new IllegalArgumentException("pending intent must not be null");
        }
    }

    private static final class Registration {
        final LocationRequest request;
        final LocationListener listener;
        final Looper looper;
        final PendingIntent intent;

        Registration(LocationRequest request, LocationListener listener, Looper looper,
                PendingIntent intent) {
            this.request = request;
            this.listener = listener;
            this.looper = looper;
            this.intent = intent;
        }
    }
}
