// Two baselines for the same-JVM hook-cost study, on copies of the stand-in's getLine1Number
// that privmon does not hook: a bare replacement on bench.BareTarget and a per-call send()
// with the stack as text on bench.SendTarget. bench.SameJvmTiming.timingFinished() sends the
// call counts, so the host can check that both hooks ran.
import Java from "frida-java-bridge";
import { whenJavaReady } from "./jvm.js";

let bareCalls = 0;
let sendCalls = 0;

function hookBare(): void {
  for (const overload of Java.use("bench.BareTarget").getLine1Number.overloads) {
    overload.implementation = function (this: unknown, ...args: unknown[]): unknown {
      // One integer increment next to a call that costs tens of µs on HotSpot.
      bareCalls++;
      return overload.call(this, ...args);
    };
  }
}

function hookSend(): void {
  const Exception = Java.use("java.lang.Exception");
  for (const overload of Java.use("bench.SendTarget").getLine1Number.overloads) {
    overload.implementation = function (this: unknown, ...args: unknown[]): unknown {
      const result = overload.call(this, ...args);
      const frames = Exception.$new().getStackTrace();
      const lines: string[] = [];
      for (let i = 0; i < frames.length; i++) {
        lines.push(String(frames[i].toString()));
      }
      sendCalls++;
      send({
        type: "call", api: "SendTarget.getLine1Number", time: Date.now(),
        result: String(result), stack: lines.join("\n"),
      });
      return result;
    };
  }
}

function hookFinish(): void {
  const finished = Java.use("bench.SameJvmTiming").timingFinished.overload();
  finished.implementation = function (this: unknown): void {
    send({ type: "baselines:calls", bare: bareCalls, send: sendCalls });
    finished.call(this);
  };
}

rpc.exports = {
  init(): void {
    whenJavaReady(() => {
      try {
        hookBare();
        hookSend();
        hookFinish();
      } catch (e) {
        send({ type: "agent:error", message: `installing the baseline hooks failed: ${e}` });
        return;
      }
      send({ type: "agent:ready" });
    }, (reason: string) => send({ type: "agent:error", message: reason }));
  },
};
