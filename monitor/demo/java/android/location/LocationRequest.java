// Stand-in for android.location.LocationRequest so the demo app runs on a plain JVM.
package android.location;

/** Request for location updates. It is hidden in API 29, so apps cannot build one there. */
public final class LocationRequest {
    private final String mProvider;
    private final long mInterval;
    private final float mSmallestDisplacement;
    private final int mNumUpdates;

    private LocationRequest(String provider, long interval, float smallestDisplacement,
            int numUpdates) {
        mProvider = provider;
        mInterval = interval;
        mSmallestDisplacement = smallestDisplacement;
        mNumUpdates = numUpdates;
    }

    public static LocationRequest createFromDeprecatedProvider(String provider, long minTime,
            float minDistance, boolean singleShot) {
        return new LocationRequest(provider, Math.max(minTime, 0), Math.max(minDistance, 0f),
                singleShot ? 1 : Integer.MAX_VALUE);
    }

    /** Picks gps for fine accuracy, else network. Android picks among enabled providers. */
    public static LocationRequest createFromDeprecatedCriteria(Criteria criteria, long minTime,
            float minDistance, boolean singleShot) {
        String provider = criteria.getAccuracy() == Criteria.ACCURACY_FINE
                ? LocationManager.GPS_PROVIDER : LocationManager.NETWORK_PROVIDER;
        return createFromDeprecatedProvider(provider, minTime, minDistance, singleShot);
    }

    public String getProvider() {
        return mProvider;
    }

    public long getInterval() {
        return mInterval;
    }

    public float getSmallestDisplacement() {
        return mSmallestDisplacement;
    }

    public int getNumUpdates() {
        return mNumUpdates;
    }

    @Override
    public String toString() {
        return "Request[" + mProvider + " interval=" + mInterval + "ms minDistance="
                + mSmallestDisplacement + "m numUpdates=" + mNumUpdates + "]";
    }
}
