// Baseline: replace every overload of the studied method with one that only calls the original.
import Java from "frida-java-bridge";
import { whenJavaReady } from "./jvm.js";

rpc.exports = {
  init(): void {
    whenJavaReady(() => {
      const method = Java.use("android.telephony.TelephonyManager").getLine1Number;
      for (const overload of method.overloads) {
        overload.implementation = function (this: unknown, ...args: unknown[]): unknown {
          return overload.call(this, ...args);
        };
      }
      send({ type: "agent:ready" });
    }, (reason: string) => send({ type: "agent:error", message: reason }));
  },
};
