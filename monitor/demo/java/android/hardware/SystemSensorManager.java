// Stand-in for android.hardware.SystemSensorManager so the demo app runs on a plain JVM.
package android.hardware;

import android.content.Context;
import android.os.Handler;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Hidden runtime class of SensorManager. Accepts every registration. */
public class SystemSensorManager extends SensorManager {
    private final List<SensorEventListener> mListeners = new CopyOnWriteArrayList<>();

    public SystemSensorManager(Context context) {
    }

    @Override
    public Sensor getDefaultSensor(int type) {
        return new Sensor(type, type == Sensor.TYPE_STEP_COUNTER ? "Step Counter"
                : "BMI160 Accelerometer");
    }

    @Override
    protected boolean registerListenerImpl(SensorEventListener listener, Sensor sensor,
            int delayUs, Handler handler, int maxReportLatencyUs, int reservedFlags) {
        if (listener == null || sensor == null) {
            return false;
        }
        mListeners.add(listener);
        return true;
    }
}
