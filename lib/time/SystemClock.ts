/**
 * The real-time Clock.
 *
 * Invariant: `waitUntil` never resolves before `now() >= timeMs` unless its signal aborted.
 */
import type { Clock } from '../contracts';

/** Wall-clock time from `Date.now()` and `setTimeout`. The default clock of every query. */
export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }

  waitUntil(timeMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      let timer: NodeJS.Timeout | undefined;
      const onAbort = (): void => {
        if (timer !== undefined) clearTimeout(timer);
        resolve();
      };
      const tick = (): void => {
        const left = timeMs - Date.now();
        if (left <= 0) {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        } else {
          timer = setTimeout(tick, left);
        }
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      tick();
    });
  }
}
