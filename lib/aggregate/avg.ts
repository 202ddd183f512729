/**
 * `avg`: Spark's average with its null semantics.
 *
 * Invariant: the buffer is `{ sum, count }` of the non-null inputs (Spark's `Average` buffer); the result is null
 * while `count` is 0. `update` mutates the buffer in place, so averaging allocates nothing per row.
 */
import type { AggregateFunction, Column } from './AggregateFunction';
import { columnAccessor, columnDisplayName } from './AggregateFunction';
import { numericInput } from './numericInput';

/** The buffer of `avg`: the sum and the count of the non-null inputs. */
export interface AvgBuffer {
  sum: number;
  count: number;
}

/**
 * The mean of the non-null values of a column (a double), null when there are none. Input is cast like `sum`.
 *
 * @example
 * ```ts
 * aggregateRows([{ v: 1 }, { v: null }, { v: 2 }], () => ({}), { a: avg('v') }); // [{ a: 1.5 }]
 * ```
 */
export function avg(column: Column): AggregateFunction<unknown, AvgBuffer, number | null> {
  return {
    name: `avg(${columnDisplayName(column)})`,
    input: columnAccessor(column),
    init: () => ({ sum: 0, count: 0 }),
    update: (buf, value) => {
      const n = typeof value === 'number' ? value : numericInput(value, 'avg');
      if (n !== null) {
        buf.sum += n;
        buf.count += 1;
      }
      return buf;
    },
    merge: (a, b) => ({ sum: a.sum + b.sum, count: a.count + b.count }),
    evaluate: (buf) => (buf.count === 0 ? null : buf.sum / buf.count),
  };
}
