package com.example.demoapp;

import android.app.Activity;
import android.content.pm.PackageInfo;
import android.content.pm.PackageManager;
import android.database.Cursor;
import android.location.Location;
import android.location.LocationListener;
import android.location.LocationManager;
import android.net.Uri;
import android.os.Bundle;
import android.os.Handler;
import android.os.Looper;
import android.util.Log;
import com.example.demoapp.shell.DeviceScreen;
import com.example.demoapp.shell.InputReader;
import com.example.demoapp.shell.Protocol;
import com.example.demoapp.shell.Screen;
import com.example.demoapp.shell.ScreenElement;
import io.tracklytics.sdk.Tracker;
import java.util.Arrays;
import java.util.List;
import net.geomaps.sdk.LocationPoller;

/**
 * The launcher activity. It lets the maps SDK poll, shows the privacy dialog, and after the
 * decision does the app's own location, contacts, package and permission work.
 */
public class MainActivity extends Activity implements PrivacyDialog.Listener {
    public static final String EXTRA_INTERVAL_MS = "com.example.demoapp.extra.INTERVAL_MS";
    public static final String EXTRA_CONSENT = "com.example.demoapp.extra.CONSENT";
    public static final String EXTRA_CONSENT_DELAY_MS =
            "com.example.demoapp.extra.CONSENT_DELAY_MS";

    private static final String TAG = "DemoApp";
    private static final int POLLS_BEFORE_CONSENT = 4;
    private static final int POLLS_AFTER_CONSENT = 8;
    private static final int LOCATION_PERMISSION_REQUEST = 1;
    private static final Uri CONTACTS_URI = Uri.parse("content://com.android.contacts/contacts");

    private final LocationListener locationListener =
            location -> Log.d(TAG, "location update " + location);
    private LocationPoller poller;
    private PrivacyDialog dialog;
    private String autoConsent;

    @Override
    protected void onCreate(Bundle savedInstanceState) {
        super.onCreate(savedInstanceState);
        poller = new LocationPoller(this, getIntent().getLongExtra(EXTRA_INTERVAL_MS, 800));
        runPoller(POLLS_BEFORE_CONSENT);
        dialog = new PrivacyDialog(DeviceScreen.get(), this);
        DeviceScreen.get().setLeaveListener(this::onLeave);
        dialog.show();
        scheduleAutoDecision();
    }

    @Override
    public void onPrivacyDecision(boolean agreed) {
        Tracker.setConsentGranted(agreed);
        if (agreed) {
            runAfterAgree();
        }
        showHome(agreed ? "Privacy policy accepted" : "Privacy policy declined");
        finishDemo();
    }

    /** Returns the fixes the maps SDK read, for the location-identity self-check. */
    List<Location> polledFixes() {
        return poller.fixes();
    }

    /** Returns the exception that stopped the maps SDK's polling, or null. */
    RuntimeException pollerFailure() {
        return poller.failure();
    }

    private void scheduleAutoDecision() {
        String consent = getIntent().getStringExtra(EXTRA_CONSENT);
        if ("agree".equals(consent) || "refuse".equals(consent)) {
            autoConsent = consent;
            long delayMs = getIntent().getLongExtra(EXTRA_CONSENT_DELAY_MS, 3000);
            Log.i(TAG, "--consent " + consent + ": deciding in " + delayMs + " ms");
            new Handler(getMainLooper()).postDelayed(
                    () -> dialog.decide("agree".equals(consent), "auto"), delayMs);
        } else {
            Protocol.say("Waiting for a decision. Type \"tap-text Agree\" or"
                    + " \"tap-text Disagree\" and press Enter (\"dump\" lists the screen).");
        }
    }

    /** Handles the driver leaving: without an automatic decision pending, the run ends. */
    private void onLeave(String cause) {
        if (dialog.isDecided()) {
            return;
        }
        if (autoConsent != null) {
            if (cause.equals(InputReader.CAUSE_WAIT_EXIT)) {
                Log.i(TAG, "wait-exit: the automatic decision (" + autoConsent
                        + ") is still pending");
            }
            return;
        }
        Log.i(TAG, "left the privacy dialog without a decision (" + cause + ")");
        dialog.dismissWithoutDecision(cause);
        showHome("No privacy decision");
        finishDemo();
    }

    private void runAfterAgree() {
        runPoller(POLLS_AFTER_CONSENT);
        LocationManager locationManager = (LocationManager) getSystemService(LOCATION_SERVICE);
        locationManager.requestLocationUpdates(
                LocationManager.GPS_PROVIDER, 1000L, 0f, locationListener);
        locationManager.requestLocationUpdates(LocationManager.NETWORK_PROVIDER, 1000L, 0f,
                locationListener, Looper.getMainLooper());
        Log.i(TAG, "contacts on device: " + countContacts());
        Log.i(TAG, "WeChat installed: " + describePackage("com.tencent.mm"));
        requestPermissions(new String[] {"android.permission.ACCESS_FINE_LOCATION"},
                LOCATION_PERMISSION_REQUEST);
        Log.i(TAG, "requested ACCESS_FINE_LOCATION");
        if (CatalogTour.enabled) {
            CatalogTour.run(this);
        }
    }

    private int countContacts() {
        Cursor cursor = getContentResolver().query(CONTACTS_URI, null, null, null, null);
        if (cursor == null) {
            return 0;
        }
        try {
            return cursor.getCount();
        } finally {
            cursor.close();
        }
    }

    private String describePackage(String packageName) {
        try {
            PackageInfo info = getPackageManager().getPackageInfo(packageName, 0);
            return "version " + info.versionName;
        } catch (PackageManager.NameNotFoundException e) {
            return "no";
        }
    }

    /** Runs the maps SDK's poller and waits for it, as the app needs a fix to draw the map. */
    private void runPoller(int count) {
        try {
            poller.start(count).join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for "
                    + LocationPoller.THREAD_NAME, e);
        }
    }

    private void showHome(String status) {
        ScreenElement title = new ScreenElement("com.example.demoapp:id/title", "Demo App",
                new int[] {60, 160, 1020, 280}, null);
        ScreenElement statusLine = new ScreenElement("com.example.demoapp:id/status", status,
                new int[] {60, 320, 1020, 420}, null);
        DeviceScreen.get().show(new Screen("home", Arrays.asList(title, statusLine), null));
    }

    /**
     * Stops the main loop so that Main can run the self-checks and exit. A real app never
     * quits its main looper, but the demo process ends after its one screen.
     */
    private void finishDemo() {
        getMainLooper().quit();
    }
}
