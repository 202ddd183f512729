/**
 * The shared core of `dropDuplicates` and `dropDuplicatesWithinWatermark` (Spark's BaseStreamingDeduplicateExec):
 * late-row filtering, in-batch and stored duplicate detection, and the metrics both report.
 *
 * Invariants:
 * - A row is emitted iff no earlier row of the same key was emitted and is still in state; the first occurrence
 *   in input order wins, also inside one batch; every other row is counted in numDroppedDuplicateRows.
 * - When the query has a watermark, rows whose event time <= the previous batch's watermark (Spark 3.4+'s
 *   watermark for late events) are dropped first and counted in numRowsDroppedByWatermark.
 * - State holds one entry per kept key (as Spark's), so progress numRowsTotal matches Spark's; all of it lives in
 *   the batch context's state store.
 */
import type { BatchMetadata, MaybePromise, MicroBatch, Row, StateStore } from '../contracts';
import { ErrorCodes, WeirError } from '../errors';
import { toEpochMs } from '../window/TimeWindow';
import { keyId, stateKey } from '../../operators/internal/groupKey';
import { then } from '../../operators/internal/maybe';

export { WITHIN_WATERMARK_ON_BATCH, WITHIN_WATERMARK_WITHOUT_WATERMARK } from '../plan/analysisMessages';

/** Event time of a value for late checks and eviction: a window struct's end, or the timestamp itself. */
export function eventTimeOf(value: unknown): number | null {
  if (value !== null && typeof value === 'object' && !(value instanceof Date) && 'end' in value) {
    return toEpochMs((value as { end: unknown }).end);
  }
  return toEpochMs(value);
}

/** The key columns of a row: the given columns, or (none given) every column of the row in name order. */
export function keyColumns(row: Row, columns: readonly string[] | undefined): readonly string[] {
  return columns ?? Object.keys(row).sort();
}

/** The key values of `row` (with the column names when the key is the whole row, so `{a:1}` ≠ `{b:1}`). */
export function keyValues(row: Row, columns: readonly string[] | undefined): unknown[] {
  if (columns !== undefined) return columns.map((c) => normalizeKeyValue(row[c]));
  return keyColumns(row, undefined).flatMap((c) => [c, normalizeKeyValue(row[c])]);
}

/** `undefined` and `null` are the same key value (a missing column is NULL). */
function normalizeKeyValue(v: unknown): unknown {
  return v === undefined ? null : v;
}

/** Validates the column list of a dedup operator. */
export function checkColumns(name: string, columns: readonly string[] | undefined): void {
  if (columns !== undefined && columns.some((c) => typeof c !== 'string' || c.length === 0)) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `${name} takes column names`, { context: { columns: String(columns) } });
  }
}

/** What one batch of deduplication did. */
export interface DedupCounts {
  droppedDuplicates: number;
  droppedByWatermark: number;
}

/** Progress fields of a deduplication's counts (Spark's: numDroppedDuplicateRows is a custom metric). */
export function dedupMetrics(counts: DedupCounts): { numRowsDroppedByWatermark: number; customMetrics: Record<string, number> } {
  return { numRowsDroppedByWatermark: counts.droppedByWatermark, customMetrics: { numDroppedDuplicateRows: counts.droppedDuplicates } };
}

/** One candidate row: the first of its key in the batch. */
interface Candidate {
  readonly index: number;
  readonly key: Uint8Array;
  readonly time: number | null;
}

/**
 * Filters `batch.rows`: drops late rows (when `metadata` has an event-time column), in-batch duplicates and keys
 * present in `store`; calls `keep(store, key, row, time)` for each emitted row so the caller stores what it
 * needs. `stateKeyOf` gives the state key of a key tuple and its event time.
 */
export function deduplicateRows(
  batch: MicroBatch<Row>,
  store: StateStore,
  columns: readonly string[] | undefined,
  stateKeyOf: (values: unknown[], time: number | null) => Uint8Array,
  keep: (key: Uint8Array, row: Row, time: number | null) => void,
  counts: DedupCounts,
): MaybePromise<Row[]> {
  const metadata: BatchMetadata | undefined = batch.metadata;
  const eventTimeColumn = metadata?.eventTimeColumn;
  const rows = batch.rows;
  const seen = new Set<string>();
  const candidates: Candidate[] = [];
  for (let i = 0; i < rows.length; i += 1) {
    const row = rows[i]!;
    const time = eventTimeColumn === undefined ? null : eventTimeOf(row[eventTimeColumn]);
    if (eventTimeColumn !== undefined && time !== null && time <= batch.lateEventsWatermarkMs) {
      counts.droppedByWatermark += 1;
      continue;
    }
    const values = keyValues(row, columns);
    const id = keyId(values);
    if (seen.has(id)) {
      counts.droppedDuplicates += 1;
      continue;
    }
    seen.add(id);
    candidates.push({ index: i, key: stateKeyOf(values, time), time });
  }
  return then(store.getMany(candidates.map((c) => c.key)), (stored) => {
    const out: Row[] = [];
    for (let c = 0; c < candidates.length; c += 1) {
      const { index, key, time } = candidates[c]!;
      if (stored[c] !== undefined) {
        counts.droppedDuplicates += 1;
        continue;
      }
      const row = rows[index]!;
      keep(key, row, time);
      out.push(row);
    }
    return out;
  });
}

/** The plain state key of a key tuple (no time prefix). */
export function plainKey(values: unknown[]): Uint8Array {
  return stateKey(values);
}
