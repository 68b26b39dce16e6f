// Stand-in for android.app.Instrumentation so the demo app runs on a plain JVM.
package android.app;

import android.content.Context;
import android.content.Intent;
import android.content.pm.ActivityInfo;
import android.os.Bundle;
import android.os.IBinder;
import java.lang.reflect.InvocationTargetException;

/** Creates the app's components and makes their lifecycle calls for ActivityThread. */
public class Instrumentation {
    public Instrumentation() {
    }

    public static Application newApplication(Class<?> clazz, Context context)
            throws InstantiationException, IllegalAccessException, ClassNotFoundException {
        Application app = (Application) instantiate(clazz);
        app.attach(context);
        return app;
    }

    public void callApplicationOnCreate(Application app) {
        app.onCreate();
    }

    public Activity newActivity(Class<?> clazz, Context context, IBinder token,
            Application application, Intent intent, ActivityInfo info, CharSequence title,
            Activity parent, String id, Object lastNonConfigurationInstance)
            throws InstantiationException, IllegalAccessException {
        Activity activity = (Activity) instantiate(clazz);
        activity.attach(context, this, application, intent, info, title);
        return activity;
    }

    public void callActivityOnCreate(Activity activity, Bundle icicle) {
        activity.performCreate(icicle);
    }

    public void callActivityOnResume(Activity activity) {
        activity.mResumed = true;
        activity.onResume();
    }

    public void callActivityOnStop(Activity activity) {
        activity.mResumed = false;
        activity.onStop();
    }

    /**
     * Hidden on Android, where it requests the start from the activity manager. The
     * stand-in checks the intent and starts nothing, since no other app runs on the JVM.
     */
    public ActivityResult execStartActivity(Context who, IBinder contextThread, IBinder token,
            Activity target, Intent intent, int requestCode, Bundle options) {
        if (intent.getComponent() == null && intent.getAction() == null) {
            throw new IllegalArgumentException("no activity handles " + intent);
        }
        return null;
    }

    /** Result of a started activity; the stand-in never delivers one. */
    public static final class ActivityResult {
        public ActivityResult() {
        }
    }

    private static Object instantiate(Class<?> clazz)
            throws InstantiationException, IllegalAccessException {
        try {
            return clazz.getDeclaredConstructor().newInstance();
        } catch (NoSuchMethodException | InvocationTargetException e) {
            InstantiationException failure =
                    new InstantiationException("Unable to instantiate " + clazz.getName());
            failure.initCause(e);
            throw failure;
        }
    }
}
