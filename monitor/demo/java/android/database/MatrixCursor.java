// Stand-in for android.database.MatrixCursor so the demo app runs on a plain JVM.
package android.database;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** In-memory cursor. Android's MatrixCursor extends AbstractCursor, which the stand-in omits. */
public class MatrixCursor implements Cursor {
    private final String[] columnNames;
    private final List<Object[]> rows = new ArrayList<>();
    private int position = -1;
    private boolean closed;

    public MatrixCursor(String[] columnNames) {
        this.columnNames = columnNames.clone();
    }

    public void addRow(Object[] columnValues) {
        if (columnValues.length != columnNames.length) {
            throw new IllegalArgumentException("row has " + columnValues.length
                    + " values but the cursor has " + columnNames.length + " columns");
        }
        rows.add(columnValues.clone());
    }

    @Override
    public int getCount() {
        return rows.size();
    }

    @Override
    public int getPosition() {
        return position;
    }

    @Override
    public boolean moveToFirst() {
        position = 0;
        return !rows.isEmpty();
    }

    @Override
    public boolean moveToNext() {
        if (position < rows.size()) {
            position++;
        }
        return position < rows.size();
    }

    @Override
    public int getColumnCount() {
        return columnNames.length;
    }

    @Override
    public String[] getColumnNames() {
        return columnNames.clone();
    }

    @Override
    public int getColumnIndex(String columnName) {
        return Arrays.asList(columnNames).indexOf(columnName);
    }

    @Override
    public int getColumnIndexOrThrow(String columnName) {
        int index = getColumnIndex(columnName);
        if (index < 0) {
            throw new IllegalArgumentException("column '" + columnName + "' does not exist");
        }
        return index;
    }

    @Override
    public String getString(int columnIndex) {
        Object value = current()[columnIndex];
        return value == null ? null : value.toString();
    }

    @Override
    public long getLong(int columnIndex) {
        Object value = current()[columnIndex];
        if (value instanceof Number) {
            return ((Number) value).longValue();
        }
        return value == null ? 0L : Long.parseLong(value.toString());
    }

    @Override
    public boolean isNull(int columnIndex) {
        return current()[columnIndex] == null;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
    }

    private Object[] current() {
        if (position < 0 || position >= rows.size()) {
            throw new IllegalStateException("no row at position " + position + " of "
                    + rows.size() + " rows");
        }
        return rows.get(position);
    }
}
