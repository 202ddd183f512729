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
 * - Times are compared as numbers (epoch ms, NaN for null, so a null time never satisfies a bound): each side's
 *   times in its bound, eviction and event-time columns are read once per row (`prepare`).
 */
import type { MaybePromise, Row, StateStore } from '../contracts';
import { then } from '../util/maybe';
import { toEpochMs } from '../window/TimeWindow';
import type { JoinCondition, StateCleanup, TimeBound } from './joinCondition';
import type { JoinedRowBuilder } from './joinedRow';
import type { JoinType } from './joinType';
import { hashNumber, isTableKey } from './ChainTable';
import { GONE, joinKeyOf, loadJoinSide, MATCHED, type JoinKey, type JoinSideState } from './JoinSideState';

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

/** The column whose time evicts a row under `cleanup` (a window key by its end), or undefined (never evicted). */
function evictionColumn(cleanup: StateCleanup | undefined, keyColumns: readonly string[]): string | undefined {
  if (cleanup === undefined) return undefined;
  return cleanup.kind === 'key' ? keyColumns[cleanup.keyIndex] : cleanup.column;
}

/** The threshold at or below which a side's rows are evicted in this batch. */
function threshold(cleanup: StateCleanup | undefined, watermarkMs: number): number | undefined {
  if (cleanup === undefined) return undefined;
  return cleanup.kind === 'key' ? watermarkMs : watermarkMs + cleanup.offsetMs;
}

/** A time bound over column indexes: `left.times[l] <op> right.times[r] + offset` (op: 0 <, 1 <=, 2 >, 3 >=). */
interface CompiledBound {
  readonly l: number;
  readonly r: number;
  readonly op: number;
  readonly offset: number;
}

const OPS: Record<TimeBound['op'], number> = { '<': 0, '<=': 1, '>': 2, '>=': 3 };

/** Each side's distinct bound columns (what its state keeps times of) and the bounds over their indexes. */
function compileBounds(bounds: readonly TimeBound[]): { left: string[]; right: string[]; bounds: CompiledBound[] } {
  const left: string[] = [];
  const right: string[] = [];
  const indexIn = (names: string[], name: string): number => {
    const i = names.indexOf(name);
    return i >= 0 ? i : names.push(name) - 1;
  };
  const compiled = bounds.map((b) => ({ l: indexIn(left, b.leftColumn), r: indexIn(right, b.rightColumn), op: OPS[b.op], offset: b.offsetMs }));
  return { left, right, bounds: compiled };
}

/**
 * True when every bound holds for the left times `lt[c][li]` and the right times `rt[c][ri]` (times as numbers,
 * NaN for null: a null time never satisfies a bound, as boundHolds).
 */
function boundsHold(bounds: readonly CompiledBound[], lt: readonly Float64Array[], li: number, rt: readonly Float64Array[], ri: number): boolean {
  for (let i = 0; i < bounds.length; i += 1) {
    const b = bounds[i]!;
    const l = lt[b.l]![li]!;
    const r = rt[b.r]![ri]! + b.offset;
    switch (b.op) {
      case 0:
        if (!(l < r)) return false;
        break;
      case 1:
        if (!(l <= r)) return false;
        break;
      case 2:
        if (!(l > r)) return false;
        break;
      default:
        if (!(l >= r)) return false;
    }
  }
  return true;
}

/**
 * A side's rows that passed the late and pre-join filters: their join keys, and their times (NaN for null) in
 * `columns`, the side's bound columns first (in the state's order), then its eviction column (`evict` its index).
 */
interface KeyedRows {
  readonly rows: readonly Row[];
  readonly keys: Array<JoinKey | undefined>;
  readonly times: Float64Array[];
  readonly evict: number;
  /** Rows dropped as late. */
  readonly dropped: number;
}

/**
 * A side's rows without the late ones (event time <= `lateMs`, counted) and those failing the pre-join filter
 * (output at once through `only` for an outer side, never stored), with their keys and times.
 */
