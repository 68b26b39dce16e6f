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
    public static final int BIND_AUTO_CREATE = 0x0001;

    public abstract String getPackageName();

    public abstract ContentResolver getContentResolver();

    public abstract PackageManager getPackageManager();

    public abstract Looper getMainLooper();

    public abstract Object getSystemService(String name);

    public abstract void startActivity(Intent intent);

    public abstract void startActivity(Intent intent, Bundle options);

    public abstract void sendBroadcast(Intent intent);

    public abstract void sendBroadcast(Intent intent, String receiverPermission);

    public abstract ComponentName startService(Intent service);

    public abstract ComponentName startForegroundService(Intent service);

    public abstract boolean bindService(Intent service, ServiceConnection conn, int flags);
}
