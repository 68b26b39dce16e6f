package io.tracklytics.sdk;

import android.content.ContentResolver;
import android.content.Context;
import android.provider.Settings;
import android.telephony.TelephonyManager;
import android.util.Log;

/**
 * Fictitious analytics SDK. It builds a device profile in init() without waiting for consent,
 * and reads android_id again when the user refuses: both are privacy violations planted on
 * purpose for the monitor to find.
 */
public final class Tracker {
    private static final String TAG = "Tracklytics";

    private static Context appContext;
    private static String deviceKey;
    private static RuntimeException imeiFailure;
    private static int installedPackageCount;
    private static Boolean consentGranted;

    private Tracker() {
    }

    /** Builds the device profile. Call it from Application.onCreate on the main thread. */
    public static synchronized void init(Context context) {
        appContext = context;
        ContentResolver resolver = context.getContentResolver();
        deviceKey = Settings.Secure.getString(resolver, Settings.Secure.ANDROID_ID);
        TelephonyManager telephony =
                (TelephonyManager) context.getSystemService(Context.TELEPHONY_SERVICE);
        try {
            telephony.getImei();
        } catch (RuntimeException e) {
            // Android 10 denies the IMEI to normal apps, so the profile keeps android_id instead.
            imeiFailure = e;
        }
        installedPackageCount = context.getPackageManager().getInstalledPackages(0).size();
        Log.i(TAG, "SDK 3.2.0 ready; device profile lists " + installedPackageCount + " apps");
    }

    /**
     * Records the user's choice. A refusal is sent as an opt-out keyed by the device id, so
     * the SDK reads android_id after the user has refused.
     */
    public static synchronized void setConsentGranted(boolean granted) {
        consentGranted = granted;
        if (granted) {
            Log.i(TAG, "consent granted; uploads enabled");
            return;
        }
        String optOutKey = Settings.Secure.getString(
                appContext.getContentResolver(), Settings.Secure.ANDROID_ID);
        Log.i(TAG, "consent refused, so an opt-out is queued for device "
                + (optOutKey == null ? "unknown" : optOutKey.substring(0, 4) + "..."));
    }

    /** Returns the exception that getImei() threw during init(), or null if it returned. */
    public static synchronized RuntimeException imeiFailure() {
        return imeiFailure;
    }
}
