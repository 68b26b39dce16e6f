// Stand-in for android.provider.Settings so the demo app runs on a plain JVM.
package android.provider;

import android.content.ContentResolver;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

public final class Settings {
    private Settings() {
    }

    /** Secure system settings, readable by any app without a permission. */
    public static final class Secure {
        public static final String ANDROID_ID = "android_id";
        public static final String ACCESSIBILITY_ENABLED = "accessibility_enabled";
        public static final String DEFAULT_INPUT_METHOD = "default_input_method";
        public static final String LOCATION_MODE = "location_mode";

        /** Values for user 0. The android_id is fixed because it is stable per app signing key. */
        private static final Map<String, String> VALUES = new HashMap<>();

        static {
            VALUES.put(ANDROID_ID, "4c9e2f7a1b3d8e60");
            VALUES.put(ACCESSIBILITY_ENABLED, "0");
            VALUES.put(DEFAULT_INPUT_METHOD, "com.google.android.inputmethod.latin/"
                    + "com.android.inputmethod.latin.LatinIME");
            VALUES.put(LOCATION_MODE, "3");
        }

        private Secure() {
        }

        public static String getString(ContentResolver resolver, String name) {
            return getStringForUser(resolver, name, resolver.getUserId());
        }

        /** Hidden on Android. Returns null for a setting that has no value. */
        public static String getStringForUser(ContentResolver resolver, String name,
                int userHandle) {
            return userHandle == 0 ? VALUES.get(name) : null;
        }
    }

    /** System settings. Keys moved to Secure (android_id among them) are read from there. */
    public static final class System {
        public static final String ANDROID_ID = "android_id";
        public static final String SCREEN_BRIGHTNESS = "screen_brightness";

        private static final Set<String> MOVED_TO_SECURE = new HashSet<>();
        private static final Map<String, String> VALUES = new HashMap<>();

        static {
            MOVED_TO_SECURE.add(Secure.ANDROID_ID);
            VALUES.put(SCREEN_BRIGHTNESS, "102");
        }

        private System() {
        }

        public static String getString(ContentResolver resolver, String name) {
            return getStringForUser(resolver, name, resolver.getUserId());
        }

        /** Hidden on Android. */
        public static String getStringForUser(ContentResolver resolver, String name,
                int userHandle) {
            if (MOVED_TO_SECURE.contains(name)) {
                return Secure.getStringForUser(resolver, name, userHandle);
            }
            return userHandle == 0 ? VALUES.get(name) : null;
        }
    }
}
