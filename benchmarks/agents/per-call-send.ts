// The shape of common Frida monitors: one send() per call with the stack as a string.
import Java from "frida-java-bridge";
import { whenJavaReady } from "./jvm.js";

rpc.exports = {
  init(): void {
    whenJavaReady(() => {
      const Exception = Java.use("java.lang.Exception");
      const method = Java.use("android.telephony.TelephonyManager").getLine1Number;
      for (const overload of method.overloads) {
        overload.implementation = function (this: unknown, ...args: unknown[]): unknown {
          const result = overload.call(this, ...args);
          const frames = Exception.$new().getStackTrace();
          const lines: string[] = [];
          for (let i = 0; i < frames.length; i++) {
            lines.push(String(frames[i].toString()));
          }
          send({
            type: "call", api: "TelephonyManager.getLine1Number", time: Date.now(),
            result: String(result), stack: lines.join("\n"),
          });
          return result;
        };
      }
      send({ type: "agent:ready" });
    }, (reason: string) => send({ type: "agent:error", message: reason }));
  },
};
