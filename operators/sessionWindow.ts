/**
 * `sessionWindow(column, gap)`: opens a session `[t, t + gap)` per row; the aggregation after it merges
 * overlapping sessions per key.
 *
 * Invariant: every row with a non-null time and a positive gap gets a `session_window: { start, end }` column;
 * rows whose gap is <= 0 (or null) are dropped, as Spark does; the session column becomes the event-time
 * column when `column` was.
 */
import { map, type OperatorFunction } from 'rxjs';
import type { MicroBatch, Row } from '../lib/contracts';
import { ErrorCodes, WeirError } from '../lib/errors';
import { intervalToDelayMs, parseInterval } from '../lib/util/interval';
import { toEpochMs } from '../lib/window/TimeWindow';
import { describeOperator } from './describeOperator';
import type { AddsColumns } from './rowEffects';
import { windowMetadata } from './window';

/** A gap: a duration (`'5 minutes'`, ms) or a function of the row returning one (dynamic gap). */
export type SessionGap<T> = string | number | ((row: T) => string | number | null | undefined);

function gapMs(gap: string | number | null | undefined): number | null {
  if (gap === null || gap === undefined) return null;
  if (typeof gap === 'number') return gap;
  const interval = parseInterval(gap);
  if (interval.months !== 0) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `Intervals greater than a month is not supported (${gap}).`, {
      context: { gap },
    });
  }
  return intervalToDelayMs(interval);
}

/** The column `sessionWindow` adds. */
export const SESSION_WINDOW_COLUMN = 'session_window';

/**
 * Session windows over `column` with a static or per-row gap.
 *
 * @example
 * pipeline: [withWatermark('ts', '10 seconds'), sessionWindow('ts', '5 seconds'), groupByKey('user', 'session_window'), count()]
 */
export function sessionWindow<T extends Row>(
  column: string,
  gap: SessionGap<T>,
): OperatorFunction<MicroBatch<T>, MicroBatch<T & { session_window: { start: Date; end: Date } }>> & AddsColumns<{ session_window: { start: Date; end: Date } }> {
  const staticGap = typeof gap === 'function' ? undefined : gapMs(gap);
  if (staticGap !== undefined && staticGap !== null && staticGap <= 0) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `The session window gap (${String(gap)}) must be greater than 0.`, {
      context: { gap },
    });
  }
  return describeOperator(
    `SessionWindow ${column}, ${typeof gap === 'function' ? 'dynamic gap' : String(gap)}`,
    map((batch: MicroBatch<T>) => {
      const out: Row[] = [];
      for (const row of batch.rows) {
        const ts = toEpochMs(row[column]);
        if (ts === null) continue;
        const g = staticGap ?? gapMs((gap as (row: T) => string | number | null | undefined)(row));
        if (g === null || g <= 0) continue;
        out.push({ ...row, [SESSION_WINDOW_COLUMN]: { start: new Date(ts), end: new Date(ts + g) } });
      }
      return {
        ...batch,
        rows: out as unknown as readonly (T & { session_window: { start: Date; end: Date } })[],
        metadata: windowMetadata(batch.metadata, column, SESSION_WINDOW_COLUMN),
      };
    }),
    (state) => ({ ...state, metadata: windowMetadata(state.metadata, column, SESSION_WINDOW_COLUMN) }),
  );
}
