/**
 * Message shapes sent to the collector. The Python side validates the same shapes in
 * monitor/events.py; bump PROTOCOL_VERSION when a field changes meaning or position.
 */

export const PROTOCOL_VERSION = 1;

export type Category =
  | "identifiers"
  | "location"
  | "contacts"
  | "call_log"
  | "sms"
  | "calendar"
  | "installed_apps"
  | "app_start"
  | "permissions"
  | "consent"
  | "lifecycle"
  | "accounts"
  | "media"
  | "running_apps"
  | "clipboard"
  | "camera"
  | "microphone"
  | "sensors"
  | "sdk_consent";

export type Outcome = "returned" | "exception" | "placeholder";

/**
 * One recorded call, sent as a positional tuple to keep batches small:
 * [seq, timeMs, threadId, threadName, hookId, overloadIndex, category, dataType,
 *  argsSummary, outcome, detail, stackId].
 * `detail` is the return value summary, the exception class, or the consent decision.
 */
export type EventTuple = [
  number, number, number, string, number, number, Category, string,
  string, Outcome, string, number,
];

export interface HookStatusItem {
  hookId: number;
  category: Category;
  className: string;
  method: string;
  state: "installed" | "pending" | "missing" | "failed";
  overloads: string[];
  reason?: string;
}

export interface AgentConfig {
  appId: string;
  consentSignals: ConsentSignal[];
  batchSize: number;
  flushIntervalMs: number;
  stackDepth: number;
  /** Calls per second of one hook above which calls are counted in buckets. */
  floodCallsPerSecond?: number;
  floodBucketMs?: number;
  /** While counting, one call in this many has its stack captured. */
  floodStackSample?: number;
  /** Test-only extra catalog rows (same shape as HookSpec), e.g. a deliberately broken hook. */
  extraHooks?: unknown[];
}

/**
 * A method whose call means the user decided on the privacy policy. With `argIndex`,
 * the decision is taken from that boolean argument (true = agree).
 */
export interface ConsentSignal {
  className: string;
  method: string;
  decision: "agree" | "refuse" | "argument";
  argIndex?: number;
}
