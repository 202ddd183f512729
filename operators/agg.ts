/**
 * `agg({...})` / `count()`: streaming aggregation with state, after `groupByKey` (Spark's StateStoreSaveExec
 * and, for session windows, SessionWindowStateStoreSaveExec).
 *
 * Invariants:
 * - Per batch: rows are first aggregated into one partial buffer per key; late keys (event time <= the
 *   previous batch's watermark, Spark 3.4+'s watermark for late events) are dropped and counted in
 *   numRowsDroppedByWatermark (append/update only); the partials are merged into the stored buffers.
 * - append emits a key once, in the batch whose watermark (for eviction) reaches its event time, then evicts
 *   it; update emits the keys changed in this batch and silently evicts keys past the watermark; complete emits
 *   every key every batch and never evicts or drops.
 * - Eviction and emission are decided by the event time of the key (window end, session end, or the timestamp
 *   itself), which leads the state key's bytes, so eviction is one range scan.
 * - All state lives in the batch context's state store; the operator keeps nothing between batches but what the
 *   store's memo holds for it (its groups decoded, see internal/DecodedStateCache), dropped with the memo.
 */
import { concatMap, type OperatorFunction } from 'rxjs';
import type { BatchMetadata, MaybePromise, MicroBatch, OutputMode, Row, StateSchemaDescription, StateStore } from '../lib/contracts';
import { ErrorCodes, WeirError } from '../lib/errors';
import type { AggregateFunction } from '../lib/aggregate';
import { count as countFunction } from '../lib/aggregate';
import { toEpochMs } from '../lib/window/TimeWindow';
import { describeOperator } from './describeOperator';
import { DecodedStateCache, isCodecStable } from './internal/DecodedStateCache';
import { GroupIndex } from './internal/groupIndex';
import { statefulOperatorHandle } from './internal/statefulOperatorHandle';
import { forEachLazyRow, forEachLazyRowExtended, withChanges } from './internal/lazyRows';
import { fromMaybe, then } from './internal/maybe';
import { keyId, readTimePrefix, sessionKey, sessionKeyPrefix, stateKey, timePrefix } from './internal/groupKey';
import { SESSION_WINDOW_COLUMN } from './sessionWindow';
import { prefixUpperBound } from '../lib/state/keyEncoding';
import { rememberEncoding } from '../lib/state/valueCodec';
import { APPEND_WITHOUT_WATERMARK, GLOBAL_SESSION_WINDOW, UPDATE_WITH_SESSION_WINDOW, analysisError, type AnalysisMessage } from '../lib/plan/analysisMessages';

/** Output column name → aggregate function. */
export type AggregateSpec = Readonly<Record<string, AggregateFunction<any, any, any>>>;

/** What the operator keeps per key. */
interface StoredGroup {
  /** Key column values (the output's key columns). */
  readonly k: Row;
  /** One buffer per aggregate, in spec order. */
  readonly b: unknown[];
  /** Session end (ms), for session windows. */
  readonly e?: number;
}

export { APPEND_WITHOUT_WATERMARK, GLOBAL_SESSION_WINDOW, UPDATE_WITH_SESSION_WINDOW };

function unsupported(message: AnalysisMessage, context: Record<string, unknown>): WeirError {
  return analysisError(message, context);
}

/** What an aggregation over `metadata` is, or the error Spark raises for it. Pure: used at start and per batch. */
export function planAggregation(
  metadata: BatchMetadata | undefined,
  outputMode: OutputMode,
  context: Record<string, unknown> = {},
): { columns: readonly string[]; isSession: boolean; timeKeyIndex: number; eventTimeColumn: string | undefined } {
  const grouping = metadata?.grouping ?? { columns: [] as string[] };
  const eventTimeColumn = metadata?.eventTimeColumn;
  const columns = grouping.columns;
  const isSession = columns.includes(SESSION_WINDOW_COLUMN);
  const timeKeyIndex = eventTimeColumn === undefined || grouping.keyFn ? -1 : columns.indexOf(eventTimeColumn);
  const ctx = { outputMode, ...context };
  if (isSession) {
    if (outputMode === 'update') throw unsupported(UPDATE_WITH_SESSION_WINDOW, ctx);
    if (columns.length < 2) throw unsupported(GLOBAL_SESSION_WINDOW, ctx);
  }
  if (outputMode === 'append' && timeKeyIndex < 0) throw unsupported(APPEND_WITHOUT_WATERMARK, ctx);
  return { columns, isSession, timeKeyIndex, eventTimeColumn };
}

