/**
 * The hook catalog: every privacy-sensitive API the agent hooks, one file per API area.
 * To hook a new API, add a row to the area's table (or a new file listed here).
 */
import { appStartHooks } from "./app-start.js";
import { privacyShownHooks } from "./consent.js";
import { deviceHooks } from "./devices.js";
import { identifierHooks } from "./identifiers.js";
import { installedAppHooks } from "./installed-apps.js";
import { lifecycleHooks } from "./lifecycle.js";
import { locationHooks } from "./location.js";
import { permissionHooks } from "./permissions.js";
import { personalDataHooks } from "./personal-data.js";
import { HookSpec } from "./types.js";

export const CATALOG: HookSpec[] = [
  ...identifierHooks,
  ...locationHooks,
  ...personalDataHooks,
  ...installedAppHooks,
  ...deviceHooks,
  ...appStartHooks,
  ...permissionHooks,
  ...lifecycleHooks,
  ...privacyShownHooks,
];
