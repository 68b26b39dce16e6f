package com.example.demoapp;

import android.accounts.Account;
import android.accounts.AccountManager;
import android.app.ActivityManager;
import android.app.AlarmManager;
import android.app.Instrumentation;
import android.app.PendingIntent;
import android.app.job.JobInfo;
import android.app.job.JobScheduler;
import android.app.job.JobWorkItem;
import android.bluetooth.BluetoothAdapter;
import android.content.BroadcastReceiver;
import android.content.ClipboardManager;
import android.content.ComponentName;
import android.content.ContentProviderClient;
import android.content.ContentResolver;
import android.content.Context;
import android.content.Intent;
import android.content.IntentFilter;
import android.content.pm.PackageManager;
import android.database.Cursor;
import android.hardware.Camera;
import android.hardware.Sensor;
import android.hardware.SensorEventListener;
import android.hardware.SensorManager;
import android.hardware.camera2.CameraDevice;
import android.hardware.camera2.CameraManager;
import android.location.LocationManager;
import android.media.AudioRecord;
import android.media.MediaRecorder;
import android.net.Uri;
import android.net.wifi.WifiManager;
import android.os.Bundle;
import android.os.Handler;
import android.os.SystemProperties;
import android.provider.Settings;
import android.telephony.SubscriptionInfo;
import android.telephony.TelephonyManager;
import android.util.Log;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * With --catalog, after the user agreed: one call of each hooked API area, each checked
 * against the stand-in's own value, so a hook that changes a value or swallows an exception
 * shows as a failed self-check. Each call is made once, and tests/test_catalog_e2e.py
 * expects one event per call.
 */
final class CatalogTour {
    static final String LATE_SDK_CLASS = "com.umeng.commonsdk.UMConfigure";
    private static final String TAG = "DemoApp";
    private static final String TEMPLATE_CLASS = "com.umeng.stagedsdk.UMConfigure";
    private static final String OTHER_APP = "com.tencent.mm";

    static volatile boolean enabled;
    private static final List<String> PROBLEMS = Collections.synchronizedList(new ArrayList<>());
    private static volatile boolean ran;

    private CatalogTour() {
    }

    static void run(MainActivity activity) {
        ran = true;
        Context context = activity.getApplication();
        identifiers(context);
        location(activity, context);
        personalData(context);
        apps(context);
        devices(context);
        starts(activity);
        lateSdk(context);
        background(activity, context);
        Log.i(TAG, "catalog tour done; problems: " + PROBLEMS.size());
    }

    /** Goes to the background (home key), reads android_id there, and comes back. */
    private static void background(MainActivity activity, Context context) {
        Instrumentation instrumentation = new Instrumentation();
        instrumentation.callActivityOnStop(activity);
        String androidId = Settings.Secure.getString(context.getContentResolver(), "android_id");
        Log.i(TAG, "read android_id in the background: " + (androidId != null));
        instrumentation.callActivityOnResume(activity);
    }

    /** Returns the mismatches seen, or null when every call behaved as the stand-in does. */
    static String problems() {
        if (!ran) {
            return "the catalog tour did not run";
        }
        return PROBLEMS.isEmpty() ? null : String.join("; ", PROBLEMS);
    }

