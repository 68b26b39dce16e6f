import { HookSpec } from "./types.js";

const INSTR = "android.app.Instrumentation";

/**
 * Moments of app start-up, recorded as lifecycle events at method entry. App content
 * providers are created before Application.onCreate, so their code runs before app start.
 */
export const lifecycleHooks: HookSpec[] = [
  {
    category: "lifecycle", className: "android.content.ContentProvider", method: "attachInfo",
    dataType: "provider_create", summary: "provider", group: "provider-create",
  },
  {
    category: "lifecycle", className: INSTR, method: "callApplicationOnCreate",
    dataType: "application_create", summary: "class-of", once: true,
  },
  // Whichever comes first: a resumed activity is always created first.
  {
    category: "lifecycle", className: INSTR, method: "callActivityOnCreate",
    dataType: "first_activity", summary: "class-of", once: true, group: "first-activity",
  },
  // Foreground and background: an app is in the background once every activity it
  // resumed has stopped (Android calls these from ActivityThread for each activity).
  {
    category: "lifecycle", className: INSTR, method: "callActivityOnResume",
    dataType: "activity_resume", summary: "class-of", group: "activity-resume",
  },
  {
    category: "lifecycle", className: INSTR, method: "callActivityOnStop",
    dataType: "activity_stop", summary: "class-of", group: "activity-stop",
  },
];

/** Hooks whose first call means the app has a context: the canaries run there. */
export const CONTEXT_MOMENTS = new Set(["provider_create", "application_create"]);
