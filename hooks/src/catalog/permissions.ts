import { HookSpec } from "./types.js";

export const permissionHooks: HookSpec[] = [
  {
    category: "permissions",
    className: "android.app.Activity",
    method: "requestPermissions",
    dataType: "permission_request",
    summary: "string-array",
  },
];
