/**
 * `last`: the value of the last row by arrival order (batch order, then row order within a batch).
 *
 * Invariant: the buffer is `{ value, set }` (Spark's `last, valueSet`); every counted row overwrites it, and
 * `merge(a, b)` prefers `b`, the later input, once it is set, so the result does not depend on how the input was
 * split.
 */
import type { AggregateFunction, Column } from './AggregateFunction';
import { columnAccessor, columnDisplayName } from './AggregateFunction';
import type { FirstLastBuffer } from './first';

/**
 * The value of a column in the last row, null included; with `ignoreNulls` the last non-null value. Null when no
 * row (no non-null value) arrived.
 *
 * @example
 * ```ts
 * aggregateRows([{ v: 1 }, { v: null }], () => ({}), { l: last('v'), m: last('v', true) });
 * // [{ l: null, m: 1 }]
 * ```
 */
export function last<T = unknown>(
  column: Column<T>,
  ignoreNulls = false,
): AggregateFunction<T, FirstLastBuffer<T>, T | null> {
  return {
    name: `last(${columnDisplayName(column)})`,
    input: columnAccessor(column),
    init: () => ({ value: null, set: false }),
    update: ignoreNulls
      ? (buf, value) => {
          if (value != null) {
            buf.value = value;
            buf.set = true;
          }
          return buf;
        }
      : (buf, value) => {
          buf.value = value ?? null;
          buf.set = true;
          return buf;
        },
    merge: (a, b) => (b.set ? { value: b.value, set: true } : { value: a.value, set: a.set }),
    evaluate: (buf) => buf.value,
  };
}
