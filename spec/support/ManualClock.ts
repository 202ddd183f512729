/**
 * A Clock for source tests: time moves only when the test calls `advance` or `setTime`.
 *
 * Invariant: time never goes backwards, and every `waitUntil` whose deadline has been reached (or whose signal
 * aborted) is resolved, so no test ever sleeps in real time.
 */
import type { Clock } from '../../lib/contracts';

/**
 * Virtual time for specs.
 *
 * @example
 * ```ts
 * const clock = new ManualClock(1_000_000);
 * const source = rate({ rowsPerSecond: 10 });
 * await source.open({ metadataPath, sourceIndex: 0, clock, notifyDataAvailable: () => {} });
 * clock.advance(2000); // two more seconds of rows are available
 * ```
 */
export class ManualClock implements Clock {
  private time: number;
  private waiters: { deadline: number; release: () => void }[] = [];

  constructor(startMs = 0) {
    this.time = startMs;
  }

  now(): number {
    return this.time;
  }

  waitUntil(timeMs: number, signal?: AbortSignal): Promise<void> {
    if (timeMs <= this.time || signal?.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const waiter = {
        deadline: timeMs,
        release: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** Moves time forward by `ms` (>= 0) and releases due waiters. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`ManualClock.advance: ms must be >= 0, got ${ms}`);
    this.setTime(this.time + ms);
  }

  /** Moves time to `ms` (never backwards) and releases due waiters. */
  setTime(ms: number): void {
    if (ms < this.time) throw new RangeError(`ManualClock.setTime: ${ms} is before now (${this.time})`);
    this.time = ms;
    const due = this.waiters.filter((w) => w.deadline <= ms).sort((a, b) => a.deadline - b.deadline);
    this.waiters = this.waiters.filter((w) => w.deadline > ms);
    for (const w of due) w.release();
  }
}
