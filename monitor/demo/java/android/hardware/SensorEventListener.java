// Stand-in for android.hardware.SensorEventListener so the demo app runs on a plain JVM.
package android.hardware;

/** Receives sensor events. */
public interface SensorEventListener {
    void onAccuracyChanged(Sensor sensor, int accuracy);
}
