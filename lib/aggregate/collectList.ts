/**
 * `collect_list`: the non-null values of a column in arrival order.
 *
 * Invariant: the buffer is the array of values so far; `merge(a, b)` is a new array `a ++ b`, so arrival order
 * survives any split into batches.
 */
import type { AggregateFunction, Column } from './AggregateFunction';
import { columnAccessor, columnDisplayName } from './AggregateFunction';

/**
 * The non-null values of a column, in arrival order (batch order, then row order), `[]` when there are none.
 * Spark names it `collect_list(v)`; `collect_list` is exported as an alias.
 *
 * @example
 * ```ts
 * aggregateRows([{ v: 1 }, { v: null }, { v: 1 }], () => ({}), { l: collectList('v') }); // [{ l: [1, 1] }]
 * ```
 */
export function collectList<T = unknown>(column: Column<T>): AggregateFunction<T, T[], T[]> {
  return {
    name: `collect_list(${columnDisplayName(column)})`,
    input: columnAccessor(column),
    init: () => [],
    update: (buf, value) => {
      if (value != null) buf.push(value);
      return buf;
    },
    merge: (a, b) => a.concat(b),
    evaluate: (buf) => buf.slice(),
  };
}

/** Spark's name for {@link collectList}. */
export const collect_list = collectList;
