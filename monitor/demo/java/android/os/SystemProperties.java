// Stand-in for android.os.SystemProperties so the demo app runs on a plain JVM.
package android.os;

import java.util.HashMap;
import java.util.Map;

/** Hidden on Android (@SystemApi). get(String) does not call get(String, String). */
public class SystemProperties {
    private static final Map<String, String> VALUES = new HashMap<>();

    static {
        VALUES.put("ro.serialno", "9A281FFAZ004H3");
        VALUES.put("ro.boot.serialno", "9A281FFAZ004H3");
        VALUES.put("ro.build.version.sdk", "29");
        VALUES.put("ro.product.model", "Pixel 4a");
    }

    private SystemProperties() {
    }

    public static String get(String key) {
        String value = VALUES.get(key);
        return value == null ? "" : value;
    }

    public static String get(String key, String def) {
        String value = VALUES.get(key);
        return value == null || value.isEmpty() ? def : value;
    }
}
