/**
 * One micro-batch of a stream-stream join (Spark's StreamingSymmetricHashJoinExec), over two state stores, one
 * per side.
 *
 * Invariants:
 * - Late rows (the side's event time <= the previous batch's watermark) are dropped first and counted.
 * - The left rows are joined against the right state, then stored; then the right rows are joined against the
 *   left state, which now holds this batch's left rows: every matching pair is emitted exactly once.
 * - A stored row that matched is marked; an outer row (null-padded) is emitted only for an unmatched row, when
 *   it is evicted. Left semi emits a left row at its first match and never stores a matched left row.
 * - A side's state is evicted by its cleanup (join-key event time <= watermark, or row event time <= watermark +
 *   the range offset); a new row already past it is joined but not stored.
 * - Each side's buffered rows are a {@link JoinSideState}: an in-memory index by join key over one durable state
 *   entry per batch (see there for the layout and its cost).
 */
import type { MaybePromise, Row, StateStore } from '../contracts';
import { then } from '../util/maybe';
import { toEpochMs } from '../window/TimeWindow';
import { boundHolds, type JoinCondition, type StateCleanup, type TimeBound } from './joinCondition';
import type { JoinedRowBuilder } from './joinedRow';
import type { JoinType } from './joinType';
import { joinKeyOf, loadJoinSide, type JoinKey } from './JoinSideState';

/** What one batch needs. */
export interface JoinBatchInput {
  readonly joinType: JoinType;
  readonly condition: JoinCondition;
  readonly cleanup: { readonly left: StateCleanup | undefined; readonly right: StateCleanup | undefined };
  readonly leftEventTimeColumn: string | undefined;
  readonly rightEventTimeColumn: string | undefined;
  readonly leftRows: readonly Row[];
  readonly rightRows: readonly Row[];
  readonly watermarkMs: number;
  readonly lateEventsWatermarkMs: number;
  readonly leftStore: StateStore;
  readonly rightStore: StateStore;
  readonly output: JoinedRowBuilder;
}

/** What one batch did (for progress). */
export interface JoinBatchResult {
  readonly rows: Row[];
  readonly droppedByWatermark: number;
  readonly numRowsTotal: number;
  readonly numRowsUpdated: number;
  readonly numRowsRemoved: number;
}

/** The eviction time of a row under `cleanup` (null: never evicted). */
function evictionTime(row: Row, cleanup: StateCleanup | undefined, keyColumns: readonly string[]): number | null {
  if (cleanup === undefined) return null;
  // A window key is evicted by its end (toEpochMs of a window struct is its end).
  if (cleanup.kind === 'key') return toEpochMs(row[keyColumns[cleanup.keyIndex]!]);
  return toEpochMs(row[cleanup.column]);
}

/** The threshold at or below which a side's rows are evicted in this batch. */
function threshold(cleanup: StateCleanup | undefined, watermarkMs: number): number | undefined {
  if (cleanup === undefined) return undefined;
  return cleanup.kind === 'key' ? watermarkMs : watermarkMs + cleanup.offsetMs;
}

function isLate(row: Row, column: string | undefined, lateMs: number): boolean {
  if (column === undefined) return false;
  const t = toEpochMs(row[column]);
  return t !== null && t <= lateMs;
}

function boundsHold(bounds: readonly TimeBound[], left: Row, right: Row): boolean {
  for (let i = 0; i < bounds.length; i += 1) {
    const b = bounds[i]!;
    if (!boundHolds(b, toEpochMs(left[b.leftColumn]), toEpochMs(right[b.rightColumn]))) return false;
  }
  return true;
}

/** A side's rows that passed the late and pre-join filters, with their join keys (parallel arrays). */
interface KeyedRows {
  readonly rows: Row[];
  readonly keys: Array<JoinKey | undefined>;
}

