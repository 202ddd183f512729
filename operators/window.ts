/**
 * `window(column, windowDuration, slideDuration?, startTime?)`: assigns rows to time windows.
 *
 * Invariant: each row with a non-null event time is emitted once per window containing it (half-open
 * `[start, end)`), with a `window: { start: Date, end: Date }` column (one struct per window per batch, shared by
 * its rows); rows with a null time produce nothing.
 * When `column` is the event-time column, `window` becomes it (late means `window.end <= watermark`). A window
 * struct as input is placed by its window_time (chained aggregations).
 */
import { map, type OperatorFunction } from 'rxjs';
import type { BatchMetadata, MicroBatch, Row } from '../lib/contracts';
import { timeWindowSpec, toEpochMs, windowStartsFor } from '../lib/window/TimeWindow';
import { describeOperator } from './describeOperator';
import type { AddsColumns } from './rowEffects';
import { AppendedColumn, ExtendedColumnReader, extendedPlan, forEachRowExtended, withLazyRows } from './internal/lazyRows';

/** The window column becomes the event-time column when the time column was it. */
export function windowMetadata(metadata: BatchMetadata | undefined, column: string, as: string): BatchMetadata {
  const eventTimeColumn = metadata?.eventTimeColumn === column ? as : metadata?.eventTimeColumn;
  return { ...metadata, ...(eventTimeColumn !== undefined ? { eventTimeColumn } : {}) };
}

/**
 * The window structs of one batch: rows of the same window in a batch share one `{ start, end }` (rows are values;
 * nothing downstream mutates them), so a batch allocates a struct and two Dates per window, not per row.
 */
class WindowStructs {
  private lastStart = NaN;
  private last: { start: Date; end: Date } | undefined;
  private readonly byStart = new Map<number, { start: Date; end: Date }>();

  constructor(private readonly windowMs: number) {}

  get(start: number): { start: Date; end: Date } {
    if (start === this.lastStart) return this.last!;
    let struct = this.byStart.get(start);
    if (struct === undefined) {
      struct = { start: new Date(start), end: new Date(start + this.windowMs) };
      this.byStart.set(start, struct);
    }
    this.lastStart = start;
    this.last = struct;
    return struct;
  }
}

/** The time value last read in a traversal, its epoch ms (NaN: none) and, for a tumbling window, its struct. */
class LastTime {
  ts = NaN;
  /** The start of `struct` (tumbling windows). */
  start = NaN;
  struct: { start: Date; end: Date } | undefined = undefined;
  constructor(public value: unknown) {}
}

/** Options beyond Spark's arguments. */
export interface WindowOptions {
  /** Output column name (Spark: `window`). */
  readonly as?: string;
}

/**
 * Tumbling (`slideDuration` omitted) or sliding windows over `column`.
 *
 * @example
 * pipeline: [withWatermark('ts', '10 seconds'), window('ts', '10 seconds', '5 seconds'), groupByKey('window'), count()]
 */
export function window<T extends Row, As extends string = 'window'>(
  column: string,
  windowDuration: string | number,
  slideDuration?: string | number | null,
  startTime?: string | number | null,
  options: WindowOptions & { readonly as?: As } = {},
): OperatorFunction<MicroBatch<T>, MicroBatch<T & Record<As, { start: Date; end: Date }>>> & AddsColumns<Record<As, { start: Date; end: Date }>> {
  const { as = 'window' } = options;
  const spec = timeWindowSpec(windowDuration, slideDuration, startTime);
  const tumbling = spec.windowMs === spec.slideMs;
  return describeOperator(
    `TimeWindow ${column}, ${spec.windowMs} ms, ${spec.slideMs} ms, ${spec.startMs} ms`,
    map((batch: MicroBatch<T>) => {
      // The rows are built on first read; window → groupByKey → agg visits them without building the array, and
      // a lazy input (withColumn) is visited the same way.
      const plan = extendedPlan((visit) => {
        const structs = new WindowStructs(spec.windowMs);
        const time = new ExtendedColumnReader(column);
        const appended = new AppendedColumn(as);
        // Rows often share their time value (rate-micro-batch's rows of a batch share one Date): read it, and
        // for a tumbling window place it, once. The last time is a field of an object (NaN for no time), not a
        // mutated closure variable: V8 keeps the field unboxed, so a new time per row allocates nothing.
        const last = new LastTime(time);
        forEachRowExtended(batch, (row, inNames, inValues) => {
          const value = time.read(row, inNames, inValues);
          if (value !== last.value) {
            last.value = value;
            const t = toEpochMs(value) ?? NaN;
            last.ts = t;
            // A new time in the same tumbling window keeps its struct (no division per row).
            if (!(t >= last.start && t < last.start + spec.slideMs)) last.struct = undefined;
          }
          const ts = last.ts;
          if (ts !== ts) return;
          const names = appended.names(inNames);
          if (tumbling) {
            let struct = last.struct;
            if (struct === undefined) {
              const r = (ts - spec.startMs) % spec.slideMs;
              last.start = ts - (r < 0 ? r + spec.slideMs : r);
              struct = last.struct = structs.get(last.start);
            }
            visit(row, names, appended.values(inValues, struct));
          } else {
            for (const start of windowStartsFor(ts, spec)) visit(row, names, appended.values(inValues, structs.get(start)));
          }
        });
      });
      return withLazyRows<T & Record<As, { start: Date; end: Date }>>(
        batch,
        { metadata: windowMetadata(batch.metadata, column, as) },
        plan,
      );
    }),
    (state) => ({ ...state, metadata: windowMetadata(state.metadata, column, as) }),
  );
}
