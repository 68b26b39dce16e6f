import { ConsentSignal } from "../lib/protocol.js";
import { HookSpec } from "./types.js";

/**
 * Turns the configured consent signals (the app's own privacy-dialog callbacks, SDK consent
 * APIs) into hooks whose calls are consent events rather than collection.
 */
export function consentHooks(signals: ConsentSignal[]): HookSpec[] {
  return signals.map((signal) => {
    const spec: HookSpec = {
      category: "consent",
      className: signal.className,
      method: signal.method,
      dataType: signal.decision === "argument" ? "agree" : signal.decision,
      summary: "none",
      group: "consent-signal",
    };
    if (signal.decision === "argument") {
      spec.decisionArg = signal.argIndex ?? 0;
    }
    return spec;
  });
}
