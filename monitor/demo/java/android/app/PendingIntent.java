// Stand-in for android.app.PendingIntent so the demo app runs on a plain JVM.
package android.app;

import android.content.Context;
import android.content.Intent;

/** Token for an intent that another component may send later on the creator's behalf. */
public final class PendingIntent {
    public static final int FLAG_IMMUTABLE = 1 << 26;
    public static final int FLAG_UPDATE_CURRENT = 1 << 27;

    private final String mCreatorPackage;
    private final Intent mIntent;
    private final String mType;

    private PendingIntent(Context context, Intent intent, String type) {
        mCreatorPackage = context.getPackageName();
        mIntent = intent;
        mType = type;
    }

    public static PendingIntent getActivity(Context context, int requestCode, Intent intent,
            int flags) {
        return new PendingIntent(context, intent, "activity");
    }

    public static PendingIntent getService(Context context, int requestCode, Intent intent,
            int flags) {
        return new PendingIntent(context, intent, "service");
    }

    public static PendingIntent getBroadcast(Context context, int requestCode, Intent intent,
            int flags) {
        return new PendingIntent(context, intent, "broadcast");
    }

    public static PendingIntent getForegroundService(Context context, int requestCode,
            Intent intent, int flags) {
        return new PendingIntent(context, intent, "foreground service");
    }

    public String getCreatorPackage() {
        return mCreatorPackage;
    }

    @Override
    public String toString() {
        return "PendingIntent{" + mType + " " + mCreatorPackage + " " + mIntent + "}";
    }
}