/** Batch metadata after an aggregation: the event-time key stays event time; the grouping is consumed. */
function metadataAfter(plan: ReturnType<typeof planAggregation>): BatchMetadata {
  return plan.timeKeyIndex >= 0 && plan.eventTimeColumn !== undefined ? { eventTimeColumn: plan.eventTimeColumn } : {};
}

/** Event time of a key value for late checks and eviction: a window's end, or the timestamp. */
function keyEventTime(value: unknown): number | null {
  if (value !== null && typeof value === 'object' && !(value instanceof Date) && 'end' in value) {
    return toEpochMs((value as { end: unknown }).end);
  }
  return toEpochMs(value);
}

interface Partial {
  readonly values: unknown[];
  readonly k: Row;
  readonly b: unknown[];
}

function keyOf(row: Row, columns: readonly string[], keyFn: ((row: Row) => Row) | undefined): { k: Row; values: unknown[] } {
  if (keyFn) {
    const k = keyFn(row);
    return { k, values: Object.keys(k).map((c) => k[c]) };
  }
  const k: Row = {};
  const values = new Array<unknown>(columns.length);
  for (let i = 0; i < columns.length; i += 1) {
    const v = row[columns[i]!];
    k[columns[i]!] = v;
    values[i] = v;
  }
  return { k, values };
}

const hasOwn = Object.prototype.hasOwnProperty;

function outputRow(k: Row, buffers: readonly unknown[], names: readonly string[], fns: readonly AggregateFunction[]): Row {
  // Object.assign copies what `{ ...k }` copies, faster when columns are added after (see window.ts withColumn).
  const out: Row = hasOwn.call(k, '__proto__') ? { ...k } : Object.assign({}, k);
  for (let i = 0; i < names.length; i += 1) out[names[i]!] = fns[i]!.evaluate(buffers[i]);
  return out;
}

/**
 * Aggregates each group (set by `groupByKey`; all rows form one group without it) with the given functions.
 *
 * @example
 * import { agg, aggregate as A, groupByKey, window, withWatermark } from 'weir-streams/operators'
 * pipeline: [withWatermark('ts', '10 seconds'), window('ts', '10 seconds'), groupByKey('window', 'word'),
 *            agg({ n: A.count(), total: A.sum('amount') })]
 */
export function agg<T extends Row>(spec: AggregateSpec): OperatorFunction<MicroBatch<T>, MicroBatch<Row>> {
  const names = Object.keys(spec);
  const fns = names.map((n) => spec[n]!);
  if (names.length === 0) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, 'agg needs at least one aggregate function', { context: {} });
  }
  return describeOperator(
    `StateStoreSave [${names.map((n, i) => `${fns[i]!.name} AS ${n}`).join(', ')}]`,
    concatMap((batch: MicroBatch<T>) => fromMaybe(() => aggregateBatch(batch as MicroBatch<Row>, names, fns))),
    (state, outputMode) => ({
      metadata: metadataAfter(planAggregation(state.metadata, outputMode)),
      aggregations: state.aggregations + 1,
      statefulOperators: state.statefulOperators + 1,
    }),
  );
}

/** `groupByKey(...)` then `count()`: the `count` column, as Spark's `groupBy(...).count()`. */
export function count<T extends Row>(): OperatorFunction<MicroBatch<T>, MicroBatch<Row>> {
  return agg({ count: countFunction() });
}

/** The input of weir's `count()` / `count('*')`: a constant, so the row it is given is never read. */
const COUNT_ROWS_INPUT = countFunction().input;

/** Calls `visit` with each row of `batch`, without building lazy rows (see internal/lazyRows). */
function forEachRow(batch: MicroBatch<Row>, visit: (row: Row) => void): void {
  if (forEachLazyRow(batch, visit)) return;
  const rows = batch.rows;
  for (let r = 0; r < rows.length; r += 1) visit(rows[r]!);
}

