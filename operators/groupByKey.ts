/**
 * `groupByKey(...columns)` / `groupByKey(keyFn)`: says how the next aggregate (`count()`, `agg({...})`) groups.
 *
 * Invariant: rows pass unchanged; only the batch metadata records the grouping, so the aggregate right after it
 * knows its keys. A key function's result object supplies the key columns of the output rows.
 */
import { map, type OperatorFunction } from 'rxjs';
import type { MicroBatch, Row } from '../lib/contracts';
import { ErrorCodes, WeirError } from '../lib/errors';
import { describeOperator } from './describeOperator';
import type { PassesRows } from './rowEffects';
import { withChanges } from './internal/lazyRows';

/**
 * Groups by columns (`groupByKey('window', 'word')`) or by a key function returning an object of key columns
 * (`groupByKey((r) => ({ user: r.user.id }))`).
 *
 * @example
 * pipeline: [groupByKey('word'), count()]
 */
export function groupByKey<T extends Row>(
  ...keys: [(row: T) => Row] | string[]
): OperatorFunction<MicroBatch<T>, MicroBatch<T>> & PassesRows {
  const keyFn = typeof keys[0] === 'function' ? (keys[0] as (row: Row) => Row) : undefined;
  const columns = keyFn ? [] : (keys as string[]);
  if (!keyFn && columns.some((c) => typeof c !== 'string' || c.length === 0)) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, 'groupByKey takes column names or one key function', {
      context: { keys: String(keys) },
    });
  }
  return describeOperator(
    `GroupByKey ${keyFn ? 'keyFn' : columns.join(', ')}`,
    map((batch: MicroBatch<T>) =>
      withChanges(batch, { metadata: { ...batch.metadata, grouping: keyFn ? { columns, keyFn } : { columns } } }),
    ),
    (state) => ({ ...state, metadata: { ...state.metadata, grouping: keyFn ? { columns, keyFn } : { columns } } }),
  );
}
