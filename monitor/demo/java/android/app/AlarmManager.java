// Stand-in for android.app.AlarmManager so the demo app runs on a plain JVM.
package android.app;

import android.content.Context;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Alarms. Every set form ends in the private setImpl, which the stand-in only records. */
public class AlarmManager {
    public static final int RTC_WAKEUP = 0;
    public static final int ELAPSED_REALTIME_WAKEUP = 2;
    private final List<PendingIntent> mAlarms = new CopyOnWriteArrayList<>();

    /** Hidden on Android, where apps get the manager from getSystemService("alarm"). */
    public AlarmManager(Context context) {
    }

    public void set(int type, long triggerAtMillis, PendingIntent operation) {
        setImpl(type, triggerAtMillis, 0, 0, operation, null);
    }

    public void setRepeating(int type, long triggerAtMillis, long intervalMillis,
            PendingIntent operation) {
        setImpl(type, triggerAtMillis, 0, intervalMillis, operation, null);
    }

    public void setInexactRepeating(int type, long triggerAtMillis, long intervalMillis,
            PendingIntent operation) {
        setImpl(type, triggerAtMillis, -1, intervalMillis, operation, null);
    }

    public void setWindow(int type, long windowStartMillis, long windowLengthMillis,
            PendingIntent operation) {
        setImpl(type, windowStartMillis, windowLengthMillis, 0, operation, null);
    }

    public void setExact(int type, long triggerAtMillis, PendingIntent operation) {
        setImpl(type, triggerAtMillis, 0, 0, operation, null);
    }

    public void setExactAndAllowWhileIdle(int type, long triggerAtMillis,
            PendingIntent operation) {
        setImpl(type, triggerAtMillis, 0, 0, operation, null);
    }

    public void setAndAllowWhileIdle(int type, long triggerAtMillis, PendingIntent operation) {
        setImpl(type, triggerAtMillis, -1, 0, operation, null);
    }

    public void setAlarmClock(AlarmClockInfo info, PendingIntent operation) {
        setImpl(RTC_WAKEUP, info.getTriggerTime(), 0, 0, operation, info);
    }

    public int alarmCount() {
        return mAlarms.size();
    }

    private void setImpl(int type, long triggerAtMillis, long windowMillis, long intervalMillis,
            PendingIntent operation, AlarmClockInfo alarmClock) {
        if (operation == null) {
            throw new NullPointerException("operation");
        }
        mAlarms.add(operation);
    }

    /** An alarm clock shown to the user. */
    public static final class AlarmClockInfo {
        private final long mTriggerTime;
        private final PendingIntent mShowIntent;

        public AlarmClockInfo(long triggerTime, PendingIntent showIntent) {
            mTriggerTime = triggerTime;
            mShowIntent = showIntent;
        }

        public long getTriggerTime() {
            return mTriggerTime;
        }
    }
}
