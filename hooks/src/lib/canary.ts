import Java from "frida-java-bridge";
import { canaryState } from "./install.js";
import { Category, HookStatusItem } from "./protocol.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type JavaValue = any;

/**
 * One call per category that the agent makes itself, to prove that the category's hook
 * fires in this process. Each call is chosen to have no effect: a read, or arguments the
 * framework rejects before doing anything (a null intent, a null camera id or listener).
 */
interface Canary {
  category: Category;
  className: string;
  method: string;
  call(context: JavaValue): void;
}

export interface CanaryResult {
  category: Category;
  className: string;
  method: string;
  hookId: number | null;
  /** fired: the hook ran; silent: it did not (coverage broken); not_run: no installed hook. */
  result: "fired" | "silent" | "not_run";
  detail: string;
}

function service(context: JavaValue, name: string): JavaValue {
  return context.getSystemService(name);
}

// Primitive parameter types: their box class; Box.TYPE is the primitive's Class object.
const PRIMITIVES: Record<string, string> = { int: "java.lang.Integer", boolean: "java.lang.Boolean" };

function box(type: string, value: JavaValue): JavaValue {
  const wrapper = Java.use(PRIMITIVES[type]) as JavaValue;
  return wrapper.valueOf.overload(type).call(wrapper, value);
}

/**
 * Calls a method through java.lang.reflect, so the call enters the method the way an app's
 * call does (frida-java-bridge calls made from JavaScript may go to the original directly).
 */
function invoke(
  target: JavaValue, className: string, method: string, types: string[], args: JavaValue[],
): JavaValue {
  const paramTypes = types.map((t) => (t in PRIMITIVES ? (Java.use(PRIMITIVES[t]) as JavaValue).TYPE.value : Java.use(t).class));
  const reflected = Java.use(className).class.getMethod(method, Java.array("java.lang.Class", paramTypes));
  const boxed = args.map((a, i) => (types[i] in PRIMITIVES && a !== null ? box(types[i], a) : a));
  // An exception of the callee arrives wrapped in InvocationTargetException.
  return reflected.invoke(target, Java.array("java.lang.Object", boxed));
}

/** Creates a String[] as a Java object, because a JavaScript array cannot go in an Object[]. */
function stringArray(values: string[]): JavaValue {
  const arrays = Java.use("java.lang.reflect.Array") as JavaValue;
  const array = arrays.newInstance.overload("java.lang.Class", "int")
    .call(arrays, Java.use("java.lang.String").class, values.length);
  values.forEach((value, i) => arrays.set(array, i, Java.use("java.lang.String").$new(value)));
  return array;
}

const S = "java.lang.String";
const CR = "android.content.ContentResolver";

