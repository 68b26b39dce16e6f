// Stand-in for android.app.ActivityManager so the demo app runs on a plain JVM.
package android.app;

import android.content.Context;
import android.os.Process;
import java.util.ArrayList;
import java.util.List;

/**
 * Running processes and tasks. Since API 21 an app gets only its own, so the lists contain
 * the demo app alone.
 */
public class ActivityManager {
    private final String mPackageName;

    /** Hidden on Android, where apps get the manager from getSystemService("activity"). */
    public ActivityManager(Context context) {
        mPackageName = context.getPackageName();
    }

    public List<RunningAppProcessInfo> getRunningAppProcesses() {
        List<RunningAppProcessInfo> list = new ArrayList<>();
        list.add(new RunningAppProcessInfo(mPackageName, Process.myPid()));
        return list;
    }

    @Deprecated
    public List<RunningTaskInfo> getRunningTasks(int maxNum) {
        List<RunningTaskInfo> list = new ArrayList<>();
        if (maxNum > 0) {
            list.add(new RunningTaskInfo());
        }
        return list;
    }

    /** One running process. */
    public static class RunningAppProcessInfo {
        public String processName;
        public int pid;

        public RunningAppProcessInfo(String processName, int pid) {
            this.processName = processName;
            this.pid = pid;
        }
    }

    /** One running task. */
    public static class RunningTaskInfo {
        public RunningTaskInfo() {
        }
    }
}
