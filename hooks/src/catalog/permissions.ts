import { HookSpec } from "./types.js";

// Activity.requestPermissions and androidx ActivityCompat (which calls it) build the
// request intent with the hidden PackageManager.buildRequestPermissionsIntent, which the
// activity-result path also reaches: one group counts each request once.
const GROUP = "permission-request";

export const permissionHooks: HookSpec[] = [
  { category: "permissions", className: "android.app.Activity", method: "requestPermissions", dataType: "permission_request", summary: "string-array", group: GROUP },
  {
    category: "permissions", className: "androidx.core.app.ActivityCompat", method: "requestPermissions",
    dataType: "permission_request", summary: "string-array", summaryArg: 1, group: GROUP,
  },
  {
    category: "permissions", className: "android.content.pm.PackageManager", method: "buildRequestPermissionsIntent",
    dataType: "permission_request", summary: "string-array", group: GROUP,
  },
];
