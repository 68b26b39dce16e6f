import { EventBatcher } from "./batch.js";
import { Category, EventTuple, Outcome } from "./protocol.js";
import { StackCapturer } from "./stack.js";

/**
 * When a hook floods: past `callsPerSecond` calls of one hook within one wall-clock second,
 * its further calls in that second are counted per `bucketMs` bucket instead of sent one
 * by one, and only one call in `stackSample` per hook and thread has its stack captured.
 */
export interface FloodSettings {
  callsPerSecond: number;
  bucketMs: number;
  stackSample: number;
}

export const DEFAULT_FLOOD: FloodSettings = { callsPerSecond: 500, bucketMs: 100, stackSample: 64 };

interface HookRate {
  second: number;
  calls: number;
}

interface SampledStack {
  calls: number;
  stackId: number;
}

/**
 * Shared state of all hooks: the recording switch that every hook checks first, the
 * per-thread groups that suppress nested calls, thread names, flood counting and the
 * event batcher.
 */
export class Recorder {
  recording = true;
  private activeGroups = new Map<number, Set<string>>();
  private threadNames = new Map<number, string>();
  private rates = new Map<number, HookRate>();
  private sampledStacks = new Map<string, SampledStack>();
  private flood: FloodSettings = { ...DEFAULT_FLOOD };
  private agentErrors = 0;

  constructor(
    readonly batcher: EventBatcher,
    private stacks: StackCapturer,
    private currentThreadName: () => string,
    flood: Partial<FloodSettings> = {},
  ) {
    this.configureFlood(flood);
  }

  configureFlood(settings: Partial<FloodSettings>): void {
    const merged = { ...this.flood };
    for (const key of ["callsPerSecond", "bucketMs", "stackSample"] as const) {
      const value = settings[key];
      if (typeof value === "number" && value >= 1) {
        merged[key] = Math.floor(value);
      }
    }
    this.flood = merged;
    this.batcher.bucketMs = merged.bucketMs;
  }

  /** Marks `group` active on this thread; false when it already is (a nested call). */
  enter(tid: number, group: string): boolean {
    let groups = this.activeGroups.get(tid);
    if (groups === undefined) {
      groups = new Set();
      this.activeGroups.set(tid, groups);
    }
    if (groups.has(group)) {
      return false;
    }
    groups.add(group);
    return true;
  }

  leave(tid: number, group: string): void {
    this.activeGroups.get(tid)?.delete(group);
  }

  record(
    seq: number, time: number, tid: number, hookId: number, overloadIndex: number,
    category: Category, dataType: string, args: string, outcome: Outcome, detail: string,
  ): void {
    // A failure here must never change what the app gets back, so it is reported, not thrown.
    try {
      // Consent signals are never counted in buckets: each one sets the consent timeline.
      const counted = category !== "consent" && category !== "sdk_consent";
      if (counted && this.isFlooding(hookId, time)) {
        const stackId = this.sampledStack(hookId, tid);
        this.batcher.count(hookId, overloadIndex, category, dataType, stackId, time);
        return;
      }
      const event: EventTuple = [
        seq, time, tid, this.threadName(tid), hookId, overloadIndex, category, dataType,
        args, outcome, detail, this.stacks.capture(),
      ];
      this.batcher.add(event);
    } catch (e) {
      this.reportError(e);
    }
  }

  reportError(error: unknown): void {
    this.agentErrors++;
    // The first errors are sent in full; later ones only as a count, to bound traffic.
    if (this.agentErrors <= 20) {
      send({ type: "agent:error", fatal: false, message: String(error), count: this.agentErrors });
    }
  }

  /** Counts this call against its hook's current second; true past the limit. */
  private isFlooding(hookId: number, time: number): boolean {
    const second = Math.floor(time / 1000);
    let rate = this.rates.get(hookId);
    if (rate === undefined) {
      rate = { second, calls: 0 };
      this.rates.set(hookId, rate);
    }
    if (rate.second !== second) {
      rate.second = second;
      rate.calls = 0;
    }
    rate.calls++;
    return rate.calls > this.flood.callsPerSecond;
  }

  // NOTE: calls between two samples are counted under the last sampled stack of the same
  // hook and thread, so their origin is an estimate when one thread calls from many places.
  private sampledStack(hookId: number, tid: number): number {
    const key = `${hookId}/${tid}`;
    let sample = this.sampledStacks.get(key);
    if (sample === undefined) {
      sample = { calls: 0, stackId: 0 };
      this.sampledStacks.set(key, sample);
    }
    if (sample.calls % this.flood.stackSample === 0) {
      sample.stackId = this.stacks.capture();
    }
    sample.calls++;
    return sample.stackId;
  }

  private threadName(tid: number): string {
    let name = this.threadNames.get(tid);
    if (name === undefined) {
      name = this.currentThreadName();
      this.threadNames.set(tid, name);
    }
    return name;
  }
}
