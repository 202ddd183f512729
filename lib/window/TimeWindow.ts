/**
 * Spark's time windows: which `[start, end)` windows a timestamp falls in.
 *
 * Invariants: windows are half-open; for tumbling windows each timestamp is in exactly one window, for sliding
 * ones in every window with `start <= ts < end`; the start formula uses floor semantics for timestamps before
 * the epoch (Spark 3.2+'s TimeWindowing rule adds the slide to a negative remainder, which is floor-mod), so a
 * pre-1970 timestamp is never assigned a window that does not contain it. Pure: no I/O, no clock.
 */
import { ErrorCodes, WeirError } from '../errors';
import { intervalToDelayMs, parseInterval } from '../util/interval';

/** A validated window specification in milliseconds. */
export interface TimeWindowSpec {
  readonly windowMs: number;
  readonly slideMs: number;
  readonly startMs: number;
}

/** A window, as Spark's `window` struct. */
export interface WindowStruct {
  readonly start: Date;
  readonly end: Date;
}

function toMs(value: string | number, what: string): number {
  if (typeof value === 'number') return value;
  const interval = parseInterval(value);
  if (interval.months !== 0) {
    throw new WeirError(
      ErrorCodes.INVALID_ARGUMENT,
      `Intervals greater than a month is not supported (${value}) for the ${what} of a window.`,
      { context: { value } },
    );
  }
  return intervalToDelayMs(interval);
}

/**
 * Validates `window(col, windowDuration, slideDuration = windowDuration, startTime = 0)` with Spark's messages
 * (durations shown in microseconds, as Spark prints them).
 */
export function timeWindowSpec(
  windowDuration: string | number,
  slideDuration?: string | number | null,
  startTime?: string | number | null,
): TimeWindowSpec {
  const windowMs = toMs(windowDuration, 'duration');
  const slideMs = slideDuration === undefined || slideDuration === null ? windowMs : toMs(slideDuration, 'slide');
  const startMs = startTime === undefined || startTime === null ? 0 : toMs(startTime, 'start time');
  const us = (ms: number): number => ms * 1000;
  const fail = (message: string): never => {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, message, {
      context: { windowDuration, slideDuration, startTime },
    });
  };
  if (windowMs <= 0) fail(`The window duration (${us(windowMs)}) must be greater than 0.`);
  if (slideMs <= 0) fail(`The slide duration (${us(slideMs)}) must be greater than 0.`);
  if (slideMs > windowMs) {
    fail(`The slide duration (${us(slideMs)}) must be less than or equal to the windowDuration (${us(windowMs)}).`);
  }
  if (Math.abs(startMs) >= slideMs) {
    fail(`The absolute value of start time (${us(startMs)}) must be less than the slideDuration (${us(slideMs)}).`);
  }
  return { windowMs, slideMs, startMs };
}

/**
 * The window starts containing `tsMs`, latest first (Spark's order: i = 0 is the window starting at the last
 * slide boundary <= ts).
 */
export function windowStartsFor(tsMs: number, spec: TimeWindowSpec): number[] {
  const { windowMs, slideMs, startMs } = spec;
  const remainder = (tsMs - startMs) % slideMs;
  const lastStart = tsMs - (remainder < 0 ? remainder + slideMs : remainder);
  const overlapping = Math.ceil(windowMs / slideMs);
  const out: number[] = [];
  for (let i = 0; i < overlapping; i += 1) {
    const start = lastStart - i * slideMs;
    if (start <= tsMs && tsMs < start + windowMs) out.push(start);
  }
  return out;
}

/** `window_time(w)`: the last instant inside the window (Spark: end - 1 µs; weir: end - 1 ms). */
export function windowTimeMs(window: { end: Date | number }): number {
  return toEpochMs(window.end)! - 1;
}

/**
 * Event time of a value in ms: `Date`, epoch ms, an ISO-8601 string, or a window struct (its window_time).
 * null/undefined → null.
 */
export function toEpochMs(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) {
    const t = value.getTime();
    return Number.isNaN(t) ? null : t;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string') {
    const t = Date.parse(value);
    return Number.isNaN(t) ? null : t;
  }
  if (typeof value === 'object' && value !== null && 'end' in value) {
    const end = toEpochMs((value as { end: unknown }).end);
    return end === null ? null : end - 1;
  }
  return null;
}
