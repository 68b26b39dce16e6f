// Stand-in for android.content.Context so the demo app runs on a plain JVM.
package android.content;

import android.content.pm.PackageManager;
import android.os.Bundle;
import android.os.Looper;

/** Abstract app context. As on Android, the methods are abstract and ContextImpl runs them. */
public abstract class Context {
    public static final String TELEPHONY_SERVICE = "phone";
    public static final String LOCATION_SERVICE = "location";
    public static final String WIFI_SERVICE = "wifi";
    public static final String CLIPBOARD_SERVICE = "clipboard";
    public static final String CAMERA_SERVICE = "camera";
    public static final String SENSOR_SERVICE = "sensor";
    public static final String ACTIVITY_SERVICE = "activity";
    public static final String ACCOUNT_SERVICE = "account";
    public static final String ALARM_SERVICE = "alarm";
    public static final String JOB_SCHEDULER_SERVICE = "jobscheduler";
    public static final int BIND_AUTO_CREATE = 0x0001;
    public static final int RECEIVER_NOT_EXPORTED = 0x4;

    public abstract String getPackageName();

    public abstract ContentResolver getContentResolver();

    public abstract PackageManager getPackageManager();

    public abstract Looper getMainLooper();

    public abstract Object getSystemService(String name);

    public abstract void startActivity(Intent intent);

    public abstract void startActivity(Intent intent, Bundle options);

    public abstract void sendBroadcast(Intent intent);

    public abstract void sendBroadcast(Intent intent, String receiverPermission);

    public abstract void sendOrderedBroadcast(Intent intent, String receiverPermission);

    public abstract Intent registerReceiver(BroadcastReceiver receiver, IntentFilter filter);

    public abstract Intent registerReceiver(BroadcastReceiver receiver, IntentFilter filter,
            int flags);

    public abstract ComponentName startService(Intent service);

    public abstract ComponentName startForegroundService(Intent service);

    public abstract boolean bindService(Intent service, ServiceConnection conn, int flags);
}
