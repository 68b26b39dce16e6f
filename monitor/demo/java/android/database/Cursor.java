// Stand-in for android.database.Cursor so the demo app runs on a plain JVM.
package android.database;

import java.io.Closeable;

/** Read access to the rows of a query result, positioned before the first row at the start. */
public interface Cursor extends Closeable {
    int getCount();

    int getPosition();

    boolean moveToFirst();

    boolean moveToNext();

    int getColumnCount();

    String[] getColumnNames();

    int getColumnIndex(String columnName);

    int getColumnIndexOrThrow(String columnName);

    String getString(int columnIndex);

    long getLong(int columnIndex);

    boolean isNull(int columnIndex);

    boolean isClosed();

    @Override
    void close();
}
