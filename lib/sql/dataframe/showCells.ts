/**
 * Typed cells for Spark's `show()` table: rows are untyped JS values, so a whole DOUBLE (`150`) cannot tell
 * `showString` that Spark prints it `150.0`. The schema can: this prints DOUBLE and FLOAT columns with Java's
 * `Double.toString` / `Float.toString` (what Spark's `ToPrettyString` uses) before the table is laid out.
 *
 * Invariant: only top-level DOUBLE/FLOAT values that are numbers change (to their Spark text); every other
 * value, and null, is passed through untouched, so `showString` still formats it.
 */
import type { Row } from '../../contracts';
import { DoubleType, FloatType, type StructType } from '../../values/types';
import { javaDoubleToString, javaFloatToString } from '../../values/types/numbers';

/** `rows` with their DOUBLE / FLOAT cells as Spark's text, ready for `showString`. */
export function showCells(rows: readonly Row[], schema: StructType): Row[] {
  const formatters = schema.fields.flatMap((f) =>
    f.dataType instanceof DoubleType ? [[f.name, javaDoubleToString] as const] : f.dataType instanceof FloatType ? [[f.name, javaFloatToString] as const] : [],
  );
  if (formatters.length === 0) return [...rows];
  return rows.map((row) => {
    const out: Row = { ...row };
    for (const [name, format] of formatters) {
      const v = row[name];
      if (typeof v === 'number') out[name] = format(v);
    }
    return out;
  });
}
