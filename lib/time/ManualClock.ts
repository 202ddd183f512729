/**
 * A Clock that moves only when a test tells it to (Spark's StreamManualClock).
 *
 * Invariant: time never goes backwards; every waiter whose deadline is <= the new time is released by
 * `advance`/`setTime`, in deadline order.
 */
import type { Clock } from '../contracts';

interface Waiter {
  readonly deadline: number;
  readonly resolve: () => void;
}

/**
 * Virtual time for tests: `advance(ms)` moves time and wakes waiting triggers.
 *
 * @example
 * const clock = new ManualClock(0)
 * const query = await startQuery({ ..., trigger: Trigger.ProcessingTime(1000), clock })
 * await clock.advance(1000)   // the next trigger fires
 */
export class ManualClock implements Clock {
  private time: number;
  private waiters: Waiter[] = [];
  private readonly waitingListeners: Array<() => void> = [];

  constructor(startMs = 0) {
    this.time = startMs;
  }

  now(): number {
    return this.time;
  }

  waitUntil(timeMs: number, signal?: AbortSignal): Promise<void> {
    if (timeMs <= this.time || signal?.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const waiter: Waiter = {
        deadline: timeMs,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
      for (const l of this.waitingListeners.splice(0)) l();
    });
  }

  /** Number of pending `waitUntil` calls. */
  get waiterCount(): number {
    return this.waiters.length;
  }

  /** Resolves once something waits on this clock (a trigger went to sleep). */
  whenWaiting(): Promise<void> {
    if (this.waiters.length > 0) return Promise.resolve();
    return new Promise((resolve) => this.waitingListeners.push(resolve));
  }

  /** Resolves once something waits on this clock for a deadline after `timeMs`. */
  whenWaitingAfter(timeMs: number): Promise<void> {
    return new Promise((resolve) => {
      const check = (): void => {
        if (this.waiters.some((w) => w.deadline > timeMs)) resolve();
        else this.waitingListeners.push(check);
      };
      check();
    });
  }

  /** Moves time forward by `ms` and releases due waiters. */
  advance(ms: number): void {
    this.setTime(this.time + ms);
  }

  /** Moves time to `timeMs` (never backwards) and releases due waiters. */
  setTime(timeMs: number): void {
    if (timeMs < this.time) throw new Error(`ManualClock cannot go back from ${this.time} to ${timeMs}`);
    this.time = timeMs;
    const due = this.waiters.filter((w) => w.deadline <= timeMs).sort((a, b) => a.deadline - b.deadline);
    this.waiters = this.waiters.filter((w) => w.deadline > timeMs);
    for (const w of due) w.resolve();
  }
}
