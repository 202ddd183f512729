/**
 * The sort kernel: rows ordered by sort keys as Spark's `SortOrder`s order them (each key ascending or
 * descending, nulls first or last whatever the direction), values by weir's one ordering (`lib/values/compare`).
 *
 * Invariant: stable (rows with equal keys keep their order); each row's keys are computed once.
 */
import type { Row } from '../../lib/contracts';
import { compareValues } from '../../lib/values/compare';

/** One sort key's direction. */
export interface SortDirection {
  readonly ascending: boolean;
  readonly nullsFirst: boolean;
}

/** Orders two sort keys: nulls by `nullsFirst` whatever the direction, values by `ascending`. */
export function compareForSort(a: unknown, b: unknown, nullsFirst: boolean, ascending: boolean): number {
  const an = a === null || a === undefined;
  const bn = b === null || b === undefined;
  if (an || bn) return an && bn ? 0 : an ? (nullsFirst ? -1 : 1) : nullsFirst ? 1 : -1;
  const c = compareValues(a, b);
  return ascending ? c : -c;
}

/** `rows` sorted by `keysOf(row)` under `directions` (one per key). */
export function sortRows(rows: readonly Row[], keysOf: (row: Row) => unknown[], directions: readonly SortDirection[]): Row[] {
  const keyed = rows.map((r) => ({ r, k: keysOf(r) }));
  keyed.sort((a, b) => {
    for (let i = 0; i < directions.length; i += 1) {
      const c = compareForSort(a.k[i], b.k[i], directions[i]!.nullsFirst, directions[i]!.ascending);
      if (c !== 0) return c;
    }
    return 0;
  });
  return keyed.map((x) => x.r);
}