function prepare(
  rows: readonly Row[],
  lateColumn: string | undefined,
  lateMs: number,
  filter: ((r: Row) => boolean) | undefined,
  only: ((r: Row) => Row) | undefined,
  keyColumns: readonly string[],
  boundColumns: readonly string[],
  evictColumn: string | undefined,
  out: Row[],
): KeyedRows {
  const columns = [...boundColumns];
  const evict = evictColumn === undefined ? -1 : columns.includes(evictColumn) ? columns.indexOf(evictColumn) : columns.push(evictColumn) - 1;
  const late = lateColumn === undefined ? -1 : columns.indexOf(lateColumn);
  const n = rows.length;
  const times = columns.map(() => new Float64Array(n));
  const keys = new Array<JoinKey | undefined>(n);
  // The rows kept, once one is not (until then, `rows` itself).
  let kept: Row[] | undefined;
  let k = 0;
  let dropped = 0;
  for (let i = 0; i < n; i += 1) {
    const row = rows[i]!;
    // The late column's time, when it is one of `columns`, is kept below instead of read twice.
    let lateTime = NaN;
    if (lateColumn !== undefined) {
      lateTime = toEpochMs(row[lateColumn]) ?? NaN;
      if (lateTime <= lateMs) {
        dropped += 1;
        kept ??= rows.slice(0, i);
        continue;
      }
    }
    if (filter !== undefined && filter(row) !== true) {
      if (only !== undefined) out.push(only(row));
      kept ??= rows.slice(0, i);
      continue;
    }
    for (let c = 0; c < columns.length; c += 1) times[c]![k] = c === late ? lateTime : (toEpochMs(row[columns[c]!]) ?? NaN);
    keys[k] = joinKeyOf(row, keyColumns);
    if (kept !== undefined) kept.push(row);
    k += 1;
  }
  keys.length = k;
  return { rows: kept ?? rows, keys, times, evict, dropped };
}

/** What {@link joinLefts} and {@link joinRights} share. */
interface SideRun {
  readonly bounds: readonly CompiledBound[];
  readonly residual: ((left: Row, right: Row) => boolean) | undefined;
  readonly output: JoinedRowBuilder;
  readonly semi: boolean;
  readonly batchId: number;
  readonly out: Row[];
  added: number;
}

/**
 * The left rows against the right state (its segments oldest first: a key's rows come in buffering order), each
 * then stored unless past the state's threshold (or matched, for a semi join).
 */
function joinLefts(run: SideRun, lefts: KeyedRows, leftSide: JoinSideState, rightSide: JoinSideState, limit: number | undefined, outer: boolean): void {
  const { bounds, residual, output, semi, out } = run;
  const lt = lefts.times;
  const evict = lefts.evict;
  const segments = rightSide.segments;
  leftSide.expect(lefts.rows.length);
  for (let n = 0; n < lefts.rows.length; n += 1) {
    const l = lefts.rows[n]!;
    const key = lefts.keys[n];
    const hash = key !== undefined && isTableKey(key) ? hashNumber(key) : 0;
    let matched = false;
    if (key !== undefined) {
      const numeric = typeof key === 'number';
      probe: for (let g = 0; g < segments.length; g += 1) {
        const segment = segments[g]!;
        if (numeric && (key < segment.minKey || key > segment.maxKey)) continue;
        const { flags, next, times } = segment;
        for (let s = segment.table.first(key, hash, segment.intKeys); s >= 0; s = next[s]!) {
          if ((flags[s]! & GONE) !== 0 || !boundsHold(bounds, lt, n, times, s)) continue;
          const r = rightSide.row(segment, s);
          if (residual !== undefined && residual(l, r) !== true) continue;
          matched = true;
          rightSide.markMatched(segment, s);
          if (semi) break probe;
          out.push(output.both(l, r));
        }
      }
    }
    if (semi && matched) out.push(l);
    const t = evict < 0 ? NaN : lt[evict]![n]!;
    const pastState = limit !== undefined && t <= limit;
    if (!pastState && !(semi && matched) && (key !== undefined || outer)) {
      leftSide.add(l, t, matched, key, hash, lt, n, run.batchId);
      run.added += 1;
    }
  }
}

