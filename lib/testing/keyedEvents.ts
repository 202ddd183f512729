/**
 * A fast-check arbitrary of event streams: rows with a key and an event time, in arrival order, with bounded or
 * unbounded lateness. For property tests of windowed aggregations, deduplication and joins.
 *
 * Invariant: with `lateness: D` every event's time is at least the maximum time of the events before it minus D
 * (so a watermark delay >= D never drops one as late); with `lateness: 0` times never decrease; with
 * `'unbounded'` times are drawn independently over the whole range, in any order. Times always lie in
 * `[startMs, startMs + spanMs]` on multiples of `tickMs` from `startMs`.
 */
import type { Arbitrary } from 'fast-check';
import { ErrorCodes, WeirError } from '../errors';
import { loadFastCheck } from './internal/loadFastCheck';

/** An event: the key column (a string), the time column (a Date) and the payload's fields. */
export type KeyedEvent<K extends string = 'key', T extends string = 'ts', P extends object = { value: number }> = Record<K, string> &
  Record<T, Date> &
  P;

/** Options of {@link keyedEvents}. */
export interface KeyedEventsOptions<K extends string = 'key', T extends string = 'ts', P extends object = { value: number }> {
  /** The keys: a count (`3` gives `'k0'`, `'k1'`, `'k2'`) or the key values themselves. Default 3. */
  readonly keys?: number | readonly string[];
  /** Name of the key column. Default `'key'`. */
  readonly keyColumn?: K;
  /** Name of the event-time column (a Date). Default `'ts'`. */
  readonly timeColumn?: T;
  /** The earliest event time (epoch ms). Default 2024-01-01T00:00:00Z. */
  readonly startMs?: number;
  /** Event times lie in `[startMs, startMs + spanMs]`. Default 60,000 (one minute). */
  readonly spanMs?: number;
  /** Event times are `startMs + k * tickMs` (coarse ticks make events share windows and times). Default 1,000. */
  readonly tickMs?: number;
  /** The largest step forward of the maximum event time from one event to the next. Default `spanMs / 10`. */
  readonly maxStepMs?: number;
  /**
   * How far out of order events arrive: `0` (default) in time order; a number D: each event is at most D ms
   * older than the newest event before it (an event exactly D ms late is generated often: it is the boundary of
   * a watermark delay of D); `'unbounded'`: any order over the whole range.
   */
  readonly lateness?: number | 'unbounded';
  /** Fewest events. Default 0. */
  readonly minLength?: number;
  /** Most events. Default 40. */
  readonly maxLength?: number;
  /**
   * The other fields of each event. Default `{ value }`, an integer in 0..9. Fields named like the key or the
   * time column are overwritten by them.
   */
  readonly payload?: Arbitrary<P>;
}

const DEFAULT_START_MS = Date.parse('2024-01-01T00:00:00Z');

function invalid(option: string, value: unknown, expected: string): WeirError {
  return new WeirError(ErrorCodes.INVALID_ARGUMENT, `keyedEvents: option ${option} ${expected}, got ${String(value)}`, {
    context: { option, value },
  });
}

function nonNegativeInteger(option: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw invalid(option, value, 'must be a non-negative integer');
  return value;
}

function keyValues(keys: number | readonly string[]): string[] {
  if (typeof keys === 'number') {
    if (!Number.isSafeInteger(keys) || keys < 1) throw invalid('keys', keys, 'must be a positive integer or a non-empty array of strings');
    return Array.from({ length: keys }, (_, i) => `k${i}`);
  }
  if (!Array.isArray(keys) || keys.length === 0 || keys.some((k) => typeof k !== 'string')) {
    throw invalid('keys', keys, 'must be a positive integer or a non-empty array of strings');
  }
  return [...keys];
}

