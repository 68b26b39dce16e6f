import { HookSpec } from "./types.js";

// PackageManager is abstract; calls dispatch to ApplicationPackageManager. Each (x,int)
// form calls a Flags form (API 33+) and an ...AsUser form: one group per kind of query.
const APM = "android.app.ApplicationPackageManager";
const AMGR = "android.app.ActivityManager";

export const installedAppHooks: HookSpec[] = [
  { category: "installed_apps", className: APM, method: "getInstalledPackages", dataType: "app_list", summary: "first-arg", group: "app-list" },
  { category: "installed_apps", className: APM, method: "getInstalledApplications", dataType: "app_list", summary: "first-arg", group: "app-list" },
  { category: "installed_apps", className: APM, method: "queryIntentActivities", dataType: "app_query", summary: "intent", group: "app-query" },
  // A probe of one named package; the app's own package is not a probe.
  { category: "installed_apps", className: APM, method: "getPackageInfo", dataType: "package_probe", summary: "first-arg", otherPackageArg: 0 },
  { category: "installed_apps", className: APM, method: "getApplicationInfo", dataType: "package_probe", summary: "first-arg", otherPackageArg: 0 },
  { category: "running_apps", className: AMGR, method: "getRunningAppProcesses", dataType: "running_processes", summary: "none" },
  { category: "running_apps", className: AMGR, method: "getRunningTasks", dataType: "running_tasks", summary: "first-arg" },
];
