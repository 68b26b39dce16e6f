import Java from "frida-java-bridge";
import { FUSED_FACTORY, FUSED_METHODS } from "../catalog/location.js";
import { ID_PROPERTIES } from "../catalog/identifiers.js";
import { HookSpec } from "../catalog/types.js";
import { installHook, isClassAbsent } from "./install.js";
import { HookStatusItem } from "./protocol.js";
import { Recorder } from "./recorder.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type JavaValue = any;

interface Waiting {
  spec: HookSpec;
  hookId: number;
}

// jvmtiInterface_1 slots (jvmti.h, JDK 17), one-based, and event constants.
const JVMTI_SET_EVENT_NOTIFICATION_MODE = 2;
const JVMTI_DEALLOCATE = 47;
const JVMTI_GET_CLASS_SIGNATURE = 48;
const JVMTI_GET_CLASS_LOADER = 57;
const JVMTI_SET_EVENT_CALLBACKS = 122;
const JVMTI_ENABLE = 1;
const JVMTI_DISABLE = 0;
const JVMTI_EVENT_CLASS_PREPARE = 56;
const JVMTI_CLASS_PREPARE_SLOT = JVMTI_EVENT_CLASS_PREPARE - 50; // first event is 50
const JVMTI_EVENT_COUNT = 35; // events 50 to 84

const NATIVE_PROPERTY_GET = "__system_property_get";
const PROPERTY_VALUE_MAX = 92; // PROP_VALUE_MAX in sys/system_properties.h

/**
 * The life of every hook in one process: installed at start, or pending until its class
 * appears on a class loader, or failed. Each change re-sends the whole `hooks:status` list,
 * and hooks still pending when recording stops are reported as missing (class never loaded).
 */
export class HookRegistry {
  readonly items: HookStatusItem[] = [];
  private waiting = new Map<string, Waiting[]>();
  private busy = false;
  // Native callbacks and memory that must live as long as the process.
  private keepAlive: (NativeCallback<"void", ["pointer", "pointer", "pointer", "pointer"]> | NativePointer)[] = [];
  private stopClassPrepare: (() => void) | null = null;

  constructor(readonly recorder: Recorder, private appId: string) {}

  /** Installs the rows; a row whose class is absent waits for a late class loader. */
  installAll(specs: HookSpec[]): void {
    for (const spec of specs) {
      const hookId = this.items.length;
      const item = installHook(spec, hookId, this.recorder, this.appId);
      if (item.state === "missing" && isClassAbsent(item.reason ?? "")) {
        item.state = "pending";
        item.reason = "class not loaded yet; installed when a class loader loads it";
        const list = this.waiting.get(spec.className) ?? [];
        list.push({ spec, hookId });
        this.waiting.set(spec.className, list);
      }
      this.items.push(item);
    }
  }

  /** Watches class loading, so that a pending row is installed when its class appears. */
  watchClassLoaders(flavor: string): void {
    if (flavor === "art") {
      // ART calls loadClass(String) for Class.forName and explicit loads; classes that one
      // dex file resolves internally are found when their loader is constructed.
      this.watchLoaderMethod("loadClass", (self, args) => [self, args[0]]);
      this.watchDexLoaders();
    } else {
      // On HotSpot a loadClass hook misses loader classes loaded before it (their vtables
      // keep the original), so the VM's own ClassPrepare event reports each new class.
      this.watchClassPrepare();
    }
  }

