package com.example.demoapp;

import android.app.Application;
import android.content.ComponentName;
import android.content.Intent;
import android.provider.Settings;
import android.util.Log;
import io.tracklytics.sdk.Tracker;

/** The demo app's Application: it starts the analytics SDK before asking for consent. */
public class DemoApplication extends Application {
    private static final String TAG = "DemoApp";
    private static final ComponentName PUSH_HELPER_SERVICE = new ComponentName(
            "com.partner.pushhelper", "com.partner.pushhelper.WakeService");

    /** Set when onCreate starts, so components can tell whether they ran before it. */
    static volatile boolean onCreateStarted;

    private String accessibilityEnabled;

    @Override
    public void onCreate() {
        onCreateStarted = true;
        super.onCreate();
        Tracker.init(this);
        // A non-identifier setting: the monitor must not report this read as an ID access.
        accessibilityEnabled = Settings.Secure.getString(
                getContentResolver(), Settings.Secure.ACCESSIBILITY_ENABLED);
        Log.i(TAG, "accessibility_enabled=" + accessibilityEnabled);
        // Wakes a partner app's service: an associated start of another package.
        ComponentName started = startService(new Intent().setComponent(PUSH_HELPER_SERVICE));
        Log.i(TAG, "started " + (started == null ? "nothing" : started.flattenToShortString()));
    }

    /** Returns the accessibility_enabled value read in onCreate(). */
    String accessibilityEnabled() {
        return accessibilityEnabled;
    }
}
