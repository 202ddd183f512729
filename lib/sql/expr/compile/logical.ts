/**
 * Compilation of `AND` and `OR` with SQL's three-valued logic.
 *
 * Invariants: both operands are BOOLEAN or NULL (DATATYPE_MISMATCH otherwise, at compile time); `false AND x` is
 * false and `true OR x` is true whatever `x` is (null included), otherwise a null operand gives null; the right
 * operand is not evaluated when the left decides; the evaluator never returns undefined (`definite`).
 */
import type { BinaryExpr } from '../Expr';
import { definite, makeNode, mismatch, type Evaluator, type Node } from '../compiled';
import { isBoolean, isNull, sqlTypes, type DataType } from '../typeSupport';
import type { CompileNode, Cx } from './context';

/** Compiles `l AND r` or `l OR r`. */
export function compileLogical(expr: BinaryExpr, cx: Cx, compile: CompileNode): Node {
  const l = compile(expr.left, cx);
  const r = compile(expr.right, cx);
  const ok = (t: DataType): boolean => isBoolean(t) || isNull(t);
  if (!ok(l.dataType) || !ok(r.dataType)) {
    if (!l.dataType.equals(r.dataType)) {
      throw mismatch(expr, 'BINARY_OP_DIFF_TYPES', `the left and right operands of the binary operator have incompatible types ("${l.dataType.sql()}" and "${r.dataType.sql()}")`);
    }
    throw mismatch(expr, 'BINARY_OP_WRONG_TYPE', `the binary operator requires the input type "BOOLEAN", not "${l.dataType.sql()}"`);
  }
  const le = l.run;
  const re = r.run;
  const evaluate: Evaluator =
    expr.op === 'AND'
      ? (row, ctx) => {
          const a = le(row, ctx);
          if (a === false) return false;
          const b = re(row, ctx);
          if (b === false) return false;
          return a === null || a === undefined || b === null || b === undefined ? null : true;
        }
      : (row, ctx) => {
          const a = le(row, ctx);
          if (a === true) return true;
          const b = re(row, ctx);
          if (b === true) return true;
          return a === null || a === undefined || b === null || b === undefined ? null : false;
        };
  return makeNode(expr, sqlTypes.boolean(), l.nullable || r.nullable, definite(evaluate), [l, r]);
}
