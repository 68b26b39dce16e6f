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
      Java.perform(ready);
    },
  });
}
