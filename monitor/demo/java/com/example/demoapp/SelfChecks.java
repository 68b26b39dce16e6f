package com.example.demoapp;

import android.location.Location;
import com.example.demoapp.shell.Protocol;
import io.tracklytics.sdk.Tracker;
import java.util.List;

/**
 * Checks that the stand-in APIs behaved as the app expects. Under Frida they catch hooks that
 * change return values, object identity or exceptions.
 */
final class SelfChecks {
    /** Value of accessibility_enabled in the stand-in Settings$Secure. */
    private static final String EXPECTED_ACCESSIBILITY_ENABLED = "0";

    private SelfChecks() {
    }

    /** Prints each check as a CHECK line and a "check" event, and returns whether all passed. */
    static boolean report(DemoApplication app, MainActivity activity, DemoProvider provider) {
        boolean settingsOk = report("settings-nonid", settingsProblem(app));
        boolean locationOk = report("location-identity", locationProblem(activity));
        boolean imeiOk = report("imei-throws", imeiProblem());
        boolean catalogOk = true;
        if (provider != null) {
            catalogOk = report("provider-before-app", providerProblem(provider));
            catalogOk &= report("catalog-values", CatalogTour.problems());
        }
        return settingsOk && locationOk && imeiOk && catalogOk;
    }

    /** The provider must have run before Application.onCreate and read the real android_id. */
    private static String providerProblem(DemoProvider provider) {
        if (!provider.ranBeforeApplication()) {
            return "the provider's onCreate ran after Application.onCreate";
        }
        if (!"4c9e2f7a1b3d8e60".equals(provider.androidId())) {
            return "android_id through Settings.System was " + quote(provider.androidId());
        }
        return null;
    }

    private static boolean report(String name, String problem) {
        if (problem == null) {
            Protocol.say("CHECK " + name + " ok");
            Protocol.event("check", "name", name, "ok", true);
            return true;
        }
        Protocol.say("CHECK " + name + " FAIL " + problem);
        Protocol.event("check", "name", name, "ok", false, "detail", problem);
        return false;
    }

    private static String settingsProblem(DemoApplication app) {
        String value = app.accessibilityEnabled();
        if (EXPECTED_ACCESSIBILITY_ENABLED.equals(value)) {
            return null;
        }
        return "accessibility_enabled was " + quote(value) + ", expected "
                + quote(EXPECTED_ACCESSIBILITY_ENABLED);
    }

    /** Every fix must be the same object, because the stand-in returns one cached Location. */
    private static String locationProblem(MainActivity activity) {
        if (activity.pollerFailure() != null) {
            return "polling failed: " + activity.pollerFailure();
        }
        List<Location> fixes = activity.polledFixes();
        if (fixes.size() < 2) {
            return "expected at least 2 fixes, got " + fixes.size();
        }
        Location first = fixes.get(0);
        if (first == null) {
            return "fix 1 is null";
        }
        for (int i = 1; i < fixes.size(); i++) {
            if (fixes.get(i) != first) {
                return "fix " + (i + 1) + " is not the same object as fix 1";
            }
        }
        return null;
    }

    private static String imeiProblem() {
        RuntimeException failure = Tracker.imeiFailure();
        if (failure == null) {
            return "getImei() returned instead of throwing SecurityException";
        }
        if (!(failure instanceof SecurityException)) {
            return "getImei() threw " + failure + " instead of SecurityException";
        }
        return null;
    }

    private static String quote(String value) {
        return value == null ? "null" : "\"" + value + "\"";
    }
}
