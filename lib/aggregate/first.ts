/**
 * `first`: the value of the first row by arrival order (batch order, then row order within a batch).
 *
 * Invariant: the buffer is `{ value, set }` (Spark's `first, valueSet`); once `set`, `update` keeps it, and
 * `merge(a, b)` prefers `a`, the earlier input, so the result does not depend on how the input was split.
 */
import type { AggregateFunction, Column } from './AggregateFunction';
import { columnAccessor, columnDisplayName } from './AggregateFunction';

/** The buffer of `first` and `last`: the value kept, and whether any (counted) row was seen. */
export interface FirstLastBuffer<T = unknown> {
  value: T | null;
  set: boolean;
}

/**
 * The value of a column in the first row, null included; with `ignoreNulls` the first non-null value. Null when
 * no row (no non-null value) arrived. Spark documents `first` as non-deterministic because its row order depends
 * on shuffles; weir's order is arrival order, which is deterministic.
 *
 * @example
 * ```ts
 * aggregateRows([{ v: null }, { v: 2 }], () => ({}), { f: first('v'), g: first('v', true) });
 * // [{ f: null, g: 2 }]
 * ```
 */
export function first<T = unknown>(
  column: Column<T>,
  ignoreNulls = false,
): AggregateFunction<T, FirstLastBuffer<T>, T | null> {
  return {
    name: `first(${columnDisplayName(column)})`,
    input: columnAccessor(column),
    init: () => ({ value: null, set: false }),
    update: ignoreNulls
      ? (buf, value) => {
          if (!buf.set && value != null) {
            buf.value = value;
            buf.set = true;
          }
          return buf;
        }
      : (buf, value) => {
          if (!buf.set) {
            buf.value = value ?? null;
            buf.set = true;
          }
          return buf;
        },
    merge: (a, b) => (a.set ? { value: a.value, set: true } : { value: b.value, set: b.set }),
    evaluate: (buf) => buf.value,
  };
}