    private static void identifiers(Context context) {
        TelephonyManager telephony =
                (TelephonyManager) context.getSystemService(Context.TELEPHONY_SERVICE);
        expectThrows("getDeviceId", SecurityException.class, telephony::getDeviceId);
        expectThrows("getMeid", SecurityException.class, telephony::getMeid);
        expectThrows("getSubscriberId", SecurityException.class, telephony::getSubscriberId);
        expectThrows("getSimSerialNumber", SecurityException.class,
                telephony::getSimSerialNumber);
        expect("getLine1Number", "+15555215554", telephony.getLine1Number());
        expect("getIccId", "", new SubscriptionInfo("").getIccId());
        expectThrows("getSerial", SecurityException.class, android.os.Build::getSerial);
        expect("getAddress", "02:00:00:00:00:00",
                BluetoothAdapter.getDefaultAdapter().getAddress());
        expect("SystemProperties.get", "9A281FFAZ004H3", SystemProperties.get("ro.serialno"));
        expect("SystemProperties.get(def)", "9A281FFAZ004H3",
                SystemProperties.get("ro.boot.serialno", "unknown"));
        // Not an identifier property: the monitor must not record it.
        expect("SystemProperties sdk", "29", SystemProperties.get("ro.build.version.sdk", "0"));
        try {
            NetworkInterface loopback = NetworkInterface.getByName("lo");
            byte[] mac = loopback == null ? null : loopback.getHardwareAddress();
            Log.i(TAG, "loopback MAC " + (mac == null ? "none" : mac.length + " bytes"));
        } catch (SocketException e) {
            PROBLEMS.add("getHardwareAddress threw " + e);
        }
    }

    private static void location(MainActivity activity, Context context) {
        LocationManager locations =
                (LocationManager) context.getSystemService(Context.LOCATION_SERVICE);
        AtomicReference<Object> fix = new AtomicReference<>();
        locations.getCurrentLocation(LocationManager.GPS_PROVIDER, null, Runnable::run, fix::set);
        // The stand-in serves one cached fix, which the maps SDK's polls also returned.
        expectSame("getCurrentLocation", activity.polledFixes().get(0), fix.get());
        TelephonyManager telephony =
                (TelephonyManager) context.getSystemService(Context.TELEPHONY_SERVICE);
        expect("getCellLocation", null, telephony.getCellLocation());
        expect("getAllCellInfo", 1, telephony.getAllCellInfo().size());
        AtomicReference<Integer> cells = new AtomicReference<>();
        telephony.requestCellInfoUpdate(Runnable::run, new TelephonyManager.CellInfoCallback() {
            @Override
            public void onCellInfo(List<android.telephony.CellInfo> cellInfo) {
                cells.set(cellInfo.size());
            }
        });
        expect("requestCellInfoUpdate", 1, cells.get());
        WifiManager wifi = (WifiManager) context.getSystemService(Context.WIFI_SERVICE);
        expect("getMacAddress", "02:00:00:00:00:00", wifi.getConnectionInfo().getMacAddress());
        expect("getScanResults", "CMCC-5G", wifi.getScanResults().get(0).SSID);
        expect("startScan", true, wifi.startScan());
    }

    private static void personalData(Context context) {
        ContentResolver resolver = context.getContentResolver();
        for (String uri : new String[] {"content://call_log/calls", "content://sms/inbox",
                "content://com.android.calendar/events",
                "content://media/external/images/media"}) {
            expect("query " + uri, null, resolver.query(Uri.parse(uri), null, null, null, null));
        }
        Uri contacts = Uri.parse("content://com.android.contacts/contacts");
        ContentProviderClient client = resolver.acquireContentProviderClient(contacts);
        Cursor cursor = client.query(contacts, null, null, null, null);
        expect("ContentProviderClient.query", 3, cursor.getCount());
        cursor.close();
        client.close();
        AccountManager accounts =
                (AccountManager) context.getSystemService(Context.ACCOUNT_SERVICE);
        expect("getAccounts", 2, accounts.getAccounts().length);
        expect("getAccountsByType", 1, accounts.getAccountsByType("com.google").length);
    }

