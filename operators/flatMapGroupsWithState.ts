/**
 * `flatMapGroupsWithState(key, outputMode, timeout, fn)`: arbitrary stateful processing per group (Spark's
 * FlatMapGroupsWithStateExec, state format 2).
 *
 * Invariants:
 * - Per batch, first every group with rows calls `fn(key, rows, state)` (rows in input order, groups in order of
 *   their first row), then, when a timeout is configured, every stored group whose timeout timestamp is below the
 *   threshold (the batch's processing time for ProcessingTimeTimeout, its watermark for EventTimeTimeout) calls
 *   `fn(key, [], state)` with `state.hasTimedOut`. A group that got rows in this batch is not timed out in it.
 * - With EventTimeTimeout, late rows (event time <= the previous batch's watermark) are dropped before grouping.
 * - After each call the group's state is written as Spark writes it: removed (and no timeout set) -> deleted;
 *   otherwise written when updated, removed or its timeout changed. A timeout is kept only if the call set it.
 *   Under PySpark's name (`applyInPandasWithState`, DataFrame face) PySpark's rule applies instead: a call that
 *   neither updates, removes nor sets a timeout leaves the stored row, timeout included, as it was.
 * - The operator asks for a no-data batch always with ProcessingTimeTimeout (so every trigger runs a batch, as in
 *   Spark: give such queries a trigger interval) and when the watermark moved with EventTimeTimeout, so timeouts
 *   fire without new data. As in Spark, a restarted query knows nothing of its previous plan: until data arrives
 *   it runs no batch, so pending timeouts wait for it.
 * - Processing time is the batch's `batchTimestampMs` (from the query clock, logged in offsets/N), so a batch
 *   re-run after a crash times out the same groups.
 * - State lives only in the batch context's store, one entry per group: `{ k: key, s: value | null, t: timeout }`.
 * - An initial state (Spark's `initialState`) is applied in batch 0 only (a restarted query ignores it, as
 *   Spark does): each of its keys is stored with its value and no timeout, then the function is called once for
 *   every key with rows or initial state or both (initial-only keys with no rows, after the keys with rows).
 *   Two entries for one key fail the batch with Spark's message.
 */
import { concatMap, type OperatorFunction } from 'rxjs';
import type { MicroBatch, OutputMode, Row } from '../lib/contracts';
import { ErrorCodes, WeirError, isWeirError } from '../lib/errors';
import { eventTimeOf } from '../lib/dedup/deduplicate';
import { GroupStateImpl, GroupStateTimeout, parseGroupStateTimeout, type GroupState } from '../lib/groupState/GroupState';
import { EVENT_TIME_TIMEOUT_WITHOUT_WATERMARK, declareGroupsWithState, modeName } from '../lib/plan/groupsWithStateRules';
import { analysisError, eventTimeTimeoutWithoutWatermark } from '../lib/plan/analysisMessages';
import { keyId, stateKey } from './internal/groupKey';
import { fromMaybe, then } from './internal/maybe';
import { withChanges } from './internal/lazyRows';
import { statefulOperatorHandle } from './internal/statefulOperatorHandle';
import { describeOperator } from './describeOperator';

/**
 * The user function: the group's key, its rows of this batch (none when timed out) and its state; returns the
 * output rows (any iterable, or nothing).
 */
export type FlatMapGroupsWithStateFunction<K, T, S, O> = (key: K, rows: readonly T[], state: GroupState<S>) => Iterable<O> | void;

/** How rows are grouped: a key function returning an object of key columns, or key column names. */
export type GroupKey<T, K> = ((row: T) => K) | readonly string[];

/** Options of {@link flatMapGroupsWithState} and mapGroupsWithState. */
export interface GroupsWithStateOptions<K, S> {
  /** `[key, state]` pairs set before batch 0 (Spark's `initialState`); keys as the operator's keys (key row). */
  readonly initialState?: Iterable<readonly [K, S]>;
}

/** What the operator stores per group. */
interface StoredGroup<S> {
  readonly k: Row;
  readonly s: S | null;
  /** Timeout timestamp (ms), or -1 for none (Spark's NO_TIMESTAMP). */
  readonly t: number;
}

const NO_TIMESTAMP = -1;

interface GroupStateCounters {
  droppedByWatermark: number;
}

const groupStateMetrics = (c: GroupStateCounters) => ({ numRowsDroppedByWatermark: c.droppedByWatermark });

