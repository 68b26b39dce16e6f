import { EventTuple } from "./protocol.js";

/**
 * Collects events from app threads and sends them in batches, by size or on a timer, so
 * that an app thread never waits for the host: send() only queues the message.
 */
export class EventBatcher {
  private pending: EventTuple[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private nextSeq = 1;

  constructor(private maxEvents: number, private intervalMs: number) {}

  configure(maxEvents: number, intervalMs: number): void {
    this.maxEvents = maxEvents;
    this.intervalMs = intervalMs;
  }

  takeSeq(): number {
    return this.nextSeq++;
  }

  /** Sequence number of the last event handed out, 0 before the first. */
  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  add(event: EventTuple): void {
    this.pending.push(event);
    if (this.pending.length >= this.maxEvents) {
      this.flush();
    } else if (this.timer === null) {
      this.timer = setTimeout(() => this.flush(), this.intervalMs);
    }
  }

  flush(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.pending.length === 0) {
      return;
    }
    const events = this.pending;
    this.pending = [];
    send({ type: "events:add", events });
  }
}
