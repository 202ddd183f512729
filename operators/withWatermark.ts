/**
 * `withWatermark(column, delay)`: declares the event-time column and how late data may be.
 *
 * Invariant: the operator never drops or changes rows; per batch it reports min/max/avg/count of the column's
 * event times to the engine (which derives the next watermark: max event time seen - delay) and marks the
 * column as the event-time column for the stateful operators after it. Rows are dropped as late only by
 * stateful operators, as in Spark.
 */
import { map, type OperatorFunction } from 'rxjs';
import type { EventTimeStats, MicroBatch, Row } from '../lib/contracts';
import { ErrorCodes, WeirError } from '../lib/errors';
import { intervalToDelayMs, parseInterval } from '../lib/util/interval';
import { toEpochMs } from '../lib/window/TimeWindow';
import { describeOperator } from './describeOperator';
import { withChanges } from './internal/lazyRows';

/** Parses a watermark delay the way Spark does (months count 31 days); rejects negative delays. */
export function parseWatermarkDelay(delay: string | number): number {
  const ms = typeof delay === 'number' ? delay : intervalToDelayMs(parseInterval(delay));
  if (!Number.isFinite(ms) || ms < 0) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `delay threshold (${delay}) should not be negative.`, {
      context: { delay },
    });
  }
  return ms;
}

/** Event-time statistics of `column` over `rows` (nulls ignored). */
export function eventTimeStats(rows: readonly Row[], column: string): EventTimeStats {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let count = 0;
  // Rows are values: a Date shared by consecutive rows (rate-micro-batch shares one per batch) is read once.
  let lastDate: unknown;
  let lastTime: number | null = null;
  for (let i = 0; i < rows.length; i += 1) {
    const v = rows[i]![column];
    // Dates first (what sources produce); toEpochMs handles the rest. An invalid Date is null, as there.
    let t: number | null;
    if (v === lastDate) t = lastTime;
    else if (v instanceof Date) {
      t = v.getTime();
      lastDate = v;
      lastTime = t;
    } else t = toEpochMs(v);
    if (t === null || t !== t) continue;
    if (t < min) min = t;
    if (t > max) max = t;
    sum += t;
    count += 1;
  }
  return count === 0 ? { min: 0, max: 0, sum: 0, count: 0 } : { min, max, sum, count };
}

/**
 * Marks `column` (timestamps as `Date`, epoch ms or ISO strings) as event time with a lateness `delay`
 * (`'10 seconds'`, `'1 minute'`, or ms).
 *
 * @example
 * pipeline: [withWatermark('ts', '10 minutes'), window('ts', '5 minutes'), groupByKey('window', 'word'), count()]
 */
export function withWatermark<T extends Row>(
  column: string,
  delay: string | number,
): OperatorFunction<MicroBatch<T>, MicroBatch<T>> {
  const delayMs = parseWatermarkDelay(delay);
  return describeOperator(
    `EventTimeWatermark ${column}, ${typeof delay === 'number' ? `${delay} ms` : delay}`,
    map((batch: MicroBatch<T>) => {
      const id = batch.context.nextOperatorId('watermark');
      batch.context.reportEventTime(id, eventTimeStats(batch.rows, column), delayMs);
      return withChanges(batch, { metadata: { ...batch.metadata, eventTimeColumn: column, eventTimeDelayMs: delayMs } });
    }),
    (state) => ({ ...state, metadata: { ...state.metadata, eventTimeColumn: column, eventTimeDelayMs: delayMs } }),
  );
}