/** The right rows against the left state (with this batch's left rows), each then stored unless past the threshold. */
function joinRights(run: SideRun, rights: KeyedRows, rightSide: JoinSideState, leftSide: JoinSideState, limit: number | undefined, outer: boolean): void {
  const { bounds, residual, output, semi, out } = run;
  const rt = rights.times;
  const evict = rights.evict;
  const segments = leftSide.segments;
  rightSide.expect(rights.rows.length);
  for (let n = 0; n < rights.rows.length; n += 1) {
    const r = rights.rows[n]!;
    const key = rights.keys[n];
    const hash = key !== undefined && isTableKey(key) ? hashNumber(key) : 0;
    let matched = false;
    if (key !== undefined) {
      const numeric = typeof key === 'number';
      for (let g = 0; g < segments.length; g += 1) {
        const segment = segments[g]!;
        if (numeric && (key < segment.minKey || key > segment.maxKey)) continue;
        const { flags, next, times } = segment;
        for (let s = segment.table.first(key, hash, segment.intKeys); s >= 0; s = next[s]!) {
          const f = flags[s]!;
          if ((f & GONE) !== 0 || (semi && (f & MATCHED) !== 0)) continue;
          if (!boundsHold(bounds, times, s, rt, n)) continue;
          const l = leftSide.row(segment, s);
          if (residual !== undefined && residual(l, r) !== true) continue;
          matched = true;
          leftSide.markMatched(segment, s);
          out.push(semi ? l : output.both(l, r));
        }
      }
    }
    const t = evict < 0 ? NaN : rt[evict]![n]!;
    const pastState = limit !== undefined && t <= limit;
    if (!pastState && (key !== undefined || outer)) {
      rightSide.add(r, t, matched, key, hash, rt, n, run.batchId);
      run.added += 1;
    }
  }
}

/** Runs one batch of the join; synchronous when both stores answer synchronously. */
export function joinBatch(input: JoinBatchInput): MaybePromise<JoinBatchResult> {
  const { joinType, condition, cleanup, leftStore, rightStore, output } = input;
  const { leftKeys, rightKeys, residual, leftFilter, rightFilter } = condition;
  const leftOuter = joinType === 'leftOuter' || joinType === 'fullOuter';
  const rightOuter = joinType === 'rightOuter' || joinType === 'fullOuter';
  const semi = joinType === 'leftSemi';
  const batchId = leftStore.version;
  const out: Row[] = [];
  const compiled = compileBounds(condition.timeBounds);
  const bounds = compiled.bounds;

  // 1. Late rows, pre-join filters (a failing row of an outer side is output at once and never stored).
  const late = input.lateEventsWatermarkMs;
  const lefts = prepare(input.leftRows, input.leftEventTimeColumn, late, leftFilter, leftOuter ? output.leftOnly : undefined, leftKeys, compiled.left, evictionColumn(cleanup.left, leftKeys), out);
  const rights = prepare(input.rightRows, input.rightEventTimeColumn, late, rightFilter, rightOuter ? output.rightOnly : undefined, rightKeys, compiled.right, evictionColumn(cleanup.right, rightKeys), out);
  const dropped = lefts.dropped + rights.dropped;
  const leftThreshold = threshold(cleanup.left, input.watermarkMs);
  const rightThreshold = threshold(cleanup.right, input.watermarkMs);

  return then(loadJoinSide(leftStore, leftKeys, leftOuter || semi, compiled.left), (leftSide) =>
    then(loadJoinSide(rightStore, rightKeys, rightOuter, compiled.right), (rightSide) => {
      let removed = 0;

      // 2. Left rows against the right state, then stored; 3. right rows against the left state (with this
      // batch's left rows), then stored.
      const run: SideRun = { bounds, residual, output, semi, batchId, out, added: 0 };
      joinLefts(run, lefts, leftSide, rightSide, leftThreshold, leftOuter);
      joinRights(run, rights, rightSide, leftSide, rightThreshold, rightOuter);

      // 4. Eviction; unmatched rows of an outer side become null-padded output.
      if (leftThreshold !== undefined) removed += leftSide.evict(leftThreshold, leftOuter ? (row) => out.push(output.leftOnly(row)) : undefined);
      if (rightThreshold !== undefined) removed += rightSide.evict(rightThreshold, rightOuter ? (row) => out.push(output.rightOnly(row)) : undefined);

      // 5. This batch's block, marks and dropped blocks.
      leftSide.persist(leftStore, batchId);
      rightSide.persist(rightStore, batchId);
      return {
        rows: out,
        droppedByWatermark: dropped,
        numRowsTotal: leftSide.size + rightSide.size,
        numRowsUpdated: run.added,
        numRowsRemoved: removed,
      };
    }),
  );
}