  private watchClassPrepare(): void {
    const item = this.addItem("lifecycle", "jvmti", "ClassPrepare");
    const api = (Java as unknown as { api: { jvmti?: { handle: NativePointer } } }).api;
    if (api.jvmti === undefined) {
      item.state = "failed";
      item.reason = "no JVMTI environment in this VM";
      return;
    }
    const env = api.jvmti.handle;
    const table = env.readPointer();
    const fn = (n: number): NativePointer => table.add((n - 1) * Process.pointerSize).readPointer();
    const p = "pointer";
    const setMode = new NativeFunction(fn(JVMTI_SET_EVENT_NOTIFICATION_MODE), "int", [p, "int", "int", p, "..."]);
    const setCallbacks = new NativeFunction(fn(JVMTI_SET_EVENT_CALLBACKS), "int", [p, p, "int"]);
    const signatureOf = new NativeFunction(fn(JVMTI_GET_CLASS_SIGNATURE), "int", [p, p, p, p]);
    const loaderOf = new NativeFunction(fn(JVMTI_GET_CLASS_LOADER), "int", [p, p, p]);
    const deallocate = new NativeFunction(fn(JVMTI_DEALLOCATE), "int", [p, p]);
    const registry = this;
    const onPrepare = new NativeCallback((_env, _jni, _thread, klass) => {
      if (registry.waiting.size === 0) {
        return;
      }
      // Per call: other threads may run this callback while a JVMTI call releases the JS lock.
      const out = Memory.alloc(Process.pointerSize);
      try {
        if (signatureOf(env, klass, out, NULL) !== 0) {
          return;
        }
        const chars = out.readPointer();
        const signature = chars.readUtf8String() ?? "";
        deallocate(env, chars);
        const name = signature.slice(1, -1).replace(/\//g, ".");
        if (!registry.waiting.has(name) || loaderOf(env, klass, out) !== 0 || out.readPointer().isNull()) {
          return;
        }
        const loaderRef = out.readPointer();
        Java.performNow(() => {
          registry.classAppeared(Java.cast(loaderRef, Java.use("java.lang.ClassLoader")), name);
        });
      } catch (e) {
        // An exception must not leave the VM's callback; report it and keep the class loading.
        registry.recorder.reportError(`class prepare watch: ${e}`);
      }
    }, "void", [p, p, p, p]);
    const callbacks = Memory.alloc(JVMTI_EVENT_COUNT * Process.pointerSize);
    callbacks.add(JVMTI_CLASS_PREPARE_SLOT * Process.pointerSize).writePointer(onPrepare);
    const rc = setCallbacks(env, callbacks, JVMTI_EVENT_COUNT * Process.pointerSize);
    const mode = rc === 0 ? setMode(env, JVMTI_ENABLE, JVMTI_EVENT_CLASS_PREPARE, NULL) : rc;
    if (mode !== 0) {
      item.state = "failed";
      item.reason = `JVMTI error ${mode} while enabling ClassPrepare events`;
      return;
    }
    this.keepAlive.push(onPrepare, callbacks);
    this.stopClassPrepare = () => {
      setMode(env, JVMTI_DISABLE, JVMTI_EVENT_CLASS_PREPARE, NULL);
      setCallbacks(env, NULL, 0);
    };
    item.overloads.push("ClassPrepare(jvmtiEnv*,JNIEnv*,jthread,jclass)");
  }

  /** Hooks a ClassLoader method; `loaderAndName` picks the loader and class name of a call. */
  private watchLoaderMethod(
    method: string, loaderAndName: (self: JavaValue, args: JavaValue[]) => [JavaValue, string],
  ): void {
    const item = this.addItem("lifecycle", "java.lang.ClassLoader", method);
    const registry = this;
    try {
      const overloads = Java.use("java.lang.ClassLoader")[method].overloads as Java.Method[];
      for (const overload of overloads.filter((o) => o.argumentTypes.some((t) => t.className === "java.lang.String"))) {
        overload.implementation = function (this: JavaValue, ...args: JavaValue[]): JavaValue {
          const klass = overload.call(this, ...args);
          const [loader, name] = loaderAndName(this, args);
          if (name !== null && registry.waiting.has(String(name))) {
            registry.classAppeared(loader, String(name));
          }
          return klass;
        };
        item.overloads.push(`${method}(${overload.argumentTypes.map((t) => t.className ?? t.name).join(",")})`);
      }
    } catch (e) {
      item.state = isClassAbsent(String(e)) ? "missing" : "failed";
      item.reason = String(e);
    }
  }

  /**
   * Hooks the GMS fused client's concrete class once the factory has returned one.
   * NOTE: not yet run against play-services-location; the demo has no GMS stand-in.
   */
  watchFusedClient(): void {
    const item = this.addItem("location", FUSED_FACTORY.className, FUSED_FACTORY.method);
    let factory: JavaValue;
    try {
      factory = Java.use(FUSED_FACTORY.className)[FUSED_FACTORY.method];
    } catch (e) {
      item.state = isClassAbsent(String(e)) ? "missing" : "failed";
      item.reason = String(e);
      return;
    }
    const registry = this;
    let done = false;
    for (const overload of factory.overloads as Java.Method[]) {
      overload.implementation = function (this: JavaValue, ...args: JavaValue[]): JavaValue {
        const client = overload.call(this, ...args);
        if (!done && client !== null) {
          done = true;
          registry.hookFusedClass(client);
        }
        return client;
      };
      item.overloads.push(`${FUSED_FACTORY.method}(${overload.argumentTypes.map((t) => t.className ?? t.name).join(",")})`);
    }
  }

  /**
   * Hooks the native property getter, which native code uses to read the serial without
   * Java. It exists only in Android's libc, so on other runtimes the row is "missing".
   * NOTE: not yet run on a device; only the JVM branch is tested.
   */
  watchNativeProperties(flavor: string): void {
    const item = this.addItem("identifiers", "libc", NATIVE_PROPERTY_GET);
    const address = flavor === "art" ? Module.findGlobalExportByName(NATIVE_PROPERTY_GET) : null;
    if (address === null) {
      item.state = "missing";
      item.reason = flavor === "art"
        ? `${NATIVE_PROPERTY_GET} not exported by any loaded module`
        : `not present: ${NATIVE_PROPERTY_GET} exists only in Android's libc`;
      return;
    }
    const recorder = this.recorder;
    const hookId = item.hookId;
    Interceptor.attach(address, {
      onEnter(args) {
        const key = args[0].readUtf8String() ?? "";
        this.key = ID_PROPERTIES.includes(key) ? key : null;
        this.value = args[1];
        this.time = Date.now();
      },
      onLeave() {
        if (this.key === null || !recorder.recording) {
          return;
        }
        const value = (this.value as NativePointer).readUtf8String(PROPERTY_VALUE_MAX) ?? "";
        const tid = Process.getCurrentThreadId();
        recorder.record(recorder.batcher.takeSeq(), this.time as number, tid, hookId, 0,
          "identifiers", "serial", String(this.key), value === "" ? "placeholder" : "returned", value);
      },
    });
    item.overloads.push(`${NATIVE_PROPERTY_GET}(const char*,char*)`);
  }

  /**
   * Stops the VM's ClassPrepare events. Call it before the script unloads: the VM would
   * otherwise call the freed callback at the next class it prepares and crash.
   */
  unwatch(): void {
    this.stopClassPrepare?.();
    this.stopClassPrepare = null;
  }

  /** Pending rows become missing: their class never appeared while recording. */
  finish(): void {
    let changed = false;
    for (const item of this.items) {
      if (item.state === "pending") {
        item.state = "missing";
        item.reason = "class never loaded while the run lasted";
        changed = true;
      }
    }
    this.waiting.clear();
    if (changed) {
      this.send();
    }
  }

  send(): void {
    send({ type: "hooks:status", items: this.items });
  }

  private addItem(category: HookStatusItem["category"], className: string, method: string): HookStatusItem {
    const item: HookStatusItem = {
      hookId: this.items.length, category, className, method, state: "installed", overloads: [],
    };
    this.items.push(item);
    return item;
  }

  // NOTE: Android only and not yet run on a device.
  private watchDexLoaders(): void {
    const item = this.addItem("lifecycle", "dalvik.system.BaseDexClassLoader", "$init");
    const registry = this;
    try {
      const ctor = Java.use("dalvik.system.BaseDexClassLoader").$init;
      for (const overload of ctor.overloads as Java.Method[]) {
        overload.implementation = function (this: JavaValue, ...args: JavaValue[]): void {
          overload.call(this, ...args);
          for (const name of [...registry.waiting.keys()]) {
            registry.classAppeared(this, name);
          }
        };
        item.overloads.push(`$init(${overload.argumentTypes.map((t) => t.className ?? t.name).join(",")})`);
      }
    } catch (e) {
      item.state = "failed";
      item.reason = String(e);
    }
  }

  /** Installs the rows waiting for `name` through `loader`; re-sends the status list. */
  private classAppeared(loader: JavaValue, name: string): void {
    const list = this.waiting.get(name);
    if (this.busy || list === undefined) {
      return;
    }
    this.busy = true; // installing loads classes, which re-enters loadClass
    try {
      const classes = Java.ClassFactory.get(loader);
      try {
        classes.use(name);
      } catch (e) {
        return; // not visible through this loader; stays pending
      }
      this.waiting.delete(name);
      for (const { spec, hookId } of list) {
        const item = installHook(spec, hookId, this.recorder, this.appId, classes);
        item.reason = `installed late, on ${describeLoader(loader)}`;
        this.items[hookId] = item.state === "installed" ? item : { ...item, reason: `late install failed: ${item.reason}` };
      }
      this.send();
    } finally {
      this.busy = false;
    }
  }

  private hookFusedClass(client: JavaValue): void {
    const className = String(client.$className);
    const classes = Java.ClassFactory.get(client.getClass().getClassLoader());
    for (const method of FUSED_METHODS) {
      const spec: HookSpec = {
        category: "location", className, method, dataType: "fused_location",
        summary: "none", group: "fused-location",
      };
      this.items.push(installHook(spec, this.items.length, this.recorder, this.appId, classes));
    }
    this.send();
  }
}

function describeLoader(loader: JavaValue): string {
  try {
    return String(loader.$className);
  } catch (e) {
    return "a class loader";
  }
}
