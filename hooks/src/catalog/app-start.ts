import { HookSpec } from "./types.js";

// ContextWrapper forwards to ContextImpl, so hooking ContextImpl alone counts each start once.
const CI = "android.app.ContextImpl";

export const appStartHooks: HookSpec[] = [
  { category: "app_start", className: CI, method: "startService", dataType: "service_start", summary: "intent" },
  { category: "app_start", className: CI, method: "startForegroundService", dataType: "service_start", summary: "intent" },
  { category: "app_start", className: CI, method: "startActivity", dataType: "activity_start", summary: "intent" },
  { category: "app_start", className: CI, method: "sendBroadcast", dataType: "broadcast", summary: "intent" },
  { category: "app_start", className: CI, method: "bindService", dataType: "service_bind", summary: "intent" },
];
