/**
 * `mapGroupsWithState(key, timeout, fn)`: `flatMapGroupsWithState` where every call returns exactly one row
 * (Spark's mapGroupsWithState, allowed only in update output mode and without aggregations).
 *
 * Invariant: one output row per call, also for timed-out groups.
 */
import type { OperatorFunction } from 'rxjs';
import type { MicroBatch, Row } from '../lib/contracts';
import { parseGroupStateTimeout, type GroupState, type GroupStateTimeout } from '../lib/groupState/GroupState';
import { groupsWithState, type GroupKey, type GroupsWithStateOptions } from './flatMapGroupsWithState';

/** The user function of mapGroupsWithState: one output row per call. */
export type MapGroupsWithStateFunction<K, T, S, O> = (key: K, rows: readonly T[], state: GroupState<S>) => O;

/**
 * Per group, `fn(key, rows, state)` returns one row and keeps what it wants in `state`.
 *
 * @example
 * import { mapGroupsWithState } from 'weir-streams/operators'
 * // query outputMode: 'update'
 * pipeline: [mapGroupsWithState(['user'], 'NoTimeout', (key, rows, state: GroupState<number>) => {
 *   const n = (state.getOption() ?? 0) + rows.length
 *   state.update(n)
 *   return { ...key, n }
 * })]
 */
export function mapGroupsWithState<T extends Row, K extends Row, S, O extends Row>(
  key: GroupKey<T, K>,
  timeoutConf: GroupStateTimeout | string,
  fn: MapGroupsWithStateFunction<K, T, S, O>,
  options: GroupsWithStateOptions<K, S> = {},
): OperatorFunction<MicroBatch<T>, MicroBatch<O>> {
  return groupsWithState<T, K, S, O>('mapGroupsWithState', key, 'update', parseGroupStateTimeout(timeoutConf), (k, rows, state) => [fn(k, rows, state)], options);
}
