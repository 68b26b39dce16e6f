// Stand-in for android.os.Bundle so the demo app runs on a plain JVM.
package android.os;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** String-keyed value map. Unlike Android, it is not Parcelable and keeps no type tags. */
public final class Bundle {
    private final Map<String, Object> values = new LinkedHashMap<>();

    public Bundle() {
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    public int size() {
        return values.size();
    }

    public boolean containsKey(String key) {
        return values.containsKey(key);
    }

    public Set<String> keySet() {
        return values.keySet();
    }

    public void putString(String key, String value) {
        values.put(key, value);
    }

    public String getString(String key) {
        Object value = values.get(key);
        return value instanceof String ? (String) value : null;
    }

    public void putStringArray(String key, String[] value) {
        values.put(key, value);
    }

    public String[] getStringArray(String key) {
        Object value = values.get(key);
        return value instanceof String[] ? (String[]) value : null;
    }

    public void putInt(String key, int value) {
        values.put(key, value);
    }

    public int getInt(String key, int defaultValue) {
        Object value = values.get(key);
        return value instanceof Integer ? (Integer) value : defaultValue;
    }

    public void putLong(String key, long value) {
        values.put(key, value);
    }

    public long getLong(String key, long defaultValue) {
        Object value = values.get(key);
        return value instanceof Long ? (Long) value : defaultValue;
    }

    @Override
    public String toString() {
        return "Bundle[" + values.keySet() + "]";
    }
}
