import { HookSpec } from "./types.js";

// ContextWrapper forwards to ContextImpl, so hooking ContextImpl alone counts each start once.
// Activity overrides startActivity (→ startActivityForResult → Instrumentation), so its
// overrides are hooked too; they share a group with ContextImpl.startActivity.
const CI = "android.app.ContextImpl";
const AM = "android.app.AlarmManager";
const PI = "android.app.PendingIntent";

function start(className: string, method: string, dataType: string, group?: string): HookSpec {
  return { category: "app_start", className, method, dataType, summary: "intent", group };
}

function alarm(method: string): HookSpec {
  // Every set* form ends in the private setImpl: one group.
  return { category: "app_start", className: AM, method, dataType: "alarm", summary: "values", group: "alarm" };
}

function pendingIntent(method: string): HookSpec {
  return {
    category: "app_start", className: PI, method, dataType: "pending_intent", summary: "intent",
    summaryArg: 2, otherPackageIntentArg: 2, group: "pending-intent",
  };
}

export const appStartHooks: HookSpec[] = [
  start(CI, "startService", "service_start"),
  start(CI, "startForegroundService", "service_start"),
  start(CI, "startActivity", "activity_start", "activity-start"),
  start("android.app.Activity", "startActivity", "activity_start", "activity-start"),
  start(CI, "sendBroadcast", "broadcast"),
  start(CI, "sendOrderedBroadcast", "broadcast"),
  start(CI, "bindService", "service_bind"),
  { category: "app_start", className: CI, method: "registerReceiver", dataType: "receiver", summary: "intent-filter" },
  alarm("set"), alarm("setRepeating"), alarm("setInexactRepeating"), alarm("setWindow"),
  alarm("setExact"), alarm("setExactAndAllowWhileIdle"), alarm("setAndAllowWhileIdle"),
  alarm("setAlarmClock"),
  // JobScheduler is abstract; JobSchedulerImpl does the work.
  { category: "app_start", className: "android.app.JobSchedulerImpl", method: "schedule", dataType: "job", summary: "first-arg", group: "job" },
  { category: "app_start", className: "android.app.JobSchedulerImpl", method: "enqueue", dataType: "job", summary: "first-arg", group: "job" },
  // WorkManager.enqueue(WorkRequest) calls the abstract enqueue(List) of WorkManagerImpl.
  { category: "app_start", className: "androidx.work.impl.WorkManagerImpl", method: "enqueue", dataType: "work", summary: "first-arg", group: "work" },
  pendingIntent("getActivity"), pendingIntent("getService"), pendingIntent("getBroadcast"),
  pendingIntent("getForegroundService"),
  { category: "app_start", className: "android.content.ContentResolver", method: "requestSync", dataType: "sync_request", summary: "values", group: "sync" },
];
