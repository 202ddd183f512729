/**
 * Compilation of `time ± interval` (and `interval + time`): a TIMESTAMP or DATE (or a string read as a
 * timestamp) shifted by an interval literal's months, days and microseconds.
 *
 * Invariants: the result is a TIMESTAMP; months are added first with Spark's clamping of the day of month
 * (Jan 31 + 1 month = Feb 28/29), then days and microseconds (truncated to milliseconds); `interval - time` and a
 * non-time operand fail with BINARY_OP_DIFF_TYPES at compile time; a null operand gives null.
 */
import type { BinaryExpr } from '../Expr';
import { castNode, makeNode, mismatch, type Node } from '../compiled';
import { isDate, isInterval, isNull, isString, isTimestamp, sqlTypes } from '../typeSupport';

/** Compiles `l op r` for `op` `+` or `-` where one side is an interval; `l` and `r` are compiled already. */
export function compileIntervalArithmetic(expr: BinaryExpr, l: Node, r: Node): Node {
  const [time, interval] = isInterval(r.dataType) ? [l, r] : [r, l];
  if (isInterval(l.dataType) && expr.op === '-') {
    throw mismatch(expr, 'BINARY_OP_DIFF_TYPES', `the left and right operands of the binary operator have incompatible types ("${l.dataType.sql()}" and "${r.dataType.sql()}")`);
  }
  let t = time;
  if (isString(t.dataType)) t = castNode(t, sqlTypes.timestamp());
  if (!isTimestamp(t.dataType) && !isDate(t.dataType) && !isNull(t.dataType)) {
    throw mismatch(expr, 'BINARY_OP_DIFF_TYPES', `the left and right operands of the binary operator have incompatible types ("${l.dataType.sql()}" and "${r.dataType.sql()}")`);
  }
  const sign = expr.op === '-' ? -1 : 1;
  const te = t.run;
  const ie = interval.run;
  return makeNode(expr, sqlTypes.timestamp(), true, (row, ctx) => {
    const d = te(row, ctx);
    const iv = ie(row, ctx) as { months: number; days: number; micros: number } | null;
    if (!(d instanceof Date) || iv === null || iv === undefined) return null;
    const out = new Date(d.getTime());
    if (iv.months !== 0) {
      // Spark's month arithmetic clamps the day of month (Jan 31 + 1 month = Feb 29/28).
      const day = out.getUTCDate();
      out.setUTCDate(1);
      out.setUTCMonth(out.getUTCMonth() + sign * iv.months);
      const last = new Date(Date.UTC(out.getUTCFullYear(), out.getUTCMonth() + 1, 0)).getUTCDate();
      out.setUTCDate(Math.min(day, last));
    }
    return new Date(out.getTime() + sign * (iv.days * 86_400_000 + Math.trunc(iv.micros / 1000)));
  }, [t, interval]);
}
