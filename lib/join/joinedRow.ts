/**
 * The output rows of a join (Spark's output attributes of Join).
 *
 * Invariants: a joined row has the left columns then the right columns; with `using` columns (Spark's
 * `join(other, ['k'])`) the key columns come first, once, taken from the left row (from the right row for a right
 * outer join, the first non-null of both for a full outer join), and are left out of both sides' columns; a
 * null-padded row has null for every known column of the missing side; a semi join outputs the left row as it is.
 */
import type { Row } from '../contracts';
import type { JoinType } from './joinType';

/** Which columns a join outputs. */
export interface JoinOutputSpec {
  /** Column names of the left side: the missing left side of an outer row is padded with them. */
  readonly leftColumns?: readonly string[];
  readonly rightColumns?: readonly string[];
  /** Equally named key columns output once (Spark's `join(other, on: string[])`). */
  readonly using?: readonly string[];
}

/** Builds output rows for one join. */
export interface JoinedRowBuilder {
  both(left: Row, right: Row): Row;
  /** A left row without a match (right side null). */
  leftOnly(left: Row): Row;
  /** A right row without a match (left side null). */
  rightOnly(right: Row): Row;
}

const hasOwn = Object.prototype.hasOwnProperty;

function copyInto(out: Row, row: Row, skip: ReadonlySet<string> | undefined): void {
  for (const k in row) {
    if (!hasOwn.call(row, k) || (skip !== undefined && skip.has(k))) continue;
    out[k] = row[k];
  }
}

function nulls(out: Row, columns: readonly string[] | undefined, skip: ReadonlySet<string> | undefined): void {
  if (columns === undefined) return;
  for (const c of columns) if (skip === undefined || !skip.has(c)) out[c] = null;
}

/** The builder of `type` for `spec`. */
export function joinedRowBuilder(type: JoinType, spec: JoinOutputSpec = {}): JoinedRowBuilder {
  const using = spec.using && spec.using.length > 0 ? spec.using : undefined;
  if (type === 'leftSemi' || type === 'leftAnti') {
    return { both: (l) => l, leftOnly: (l) => l, rightOnly: (r) => r };
  }
  if (using === undefined) {
    return {
      both: (l, r) => {
        const out: Row = {};
        copyInto(out, l, undefined);
        copyInto(out, r, undefined);
        return out;
      },
      leftOnly: (l) => {
        const out: Row = {};
        copyInto(out, l, undefined);
        nulls(out, spec.rightColumns, undefined);
        return out;
      },
      rightOnly: (r) => {
        const out: Row = {};
        nulls(out, spec.leftColumns, undefined);
        copyInto(out, r, undefined);
        return out;
      },
    };
  }
  const skip = new Set(using);
  const keys = (out: Row, l: Row | undefined, r: Row | undefined): void => {
    for (const k of using) {
      const lv = l?.[k] ?? null;
      const rv = r?.[k] ?? null;
      out[k] = type === 'rightOuter' ? rv : type === 'fullOuter' ? (lv ?? rv) : l ? lv : rv;
    }
  };
  return {
    both: (l, r) => {
      const out: Row = {};
      keys(out, l, r);
      copyInto(out, l, skip);
      copyInto(out, r, skip);
      return out;
    },
    leftOnly: (l) => {
      const out: Row = {};
      keys(out, l, undefined);
      copyInto(out, l, skip);
      nulls(out, spec.rightColumns, skip);
      return out;
    },
    rightOnly: (r) => {
      const out: Row = {};
      keys(out, undefined, r);
      nulls(out, spec.leftColumns, skip);
      copyInto(out, r, skip);
      return out;
    },
  };
}
