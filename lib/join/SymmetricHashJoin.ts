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
 * - Store layout (keys are order-preserving tuples, lib/state/keyEncoding): `['g', ...joinKey]` holds every
 *   stored row of one join key (read with one getMany per batch); `['t', time, ...joinKey]` indexes it by
 *   eviction time, so eviction is one range scan; `['n']` counts the side's rows. Everything written is a
 *   function of the previous version and the batch's rows, so a re-run batch writes the same state.
 * - Cost: a join key's rows are one value, rewritten whenever a row is added or evicted, so a key with very many
 *   buffered rows costs O(rows) per change (Spark keeps one entry per row instead).
 */
import type { MaybePromise, Row, StateStore } from '../contracts';
import { decodeKey, encodeKey, type KeyPart } from '../state/keyEncoding';
import { toBinaryString } from '../state/binaryString';
import { toEpochMs } from '../window/TimeWindow';
import { boundHolds, type JoinCondition, type StateCleanup, type TimeBound } from './joinCondition';
import type { JoinedRowBuilder } from './joinedRow';
import type { JoinType } from './joinType';

/** One stored row. */
interface StoredRow {
  /** The row. */
  r: Row;
  /** Its eviction time (ms), or null when it is never evicted. */
  t: number | null;
  /** Matched at least once. */
  m: boolean;
}

interface Group {
  readonly key: Uint8Array;
  readonly parts: KeyPart[];
  rows: StoredRow[];
  dirty: boolean;
}

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

const COUNT_KEY = encodeKey(['n']);
const INDEX_START = encodeKey(['t']);

/** A join key value as a key part: windows and other structs by their canonical text. */
function keyPart(v: unknown): KeyPart {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'string':
    case 'number':
    case 'boolean':
      return v;
    case 'bigint':
      return Number(v);
    default:
      if (v instanceof Date) return v.getTime();
      if (v instanceof Uint8Array) return v;
      return JSON.stringify(v, (_k, x: unknown) => (x instanceof Date ? x.getTime() : x));
  }
}

interface KeyedRow {
  readonly row: Row;
  readonly parts: KeyPart[];
  /** Binary string of the group key, for in-batch maps. */
  readonly id: string;
  readonly key: Uint8Array;
  readonly hasNull: boolean;
}

