import Java from "frida-java-bridge";

/**
 * Calls `ready` once the process has a Java VM that hooks can use. In an Android app the
 * runtime is already loaded. In a HotSpot process spawned by Frida, libjvm.so is loaded
 * later by the launcher, and Java becomes usable when JNI_CreateJavaVM returns, which is
 * still before main() runs.
 */
export function whenJavaReady(ready: () => void, fail: (reason: string) => void): void {
  let available: boolean;
  try {
    available = Java.available;
  } catch (e) {
    fail(`the Java bridge could not attach to this runtime: ${e}`);
    return;
  }
  if (available) {
    attachBridgeThreadsAsDaemons();
    Java.perform(ready);
    return;
  }
  const loaded = Process.findModuleByName("libjvm.so");
  if (loaded !== null) {
    hookVmCreation(loaded, ready, fail);
    return;
  }
  const observer = Process.attachModuleObserver({
    onAdded(module) {
      if (module.name === "libjvm.so") {
        observer.detach();
        hookVmCreation(module, ready, fail);
      }
    },
  });
}

function hookVmCreation(module: Module, ready: () => void, fail: (reason: string) => void): void {
  const create = module.findExportByName("JNI_CreateJavaVM");
  if (create === null) {
    fail("libjvm.so has no JNI_CreateJavaVM export");
    return;
  }
  const listener = Interceptor.attach(create, {
    onLeave(retval) {
      listener.detach();
      if (retval.toInt32() !== 0) {
        fail(`JNI_CreateJavaVM failed with ${retval.toInt32()}`);
        return;
      }
      let available = false;
      try {
        available = Java.available;
      } catch (e) {
        fail(`the Java bridge could not attach to this runtime: ${e}`);
        return;
      }
      if (!available) {
        fail("Java.available is false after JNI_CreateJavaVM returned");
        return;
      }
      attachBridgeThreadsAsDaemons();
      Java.perform(ready);
    },
  });
}

// JNIInvokeInterface: AttachCurrentThreadAsDaemon is its 8th entry.
const ATTACH_AS_DAEMON_SLOT = 7;

interface BridgeVm {
  handle: NativePointer;
  attachCurrentThread(): unknown;
  getEnv(): object;
}

/**
 * Makes the Java bridge attach threads to a HotSpot VM as daemon threads. The bridge
 * attaches the script's own thread on first use as an ordinary thread and keeps it
 * attached, and HotSpot's launcher then waits for that thread forever once main() returns,
 * so the program would never exit. The first use can come at any time, for example to
 * release a Java exception's reference after a garbage collection. Android runtimes do not
 * wait for threads at exit, so they are left alone.
 *
 * NOTE: this replaces a method of the bridge's VM object; a bridge version that renames
 * attachCurrentThread brings the hang back (tests/test_cli_runs.py checks it).
 */
function attachBridgeThreadsAsDaemons(): void {
  const bridge = Java as unknown as { api: { flavor: string }; vm: BridgeVm };
  if (bridge.api.flavor !== "jvm") {
    return;
  }
  const vm = bridge.vm;
  const table = vm.handle.readPointer();
  const attach = new NativeFunction(
    table.add(ATTACH_AS_DAEMON_SLOT * Process.pointerSize).readPointer(),
    "int32",
    ["pointer", "pointer", "pointer"],
  );
  // This runs on a thread that is attached already. Its Env's prototype makes new ones, as
  // the bridge's Env constructor only sets `handle` and `vm` (Env.prototype.constructor is
  // one of its JNI helpers, not the class).
  const envPrototype = Object.getPrototypeOf(vm.getEnv()) as object;
  vm.attachCurrentThread = function (): unknown {
    const env = Memory.alloc(Process.pointerSize);
    const rc = attach(vm.handle, env, NULL) as number;
    if (rc !== 0) {
      throw new Error(`VM::AttachCurrentThreadAsDaemon failed: ${rc}`);
    }
    return Object.assign(Object.create(envPrototype) as object, { handle: env.readPointer(), vm });
  };
}
