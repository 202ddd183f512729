/**
 * Trigger executors: the loops that call the batch handler (Spark's ProcessingTimeExecutor,
 * SingleBatchExecutor, MultiBatchExecutor).
 *
 * Invariant: a handler returning false ends the loop; a processing-time loop starts trigger k+1 at the first
 * interval boundary after trigger k *started* (Spark's `nextBatchTime`), at once when trigger k overran the
 * interval, and never catches up missed ticks. Time comes only from the injected Clock.
 */
import type { Clock } from '../contracts';
import type { Trigger } from './Trigger';

/** Runs one trigger; resolves false to stop the loop. */
export type TriggerHandler = () => Promise<boolean>;

/** Where executors report what Spark logs. */
export interface TriggerLogger {
  warn(message: string): void;
}

/** Spark's `ProcessingTimeExecutor.nextBatchTime`. */
export function nextBatchTime(nowMs: number, intervalMs: number): number {
  if (intervalMs === 0) return nowMs;
  return Math.floor(nowMs / intervalMs) * intervalMs + intervalMs;
}

/** Spark's "falling behind" warning text. */
export function fallingBehindMessage(intervalMs: number, elapsedMs: number): string {
  return `Current batch is falling behind. The trigger interval is ${intervalMs} milliseconds, but spent ${elapsedMs} milliseconds`;
}

/**
 * Runs `handler` under `trigger` until it returns false or `signal` aborts.
 * For `once` the handler runs once; for `availableNow` until it returns false; for processing time, forever on
 * interval boundaries.
 */
export async function executeTrigger(
  trigger: Trigger,
  handler: TriggerHandler,
  options: { clock: Clock; signal: AbortSignal; logger: TriggerLogger },
): Promise<void> {
  const { clock, signal, logger } = options;
  if (trigger.kind === 'once') {
    await handler();
    return;
  }
  if (trigger.kind === 'availableNow') {
    while (!signal.aborted && (await handler()));
    return;
  }
  const intervalMs = trigger.kind === 'processingTime' ? trigger.intervalMs : trigger.checkpointIntervalMs;
  while (!signal.aborted) {
    const triggerTimeMs = clock.now();
    const nextTriggerTimeMs = nextBatchTime(triggerTimeMs, intervalMs);
    const goOn = await handler();
    if (intervalMs > 0) {
      const elapsed = clock.now() - triggerTimeMs;
      if (elapsed > intervalMs) logger.warn(fallingBehindMessage(intervalMs, elapsed));
      if (!goOn || signal.aborted) return;
      await clock.waitUntil(nextTriggerTimeMs, signal);
    } else if (!goOn) {
      return;
    }
  }
}
