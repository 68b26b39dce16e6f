import { EventBatcher } from "./batch.js";
import { Category, EventTuple, Outcome } from "./protocol.js";
import { StackCapturer } from "./stack.js";

/**
 * Shared state of all hooks: the recording switch that every hook checks first, the
 * per-thread groups that suppress nested calls, thread names and the event batcher.
 */
export class Recorder {
  recording = true;
  private activeGroups = new Map<number, Set<string>>();
  private threadNames = new Map<number, string>();
  private agentErrors = 0;

  constructor(
    readonly batcher: EventBatcher,
    private stacks: StackCapturer,
    private currentThreadName: () => string,
  ) {}

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
    // A failure here must never change what the app sees, so it is reported, not thrown.
    try {
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

  private threadName(tid: number): string {
    let name = this.threadNames.get(tid);
    if (name === undefined) {
      name = this.currentThreadName();
      this.threadNames.set(tid, name);
    }
    return name;
  }
}
