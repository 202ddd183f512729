/**
 * `max`: the largest non-null value in Spark's order (see `compareValues`).
 *
 * Invariant: the buffer is the largest value so far, or null before the first non-null input; on ties the
 * earlier value stays, in `update` and in `merge`, so the result does not depend on how the input was split.
 */
import type { AggregateFunction, Column } from './AggregateFunction';
import { columnAccessor, columnDisplayName } from './AggregateFunction';
import { compareValues } from '../values/compare';

/**
 * The maximum of the non-null values of a column (numbers, strings, booleans, Dates, bigints, Uint8Arrays), null
 * when there are none. NaN is above every number, as in Spark.
 *
 * @example
 * ```ts
 * aggregateRows([{ v: 1 }, { v: 3 }, { v: null }], () => ({}), { m: max('v') }); // [{ m: 3 }]
 * ```
 */
export function max<T = unknown>(column: Column<T>): AggregateFunction<T, T | null, T | null> {
  const larger = (buf: T | null, value: T | null | undefined): T | null => {
    if (value == null) return buf;
    if (buf === null) return value;
    if (typeof value === 'number' && typeof buf === 'number') {
      // NaN is above every number; on a tie the earlier value stays.
      return value > buf || (Number.isNaN(value) && !Number.isNaN(buf)) ? value : buf;
    }
    return compareValues(value, buf, 'max') > 0 ? value : buf;
  };
  return {
    name: `max(${columnDisplayName(column)})`,
    input: columnAccessor(column),
    init: () => null,
    update: larger,
    merge: (a, b) => larger(a, b),
    evaluate: (buf) => buf,
  };
}
