// Stand-in for android.hardware.camera2.CameraDevice so the demo app runs on a plain JVM.
package android.hardware.camera2;

/** An open camera. The stand-in never opens one. */
public abstract class CameraDevice {
    public CameraDevice() {
    }

    /** Callbacks of openCamera. */
    public abstract static class StateCallback {
        public StateCallback() {
        }

        public abstract void onOpened(CameraDevice camera);

        public abstract void onDisconnected(CameraDevice camera);

        public abstract void onError(CameraDevice camera, int error);
    }
}
