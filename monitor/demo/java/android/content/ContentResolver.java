// Stand-in for android.content.ContentResolver so the demo app runs on a plain JVM.
package android.content;

import android.accounts.Account;
import android.database.Cursor;
import android.database.MatrixCursor;
import android.net.Uri;
import android.os.Bundle;
import android.os.CancellationSignal;
import android.os.UserHandle;
import java.util.Arrays;
import java.util.Objects;

/**
 * Resolver for content URIs. As on Android, the query overloads are final here, so the
 * runtime subclass ContextImpl$ApplicationContentResolver cannot override them.
 */
public abstract class ContentResolver {
    public static final String QUERY_ARG_SQL_SELECTION = "android:query-arg-sql-selection";
    public static final String QUERY_ARG_SQL_SELECTION_ARGS =
            "android:query-arg-sql-selection-args";
    public static final String QUERY_ARG_SQL_SORT_ORDER = "android:query-arg-sql-sort-order";

    private static final String CONTACTS_AUTHORITY = "com.android.contacts";
    private static final String[] CONTACT_COLUMNS = {"_id", "display_name", "has_phone_number"};
    private static final Object[][] CONTACT_ROWS = {
        {1L, "Li Wei", 1L},
        {2L, "Alex Morgan", 1L},
        {3L, "Zhang Min", 0L},
    };

    /** Takes the owning context like Android's constructor, although the stand-in ignores it. */
    public ContentResolver(Context context) {
    }

    public final Cursor query(Uri uri, String[] projection, String selection,
            String[] selectionArgs, String sortOrder) {
        return query(uri, projection, selection, selectionArgs, sortOrder, null);
    }

    public final Cursor query(Uri uri, String[] projection, String selection,
            String[] selectionArgs, String sortOrder, CancellationSignal cancellationSignal) {
        Bundle queryArgs = createSqlQueryBundle(selection, selectionArgs, sortOrder);
        return query(uri, projection, queryArgs, cancellationSignal);
    }

    /**
     * Runs the query. On Android this overload makes the binder call to the provider. The
     * stand-in serves fixed contacts rows for the contacts authority, ignores selection and
     * sort order, and returns null for other authorities as Android does for an unknown one.
     */
    public final Cursor query(Uri uri, String[] projection, Bundle queryArgs,
            CancellationSignal cancellationSignal) {
        Objects.requireNonNull(uri, "uri");
        if (cancellationSignal != null && cancellationSignal.isCanceled()) {
            return null;
        }
        if (!CONTACTS_AUTHORITY.equals(uri.getAuthority())) {
            return null;
        }
        return contactsCursor(projection == null ? CONTACT_COLUMNS : projection);
    }

    public final ContentProviderClient acquireContentProviderClient(Uri uri) {
        Objects.requireNonNull(uri, "uri");
        return new ContentProviderClient(this);
    }

    public final ContentProviderClient acquireContentProviderClient(String name) {
        Objects.requireNonNull(name, "name");
        return new ContentProviderClient(this);
    }

    /** Asks the sync manager to sync an account's data for one authority. */
    public static void requestSync(Account account, String authority, Bundle extras) {
        Objects.requireNonNull(authority, "authority");
    }

    public static void requestSync(SyncRequest request) {
        Objects.requireNonNull(request, "request");
    }

    /** Stand-in only: what a provider of this authority returns (see query). */
    Cursor providerQuery(Uri uri, String[] projection) {
        if (!CONTACTS_AUTHORITY.equals(uri.getAuthority())) {
            return null;
        }
        return contactsCursor(projection == null ? CONTACT_COLUMNS : projection);
    }

    /** Hidden on Android. Returns null when all three arguments are null. */
    public static Bundle createSqlQueryBundle(String selection, String[] selectionArgs,
            String sortOrder) {
        if (selection == null && selectionArgs == null && sortOrder == null) {
            return null;
        }
        Bundle queryArgs = new Bundle();
        if (selection != null) {
            queryArgs.putString(QUERY_ARG_SQL_SELECTION, selection);
        }
        if (selectionArgs != null) {
            queryArgs.putStringArray(QUERY_ARG_SQL_SELECTION_ARGS, selectionArgs);
        }
        if (sortOrder != null) {
            queryArgs.putString(QUERY_ARG_SQL_SORT_ORDER, sortOrder);
        }
        return queryArgs;
    }

    /** Hidden on Android, where it returns the user of the resolver's context. */
    public int getUserId() {
        return UserHandle.myUserId();
    }

    private static Cursor contactsCursor(String[] projection) {
        int[] sourceColumns = new int[projection.length];
        for (int i = 0; i < projection.length; i++) {
            sourceColumns[i] = Arrays.asList(CONTACT_COLUMNS).indexOf(projection[i]);
            if (sourceColumns[i] < 0) {
                throw new IllegalArgumentException("Invalid column " + projection[i]);
            }
        }
        MatrixCursor cursor = new MatrixCursor(projection);
        for (Object[] row : CONTACT_ROWS) {
            Object[] selected = new Object[projection.length];
            for (int i = 0; i < projection.length; i++) {
                selected[i] = row[sourceColumns[i]];
            }
            cursor.addRow(selected);
        }
        return cursor;
    }
}
