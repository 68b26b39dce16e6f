// Stand-in for android.content.ContentProviderClient so the demo app runs on a plain JVM.
package android.content;

import android.database.Cursor;
import android.net.Uri;
import android.os.Bundle;
import android.os.CancellationSignal;

/**
 * A direct connection to one provider. Its query overloads reach the provider without
 * ContentResolver.query, so they are a bypass that needs its own hook.
 */
public class ContentProviderClient {
    private final ContentResolver mResolver;

    /** Hidden on Android, where acquireContentProviderClient builds it. */
    public ContentProviderClient(ContentResolver resolver) {
        mResolver = resolver;
    }

    public Cursor query(Uri url, String[] projection, String selection, String[] selectionArgs,
            String sortOrder) {
        return query(url, projection, selection, selectionArgs, sortOrder, null);
    }

    public Cursor query(Uri uri, String[] projection, String selection,
            String[] selectionArgs, String sortOrder, CancellationSignal cancellationSignal) {
        Bundle queryArgs = ContentResolver.createSqlQueryBundle(selection, selectionArgs,
                sortOrder);
        return query(uri, projection, queryArgs, cancellationSignal);
    }

    /** On Android the binder call to the provider; the stand-in serves the resolver's rows. */
    public Cursor query(Uri uri, String[] projection, Bundle queryArgs,
            CancellationSignal cancellationSignal) {
        return mResolver.providerQuery(uri, projection);
    }

    public void close() {
    }
}
