// Stand-in for android.hardware.camera2.CameraManager so the demo app runs on a plain JVM.
package android.hardware.camera2;

import android.content.Context;
import android.os.Handler;
import android.os.Process;
import java.util.concurrent.Executor;

/**
 * Final as on Android. The public openCamera overloads end in the hidden openCameraForUid,
 * which rejects a null id first. The demo app lacks the CAMERA permission, so opening a
 * real id throws SecurityException.
 */
public final class CameraManager {
    /** Hidden on Android, where apps get the manager from getSystemService("camera"). */
    public CameraManager(Context context) {
    }

    public String[] getCameraIdList() {
        return new String[] {"0", "1"};
    }

    public void openCamera(String cameraId, CameraDevice.StateCallback callback,
            Handler handler) {
        openCameraForUid(cameraId, callback, handler, -1);
    }

    public void openCamera(String cameraId, Executor executor,
            CameraDevice.StateCallback callback) {
        if (executor == null) {
            throw new IllegalArgumentException("executor was null");
        }
        openCameraForUid(cameraId, callback, null, -1);
    }

    /** Hidden on Android; its signature changes between API levels. */
    public void openCameraForUid(String cameraId, CameraDevice.StateCallback callback,
            Handler handler, int clientUid) {
        if (cameraId == null) {
            throw new IllegalArgumentException("cameraId was null");
        }
        if (callback == null) {
            throw new IllegalArgumentException("callback was null");
        }
        throw new SecurityException("validateClientPermissionsLocked:1165: Caller \"com.example"
                + ".demoapp\" (PID " + ProcessHandle.current().pid() + ", UID "
                + Process.myUid() + ") cannot open camera \"" + cameraId
                + "\" without camera permission");
    }
}