/** One partial buffer per group of the batch's rows, in the order each group's first row appears. */
function partialAggregate(
  batch: MicroBatch<Row>,
  columns: readonly string[],
  keyFn: ((row: Row) => Row) | undefined,
  fns: readonly AggregateFunction[],
): Partial[] {
  const nAggs = fns.length;
  const newBuffers = (): unknown[] => {
    const b = new Array<unknown>(nAggs);
    for (let i = 0; i < nAggs; i += 1) b[i] = fns[i]!.init();
    return b;
  };
  if (keyFn) {
    const partials = new Map<string, Partial>();
    forEachRow(batch, (row) => {
      const { k, values } = keyOf(row, columns, keyFn);
      const id = keyId(values);
      let p = partials.get(id);
      if (p === undefined) {
        p = { values, k, b: newBuffers() };
        partials.set(id, p);
      }
      for (let i = 0; i < nAggs; i += 1) {
        const f = fns[i]!;
        p.b[i] = f.update(p.b[i], f.input(row));
      }
    });
    return [...partials.values()];
  }
  const index = new GroupIndex<Partial>(columns, (_row, values) => {
    const k: Row = {};
    for (let i = 0; i < columns.length; i += 1) k[columns[i]!] = values[i];
    return { values, k, b: newBuffers() };
  });
  if (nAggs === 1) {
    const f = fns[0]!;
    // count(*) does not read the row: visit lazy rows (window(), withColumn()) in extended form without building them.
    const fused =
      f.input === COUNT_ROWS_INPUT &&
      forEachLazyRowExtended(batch, (row, names, values) => {
        const b = index.findExtended(row, names, values).b;
        b[0] = f.update(b[0], f.input(row));
      });
    if (!fused) {
      forEachRow(batch, (row) => {
        const b = index.find(row).b;
        b[0] = f.update(b[0], f.input(row));
      });
    }
  } else {
    forEachRow(batch, (row) => {
      const b = index.find(row).b;
      for (let i = 0; i < nAggs; i += 1) {
        const f = fns[i]!;
        b[i] = f.update(b[i], f.input(row));
      }
    });
  }
  const out = new Array<Partial>(index.groups.length);
  for (let g = 0; g < out.length; g += 1) out[g] = index.groups[g]!.payload;
  return out;
}

/**
 * The state an aggregation keeps: its grouping columns (a key function's fields are unknown before its rows,
 * so it is described as one), and one buffer per aggregate, named by output column and typed by its function.
 */
function aggregateStateSchema(
  grouping: NonNullable<BatchMetadata['grouping']>,
  names: readonly string[],
  fns: readonly AggregateFunction[],
): StateSchemaDescription {
  return {
    keySchema: grouping.keyFn ? [{ name: '<key function>' }] : grouping.columns.map((name) => ({ name })),
    valueSchema: names.map((name, i) => ({ name, type: fns[i]!.name })),
  };
}

interface AggregateCounters {
  droppedByWatermark: number;
}

const aggregateMetrics = (c: AggregateCounters) => ({ numRowsDroppedByWatermark: c.droppedByWatermark });

