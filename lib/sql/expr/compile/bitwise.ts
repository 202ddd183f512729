/**
 * Compilation of the bitwise operators `&`, `|` and `^` over integral types (`~` is unary, `unary.ts`).
 *
 * Invariants: both operands are integral or NULL (DATATYPE_MISMATCH otherwise, at compile time) and cast to the
 * wider of the two (INT when both are NULL); BIGINT operations are exact on 64 bits (through BigInt); a null
 * operand gives null.
 */
import type { BinaryExpr } from '../Expr';
import { castNode, makeNode, mismatch, type Node } from '../compiled';
import { isIntegral, isNull, sqlTypes, widerNumeric, type DataType } from '../typeSupport';
import type { CompileNode, Cx } from './context';

/** Compiles `l & r`, `l | r` or `l ^ r`. */
export function compileBitwise(expr: BinaryExpr, cx: Cx, compile: CompileNode): Node {
  const l = compile(expr.left, cx);
  const r = compile(expr.right, cx);
  const ok = (t: DataType): boolean => isIntegral(t) || isNull(t);
  if (!ok(l.dataType) || !ok(r.dataType)) {
    throw mismatch(expr, l.dataType.equals(r.dataType) ? 'BINARY_OP_WRONG_TYPE' : 'BINARY_OP_DIFF_TYPES',
      l.dataType.equals(r.dataType)
        ? `the binary operator requires the input type "INTEGRAL", not "${l.dataType.sql()}"`
        : `the left and right operands of the binary operator have incompatible types ("${l.dataType.sql()}" and "${r.dataType.sql()}")`);
  }
  const type = widerNumeric(isNull(l.dataType) ? r.dataType : l.dataType, isNull(r.dataType) ? l.dataType : r.dataType);
  const t = isNull(type) ? sqlTypes.int() : type;
  const ln = castNode(l, t);
  const rn = castNode(r, t);
  const long = t.typeName === 'long';
  const op = expr.op;
  return makeNode(expr, t, true, (row, ctx) => {
    const a = ln.run(row, ctx);
    const b = rn.run(row, ctx);
    if (a === null || a === undefined || b === null || b === undefined) return null;
    if (long) {
      const x = BigInt.asIntN(64, BigInt(a as number));
      const y = BigInt.asIntN(64, BigInt(b as number));
      return Number(BigInt.asIntN(64, op === '&' ? x & y : op === '|' ? x | y : x ^ y));
    }
    const x = a as number;
    const y = b as number;
    return op === '&' ? x & y : op === '|' ? x | y : x ^ y;
  }, [ln, rn]);
}