    private static void apps(Context context) {
        PackageManager packages = context.getPackageManager();
        expect("getInstalledApplications", 6, packages.getInstalledApplications(0).size());
        expect("queryIntentActivities", 6,
                packages.queryIntentActivities(new Intent(Intent.ACTION_MAIN), 0).size());
        try {
            expect("getApplicationInfo", "com.eg.android.AlipayGphone",
                    packages.getApplicationInfo("com.eg.android.AlipayGphone", 0).packageName);
            // The app's own package is not a probe of another app.
            packages.getApplicationInfo(Main.APP_PACKAGE, 0);
        } catch (PackageManager.NameNotFoundException e) {
            PROBLEMS.add("getApplicationInfo threw " + e);
        }
        ActivityManager activities =
                (ActivityManager) context.getSystemService(Context.ACTIVITY_SERVICE);
        expect("getRunningAppProcesses", 1, activities.getRunningAppProcesses().size());
        expect("getRunningTasks", 1, activities.getRunningTasks(1).size());
    }

    private static void devices(Context context) {
        ClipboardManager clipboard =
                (ClipboardManager) context.getSystemService(Context.CLIPBOARD_SERVICE);
        expect("getPrimaryClip", "482913", clipboard.getPrimaryClip().getText());
        expect("getText", "482913", clipboard.getText());
        expect("getPrimaryClipDescription", "code",
                clipboard.getPrimaryClipDescription().getLabel());
        expect("hasPrimaryClip", true, clipboard.hasPrimaryClip());
        CameraManager cameras = (CameraManager) context.getSystemService(Context.CAMERA_SERVICE);
        expectThrows("openCamera", SecurityException.class, () -> cameras.openCamera("0",
                new NoCamera(), new Handler(context.getMainLooper())));
        expectThrows("Camera.open", RuntimeException.class, Camera::open);
        AudioRecord audio = new AudioRecord(1, 16_000, 16, 2, 4096);
        audio.startRecording();
        expect("startRecording", AudioRecord.RECORDSTATE_RECORDING, audio.getRecordingState());
        audio.release();
        MediaRecorder recorder = new MediaRecorder();
        recorder.setAudioSource(MediaRecorder.AudioSource.MIC);
        recorder.start();
        expect("MediaRecorder.start", true, recorder.isStarted());
        recorder.release();
        SensorManager sensors = (SensorManager) context.getSystemService(Context.SENSOR_SERVICE);
        Sensor accelerometer = sensors.getDefaultSensor(Sensor.TYPE_ACCELEROMETER);
        SensorEventListener listener = (sensor, accuracy) -> { };
        expect("registerListener", true, sensors.registerListener(listener, accelerometer,
                SensorManager.SENSOR_DELAY_NORMAL));
    }

    private static void starts(MainActivity activity) {
        Context context = activity.getApplication();
        activity.startActivity(new Intent().setComponent(
                new ComponentName(OTHER_APP, "com.tencent.mm.ui.LauncherUI")));
        context.sendOrderedBroadcast(new Intent("com.partner.pushhelper.action.WAKE")
                .setPackage("com.partner.pushhelper"), null);
        BroadcastReceiver receiver = new BroadcastReceiver() {
            @Override
            public void onReceive(Context c, Intent intent) {
            }
        };
        expect("registerReceiver", null, context.registerReceiver(receiver,
                new IntentFilter("android.net.conn.CONNECTIVITY_CHANGE")));
        PendingIntent wake = PendingIntent.getBroadcast(context, 1, new Intent()
                .setComponent(new ComponentName("com.partner.pushhelper",
                        "com.partner.pushhelper.WakeReceiver")), PendingIntent.FLAG_IMMUTABLE);
        // A pending intent for the app's own receiver is no start of another app.
        PendingIntent own = PendingIntent.getService(context, 2, new Intent().setComponent(
                new ComponentName(Main.APP_PACKAGE, Main.APP_PACKAGE + ".SyncService")),
                PendingIntent.FLAG_IMMUTABLE);
        AlarmManager alarms = (AlarmManager) context.getSystemService(Context.ALARM_SERVICE);
        long soon = System.currentTimeMillis() + 60_000L;
        alarms.set(AlarmManager.RTC_WAKEUP, soon, wake);
        alarms.setExact(AlarmManager.RTC_WAKEUP, soon, own);
        alarms.setAlarmClock(new AlarmManager.AlarmClockInfo(soon, own), wake);
        expect("alarms", 3, alarms.alarmCount());
        JobScheduler jobs =
                (JobScheduler) context.getSystemService(Context.JOB_SCHEDULER_SERVICE);
        ComponentName jobService =
                new ComponentName(Main.APP_PACKAGE, Main.APP_PACKAGE + ".UploadJob");
        expect("schedule", JobScheduler.RESULT_SUCCESS, jobs.schedule(new JobInfo(7, jobService)));
        expect("enqueue", JobScheduler.RESULT_SUCCESS, jobs.enqueue(new JobInfo(8, jobService),
                new JobWorkItem(new Intent())));
        ContentResolver.requestSync(new Account("li.wei@example.com", "com.google"),
                "com.android.contacts", new Bundle());
    }

