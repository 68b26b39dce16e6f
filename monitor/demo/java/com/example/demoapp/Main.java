package com.example.demoapp;

import android.app.Activity;
import android.app.ActivityThread;
import android.app.Application;
import android.app.ContextImpl;
import android.app.Instrumentation;
import android.content.ComponentName;
import android.content.Intent;
import android.content.pm.ActivityInfo;
import android.content.pm.ProviderInfo;
import android.os.Handler;
import android.os.Looper;
import com.example.demoapp.shell.DemoOptions;
import com.example.demoapp.shell.DeviceScreen;
import com.example.demoapp.shell.InputReader;
import com.example.demoapp.shell.Protocol;

/**
 * Entry point of the demo app. It plays Android's ActivityThread: it builds the app context,
 * creates the Application and the launcher activity through Instrumentation, and runs the main
 * looper until the activity is done. Then it prints the self-checks and exits with 0 if all
 * passed, 1 if one failed, or 2 for invalid options.
 */
public final class Main {
    public static final String APP_PACKAGE = "com.example.demoapp";

    private Main() {
    }

    public static void main(String[] args) throws ReflectiveOperationException {
        Protocol.installStdout();
        DemoOptions options;
        try {
            options = DemoOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("demoapp: " + e.getMessage());
            System.err.println(DemoOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help) {
            Protocol.say(DemoOptions.USAGE);
            return;
        }
        System.exit(run(options));
    }

    private static int run(DemoOptions options) throws ReflectiveOperationException {
        Looper.prepareMainLooper();
        announceStart(options);
        InputReader.start(DeviceScreen.get(), new Handler(Looper.getMainLooper()),
                !options.decidesAutomatically());

        Instrumentation instrumentation = new Instrumentation();
        // The order of ActivityThread.handleBindApplication: Application object, content
        // providers, then Application.onCreate.
        Application app = Instrumentation.newApplication(
                DemoApplication.class, new ContextImpl(APP_PACKAGE));
        ActivityThread.setCurrentApplication(app);
        DemoProvider provider = options.catalog ? installProvider(app) : null;
        instrumentation.callApplicationOnCreate(app);

        CatalogTour.enabled = options.catalog;
        Activity activity = instrumentation.newActivity(MainActivity.class,
                new ContextImpl(APP_PACKAGE), null, app, launchIntent(options),
                launcherInfo(), "Demo App", null, null, null);
        instrumentation.callActivityOnCreate(activity, null);
        instrumentation.callActivityOnResume(activity);
        Looper.loop();

        boolean passed = SelfChecks.report((DemoApplication) app, (MainActivity) activity,
                provider);
        int code = passed ? 0 : 1;
        Protocol.event("exit", "code", code, "time_ms", Protocol.now());
        return code;
    }

    /** ActivityThread.installContentProviders: attachInfo calls the provider's onCreate. */
    private static DemoProvider installProvider(Application app) {
        ProviderInfo info = new ProviderInfo();
        info.authority = APP_PACKAGE + ".init";
        info.name = DemoProvider.class.getName();
        info.packageName = APP_PACKAGE;
        DemoProvider provider = new DemoProvider();
        provider.attachInfo(app, info);
        return provider;
    }

    private static void announceStart(DemoOptions options) {
        long pid = ProcessHandle.current().pid();
        Protocol.say("privmon demo app " + APP_PACKAGE + " (pid " + pid + ") on stand-in"
                + " Android classes; consent mode: " + options.consent);
        Protocol.event("start", "pid", pid, "package", APP_PACKAGE,
                "interval_ms", options.intervalMs, "consent", options.consent,
                "consent_delay_ms", options.consentDelayMs, "time_ms", Protocol.now());
    }

    private static Intent launchIntent(DemoOptions options) {
        return new Intent(Intent.ACTION_MAIN)
                .setComponent(new ComponentName(APP_PACKAGE, MainActivity.class.getName()))
                .putExtra(MainActivity.EXTRA_INTERVAL_MS, options.intervalMs)
                .putExtra(MainActivity.EXTRA_CONSENT, options.consent)
                .putExtra(MainActivity.EXTRA_CONSENT_DELAY_MS, options.consentDelayMs);
    }

    private static ActivityInfo launcherInfo() {
        ActivityInfo info = new ActivityInfo();
        info.packageName = APP_PACKAGE;
        info.name = MainActivity.class.getName();
        return info;
    }
}