/** Runs one batch of the join; synchronous when both stores answer synchronously. */
export function joinBatch(input: JoinBatchInput): MaybePromise<JoinBatchResult> {
  const { joinType, condition, cleanup, leftStore, rightStore, output } = input;
  const { leftKeys, rightKeys, timeBounds, residual, leftFilter, rightFilter } = condition;
  const leftOuter = joinType === 'leftOuter' || joinType === 'fullOuter';
  const rightOuter = joinType === 'rightOuter' || joinType === 'fullOuter';
  const semi = joinType === 'leftSemi';
  const batchId = leftStore.version;
  const out: Row[] = [];
  let dropped = 0;

  // 1. Late rows, pre-join filters (a failing row of an outer side is output at once and never stored).
  const prepare = (rows: readonly Row[], column: string | undefined, filter: ((r: Row) => boolean) | undefined, outer: boolean, only: (r: Row) => Row, keyColumns: readonly string[]): KeyedRows => {
    const kept: KeyedRows = { rows: [], keys: [] };
    for (let i = 0; i < rows.length; i += 1) {
      const row = rows[i]!;
      if (isLate(row, column, input.lateEventsWatermarkMs)) {
        dropped += 1;
        continue;
      }
      if (filter !== undefined && filter(row) !== true) {
        if (outer) out.push(only(row));
        continue;
      }
      kept.rows.push(row);
      kept.keys.push(joinKeyOf(row, keyColumns));
    }
    return kept;
  };
  const lefts = prepare(input.leftRows, input.leftEventTimeColumn, leftFilter, leftOuter, output.leftOnly, leftKeys);
  const rights = prepare(input.rightRows, input.rightEventTimeColumn, rightFilter, rightOuter, output.rightOnly, rightKeys);
  const leftThreshold = threshold(cleanup.left, input.watermarkMs);
  const rightThreshold = threshold(cleanup.right, input.watermarkMs);

  return then(loadJoinSide(leftStore, leftKeys, leftOuter || semi), (leftSide) =>
    then(loadJoinSide(rightStore, rightKeys, rightOuter), (rightSide) => {
      let added = 0;
      let removed = 0;

      // 2. Left rows against the right state, then stored.
      for (let n = 0; n < lefts.rows.length; n += 1) {
        const l = lefts.rows[n]!;
        const key = lefts.keys[n];
        let matched = false;
        const candidates = key === undefined ? undefined : rightSide.candidates(key);
        if (candidates !== undefined) {
          for (let i = 0; i < candidates.length; i += 1) {
            const e = candidates[i]!;
            if (e.gone || !boundsHold(timeBounds, l, e.r) || (residual !== undefined && residual(l, e.r) !== true)) continue;
            matched = true;
            rightSide.markMatched(e, batchId);
            if (semi) break;
            out.push(output.both(l, e.r));
          }
        }
        if (semi && matched) out.push(l);
        const t = evictionTime(l, cleanup.left, leftKeys);
        const pastState = leftThreshold !== undefined && t !== null && t <= leftThreshold;
        if (!pastState && !(semi && matched) && (key !== undefined || leftOuter)) {
          leftSide.add(l, t, matched, key, batchId);
          added += 1;
        }
      }

      // 3. Right rows against the left state (with this batch's left rows), then stored.
      for (let n = 0; n < rights.rows.length; n += 1) {
        const r = rights.rows[n]!;
        const key = rights.keys[n];
        let matched = false;
        const candidates = key === undefined ? undefined : leftSide.candidates(key);
        if (candidates !== undefined) {
          for (let i = 0; i < candidates.length; i += 1) {
            const e = candidates[i]!;
            if (e.gone || (semi && e.m)) continue;
            if (!boundsHold(timeBounds, e.r, r) || (residual !== undefined && residual(e.r, r) !== true)) continue;
            matched = true;
            leftSide.markMatched(e, batchId);
            out.push(semi ? e.r : output.both(e.r, r));
          }
        }
        const t = evictionTime(r, cleanup.right, rightKeys);
        const pastState = rightThreshold !== undefined && t !== null && t <= rightThreshold;
        if (!pastState && (key !== undefined || rightOuter)) {
          rightSide.add(r, t, matched, key, batchId);
          added += 1;
        }
      }

      // 4. Eviction; unmatched rows of an outer side become null-padded output.
      if (leftThreshold !== undefined) {
        removed += leftSide.evict(leftThreshold, (e) => {
          if (leftOuter && !e.m) out.push(output.leftOnly(e.r));
        });
      }
      if (rightThreshold !== undefined) {
        removed += rightSide.evict(rightThreshold, (e) => {
          if (rightOuter && !e.m) out.push(output.rightOnly(e.r));
        });
      }

      // 5. This batch's block, marks and dropped blocks.
      leftSide.persist(leftStore, batchId);
      rightSide.persist(rightStore, batchId);
      return {
        rows: out,
        droppedByWatermark: dropped,
        numRowsTotal: leftSide.size + rightSide.size,
        numRowsUpdated: added,
        numRowsRemoved: removed,
      };
    }),
  );
}