/** The pairs of an initial state, checked to be `[key row, state]` pairs. */
function initialStateEntries<K, S>(name: string, initialState: Iterable<readonly [K, S]>): ReadonlyArray<readonly [K, S]> {
  const entries = typeof (initialState as { [Symbol.iterator]?: unknown })?.[Symbol.iterator] === 'function' ? [...initialState] : undefined;
  const bad = entries === undefined ? -1 : entries.findIndex((e) => !Array.isArray(e) || e.length !== 2 || typeof e[0] !== 'object' || e[0] === null);
  if (entries === undefined || bad >= 0) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `The initialState of ${name} must be an iterable of [key row, state] pairs`, {
      context: { entry: bad },
    });
  }
  return entries;
}

/** Spark's message for two initial states of one key. */
const DUPLICATE_INITIAL_KEY =
  'The initial state provided contained multiple rows(state) with the same key. Make sure to de-duplicate the initial state before passing it.';

/**
 * Adds the initial state's keys to `groups` (keys without rows get none) and returns each group's initial value.
 *
 * @throws WeirError `INVALID_ARGUMENT` with Spark's message when a key appears twice.
 */
function initialGroups<K, S>(
  entries: ReadonlyArray<readonly [K, S]>,
  groups: Map<string, { k: Row; key: Uint8Array; rows: unknown[] }>,
  keyValues: (k: Row) => unknown[],
): Map<object, { s: S }> {
  const out = new Map<object, { s: S }>();
  const seen = new Set<string>();
  for (const [k, s] of entries) {
    const values = keyValues(k as Row);
    const id = keyId(values);
    if (seen.has(id)) throw new WeirError(ErrorCodes.INVALID_ARGUMENT, DUPLICATE_INITIAL_KEY, { context: { key: JSON.stringify(values) } });
    seen.add(id);
    let g = groups.get(id);
    if (g === undefined) {
      g = { k: k as Row, key: stateKey(values), rows: [] };
      groups.set(id, g);
    }
    out.set(g, { s });
  }
  return out;
}

/** Spark's message for a failing user function. */
function userFunctionError(e: unknown, operatorId: string, batchId: number, name: string): unknown {
  if (isWeirError(e)) return e;
  return new WeirError(
    ErrorCodes.OPERATOR_ERROR,
    `[FLATMAPGROUPSWITHSTATE_USER_FUNCTION_ERROR] An error occurred in the user provided function in ${name}. Reason: ${(e as Error)?.message ?? String(e)}`,
    { cause: e, context: { operatorId, batchId } },
  );
}

function parseOpMode(mode: string): 'append' | 'update' {
  const m = String(mode).toLowerCase();
  if (m === 'append' || m === 'update') return m;
  throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `The output mode of flatMapGroupsWithState must be 'append' or 'update', got ${mode}`, {
    context: { outputMode: mode },
  });
}

