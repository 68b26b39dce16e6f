// Stand-in for android.app.ContextImpl so the demo app runs on a plain JVM.
package android.app;

import android.accounts.AccountManager;
import android.content.BroadcastReceiver;
import android.content.ClipboardManager;
import android.content.IntentFilter;
import android.hardware.SystemSensorManager;
import android.hardware.camera2.CameraManager;
import android.content.ComponentName;
import android.content.ContentResolver;
import android.content.Context;
import android.content.Intent;
import android.content.ServiceConnection;
import android.content.pm.PackageManager;
import android.location.LocationManager;
import android.net.wifi.WifiManager;
import android.os.Bundle;
import android.os.Handler;
import android.os.Looper;
import android.os.UserHandle;
import android.telephony.TelephonyManager;
import android.util.AndroidRuntimeException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The concrete context behind every Application and Activity. Starts, binds and broadcasts
 * are checked like Android checks them, then dropped, because no other app runs on the JVM.
 */
public class ContextImpl extends Context {
    private final String mBasePackageName;
    private final UserHandle mUser = UserHandle.of(UserHandle.myUserId());
    private final ApplicationContentResolver mContentResolver;
    private final Map<String, Object> mServiceCache = new HashMap<>();
    private PackageManager mPackageManager;

    /**
     * NOTE: Android's ContextImpl is package-private and built by ActivityThread through
     * createAppContext(). The stand-in is public so that the demo's launcher can build one.
     */
    public ContextImpl(String packageName) {
        mBasePackageName = packageName;
        mContentResolver = new ApplicationContentResolver(this);
    }

    @Override
    public String getPackageName() {
        return mBasePackageName;
    }

    @Override
    public ContentResolver getContentResolver() {
        return mContentResolver;
    }

    @Override
    public synchronized PackageManager getPackageManager() {
        if (mPackageManager == null) {
            mPackageManager = new ApplicationPackageManager(this);
        }
        return mPackageManager;
    }

    @Override
    public Looper getMainLooper() {
        return Looper.getMainLooper();
    }

    /** Returns one cached manager per context and name, or null for an unknown name. */
    @Override
    public Object getSystemService(String name) {
        synchronized (mServiceCache) {
            return mServiceCache.computeIfAbsent(name, this::createSystemService);
        }
    }

    /** Hidden on Android. */
    public int getUserId() {
        return mUser.getIdentifier();
    }

    @Override
    public void startActivity(Intent intent) {
        startActivity(intent, null);
    }

    @Override
    public void startActivity(Intent intent, Bundle options) {
        if ((intent.getFlags() & Intent.FLAG_ACTIVITY_NEW_TASK) == 0) {
            throw new AndroidRuntimeException("startActivity() outside an Activity needs"
                    + " FLAG_ACTIVITY_NEW_TASK: " + intent);
        }
    }

    @Override
    public void sendBroadcast(Intent intent) {
    }

    @Override
    public void sendBroadcast(Intent intent, String receiverPermission) {
    }

    @Override
    public void sendOrderedBroadcast(Intent intent, String receiverPermission) {
    }

    @Override
    public Intent registerReceiver(BroadcastReceiver receiver, IntentFilter filter) {
        return registerReceiver(receiver, filter, 0);
    }

    /** Returns the current sticky intent, which the stand-in never has. */
    @Override
    public Intent registerReceiver(BroadcastReceiver receiver, IntentFilter filter, int flags) {
        return registerReceiverInternal(receiver, filter, null, null, flags);
    }

    private Intent registerReceiverInternal(BroadcastReceiver receiver, IntentFilter filter,
            String broadcastPermission, Handler scheduler, int flags) {
        if (filter == null) {
            throw new NullPointerException("filter");
        }
        return null;
    }

    @Override
    public ComponentName startService(Intent service) {
        return startServiceCommon(service, false, mUser);
    }

    @Override
    public ComponentName startForegroundService(Intent service) {
        return startServiceCommon(service, true, mUser);
    }

    @Override
    public boolean bindService(Intent service, ServiceConnection conn, int flags) {
        return bindServiceCommon(service, conn, flags, null, new Handler(getMainLooper()), null,
                mUser);
    }

    /** Returns the named component, or null for a package-only intent, which is not resolved. */
    private ComponentName startServiceCommon(Intent service, boolean requireForeground,
            UserHandle user) {
        validateServiceIntent(service);
        return service.getComponent();
    }

    /** Reports success for any explicit intent but never calls the connection back. */
    private boolean bindServiceCommon(Intent service, ServiceConnection conn, int flags,
            String instanceName, Handler handler, Executor executor, UserHandle user) {
        if (conn == null) {
            throw new IllegalArgumentException("connection is null");
        }
        validateServiceIntent(service);
        return true;
    }

    /** Rejects implicit service intents, as Android does since API 21. */
    private static void validateServiceIntent(Intent service) {
        if (service.getComponent() == null && service.getPackage() == null) {
            throw new IllegalArgumentException("implicit service Intent not allowed: " + service);
        }
    }

    private Object createSystemService(String name) {
        switch (name) {
            case TELEPHONY_SERVICE:
                return new TelephonyManager(this);
            case LOCATION_SERVICE:
                return new LocationManager(this);
            case WIFI_SERVICE:
                return new WifiManager(this);
            case CLIPBOARD_SERVICE:
                return new ClipboardManager(this);
            case CAMERA_SERVICE:
                return new CameraManager(this);
            case SENSOR_SERVICE:
                return new SystemSensorManager(this);
            case ACTIVITY_SERVICE:
                return new ActivityManager(this);
            case ACCOUNT_SERVICE:
                return new AccountManager(this);
            case ALARM_SERVICE:
                return new AlarmManager(this);
            case JOB_SCHEDULER_SERVICE:
                return new JobSchedulerImpl(this);
            default:
                return null;
        }
    }

    /** The runtime resolver class of every app context on Android. */
    private static final class ApplicationContentResolver extends ContentResolver {
        ApplicationContentResolver(Context context) {
            super(context);
        }
    }
}