/**
 * An arbitrary of event arrays in arrival order (shrinking towards fewer events, the first key, and events at
 * the same time).
 *
 * @throws WeirError `INVALID_ARGUMENT` for an invalid option, or when fast-check is not installed.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * // 3 keys over a minute, out of order by at most 5 s: a watermark delay of 5 s never drops one.
 * fc.sample(keyedEvents({ keys: 3, lateness: 5_000 }), 1);
 * // [[{ key: 'k1', ts: 2024-01-01T00:00:04Z, value: 7 }, { key: 'k0', ts: 2024-01-01T00:00:00Z, value: 2 }, ...]]
 * keyedEvents({ keys: ['a', 'b'], keyColumn: 'word', lateness: 'unbounded', payload: fc.record({ v: fc.nat(5) }) });
 * ```
 */
export function keyedEvents<K extends string = 'key', T extends string = 'ts', P extends object = { value: number }>(
  options: KeyedEventsOptions<K, T, P> = {},
): Arbitrary<Array<KeyedEvent<K, T, P>>> {
  const fc = loadFastCheck('keyedEvents');
  const keys = keyValues(options.keys ?? 3);
  const keyColumn: string = options.keyColumn ?? 'key';
  const timeColumn: string = options.timeColumn ?? 'ts';
  if (typeof keyColumn !== 'string' || keyColumn.length === 0) throw invalid('keyColumn', keyColumn, 'must be a non-empty string');
  if (typeof timeColumn !== 'string' || timeColumn.length === 0 || timeColumn === keyColumn) {
    throw invalid('timeColumn', timeColumn, 'must be a non-empty string other than keyColumn');
  }
  const startMs = options.startMs ?? DEFAULT_START_MS;
  if (!Number.isSafeInteger(startMs)) throw invalid('startMs', startMs, 'must be an integer (epoch ms)');
  const spanMs = nonNegativeInteger('spanMs', options.spanMs ?? 60_000);
  const tickMs = nonNegativeInteger('tickMs', options.tickMs ?? 1_000);
  if (tickMs === 0) throw invalid('tickMs', tickMs, 'must be a positive integer');
  const maxStepMs = nonNegativeInteger('maxStepMs', options.maxStepMs ?? Math.max(tickMs, Math.floor(spanMs / 10)));
  const minLength = nonNegativeInteger('minLength', options.minLength ?? 0);
  const maxLength = nonNegativeInteger('maxLength', options.maxLength ?? Math.max(40, minLength));
  if (maxLength < minLength) throw invalid('maxLength', maxLength, `must be >= minLength (${minLength})`);
  const lateness = options.lateness ?? 0;
  if (lateness !== 'unbounded') nonNegativeInteger('lateness', lateness as number);

  const spanTicks = Math.floor(spanMs / tickMs);
  const payload: Arbitrary<object> = options.payload ?? fc.record({ value: fc.integer({ min: 0, max: 9 }) });
  const key = fc.nat(keys.length - 1);
  const event = (ticks: number, k: number, fields: object): KeyedEvent<K, T, P> => {
    const row: Record<string, unknown> = { [keyColumn]: keys[k], [timeColumn]: new Date(startMs + ticks * tickMs) };
    for (const [name, value] of Object.entries(fields)) if (name !== keyColumn && name !== timeColumn) row[name] = value;
    return row as KeyedEvent<K, T, P>;
  };

  if (lateness === 'unbounded') {
    return fc
      .array(fc.record({ k: key, at: fc.integer({ min: 0, max: spanTicks }), fields: payload }), { minLength, maxLength })
      .map((specs) => specs.map((s) => event(s.at, s.k, s.fields)));
  }
  const lateTicks = Math.min(spanTicks, Math.floor(lateness / tickMs));
  const stepTicks = Math.min(spanTicks, Math.floor(maxStepMs / tickMs));
  const back =
    lateTicks === 0 ? fc.constant(0) : fc.oneof(fc.constant(0), fc.constant(lateTicks), fc.integer({ min: 0, max: lateTicks }));
  return fc
    .array(fc.record({ k: key, step: fc.integer({ min: 0, max: stepTicks }), back, fields: payload }), { minLength, maxLength })
    .map((specs) => {
      let newest = -1; // ticks of the newest event so far
      return specs.map((s) => {
        const ticks = newest < 0 ? s.step : s.back > 0 ? Math.max(0, newest - s.back) : Math.min(spanTicks, newest + s.step);
        newest = Math.max(newest, ticks);
        return event(ticks, s.k, s.fields);
      });
    });
}
