/**
 * `count`: Spark's `count(*)` / `count(1)` counts rows, `count(col)` counts the rows where `col` is not null.
 *
 * Invariant: the buffer is the count so far (a number); `update` is one comparison and one addition, so counting
 * allocates nothing per row.
 */
import type { AggregateFunction, Column } from './AggregateFunction';
import { columnAccessor, columnDisplayName } from './AggregateFunction';

const one = (): number => 1;

/**
 * Counts rows (`count()` or `count('*')`, named `count(1)` as in Spark) or the non-null values of a column
 * (`count('v')`, named `count(v)`). The result is a number, 0 for no input.
 *
 * @example
 * ```ts
 * aggregateRows([{ v: 1 }, { v: null }], () => ({}), { n: count(), nv: count('v') });
 * // [{ n: 2, nv: 1 }]
 * ```
 */
export function count(column?: Column | '*'): AggregateFunction<unknown, number, number> {
  if (column === undefined || column === '*') {
    return {
      name: 'count(1)',
      input: one,
      init: () => 0,
      update: (buf) => buf + 1,
      merge: (a, b) => a + b,
      evaluate: (buf) => buf,
    };
  }
  return {
    name: `count(${columnDisplayName(column)})`,
    input: columnAccessor(column),
    init: () => 0,
    update: (buf, value) => (value == null ? buf : buf + 1),
    merge: (a, b) => a + b,
    evaluate: (buf) => buf,
  };
}