/** @internal The operator behind flatMapGroupsWithState and mapGroupsWithState. */
export function groupsWithState<T extends Row, K extends Row, S, O extends Row>(
  name: 'flatMapGroupsWithState' | 'mapGroupsWithState' | 'applyInPandasWithState',
  key: GroupKey<T, K>,
  opMode: 'append' | 'update',
  timeoutConf: GroupStateTimeout,
  call: (key: K, rows: readonly T[], state: GroupState<S>) => Iterable<O> | void,
  options: { readonly batchQuery?: boolean; readonly initialState?: Iterable<readonly [K, S]> } = {},
): OperatorFunction<MicroBatch<T>, MicroBatch<O>> {
  const timeout = parseGroupStateTimeout(timeoutConf);
  const initialState = options.initialState === undefined ? undefined : initialStateEntries(name, options.initialState);
  // A batch DataFrame runs the operator once; Spark checks no output mode or watermark for it (and no timeout
  // can fire in its single batch).
  const batchQuery = options.batchQuery === true;
  /** The key values of a key row (the operator's key, or an initial-state key). */
  const keyValues = (k: Row): unknown[] => (typeof key === 'function' ? Object.keys(k).map((c) => k[c] ?? null) : key.map((c) => k[c] ?? null));
  const keyOf: (row: T) => { k: Row; values: unknown[] } =
    typeof key === 'function'
      ? (row) => {
          const k = key(row) as Row;
          return { k, values: Object.keys(k).map((c) => k[c] ?? null) };
        }
      : (row) => {
          const k: Row = {};
          const values = key.map((c) => {
            const v = row[c] ?? null;
            k[c] = v;
            return v;
          });
          return { k, values };
        };
  if (typeof key !== 'function' && (!Array.isArray(key) || key.some((c) => typeof c !== 'string'))) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `${name} groups by a key function or column names`, { context: {} });
  }
  const isMap = name === 'mapGroupsWithState';
  const checkTimeout = (eventTimeColumn: string | undefined, outputMode: OutputMode): void => {
    if (timeout === GroupStateTimeout.EventTimeTimeout && eventTimeColumn === undefined) {
      const message =
        name === 'applyInPandasWithState' ? eventTimeTimeoutWithoutWatermark('applyInPandasWithState') : EVENT_TIME_TIMEOUT_WITHOUT_WATERMARK;
      throw analysisError(message, { outputMode });
    }
  };
  /** With the first batch (a pipeline the start-time analysis could not see through): what can be checked here. */
  const checkRuntime = (eventTimeColumn: string | undefined, outputMode: OutputMode): void => {
    if (isMap && outputMode !== 'update') {
      throw new WeirError(
        ErrorCodes.UNSUPPORTED_OPERATION,
        `mapGroupsWithState is not supported with ${modeName(outputMode)} output mode on a streaming DataFrame/Dataset`,
        { context: { outputMode } },
      );
    }
    checkTimeout(eventTimeColumn, outputMode);
  };

  // Spark's state: the grouping key, the user's state, and its timeout timestamp when a timeout is set.
  const stateSchema = {
    keySchema: typeof key === 'function' ? [{ name: '<key function>' }] : key.map((name) => ({ name })),
    valueSchema: [{ name: 'groupState' }, ...(timeout === GroupStateTimeout.NoTimeout ? [] : [{ name: 'timeoutTimestamp' }])],
  };
  const op = describeOperator(
    `${isMap ? 'MapGroupsWithState' : 'FlatMapGroupsWithState'} ${opMode}, ${timeout}`,
    concatMap((batch: MicroBatch<T>) =>
      fromMaybe(() => {
        const { context } = batch;
        const operatorId = context.nextOperatorId(name);
        const eventTimeColumn = batch.metadata?.eventTimeColumn;
        if (!batchQuery) checkRuntime(eventTimeColumn, batch.outputMode);
        const counters: GroupStateCounters = { droppedByWatermark: 0 };
        context.registerStatefulOperator(
          statefulOperatorHandle({
            operatorId,
            operatorName: name === 'applyInPandasWithState' ? name : 'flatMapGroupsWithState',
            batchWatermarkMs: batch.watermarkMs,
            noDataBatch:
              timeout === GroupStateTimeout.ProcessingTimeTimeout
                ? 'always'
                : timeout === GroupStateTimeout.EventTimeTimeout && eventTimeColumn !== undefined
                  ? 'watermarkAdvance'
                  : 'never',
            counters,
            metricsOf: groupStateMetrics,
            stateSchema,
          }),
        );
        // 1. Group this batch's rows (late rows dropped first under an event-time timeout).
        const groups = new Map<string, { k: Row; key: Uint8Array; rows: T[] }>();
        const dropLate = timeout === GroupStateTimeout.EventTimeTimeout && eventTimeColumn !== undefined;
        for (const row of batch.rows) {
          if (dropLate) {
            const time = eventTimeOf(row[eventTimeColumn]);
            if (time !== null && time <= batch.lateEventsWatermarkMs) {
              counters.droppedByWatermark += 1;
              continue;
            }
          }
          const { k, values } = keyOf(row);
          const id = keyId(values);
          let g = groups.get(id);
          if (g === undefined) {
            g = { k, key: stateKey(values), rows: [] };
            groups.set(id, g);
          }
          g.rows.push(row);
        }
        const watermarkPresent = eventTimeColumn !== undefined;
        const out: O[] = [];
        const invoke = (storeKey: Uint8Array, k: Row, rows: readonly T[], stored: StoredGroup<S> | undefined, hasTimedOut: boolean, store: { put(key: Uint8Array, v: unknown): void; delete(key: Uint8Array): void }) => {
          const state = new GroupStateImpl<S>({
            value: stored?.s ?? undefined,
            timeout,
            hasTimedOut,
            batchProcessingTimeMs: batch.batchTimestampMs,
            eventTimeWatermarkMs: watermarkPresent ? batch.watermarkMs : undefined,
          });
          try {
            const result = call(k as K, rows, state);
            if (result !== undefined && result !== null) for (const o of result) out.push(o);
          } catch (e) {
            throw userFunctionError(e, operatorId, batch.batchId, name);
          }
          const newTimeout = state.getTimeoutTimestampMs() ?? NO_TIMESTAMP;
          if (state.removed && newTimeout === NO_TIMESTAMP) {
            if (stored !== undefined) store.delete(storeKey);
            return;
          }
          // PySpark's applyInPandasWithState compares with the timeout its Python state started from (none), not
          // the stored one: a call that changes nothing keeps the stored timeout (checked on Spark 4.0.1, golden
          // sessionization_timeout_kept_without_update).
          const timeoutChanged = newTimeout !== (name === 'applyInPandasWithState' ? NO_TIMESTAMP : (stored?.t ?? NO_TIMESTAMP));
          if (state.updated || state.removed || timeoutChanged) {
            store.put(storeKey, { k, s: state.exists ? state.get() : null, t: newTimeout } satisfies StoredGroup<S>);
          }
        };
        // Batch 0 with an initial state: its keys join the groups (after those with rows) and are stored first.
        const initial = batch.batchId === 0 && initialState !== undefined ? initialGroups(initialState, groups, keyValues) : undefined;
        const groupList = [...groups.values()];
        return then(context.stateStore(operatorId), (store) =>
          then(store.getMany(groupList.map((g) => g.key)), (stored) => {
            // 2. Groups with new data (and, in batch 0, with initial state).
            for (let i = 0; i < groupList.length; i += 1) {
              const g = groupList[i]!;
              let before = stored[i] as StoredGroup<S> | undefined;
              const init = initial?.get(g);
              if (init !== undefined) {
                before = { k: g.k, s: init.s ?? null, t: NO_TIMESTAMP };
                store.put(g.key, before);
              }
              invoke(g.key, g.k, g.rows, before, false, store);
            }
            const emit = () => withChanges(batch as MicroBatch<unknown>, { rows: out, metadata: {} }) as MicroBatch<O>;
            if (timeout === GroupStateTimeout.NoTimeout) return emit();
            // 3. Timed-out groups (after the data, so groups with rows got their new timeouts first).
            const threshold = timeout === GroupStateTimeout.ProcessingTimeTimeout ? batch.batchTimestampMs : batch.watermarkMs;
            return then(store.range(), (all) => {
              for (const [storeKey, value] of all) {
                const g = value as StoredGroup<S>;
                if (g.t !== NO_TIMESTAMP && g.t < threshold) invoke(storeKey, g.k, [], g, true, store);
              }
              return emit();
            });
          }),
        );
      }),
    ),
    (state, outputMode) => {
      // Output-mode rules need the whole query: lib/groupState/analysis.ts checks them after the trace.
      checkTimeout(state.metadata.eventTimeColumn, outputMode);
      // The output rows are the function's: no event-time column, no grouping (as Spark's new attributes).
      return { ...state, metadata: {} };
    },
  );
  return declareGroupsWithState(op, { isMapGroupsWithState: isMap, outputMode: opMode, timeout });
}

