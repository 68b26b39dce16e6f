// Stand-in for android.app.job.JobInfo so the demo app runs on a plain JVM.
package android.app.job;

import android.content.ComponentName;

/** A job for JobScheduler: an id and the service that runs it. */
public class JobInfo {
    private final int mJobId;
    private final ComponentName mService;

    public JobInfo(int jobId, ComponentName service) {
        mJobId = jobId;
        mService = service;
    }

    public int getId() {
        return mJobId;
    }

    public ComponentName getService() {
        return mService;
    }

    @Override
    public String toString() {
        return "(job:" + mJobId + "/" + mService.flattenToShortString() + ")";
    }
}
