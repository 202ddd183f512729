/**
 * `min`: the smallest non-null value in Spark's order (see `compareValues`).
 *
 * Invariant: the buffer is the smallest value so far, or null before the first non-null input; on ties the
 * earlier value stays, in `update` and in `merge`, so the result does not depend on how the input was split.
 */
import type { AggregateFunction, Column } from './AggregateFunction';
import { columnAccessor, columnDisplayName } from './AggregateFunction';
import { compareValues } from '../values/compare';

/**
 * The minimum of the non-null values of a column (numbers, strings, booleans, Dates, bigints, Uint8Arrays), null
 * when there are none. NaN is above every number, so it is the minimum only when every value is NaN.
 *
 * @example
 * ```ts
 * aggregateRows([{ v: 'b' }, { v: null }, { v: 'a' }], () => ({}), { m: min('v') }); // [{ m: 'a' }]
 * ```
 */
export function min<T = unknown>(column: Column<T>): AggregateFunction<T, T | null, T | null> {
  const smaller = (buf: T | null, value: T | null | undefined): T | null => {
    if (value == null) return buf;
    if (buf === null) return value;
    if (typeof value === 'number' && typeof buf === 'number') {
      // NaN is above every number; on a tie the earlier value stays.
      return value < buf || (Number.isNaN(buf) && !Number.isNaN(value)) ? value : buf;
    }
    return compareValues(value, buf, 'min') < 0 ? value : buf;
  };
  return {
    name: `min(${columnDisplayName(column)})`,
    input: columnAccessor(column),
    init: () => null,
    update: smaller,
    merge: (a, b) => smaller(a, b),
    evaluate: (buf) => buf,
  };
}
