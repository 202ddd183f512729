/**
 * Compilation of the unary operators: `NOT`, bitwise `~`, and the signs `-` and `+` (of numbers and intervals).
 *
 * Invariants: `NOT` takes a BOOLEAN (a string is cast to BOOLEAN) and is null for null; `~` takes an integral type
 * and BIGINT is exact on 64 bits; `-` of an integral type wraps around as Java's does, `-` of an interval negates
 * each of its parts, and `+` is the operand itself; a wrong operand type fails with Spark's
 * UNEXPECTED_INPUT_TYPE at compile time; a null operand gives null.
 */
import type { UnaryExpr } from '../Expr';
import { castNode, definite, makeNode, mismatch, quoted, type Node } from '../compiled';
import { isBoolean, isIntegral, isInterval, isNull, isNumeric, isString, sqlTypes } from '../typeSupport';
import { wrapIntegral } from '../values';
import type { CompileNode, Cx } from './context';

/** Compiles `NOT x`, `~x`, `-x` or `+x`. */
export function compileUnary(expr: UnaryExpr, cx: Cx, compile: CompileNode): Node {
  const child = compile(expr.child, cx);
  const t = child.dataType;
  if (expr.op === 'NOT') {
    let c = child;
    if (isString(t)) c = castNode(child, sqlTypes.boolean());
    else if (!isBoolean(t) && !isNull(t)) {
      throw mismatch(expr, 'UNEXPECTED_INPUT_TYPE', `The first parameter requires the "BOOLEAN" type, however ${quoted(expr.child)} has the type "${t.sql()}"`);
    }
    const e = c.run;
    return makeNode(expr, sqlTypes.boolean(), c.nullable, definite((row, ctx) => {
      const v = e(row, ctx);
      return v === null || v === undefined ? null : !v;
    }), [c]);
  }
  if (expr.op === '~') {
    if (!isIntegral(t) && !isNull(t)) {
      throw mismatch(expr, 'UNEXPECTED_INPUT_TYPE', `The first parameter requires the "INTEGRAL" type, however ${quoted(expr.child)} has the type "${t.sql()}"`);
    }
    const long = t.typeName === 'long';
    const bits = (t as { bits?: 8 | 16 | 32 | 64 }).bits ?? 32;
    const e = child.run;
    return makeNode(expr, isNull(t) ? sqlTypes.int() : t, true, (row, ctx) => {
      const v = e(row, ctx);
      if (v === null || v === undefined) return null;
      return long ? Number(BigInt.asIntN(64, ~BigInt(v as number))) : wrapIntegral(~(v as number), bits);
    }, [child]);
  }
  let c = child;
  if (isString(t)) c = castNode(child, sqlTypes.double());
  else if (!isNumeric(t) && !isNull(t) && !isInterval(t)) {
    throw mismatch(expr, 'UNEXPECTED_INPUT_TYPE', `The first parameter requires ("NUMERIC" or "INTERVAL DAY TO SECOND" or "INTERVAL YEAR TO MONTH" or "INTERVAL") type, however ${quoted(expr.child)} has the type "${t.sql()}"`);
  }
  if (expr.op === '+') return { ...c, expr };
  const type = isNull(c.dataType) ? sqlTypes.int() : c.dataType;
  const bits = (type as { bits?: 8 | 16 | 32 | 64 }).bits;
  const e = c.run;
  return makeNode(expr, type, true, (row, ctx) => {
    const v = e(row, ctx);
    if (v === null || v === undefined) return null;
    if (typeof v === 'object') {
      const iv = v as { months: number; days: number; micros: number };
      return { months: -iv.months, days: -iv.days, micros: -iv.micros };
    }
    const n = -(v as number);
    return bits === undefined ? n : wrapIntegral(n, bits);
  }, [c]);
}