const CANARIES: Canary[] = [
  {
    category: "identifiers", className: "android.provider.Settings$Secure", method: "getString",
    call: (c) => invoke(null, "android.provider.Settings$Secure", "getString", [CR, S],
      [c.getContentResolver(), "android_id"]),
  },
  {
    category: "location", className: "android.location.LocationManager", method: "getLastKnownLocation",
    call: (c) => invoke(service(c, "location"), "android.location.LocationManager",
      "getLastKnownLocation", [S], ["passive"]),
  },
  {
    category: "contacts", className: "android.content.ContentResolver", method: "query",
    call: (c) => {
      const uri = Java.use("android.net.Uri").parse("content://com.android.contacts/contacts");
      const cursor = invoke(c.getContentResolver(), CR, "query",
        ["android.net.Uri", "[Ljava.lang.String;", S, "[Ljava.lang.String;", S],
        [uri, null, null, null, null]);
      if (cursor !== null) {
        Java.cast(cursor, Java.use("android.database.Cursor")).close();
      }
    },
  },
  {
    // The app's own package: the hook runs but records no probe for it.
    category: "installed_apps", className: "android.app.ApplicationPackageManager", method: "getPackageInfo",
    call: (c) => invoke(c.getPackageManager(), "android.content.pm.PackageManager", "getPackageInfo",
      [S, "int"], [c.getPackageName(), 0]),
  },
  {
    category: "running_apps", className: "android.app.ActivityManager", method: "getRunningAppProcesses",
    call: (c) => invoke(service(c, "activity"), "android.app.ActivityManager", "getRunningAppProcesses", [], []),
  },
  {
    category: "accounts", className: "android.accounts.AccountManager", method: "getAccounts",
    call: (c) => invoke(service(c, "account"), "android.accounts.AccountManager", "getAccounts", [], []),
  },
  {
    // A null intent fails validation before any binder call.
    category: "app_start", className: "android.app.ContextImpl", method: "startService",
    call: (c) => invoke(c, "android.content.Context", "startService", ["android.content.Intent"], [null]),
  },
  {
    category: "permissions", className: "android.content.pm.PackageManager", method: "buildRequestPermissionsIntent",
    call: (c) => invoke(c.getPackageManager(), "android.content.pm.PackageManager", "buildRequestPermissionsIntent",
      ["[Ljava.lang.String;"], [stringArray(["android.permission.CAMERA"])]),
  },
  {
    category: "clipboard", className: "android.content.ClipboardManager", method: "hasPrimaryClip",
    call: (c) => invoke(service(c, "clipboard"), "android.content.ClipboardManager", "hasPrimaryClip", [], []),
  },
  {
    // A null camera id is rejected before the camera service is asked.
    category: "camera", className: "android.hardware.camera2.CameraManager", method: "openCamera",
    call: (c) => invoke(service(c, "camera"), "android.hardware.camera2.CameraManager", "openCamera",
      [S, "android.hardware.camera2.CameraDevice$StateCallback", "android.os.Handler"], [null, null, null]),
  },
  {
    // A recorder that was never given an audio source or prepared rejects start() with
    // IllegalStateException, before any microphone is opened.
    category: "microphone", className: "android.media.MediaRecorder", method: "start",
    call: () => {
      const recorder = (Java.use("android.media.MediaRecorder") as JavaValue).$new();
      try {
        invoke(recorder, "android.media.MediaRecorder", "start", [], []);
      } finally {
        recorder.release();
      }
    },
  },
  {
    // A null listener and sensor make registerListener return false without registering.
    category: "sensors", className: "android.hardware.SensorManager", method: "registerListener",
    call: (c) => invoke(service(c, "sensor"), "android.hardware.SensorManager", "registerListener",
      ["android.hardware.SensorEventListener", "android.hardware.Sensor", "int"], [null, null, 3]),
  },
];

/**
 * Runs every canary on this thread with `context` (an app Context) and returns the
 * results. Hooks called meanwhile on this thread record nothing (see canaryState).
 */
export function runCanaries(context: JavaValue, items: HookStatusItem[]): CanaryResult[] {
  const results: CanaryResult[] = [];
  for (const canary of CANARIES) {
    const hook = items.find((h) =>
      h.className === canary.className && h.method === canary.method && h.state === "installed");
    const base = { category: canary.category, className: canary.className, method: canary.method };
    if (hook === undefined) {
      results.push({ ...base, hookId: null, result: "not_run", detail: "no installed hook" });
      continue;
    }
    results.push({ ...base, ...runOne(canary, context, hook.hookId) });
  }
  return results;
}

function runOne(
  canary: Canary, context: JavaValue, hookId: number,
): { hookId: number; result: "fired" | "silent"; detail: string } {
  canaryState.fired.clear();
  canaryState.tid = Process.getCurrentThreadId();
  let detail = "returned";
  try {
    canary.call(context);
  } catch (e) {
    // Expected for the rejected-argument calls; the hook ran before the exception.
    const text = e instanceof Error ? e.message : String(e);
    detail = `threw ${text.split(":")[0]}`;
  } finally {
    canaryState.tid = -1;
  }
  return { hookId, result: canaryState.fired.has(hookId) ? "fired" : "silent", detail };
}