function aggregateBatch(batch: MicroBatch<Row>, names: readonly string[], fns: readonly AggregateFunction[]): MaybePromise<MicroBatch<Row>> {
  const { context, outputMode } = batch;
  const operatorId = context.nextOperatorId('aggregate');
  const plan = planAggregation(batch.metadata, outputMode, { operatorId, batchId: batch.batchId });
  const { columns, isSession, timeKeyIndex, eventTimeColumn } = plan;
  const grouping = batch.metadata?.grouping ?? { columns: [] as string[] };
  const timeKeyed = timeKeyIndex >= 0;

  const counters: AggregateCounters = { droppedByWatermark: 0 };
  context.registerStatefulOperator(
    statefulOperatorHandle({
      operatorId,
      operatorName: isSession ? 'sessionWindowStateStoreSaveExec' : 'stateStoreSave',
      batchWatermarkMs: batch.watermarkMs,
      noDataBatch: timeKeyed && outputMode !== 'complete' ? 'watermarkAdvance' : 'never',
      counters,
      metricsOf: aggregateMetrics,
      stateSchema: aggregateStateSchema(grouping, names, fns),
    }),
  );
  const emit = (rows: Row[]): MicroBatch<Row> => withChanges(batch, { rows, metadata: metadataAfter(plan) });
  const dropLate = timeKeyed && outputMode !== 'complete';

  if (isSession) {
    return then(context.stateStore(operatorId), (store) =>
      then(
        sessionBatch(batch, store, columns, eventTimeColumn === SESSION_WINDOW_COLUMN, names, fns, (n) => {
          counters.droppedByWatermark += n;
        }),
        emit,
      ),
    );
  }

  // 1. Partial aggregation of this batch's rows.
  const partials = partialAggregate(batch, columns, grouping.keyFn, fns);
  // 2. Late keys (after partial aggregation, as Spark counts them).
  const live: Array<{ p: Partial; key: Uint8Array; time: number | undefined }> = [];
  for (let g = 0; g < partials.length; g += 1) {
    const p = partials[g]!;
    const time = timeKeyed ? keyEventTime(p.values[timeKeyIndex]) : undefined;
    if (timeKeyed && time === null) continue; // null event time: no window, no group (Spark drops it too)
    if (dropLate && time !== undefined && time !== null && time <= batch.lateEventsWatermarkMs) {
      counters.droppedByWatermark += 1;
      continue;
    }
    live.push({ p, key: stateKey(p.values, time ?? undefined), time: time ?? undefined });
  }

  return then(context.stateStore(operatorId), (store) =>
    then(DecodedStateCache.of<StoredGroup>(store), (decoded) => {
      // The groups of the previous batches come from the decoded cache; only the others are read from the store.
      const ids = new Array<string>(live.length);
      const previous = new Array<StoredGroup | undefined>(live.length);
      const misses: number[] = [];
      for (let i = 0; i < live.length; i += 1) {
        const id = DecodedStateCache.id(live[i]!.key);
        ids[i] = id;
        const cached = decoded.get(id);
        if (cached !== undefined) previous[i] = cached;
        else misses.push(i);
      }
      const read = misses.length === 0 ? [] : store.getMany(misses.map((i) => live[i]!.key));
      return then(read, (stored) => {
        for (let m = 0; m < misses.length; m += 1) previous[misses[m]!] = stored[m] as StoredGroup | undefined;
        // 3. Merge partials into state.
        const updated: Row[] = [];
        for (let i = 0; i < live.length; i += 1) {
          const { p, key } = live[i]!;
          const before = previous[i];
          const buffers = before === undefined ? p.b : fns.map((f, j) => f.merge(before.b[j], p.b[j]));
          // The key object of the group's first batch is kept (equal by value to this batch's), so the decoded
          // cache's stability check and the codec see one object per group rather than one per batch.
          const k = before === undefined ? p.k : before.k;
          if (typeof k === 'object' && k !== null) rememberEncoding(k);
          const group: StoredGroup = { k, b: buffers };
          store.put(key, group);
          // A plain {k, b} literal is as stable as its two parts (no symbols, no other keys, Object's prototype).
          decoded.set(ids[i]!, group, isCodecStable(k, 1) && isCodecStable(buffers, 1));
          if (outputMode === 'update') updated.push(outputRow(p.k, buffers, names, fns));
        }
        // 4. Output by mode.
        if (outputMode === 'complete') {
          return then(store.range(), (all) => emit(all.map(([, g]) => outputRow((g as StoredGroup).k, (g as StoredGroup).b, names, fns))));
        }
        if (!timeKeyed) return emit(updated);
        return then(store.range({ lt: timePrefix(batch.watermarkMs + 1) }), (expired) => {
          const out = outputMode === 'update' ? updated : [];
          for (const [key, value] of expired) {
            const g = value as StoredGroup;
            if (outputMode === 'append') out.push(outputRow(g.k, g.b, names, fns));
            store.delete(key);
            decoded.delete(DecodedStateCache.id(key));
          }
          return emit(out);
        });
      });
    }),
  );
}

