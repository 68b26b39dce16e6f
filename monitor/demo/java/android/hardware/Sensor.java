// Stand-in for android.hardware.Sensor so the demo app runs on a plain JVM.
package android.hardware;

/** A sensor; getType() is one of the TYPE_ constants. */
public final class Sensor {
    public static final int TYPE_ACCELEROMETER = 1;
    public static final int TYPE_STEP_COUNTER = 19;
    private final int mType;
    private final String mName;

    /** Hidden on Android. */
    public Sensor(int type, String name) {
        mType = type;
        mName = name;
    }

    public int getType() {
        return mType;
    }

    public String getName() {
        return mName;
    }
}
