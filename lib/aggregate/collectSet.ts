/**
 * `collect_set`: the distinct non-null values of a column.
 *
 * Invariants: the buffer is the array of distinct values in first-seen order (plain data); values are distinct by
 * `canonicalKey` (deep value equality). Each instance keeps a WeakMap from a buffer it built to that buffer's key
 * set, so `update` is O(1); a buffer decoded from the state store has no entry and gets its keys rebuilt once.
 * `merge(a, b)` appends the values of `b` not in `a`, so first-seen order survives any split into batches.
 */
import type { AggregateFunction, Column } from './AggregateFunction';
import { columnAccessor, columnDisplayName } from './AggregateFunction';
import { canonicalKey } from '../values/canonicalKey';

/**
 * The distinct non-null values of a column, `[]` when there are none. weir returns them in first-seen order;
 * Spark's order is unspecified (hash order), so compare results as sets. Spark names it `collect_set(v)`;
 * `collect_set` is exported as an alias.
 *
 * @example
 * ```ts
 * aggregateRows([{ v: 2 }, { v: 1 }, { v: 2 }], () => ({}), { s: collectSet('v') }); // [{ s: [2, 1] }]
 * ```
 */
export function collectSet<T = unknown>(column: Column<T>): AggregateFunction<T, T[], T[]> {
  const keysOf = new WeakMap<T[], Set<string>>();
  const keys = (buf: T[]): Set<string> => {
    let set = keysOf.get(buf);
    if (set === undefined) {
      set = new Set(buf.map(canonicalKey));
      keysOf.set(buf, set);
    }
    return set;
  };
  return {
    name: `collect_set(${columnDisplayName(column)})`,
    input: columnAccessor(column),
    init: () => [],
    update: (buf, value) => {
      if (value == null) return buf;
      const set = keys(buf);
      const key = canonicalKey(value);
      if (!set.has(key)) {
        set.add(key);
        buf.push(value);
      }
      return buf;
    },
    merge: (a, b) => {
      const out = a.slice();
      const set = new Set(keys(a));
      for (const value of b) {
        const key = canonicalKey(value);
        if (!set.has(key)) {
          set.add(key);
          out.push(value);
        }
      }
      keysOf.set(out, set);
      return out;
    },
    evaluate: (buf) => buf.slice(),
  };
}

/** Spark's name for {@link collectSet}. */
export const collect_set = collectSet;