/**
 * Arbitrary stateful processing: per group, `fn(key, rows, state)` returns the output rows and keeps what it
 * wants in `state` (with optional processing-time or event-time timeouts). `outputMode` is the operator's own
 * (Spark's): 'append' when the rows it emits are final, 'update' otherwise; it must agree with the query's.
 *
 * @example
 * import { flatMapGroupsWithState, GroupStateTimeout, withWatermark } from 'weir-streams/operators'
 * pipeline: [
 *   withWatermark('ts', '10 seconds'),
 *   flatMapGroupsWithState((r) => ({ user: r.user }), 'append', GroupStateTimeout.EventTimeTimeout,
 *     (key, rows, state: GroupState<{ n: number; last: number }>) => {
 *       if (state.hasTimedOut) { const s = state.get(); state.remove(); return [{ ...key, events: s.n }] }
 *       const last = Math.max(state.getOption()?.last ?? 0, ...rows.map((r) => r.ts.getTime()))
 *       state.update({ n: (state.getOption()?.n ?? 0) + rows.length, last })
 *       state.setTimeoutTimestamp(last, '30 seconds')
 *       return []
 *     }),
 * ]
 */
export function flatMapGroupsWithState<T extends Row, K extends Row, S, O extends Row>(
  key: GroupKey<T, K>,
  outputMode: 'append' | 'update' | string,
  timeoutConf: GroupStateTimeout | string,
  fn: FlatMapGroupsWithStateFunction<K, T, S, O>,
  options: GroupsWithStateOptions<K, S> = {},
): OperatorFunction<MicroBatch<T>, MicroBatch<O>> {
  return groupsWithState('flatMapGroupsWithState', key, parseOpMode(outputMode), parseGroupStateTimeout(timeoutConf), fn, options);
}
