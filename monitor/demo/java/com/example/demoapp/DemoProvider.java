package com.example.demoapp;

import android.content.ContentProvider;
import android.database.Cursor;
import android.net.Uri;
import android.provider.Settings;
import android.util.Log;

/**
 * An initialiser provider, as SDKs ship them to start before the app: its onCreate runs
 * before Application.onCreate and reads android_id through Settings.System, the entry point
 * that Android forwards to Settings.Secure.
 */
public final class DemoProvider extends ContentProvider {
    private static final String TAG = "DemoApp";

    private volatile boolean ranBeforeApplication;
    private volatile String androidId;

    @Override
    public boolean onCreate() {
        ranBeforeApplication = !DemoApplication.onCreateStarted;
        androidId = Settings.System.getString(getContext().getContentResolver(),
                Settings.System.ANDROID_ID);
        Log.i(TAG, "init provider created; device " + androidId.substring(0, 4) + "...");
        return true;
    }

    @Override
    public Cursor query(Uri uri, String[] projection, String selection, String[] selectionArgs,
            String sortOrder) {
        return null;
    }

    boolean ranBeforeApplication() {
        return ranBeforeApplication;
    }

    String androidId() {
        return androidId;
    }
}
