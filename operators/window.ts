/**
 * `window(column, windowDuration, slideDuration?, startTime?)`: assigns rows to time windows.
 *
 * Invariant: each row with a non-null event time is emitted once per window containing it (half-open
 * `[start, end)`), with a `window: { start: Date, end: Date }` column; rows with a null time produce nothing.
 * When `column` is the event-time column, `window` becomes it (late means `window.end <= watermark`). A window
 * struct as input is placed by its window_time (chained aggregations).
 */
import { map, type OperatorFunction } from 'rxjs';
import type { BatchMetadata, MicroBatch, Row } from '../lib/contracts';
import { timeWindowSpec, toEpochMs, windowStartsFor } from '../lib/window/TimeWindow';
import { describeOperator } from './describeOperator';

/** The window column becomes the event-time column when the time column was it. */
export function windowMetadata(metadata: BatchMetadata | undefined, column: string, as: string): BatchMetadata {
  const eventTimeColumn = metadata?.eventTimeColumn === column ? as : metadata?.eventTimeColumn;
  return { ...metadata, ...(eventTimeColumn !== undefined ? { eventTimeColumn } : {}) };
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
export function window<T extends Row>(
  column: string,
  windowDuration: string | number,
  slideDuration?: string | number | null,
  startTime?: string | number | null,
  options: WindowOptions = {},
): OperatorFunction<MicroBatch<T>, MicroBatch<T & { window: { start: Date; end: Date } }>> {
  const { as = 'window' } = options;
  const spec = timeWindowSpec(windowDuration, slideDuration, startTime);
  const tumbling = spec.windowMs === spec.slideMs;
  return describeOperator(
    `TimeWindow ${column}, ${spec.windowMs} ms, ${spec.slideMs} ms, ${spec.startMs} ms`,
    map((batch: MicroBatch<T>) => {
      const out: Row[] = [];
      const rows = batch.rows;
      for (let i = 0; i < rows.length; i += 1) {
        const row = rows[i]!;
        const ts = toEpochMs(row[column]);
        if (ts === null) continue;
        if (tumbling) {
          const r = (ts - spec.startMs) % spec.slideMs;
          const start = ts - (r < 0 ? r + spec.slideMs : r);
          out.push({ ...row, [as]: { start: new Date(start), end: new Date(start + spec.windowMs) } });
        } else {
          for (const start of windowStartsFor(ts, spec)) {
            out.push({ ...row, [as]: { start: new Date(start), end: new Date(start + spec.windowMs) } });
          }
        }
      }
      return {
        ...batch,
        rows: out as unknown as readonly (T & { window: { start: Date; end: Date } })[],
        metadata: windowMetadata(batch.metadata, column, as),
      };
    }),
    (state) => ({ ...state, metadata: windowMetadata(state.metadata, column, as) }),
  );
}