    /**
     * Loads the SDK's consent class after start, on a new class loader, from a class file
     * written at run time (renamed from a template, see com.umeng.stagedsdk.UMConfigure),
     * and reports the user's agreement through it.
     */
    private static void lateSdk(Context context) {
        try {
            Path dir = Files.createTempDirectory("demo-sdk");
            Path file = dir.resolve(LATE_SDK_CLASS.replace('.', '/') + ".class");
            Files.createDirectories(file.getParent());
            Files.write(file, renamedTemplate());
            try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()},
                    CatalogTour.class.getClassLoader())) {
                Class<?> sdk = Class.forName(LATE_SDK_CLASS, true, loader);
                Method submit = sdk.getMethod("submitPolicyGrantResult", Context.class,
                        boolean.class);
                submit.invoke(null, context, true);
                expect("late SDK loader", loader, sdk.getClassLoader());
                expect("submitPolicyGrantResult", Boolean.TRUE,
                        sdk.getMethod("policyGrantResult").invoke(null));
            }
        } catch (IOException | ReflectiveOperationException e) {
            PROBLEMS.add("late SDK failed: " + e);
        }
    }

    private static byte[] renamedTemplate() throws IOException {
        String resource = "/" + TEMPLATE_CLASS.replace('.', '/') + ".class";
        byte[] bytes;
        try (InputStream in = CatalogTour.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("template class not found: " + resource);
            }
            bytes = in.readAllBytes();
        }
        byte[] from = "com/umeng/stagedsdk/".getBytes(StandardCharsets.UTF_8);
        byte[] to = "com/umeng/commonsdk/".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + from.length <= bytes.length; i++) {
            boolean match = true;
            for (int j = 0; j < from.length && match; j++) {
                match = bytes[i + j] == from[j];
            }
            if (match) {
                System.arraycopy(to, 0, bytes, i, to.length);
            }
        }
        return bytes;
    }

    private static void expect(String what, Object expected, Object actual) {
        boolean same = expected == null ? actual == null
                : actual != null && expected.toString().equals(actual.toString());
        if (!same) {
            PROBLEMS.add(what + " returned " + actual + ", expected " + expected);
        }
    }

    private static void expectSame(String what, Object expected, Object actual) {
        if (expected != actual) {
            PROBLEMS.add(what + " returned " + actual + ", not the cached " + expected);
        }
    }

    private static void expectThrows(String what, Class<? extends Throwable> type,
            Runnable call) {
        try {
            call.run();
            PROBLEMS.add(what + " returned instead of throwing " + type.getSimpleName());
        } catch (RuntimeException e) {
            if (!type.isInstance(e)) {
                PROBLEMS.add(what + " threw " + e + " instead of " + type.getSimpleName());
            }
        }
    }

    /** Callback for openCamera, which never succeeds without the CAMERA permission. */
    private static final class NoCamera extends CameraDevice.StateCallback {
        @Override
        public void onOpened(CameraDevice camera) {
        }

        @Override
        public void onDisconnected(CameraDevice camera) {
        }

        @Override
        public void onError(CameraDevice camera, int error) {
        }
    }
}
