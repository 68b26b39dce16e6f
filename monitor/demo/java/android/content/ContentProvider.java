// Stand-in for android.content.ContentProvider so the demo app runs on a plain JVM.
package android.content;

import android.content.pm.ProviderInfo;
import android.database.Cursor;
import android.net.Uri;

/**
 * A content provider. attachInfo is called by ActivityThread.installContentProviders,
 * before Application.onCreate, and calls onCreate (abstract, so monitors hook attachInfo).
 */
public abstract class ContentProvider {
    private Context mContext;
    private String mAuthority;

    public ContentProvider() {
    }

    public void attachInfo(Context context, ProviderInfo info) {
        if (mContext == null) {
            mContext = context;
            mAuthority = info == null ? null : info.authority;
            onCreate();
        }
    }

    public final Context getContext() {
        return mContext;
    }

    public abstract boolean onCreate();

    public abstract Cursor query(Uri uri, String[] projection, String selection,
            String[] selectionArgs, String sortOrder);
}
