// Stand-in for android.location.Location so the demo app runs on a plain JVM.
package android.location;

import java.util.Locale;

public class Location {
    private final String mProvider;
    private long mTime;
    private double mLatitude;
    private double mLongitude;
    private float mAccuracy;

    public Location(String provider) {
        mProvider = provider;
    }

    public String getProvider() {
        return mProvider;
    }

    public long getTime() {
        return mTime;
    }

    public void setTime(long time) {
        mTime = time;
    }

    public double getLatitude() {
        return mLatitude;
    }

    public void setLatitude(double latitude) {
        mLatitude = latitude;
    }

    public double getLongitude() {
        return mLongitude;
    }

    public void setLongitude(double longitude) {
        mLongitude = longitude;
    }

    public float getAccuracy() {
        return mAccuracy;
    }

    public void setAccuracy(float horizontalAccuracy) {
        mAccuracy = horizontalAccuracy;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Location[%s %.6f,%.6f hAcc=%.0f]",
                mProvider, mLatitude, mLongitude, mAccuracy);
    }
}
