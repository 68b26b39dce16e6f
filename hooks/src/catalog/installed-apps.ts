import { HookSpec } from "./types.js";

// PackageManager is abstract; calls dispatch to ApplicationPackageManager.
const APM = "android.app.ApplicationPackageManager";

export const installedAppHooks: HookSpec[] = [
  { category: "installed_apps", className: APM, method: "getInstalledPackages", dataType: "app_list", summary: "first-arg", group: "app-list" },
  { category: "installed_apps", className: APM, method: "getInstalledApplications", dataType: "app_list", summary: "first-arg", group: "app-list" },
  {
    category: "installed_apps",
    className: APM,
    method: "getPackageInfo",
    dataType: "package_probe",
    summary: "first-arg",
    otherPackageArg: 0,
  },
];
