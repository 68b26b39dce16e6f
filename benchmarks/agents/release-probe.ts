// Probe: the bare replacement, plus a stop() that restores the original while loaded.
import Java from "frida-java-bridge";
import { whenJavaReady } from "./jvm.js";

let overloads: Java.Method[] = [];
let calls = 0;

rpc.exports = {
  init(): void {
    whenJavaReady(() => {
      overloads = Java.use("android.telephony.TelephonyManager").getLine1Number.overloads;
      for (const overload of overloads) {
        overload.implementation = function (this: unknown, ...args: unknown[]): unknown {
          calls++;
          return overload.call(this, ...args);
        };
      }
      send({ type: "agent:ready" });
    }, (reason: string) => send({ type: "agent:error", message: reason }));
  },
  /** Number of hooked calls so far, so the study can check that the app is in the hook. */
  calls(): number {
    return calls;
  },
  stop(): void {
    Java.perform(() => {
      for (const overload of overloads) {
        overload.implementation = null;
      }
    });
  },
};
