// Stand-in for android.app.job.JobScheduler so the demo app runs on a plain JVM.
package android.app.job;

/** Abstract as on Android; the runtime class is android.app.JobSchedulerImpl. */
public abstract class JobScheduler {
    public static final int RESULT_FAILURE = 0;
    public static final int RESULT_SUCCESS = 1;

    public JobScheduler() {
    }

    public abstract int schedule(JobInfo job);

    public abstract int enqueue(JobInfo job, JobWorkItem work);
}
