// Stand-in for android.hardware.SensorManager so the demo app runs on a plain JVM.
package android.hardware;

import android.os.Handler;
import android.util.Log;

/**
 * Abstract as on Android; the runtime class is SystemSensorManager. The public overloads
 * are concrete here and all end in the abstract registerListenerImpl.
 */
public abstract class SensorManager {
    public static final int SENSOR_DELAY_NORMAL = 3;

    public SensorManager() {
    }

    public abstract Sensor getDefaultSensor(int type);

    public boolean registerListener(SensorEventListener listener, Sensor sensor,
            int samplingPeriodUs) {
        return registerListener(listener, sensor, samplingPeriodUs, null);
    }

    public boolean registerListener(SensorEventListener listener, Sensor sensor,
            int samplingPeriodUs, int maxReportLatencyUs) {
        return registerListenerImpl(listener, sensor, samplingPeriodUs, null,
                maxReportLatencyUs, 0);
    }

    public boolean registerListener(SensorEventListener listener, Sensor sensor,
            int samplingPeriodUs, Handler handler) {
        if (listener == null || sensor == null) {
            Log.e("SensorManager", "sensor or listener is null");
            return false;
        }
        return registerListenerImpl(listener, sensor, samplingPeriodUs, handler, 0, 0);
    }

    public boolean registerListener(SensorEventListener listener, Sensor sensor,
            int samplingPeriodUs, int maxReportLatencyUs, Handler handler) {
        return registerListenerImpl(listener, sensor, samplingPeriodUs, handler,
                maxReportLatencyUs, 0);
    }

    /** Hidden on Android. */
    protected abstract boolean registerListenerImpl(SensorEventListener listener,
            Sensor sensor, int delayUs, Handler handler, int maxReportLatencyUs,
            int reservedFlags);
}
