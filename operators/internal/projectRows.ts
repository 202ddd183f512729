/**
 * The projection kernel: one new row per input row, its columns set from evaluators, built the way V8 makes
 * small, monomorphic objects (the DataFrame face's `select` / `selectExpr` run here).
 *
 * Invariant: rows out are plain objects (`Object.prototype`), one per row in, columns in the given order; the
 * evaluators are called once per row and column, in order, with the batch's evaluation context.
 */
import type { Row } from '../../lib/contracts';

/**
 * A constructor of plain objects, one per projection: its instances are exactly what `{}` makes (their prototype
 * is `Object.prototype`, so `constructor` is `Object`), but V8 sizes them to the properties the projection sets
 * instead of the fixed slots of an empty literal: smaller rows, less garbage.
 */
export function plainRowConstructor(): new () => Row {
  function PlainRow(): void {
    // Nothing: the projection sets the columns.
  }
  PlainRow.prototype = Object.prototype;
  return PlainRow as unknown as new () => Row;
}

/**
 * The rows of a projection without a generator: one object per row (made by `RowObject`, see
 * `plainRowConstructor`), the columns set in order. The first four columns are set at their own statements (each
 * a monomorphic store and call site, several times faster than one store site cycling through every name);
 * further columns by a loop. The output array is allocated at its final size.
 */
export function projectRows<C>(
  rows: readonly Row[],
  RowObject: new () => Row,
  names: readonly string[],
  evaluators: ReadonlyArray<(row: Row, ctx: C) => unknown>,
  ctx: C,
): Row[] {
  const n = names.length;
  const k0 = names[0]!;
  const k1 = names[1]!;
  const k2 = names[2]!;
  const k3 = names[3]!;
  const e0 = evaluators[0]!;
  const e1 = evaluators[1]!;
  const e2 = evaluators[2]!;
  const e3 = evaluators[3]!;
  const out: Row[] = new Array<Row>(rows.length);
  for (let r = 0; r < rows.length; r += 1) {
    const row = rows[r]!;
    const o: Row = new RowObject();
    if (n > 0) {
      o[k0] = e0(row, ctx);
      if (n > 1) {
        o[k1] = e1(row, ctx);
        if (n > 2) {
          o[k2] = e2(row, ctx);
          if (n > 3) {
            o[k3] = e3(row, ctx);
            for (let i = 4; i < n; i += 1) o[names[i]!] = evaluators[i]!(row, ctx);
          }
        }
      }
    }
    out[r] = o;
  }
  return out;
}

