/**
 * The batch (non-streaming) aggregation of a list of rows: the oracle streaming aggregation must agree with.
 *
 * Invariant: groups are formed by deep value equality of their key rows (`canonicalKey`) and emitted in
 * first-seen order; every aggregate folds its group's rows in input order from `init()` with `update` only (no
 * `merge`), so this is the plain definition the streaming path, which merges partial buffers, is tested against.
 */
import type { Row } from '../contracts';
import type { AggregateSpec } from './AggregateFunction';
import { columnAccessor } from './AggregateFunction';
import { canonicalKey } from '../values/canonicalKey';

/**
 * Aggregates `rows` per group. `groupBy` is a key function returning the key columns as a row, or a list of
 * column names (nested `a.b` names give a column named `a.b`). Each output row holds the key columns, then one
 * column per entry of `aggs`. With `groupBy = []` this is a global aggregation, which like Spark's yields exactly
 * one row even for no input (`count` 0, `sum` null, ...); a key function yields no row for no input.
 *
 * @example
 * ```ts
 * aggregateRows(
 *   [{ k: 'a', v: 1 }, { k: 'b', v: 2 }, { k: 'a', v: 3 }],
 *   ['k'],
 *   { n: count(), total: sum('v') },
 * ); // [{ k: 'a', n: 2, total: 4 }, { k: 'b', n: 1, total: 2 }]
 * ```
 */
export function aggregateRows(
  rows: readonly Row[],
  groupBy: ((row: Row) => Row) | readonly string[],
  aggs: AggregateSpec,
): Row[] {
  const keyOf = typeof groupBy === 'function' ? groupBy : keyFromColumns(groupBy);
  const names = Object.keys(aggs);
  const fns = names.map((n) => aggs[n]!);
  const groups = new Map<string, { key: Row; buffers: unknown[] }>();
  const global = typeof groupBy !== 'function' && groupBy.length === 0;
  if (global) groups.set(canonicalKey({}), { key: {}, buffers: fns.map((f) => f.init()) });

  for (const row of rows) {
    const key = keyOf(row);
    const id = canonicalKey(key);
    let group = groups.get(id);
    if (group === undefined) {
      group = { key, buffers: fns.map((f) => f.init()) };
      groups.set(id, group);
    }
    for (let i = 0; i < fns.length; i++) {
      const f = fns[i]!;
      group.buffers[i] = f.update(group.buffers[i], f.input(row));
    }
  }

  const out: Row[] = [];
  for (const { key, buffers } of groups.values()) {
    const row: Row = { ...key };
    for (let i = 0; i < fns.length; i++) row[names[i]!] = fns[i]!.evaluate(buffers[i]);
    out.push(row);
  }
  return out;
}

function keyFromColumns(columns: readonly string[]): (row: Row) => Row {
  const accessors = columns.map((c) => columnAccessor(c));
  return (row) => {
    const key: Row = {};
    for (let i = 0; i < columns.length; i++) key[columns[i]!] = accessors[i]!(row) ?? null;
    return key;
  };
}