function keyed(row: Row, columns: readonly string[]): KeyedRow {
  const parts: KeyPart[] = ['g'];
  let hasNull = false;
  for (let i = 0; i < columns.length; i += 1) {
    const p = keyPart(row[columns[i]!]);
    if (p === null) hasNull = true;
    parts.push(p);
  }
  const key = encodeKey(parts);
  return { row, parts: parts.slice(1), id: toBinaryString(key), key, hasNull };
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

function thenAll<T>(values: Array<MaybePromise<T>>): MaybePromise<T[]> {
  return values.some((v) => typeof (v as { then?: unknown } | null)?.then === 'function') ? Promise.all(values) : (values as T[]);
}

function then<A, B>(x: MaybePromise<A>, f: (a: A) => MaybePromise<B>): MaybePromise<B> {
  return typeof (x as { then?: unknown } | null)?.then === 'function' ? (x as Promise<A>).then(f) : f(x as A);
}

function indexKey(t: number, parts: readonly KeyPart[]): Uint8Array {
  return encodeKey(['t', t, ...parts]);
}

/** Runs one batch of the join; synchronous when both stores answer synchronously. */
export function joinBatch(input: JoinBatchInput): MaybePromise<JoinBatchResult> {
  const { joinType, condition, cleanup, leftStore, rightStore, output } = input;
  const { leftKeys, rightKeys, timeBounds, residual, leftFilter, rightFilter } = condition;
  const leftOuter = joinType === 'leftOuter' || joinType === 'fullOuter';
  const rightOuter = joinType === 'rightOuter' || joinType === 'fullOuter';
  const semi = joinType === 'leftSemi';
  const out: Row[] = [];
  let dropped = 0;

  // 1. Late rows, pre-join filters (a failing row of an outer side is output at once and never stored).
  const prepare = (rows: readonly Row[], column: string | undefined, filter: ((r: Row) => boolean) | undefined, outer: boolean, only: (r: Row) => Row, keys: readonly string[]): KeyedRow[] => {
    const kept: KeyedRow[] = [];
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
      kept.push(keyed(row, keys));
    }
    return kept;
  };
  const lefts = prepare(input.leftRows, input.leftEventTimeColumn, leftFilter, leftOuter, output.leftOnly, leftKeys);
  const rights = prepare(input.rightRows, input.rightEventTimeColumn, rightFilter, rightOuter, output.rightOnly, rightKeys);

  // 2. Load every group either side of this batch touches, from both stores, in one getMany each.
  const ids = new Map<string, KeyedRow>();
  for (const k of lefts) if (!ids.has(k.id)) ids.set(k.id, k);
  for (const k of rights) if (!ids.has(k.id)) ids.set(k.id, k);
  const touched = [...ids.values()];
  const groupKeys = touched.map((k) => k.key);
  const leftThreshold = threshold(cleanup.left, input.watermarkMs);
  const rightThreshold = threshold(cleanup.right, input.watermarkMs);

  return then(thenAll([leftStore.getMany(groupKeys), rightStore.getMany(groupKeys), leftStore.get(COUNT_KEY), rightStore.get(COUNT_KEY)]), (loaded) => {
    const [leftValues, rightValues, leftCount, rightCount] = loaded as [unknown[], unknown[], number | undefined, number | undefined];
    const leftGroups = new Map<string, Group>();
    const rightGroups = new Map<string, Group>();
    for (let i = 0; i < touched.length; i += 1) {
      const k = touched[i]!;
      leftGroups.set(k.id, { key: k.key, parts: k.parts, rows: (leftValues[i] as StoredRow[] | undefined) ?? [], dirty: false });
      rightGroups.set(k.id, { key: k.key, parts: k.parts, rows: (rightValues[i] as StoredRow[] | undefined) ?? [], dirty: false });
    }
    const counts = { left: leftCount ?? 0, right: rightCount ?? 0, added: 0, removed: 0 };
    const indexWrites: Array<{ store: StateStore; key: Uint8Array }> = [];

    // 3. Left rows against the right state, then stored.
    for (let n = 0; n < lefts.length; n += 1) {
      const k = lefts[n]!;
      const l = k.row;
      let matched = false;
      if (!k.hasNull) {
        const g = rightGroups.get(k.id)!;
        for (let i = 0; i < g.rows.length; i += 1) {
          const e = g.rows[i]!;
          if (!boundsHold(timeBounds, l, e.r) || (residual !== undefined && residual(l, e.r) !== true)) continue;
          matched = true;
          if (!e.m) {
            e.m = true;
            g.dirty = true;
          }
          if (semi) break;
          out.push(output.both(l, e.r));
        }
        if (semi && matched) out.push(l);
      }
      const t = evictionTime(l, cleanup.left, leftKeys);
      const pastState = leftThreshold !== undefined && t !== null && t <= leftThreshold;
      const keep = !pastState && !(semi && matched) && (!k.hasNull || leftOuter);
      if (keep) {
        const g = leftGroups.get(k.id)!;
        g.rows.push({ r: l, t, m: matched });
        g.dirty = true;
        counts.left += 1;
        counts.added += 1;
        if (t !== null) indexWrites.push({ store: leftStore, key: indexKey(t, k.parts) });
      }
    }

    // 4. Right rows against the left state (with this batch's left rows), then stored.
    for (let n = 0; n < rights.length; n += 1) {
      const k = rights[n]!;
      const r = k.row;
      let matched = false;
      if (!k.hasNull) {
        const g = leftGroups.get(k.id)!;
        for (let i = 0; i < g.rows.length; i += 1) {
          const e = g.rows[i]!;
          if (semi && e.m) continue;
          if (!boundsHold(timeBounds, e.r, r) || (residual !== undefined && residual(e.r, r) !== true)) continue;
          matched = true;
          if (!e.m) {
            e.m = true;
            g.dirty = true;
          }
          out.push(semi ? e.r : output.both(e.r, r));
        }
      }
      const t = evictionTime(r, cleanup.right, rightKeys);
      const pastState = rightThreshold !== undefined && t !== null && t <= rightThreshold;
      const keep = !pastState && (!k.hasNull || rightOuter);
      if (keep) {
        const g = rightGroups.get(k.id)!;
        g.rows.push({ r, t, m: matched });
        g.dirty = true;
        counts.right += 1;
        counts.added += 1;
        if (t !== null) indexWrites.push({ store: rightStore, key: indexKey(t, k.parts) });
      }
    }
    for (const w of indexWrites) w.store.put(w.key, 1);

    // 5. Eviction by the index; unmatched rows of an outer side become null-padded output.
    const evict = (store: StateStore, groups: Map<string, Group>, limit: number | undefined, outer: boolean, only: (r: Row) => Row, side: 'left' | 'right'): MaybePromise<void> => {
      if (limit === undefined) return undefined;
      return then(store.range({ gte: INDEX_START, lt: encodeKey(['t', limit + 0.5]) }), (entries) => {
        const missing: Array<{ id: string; key: Uint8Array; parts: KeyPart[] }> = [];
        const evictedIds: string[] = [];
        const missingIds = new Set<string>();
        for (const [ik] of entries) {
          store.delete(ik);
          const parts = decodeKey(ik).slice(2);
          const key = encodeKey(['g', ...parts]);
          const id = toBinaryString(key);
          evictedIds.push(id);
          if (!groups.has(id) && !missingIds.has(id)) {
            missingIds.add(id);
            missing.push({ id, key, parts });
          }
        }
        return then(store.getMany(missing.map((m) => m.key)), (values) => {
          for (let i = 0; i < missing.length; i += 1) {
            const m = missing[i]!;
            groups.set(m.id, { key: m.key, parts: m.parts, rows: (values[i] as StoredRow[] | undefined) ?? [], dirty: false });
          }
          const seen = new Set<string>();
          for (const id of evictedIds) {
            if (seen.has(id)) continue;
            seen.add(id);
            const g = groups.get(id)!;
            const kept: StoredRow[] = [];
            for (const e of g.rows) {
              if (e.t !== null && e.t <= limit) {
                if (outer && !e.m) out.push(only(e.r));
                counts.removed += 1;
                if (side === 'left') counts.left -= 1;
                else counts.right -= 1;
              } else kept.push(e);
            }
            if (kept.length !== g.rows.length) {
              g.rows = kept;
              g.dirty = true;
            }
          }
        });
      });
    };

    return then(evict(leftStore, leftGroups, leftThreshold, leftOuter, output.leftOnly, 'left'), () =>
      then(evict(rightStore, rightGroups, rightThreshold, rightOuter, output.rightOnly, 'right'), () => {
        // 6. Write back.
        for (const [store, groups] of [
          [leftStore, leftGroups],
          [rightStore, rightGroups],
        ] as const) {
          for (const g of groups.values()) {
            if (!g.dirty) continue;
            if (g.rows.length === 0) store.delete(g.key);
            else store.put(g.key, g.rows);
          }
        }
        leftStore.put(COUNT_KEY, counts.left);
        rightStore.put(COUNT_KEY, counts.right);
        return {
          rows: out,
          droppedByWatermark: dropped,
          numRowsTotal: counts.left + counts.right,
          numRowsUpdated: counts.added,
          numRowsRemoved: counts.removed,
        };
      }),
    );
  });
}
