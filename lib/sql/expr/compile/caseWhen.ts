/**
 * Compilation of `CASE WHEN c1 THEN v1 ... [ELSE e] END` (Spark's CaseWhen; `CASE x WHEN ...` is parsed into this
 * form).
 *
 * Invariants: every condition is BOOLEAN or NULL (UNEXPECTED_INPUT_TYPE otherwise) and a branch is taken only when
 * its condition is true (null is not true); the values are cast to their common type (DATA_DIFF_TYPES otherwise);
 * conditions are evaluated in order and only the value taken is evaluated; without ELSE, no match gives null.
 */
import type { CaseWhenExpr } from '../Expr';
import { castNode, makeNode, mismatch, quoted, type Node } from '../compiled';
import { commonType, isBoolean, isNull } from '../typeSupport';
import type { CompileNode, Cx } from './context';

/** Compiles a CASE WHEN expression. */
export function compileCaseWhen(expr: CaseWhenExpr, cx: Cx, compile: CompileNode): Node {
  const conds = expr.branches.map(([c]) => {
    const n = compile(c, cx);
    if (!isBoolean(n.dataType) && !isNull(n.dataType)) {
      throw mismatch(expr, 'UNEXPECTED_INPUT_TYPE', `The first parameter requires the "BOOLEAN" type, however ${quoted(c)} has the type "${n.dataType.sql()}"`);
    }
    return n;
  });
  const values = expr.branches.map(([, v]) => compile(v, cx));
  const otherwise = expr.otherwise === undefined ? undefined : compile(expr.otherwise, cx);
  const all = otherwise === undefined ? values : [...values, otherwise];
  const type = commonType(all.map((n) => n.dataType));
  if (type === undefined) {
    throw mismatch(expr, 'DATA_DIFF_TYPES', `Input to \`casewhen\` should all be the same type, but it's [${all.map((n) => `"${n.dataType.sql()}"`).join(', ')}]`);
  }
  const vs = values.map((v) => castNode(v, type).run);
  const cs = conds.map((c) => c.run);
  const oe = otherwise === undefined ? undefined : castNode(otherwise, type).run;
  return makeNode(expr, type, true, (row, ctx) => {
    for (let i = 0; i < cs.length; i++) if (cs[i]!(row, ctx) === true) return vs[i]!(row, ctx);
    return oe === undefined ? null : oe(row, ctx);
  }, [...conds, ...all]);
}
