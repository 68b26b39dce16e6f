package com.example.demoapp;

import android.util.Log;
import com.example.demoapp.shell.DeviceScreen;
import com.example.demoapp.shell.Protocol;
import com.example.demoapp.shell.Screen;
import com.example.demoapp.shell.ScreenElement;
import java.util.Arrays;

/**
 * The app's privacy-policy dialog. onAgree() and onRefuse() are the consent callbacks that
 * the monitor hooks. Each runs once, before the app acts on the decision.
 */
public final class PrivacyDialog {
    public static final String ID_AGREE = "com.example.demoapp:id/agree";
    public static final String ID_REFUSE = "com.example.demoapp:id/refuse";
    public static final String ID_POLICY = "com.example.demoapp:id/policy";
    public static final String SCREEN_NAME = "privacy_dialog";

    private static final String TAG = "DemoApp";

    /** Receives the decision after the consent callback has run. */
    public interface Listener {
        void onPrivacyDecision(boolean agreed);
    }

    private final DeviceScreen screen;
    private final Listener listener;
    private boolean decided;

    public PrivacyDialog(DeviceScreen screen, Listener listener) {
        this.screen = screen;
        this.listener = listener;
    }

    public void show() {
        ScreenElement agree = new ScreenElement(ID_AGREE, "同意并继续 Agree",
                new int[] {560, 1440, 930, 1580}, () -> decide(true, "tap"));
        ScreenElement refuse = new ScreenElement(ID_REFUSE, "不同意 Disagree",
                new int[] {150, 1440, 520, 1580}, () -> decide(false, "tap"));
        ScreenElement policy = new ScreenElement(ID_POLICY,
                "请阅读《隐私政策》 Please read the Privacy Policy",
                new int[] {150, 900, 930, 1180}, PrivacyDialog::showPolicySummary);
        // The dialog is not cancelable, so the back key leaves it on screen.
        screen.show(new Screen(SCREEN_NAME, Arrays.asList(agree, refuse, policy),
                () -> Log.i(TAG, "the privacy dialog needs a decision; back is ignored")));
    }

    public boolean isDecided() {
        return decided;
    }

    /** Consent callback for the agree button. */
    public void onAgree() {
        Log.i(TAG, "privacy policy accepted");
    }

    /** Consent callback for the disagree button. */
    public void onRefuse() {
        Log.i(TAG, "privacy policy declined");
    }

    /**
     * Applies the first decision and ignores later ones. {@code source} names what made the
     * decision: "tap" or "auto".
     */
    void decide(boolean agreed, String source) {
        if (decided) {
            return;
        }
        decided = true;
        Protocol.event("decision", "choice", agreed ? "agree" : "refuse", "source", source,
                "time_ms", Protocol.now());
        if (agreed) {
            onAgree();
        } else {
            onRefuse();
        }
        listener.onPrivacyDecision(agreed);
    }

    /** Closes the dialog without a decision, as when the user leaves the app. */
    void dismissWithoutDecision(String cause) {
        if (decided) {
            return;
        }
        decided = true;
        Protocol.event("decision", "choice", "none", "source", cause, "time_ms", Protocol.now());
    }

    private static void showPolicySummary() {
        Log.i(TAG, "policy: we share device and location data with Tracklytics and GeoMaps");
    }
}
