// Probe: the bare replacement, plus a stop() that restores the original while loaded.
import Java from "frida-java-bridge";
import { whenJavaReady } from "./jvm.js";

let overloads: Java.Method[] = [];

rpc.exports = {
  init(): void {
    whenJavaReady(() => {
      overloads = Java.use("android.telephony.TelephonyManager").getLine1Number.overloads;
      for (const overload of overloads) {
        overload.implementation = function (this: unknown, ...args: unknown[]): unknown {
          return overload.call(this, ...args);
        };
      }
      send({ type: "agent:ready" });
    }, (reason: string) => send({ type: "agent:error", message: reason }));
  },
  stop(): void {
    Java.perform(() => {
      for (const overload of overloads) {
        overload.implementation = null;
      }
    });
  },
};
