import { Category, EventTuple } from "./protocol.js";

/**
 * One time bucket of a flooding hook, sent as a positional tuple:
 * [hookId, overloadIndex, category, dataType, stackId, bucketStartMs, count, firstMs, lastMs].
 * A hook, stack and bucket start can repeat across messages when a flush splits a bucket,
 * so readers sum `count` over them.
 */
export type BucketTuple = [
  number, number, Category, string, number, number, number, number, number,
];

/**
 * Collects events from app threads and sends them in batches, by size or on a timer, so
 * that an app thread never waits for the host: send() only queues the message. Calls of
 * flooding hooks are only counted per time bucket and sent with the same flushes.
 */
export class EventBatcher {
  private pending: EventTuple[] = [];
  private buckets = new Map<string, BucketTuple>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private nextSeq = 1;
  bucketMs = 100;

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
    } else {
      this.schedule();
    }
  }

  /** Counts one call in the bucket of its hook, stack and time instead of sending it. */
  count(
    hookId: number, overloadIndex: number, category: Category, dataType: string,
    stackId: number, time: number,
  ): void {
    const start = time - (time % this.bucketMs);
    const key = `${hookId}/${overloadIndex}/${dataType}/${stackId}/${start}`;
    const bucket = this.buckets.get(key);
    if (bucket === undefined) {
      this.buckets.set(key, [hookId, overloadIndex, category, dataType, stackId, start, 1, time, time]);
      if (this.buckets.size >= this.maxEvents) {
        this.flush();
      } else {
        this.schedule();
      }
      return;
    }
    bucket[6]++;
    bucket[7] = Math.min(bucket[7], time);
    bucket[8] = Math.max(bucket[8], time);
  }

  flush(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.pending.length > 0) {
      const events = this.pending;
      this.pending = [];
      send({ type: "events:add", events });
    }
    if (this.buckets.size > 0) {
      const buckets = [...this.buckets.values()];
      this.buckets = new Map();
      send({ type: "buckets:add", bucketMs: this.bucketMs, buckets });
    }
  }

  private schedule(): void {
    if (this.timer === null) {
      this.timer = setTimeout(() => this.flush(), this.intervalMs);
    }
  }
}
