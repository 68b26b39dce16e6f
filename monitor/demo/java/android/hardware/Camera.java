// Stand-in for android.hardware.Camera so the demo app runs on a plain JVM.
package android.hardware;

/** The deprecated camera API. open() calls open(int); without CAMERA it throws. */
public class Camera {
    private Camera() {
    }

    public static Camera open() {
        return open(0);
    }

    public static Camera open(int cameraId) {
        throw new RuntimeException("Fail to connect to camera service");
    }
}
