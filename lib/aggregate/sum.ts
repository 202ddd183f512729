/**
 * `sum`: Spark's sum with its null semantics.
 *
 * Invariant: the buffer is null until the first non-null input, then the running sum, so the result is null when
 * no input was non-null; `update` allocates nothing.
 *
 * Precision: weir sums JS numbers (IEEE doubles). Integral sums are exact up to 2^53 and lose precision beyond,
 * where Spark's `bigint` sum wraps around (or fails in ANSI mode); double sums are doubles in both, and like in
 * Spark their last bits depend on the order of additions (so split invariance is exact only for exact sums).
 */
import type { AggregateFunction, Column } from './AggregateFunction';
import { columnAccessor, columnDisplayName } from './AggregateFunction';
import { numericInput } from './numericInput';

/**
 * The sum of the non-null values of a column, null when there are none. Strings are cast like Spark's non-ANSI
 * cast (`'12'` is 12, `'x'` is null); booleans, Dates and objects are an INVALID_ARGUMENT.
 *
 * @example
 * ```ts
 * aggregateRows([{ v: 1 }, { v: null }, { v: 2 }], () => ({}), { s: sum('v') }); // [{ s: 3 }]
 * ```
 */
export function sum(column: Column): AggregateFunction<unknown, number | null, number | null> {
  return {
    name: `sum(${columnDisplayName(column)})`,
    input: columnAccessor(column),
    init: () => null,
    update: (buf, value) => {
      const n = typeof value === 'number' ? value : numericInput(value, 'sum');
      if (n === null) return buf;
      return buf === null ? n : buf + n;
    },
    merge: (a, b) => (a === null ? b : b === null ? a : a + b),
    evaluate: (buf) => buf,
  };
}
