// Stand-in for android.app.JobSchedulerImpl so the demo app runs on a plain JVM.
package android.app;

import android.app.job.JobInfo;
import android.app.job.JobScheduler;
import android.app.job.JobWorkItem;
import android.content.Context;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Hidden runtime class of JobScheduler. Accepts every job. */
public class JobSchedulerImpl extends JobScheduler {
    private final List<JobInfo> mJobs = new CopyOnWriteArrayList<>();

    public JobSchedulerImpl(Context context) {
    }

    @Override
    public int schedule(JobInfo job) {
        mJobs.add(job);
        return RESULT_SUCCESS;
    }

    @Override
    public int enqueue(JobInfo job, JobWorkItem work) {
        mJobs.add(job);
        return RESULT_SUCCESS;
    }
}