interface Session {
  start: number;
  end: number;
  b: unknown[];
  k: Row;
  /** State keys this session replaces. */
  readonly replaces: Uint8Array[];
  dirty: boolean;
}

/**
 * Session windows: per group (the keys besides `session_window`), merge stored and new sessions that overlap
 * or touch (`next.start <= current.end`), then emit/evict sessions whose end <= watermark (append) or emit all
 * (complete).
 */
function sessionBatch(
  batch: MicroBatch<Row>,
  store: StateStore,
  columns: readonly string[],
  sessionIsEventTime: boolean,
  names: readonly string[],
  fns: readonly AggregateFunction[],
  countDropped: (n: number) => void,
): MaybePromise<Row[]> {
  const groupColumns = columns.filter((c) => c !== SESSION_WINDOW_COLUMN);
  const dropLate = sessionIsEventTime && batch.outputMode !== 'complete';
  const groups = new Map<string, { values: unknown[]; k: Row; sessions: Session[] }>();
  let dropped = 0;
  for (const row of batch.rows) {
    const sw = row[SESSION_WINDOW_COLUMN] as { start: Date; end: Date } | undefined;
    if (!sw) continue;
    const start = sw.start.getTime();
    const end = sw.end.getTime();
    if (dropLate && end <= batch.lateEventsWatermarkMs) {
      dropped += 1;
      continue;
    }
    const { k, values } = keyOf(row, groupColumns, undefined);
    const id = keyId(values);
    let g = groups.get(id);
    if (!g) {
      g = { values, k, sessions: [] };
      groups.set(id, g);
    }
    const b = fns.map((f) => f.update(f.init(), f.input(row)));
    g.sessions.push({ start, end, b, k, replaces: [], dirty: true });
  }
  countDropped(dropped);

  const groupList = [...groups.values()];
  const loads = groupList.map((g) => {
    const prefix = sessionKeyPrefix(g.values);
    const lt = prefixUpperBound(prefix);
    return then(store.range(lt === undefined ? { gte: prefix } : { gte: prefix, lt }), (entries) => ({ g, prefix, entries }));
  });
  const merged = loads.some((l) => typeof (l as { then?: unknown }).then === 'function')
    ? Promise.all(loads)
    : (loads as Array<{ g: (typeof groupList)[number]; prefix: Uint8Array; entries: Array<[Uint8Array, unknown]> }>);

  return then(merged, (loaded) => {
    for (const { g, prefix, entries } of loaded) {
      const all: Session[] = [
        ...entries.map(([key, value]) => {
          const s = value as StoredGroup;
          const start = readTimePrefix(key.subarray(prefix.length));
          return { start, end: s.e!, b: s.b, k: s.k, replaces: [key], dirty: false };
        }),
        ...g.sessions,
      ].sort((a, b) => a.start - b.start || a.end - b.end);
      const result: Session[] = [];
      for (const s of all) {
        const cur = result[result.length - 1];
        if (cur && s.start <= cur.end) {
          cur.end = Math.max(cur.end, s.end);
          cur.b = fns.map((f, i) => f.merge(cur.b[i], s.b[i]));
          cur.replaces.push(...s.replaces);
          cur.dirty = true;
        } else {
          result.push({ ...s, replaces: [...s.replaces] });
        }
      }
      for (const s of result) {
        if (!s.dirty) continue;
        for (const key of s.replaces) store.delete(key);
        store.put(sessionKey(prefix, s.start), { k: s.k, b: s.b, e: s.end } satisfies StoredGroup);
      }
    }
    return then(store.range(), (all) => {
      const out: Row[] = [];
      for (const [key, value] of all) {
        const g = value as StoredGroup;
        const prefixLength = 4 + new DataView(key.buffer, key.byteOffset, 4).getUint32(0, false);
        const start = readTimePrefix(key.subarray(prefixLength));
        const expired = g.e! <= batch.watermarkMs;
        if (batch.outputMode === 'complete' || expired) {
          out.push(
            outputRow({ ...g.k, [SESSION_WINDOW_COLUMN]: { start: new Date(start), end: new Date(g.e!) } }, g.b, names, fns),
          );
        }
        if (batch.outputMode === 'append' && expired) store.delete(key);
      }
      return out;
    });
  });
}
