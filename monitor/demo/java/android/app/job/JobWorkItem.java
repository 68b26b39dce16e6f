// Stand-in for android.app.job.JobWorkItem so the demo app runs on a plain JVM.
package android.app.job;

import android.content.Intent;

/** One unit of work for a job. */
public final class JobWorkItem {
    private final Intent mIntent;

    public JobWorkItem(Intent intent) {
        mIntent = intent;
    }

    public Intent getIntent() {
        return mIntent;
    }
}
