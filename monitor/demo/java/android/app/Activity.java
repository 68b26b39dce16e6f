// Stand-in for android.app.Activity so the demo app runs on a plain JVM.
package android.app;

import android.content.Context;
import android.content.Intent;
import android.content.pm.ActivityInfo;
import android.os.Bundle;
import android.view.ContextThemeWrapper;

/** Activity with the lifecycle calls and the permission request path of API 29. */
public class Activity extends ContextThemeWrapper {
    /** Prefix of the "who" tag that marks a permission request, as in Android's Activity. */
    private static final String REQUEST_PERMISSIONS_WHO_PREFIX = "@android:requestPermissions:";

    private Instrumentation mInstrumentation;
    private Application mApplication;
    private Intent mIntent;
    private ActivityInfo mActivityInfo;
    private CharSequence mTitle;
    private boolean mHasCurrentPermissionsRequest;
    boolean mResumed;

    public Activity() {
    }

    /**
     * Package-private on Android, where it takes about twenty parameters. The stand-in keeps
     * those that the demo uses.
     */
    final void attach(Context context, Instrumentation instr, Application application,
            Intent intent, ActivityInfo info, CharSequence title) {
        attachBaseContext(context);
        mInstrumentation = instr;
        mApplication = application;
        mIntent = intent;
        mActivityInfo = info;
        mTitle = title;
    }

    public final Application getApplication() {
        return mApplication;
    }

    public Intent getIntent() {
        return mIntent;
    }

    public final CharSequence getTitle() {
        return mTitle;
    }

    /** Hidden on Android. */
    final void performCreate(Bundle icicle) {
        onCreate(icicle);
    }

    protected void onCreate(Bundle savedInstanceState) {
    }

    protected void onResume() {
    }

    protected void onStop() {
    }

    /**
     * Asks the user for permissions. As on Android, only one request may be open at a time,
     * and a second one gets an empty result at once.
     */
    public final void requestPermissions(String[] permissions, int requestCode) {
        if (requestCode < 0) {
            throw new IllegalArgumentException("requestCode must be 0 or more, got " + requestCode);
        }
        if (mHasCurrentPermissionsRequest) {
            onRequestPermissionsResult(requestCode, new String[0], new int[0]);
            return;
        }
        Intent intent = getPackageManager().buildRequestPermissionsIntent(permissions);
        startActivityForResult(REQUEST_PERMISSIONS_WHO_PREFIX, intent, requestCode, null);
        mHasCurrentPermissionsRequest = true;
    }

    public void onRequestPermissionsResult(int requestCode, String[] permissions,
            int[] grantResults) {
    }

    /** Overrides ContextWrapper: an activity starts activities through its Instrumentation. */
    @Override
    public void startActivity(Intent intent) {
        startActivity(intent, null);
    }

    @Override
    public void startActivity(Intent intent, Bundle options) {
        startActivityForResult(intent, -1, options);
    }

    public void startActivityForResult(Intent intent, int requestCode, Bundle options) {
        mInstrumentation.execStartActivity(this, null, null, this, intent, requestCode, options);
    }

    /**
     * Hidden on Android, where it hands the intent to Instrumentation.execStartActivity. The
     * stand-in starts nothing, so no permission screen shows and no result is delivered.
     */
    public void startActivityForResult(String who, Intent intent, int requestCode,
            Bundle options) {
    }
}
