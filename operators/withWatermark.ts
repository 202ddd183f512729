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
import type { PassesRows } from './rowEffects';
import { ExtendedColumnReader, extendedPlan, forEachRowExtended, type RowsPlan, withLazyRows } from './internal/lazyRows';

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

/** Accumulates event-time statistics (nulls and invalid times ignored). */
class EventTimeAccumulator {
  private min = Infinity;
  private max = -Infinity;
  private sum = 0;
  private count = 0;
  // Rows are values: a Date shared by consecutive rows (rate-micro-batch shares one per batch) is read once.
  private lastDate: unknown = this;
  // A number field (NaN for none), so V8 keeps it unboxed: a per-row store allocates nothing.
  private lastTime = NaN;

  add(v: unknown): void {
    // Dates first (what sources produce); toEpochMs handles the rest. An invalid Date (NaN) or null is skipped.
    let t: number;
    if (v === this.lastDate) t = this.lastTime;
    else if (v instanceof Date) {
      t = v.getTime();
      this.lastDate = v;
      this.lastTime = t;
    } else t = toEpochMs(v) ?? NaN;
    if (t !== t) return;
    if (t < this.min) this.min = t;
    if (t > this.max) this.max = t;
    this.sum += t;
    this.count += 1;
  }

  stats(): EventTimeStats {
    const { min, max, sum, count } = this;
    return count === 0 ? { min: 0, max: 0, sum: 0, count: 0 } : { min, max, sum, count };
  }
}

/** Event-time statistics of `column` over `rows` (nulls ignored). */
export function eventTimeStats(rows: readonly Row[], column: string): EventTimeStats {
  const acc = new EventTimeAccumulator();
  for (let i = 0; i < rows.length; i += 1) acc.add(rows[i]![column]);
  return acc.stats();
}

/**
 * The rows of `batch` unchanged, lazily: the first complete visit of them (by the operators after, or by
 * building them) also gathers their event-time stats, so the watermark costs no pass of its own. `stats()`
 * gives them, visiting the rows itself when nobody did; it is what the operator reports to the engine.
 */
function statsWhileVisited(batch: MicroBatch<unknown>, column: string): { plan: RowsPlan; stats: () => EventTimeStats } {
  let stats: EventTimeStats | undefined;
  const plan: RowsPlan = {
    // A plain visit goes through the extended one too: a lazy input (a source's chunks, a lazy filter) is
    // visited, not built.
    ...extendedPlan((visit) => {
      if (stats !== undefined) {
        forEachRowExtended(batch, visit);
        return;
      }
      const acc = new EventTimeAccumulator();
      const time = new ExtendedColumnReader(column);
      forEachRowExtended(batch, (row, names, values) => {
        acc.add(time.read(row, names, values));
        visit(row, names, values);
      });
      stats ??= acc.stats();
    }),
    rows() {
      const rows = batch.rows as Row[];
      stats ??= eventTimeStats(rows, column);
      return rows;
    },
  };
  return { plan, stats: () => (stats ??= eventTimeStats(plan.rows!(), column)) };
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
): OperatorFunction<MicroBatch<T>, MicroBatch<T>> & PassesRows {
  const delayMs = parseWatermarkDelay(delay);
  return describeOperator(
    `EventTimeWatermark ${column}, ${typeof delay === 'number' ? `${delay} ms` : delay}`,
    map((batch: MicroBatch<T>) => {
      const id = batch.context.nextOperatorId('watermark');
      const { plan, stats } = statsWhileVisited(batch, column);
      batch.context.reportEventTime(id, stats, delayMs);
      return withLazyRows<T>(batch, { metadata: { ...batch.metadata, eventTimeColumn: column, eventTimeDelayMs: delayMs } }, plan);
    }),
    (state) => ({ ...state, metadata: { ...state.metadata, eventTimeColumn: column, eventTimeDelayMs: delayMs } }),
  );
}
