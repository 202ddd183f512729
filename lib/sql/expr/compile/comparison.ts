/**
 * Compilation of the comparisons `=`, `==`, `!=`, `<>`, `<`, `<=`, `>`, `>=` and the null-safe `<=>`: both sides
 * cast to their comparison type (`../analyzer/coerce.ts`), then compared with Spark's ordering and equality.
 *
 * Invariants: a null side gives null, except for `<=>` (true when both are null, false when one is); over numbers
 * the closure is one of `../numericFastPaths.ts`'s per-operator evaluators (with a constant right side captured,
 * not evaluated per row), which answer exactly what the general comparison answers; the evaluator never returns
 * undefined (`definite`).
 */
import type { BinaryExpr } from '../Expr';
import { castNode, constantValue, definite, makeNode, type Evaluator, type Node } from '../compiled';
import { isNumeric, isString, sqlTypes } from '../typeSupport';
import { compareValues, valuesEqual } from '../values';
import { compare as fastCompare, compareWithConstant } from '../numericFastPaths';
import { comparisonType } from '../analyzer/coerce';
import type { CompileNode, Cx } from './context';

/** Compiles a comparison `l op r`. */
export function compileComparison(expr: BinaryExpr, cx: Cx, compile: CompileNode): Node {
  const l0 = compile(expr.left, cx);
  const r0 = compile(expr.right, cx);
  const type = comparisonType(expr, l0, r0);
  const l = castNode(l0, type);
  const r = castNode(r0, type);
  const le = l.run;
  const re = r.run;
  const op = expr.op;
  if (op === '<=>') {
    return makeNode(expr, sqlTypes.boolean(), false, definite((row, ctx) => {
      const a = le(row, ctx);
      const b = re(row, ctx);
      const an = a === null || a === undefined;
      const bn = b === null || b === undefined;
      if (an || bn) return an && bn;
      return valuesEqual(a, b);
    }), [l, r]);
  }
  const test: (c: number) => boolean =
    op === '=' || op === '==' ? (c) => c === 0
    : op === '!=' || op === '<>' ? (c) => c !== 0
    : op === '<' ? (c) => c < 0
    : op === '<=' ? (c) => c <= 0
    : op === '>' ? (c) => c > 0
    : (c) => c >= 0;
  const numeric = isNumeric(type);
  const general = (a: unknown, b: unknown): boolean => test(compareValues(a, b));
  const rc = r.constant ? constantValue(r) : undefined;
  let evaluate: Evaluator;
  if (numeric && typeof rc === 'number' && rc === rc) {
    // `x op literal` over numbers: the literal is captured; two non-NaN numbers compare with JS operators.
    evaluate = compareWithConstant(op, le, rc, general);
  } else if (numeric) {
    evaluate = fastCompare(op, le, re, general);
  } else if (isString(type) && typeof rc === 'string' && (op === '=' || op === '==' || op === '!=' || op === '<>')) {
    // `x = 'literal'` / `x != 'literal'` over strings: equality needs no ordering (what a filter on a level or a
    // host column does per row).
    const equal = op === '=' || op === '==';
    evaluate = (row, ctx) => {
      const a = le(row, ctx);
      if (a === null || a === undefined) return null;
      return typeof a === 'string' ? (a === rc) === equal : general(a, rc);
    };
  } else {
    evaluate = (row, ctx) => {
      const a = le(row, ctx);
      if (a === null || a === undefined) return null;
      const b = re(row, ctx);
      if (b === null || b === undefined) return null;
      return general(a, b);
    };
  }
  return makeNode(expr, sqlTypes.boolean(), true, definite(evaluate), [l, r]);
}
