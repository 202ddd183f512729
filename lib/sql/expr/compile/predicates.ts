/**
 * Compilation of the predicates `IS [NOT] NULL`, `[NOT] IN (...)`, `[NOT] BETWEEN` and `[NOT] LIKE` / `ILIKE` /
 * `RLIKE`.
 *
 * Invariants: null semantics are Spark's: `IS NULL` is never null; `x IN (...)` is null when `x` is null, or when
 * nothing matches and the list holds a null; `BETWEEN` is `x >= low AND x <= high`; LIKE of a null is null. A
 * constant list or pattern is prepared once at compile time (a `Set` for a list of strings and numbers, one matcher
 * for a pattern), never per row. LIKE never backtracks (`likeMatcher`) and RLIKE runs on RE2 (`javaRegex`): no
 * pattern takes more than linear time in the value.
 */
import type { BetweenExpr, Expr, InExpr, IsNullExpr, LikeExpr } from '../Expr';
import { castNode, definite, makeNode, mismatch, stringArg, type Node } from '../compiled';
import { commonType, sqlTypes } from '../typeSupport';
import { javaRegex } from '../javaRegex';
import { likeMatcher } from '../likeMatcher';
import { valuesEqual } from '../values';
import type { CompileNode, Cx } from './context';

/** Compiles `x IS [NOT] NULL`. */
export function compileIsNull(expr: IsNullExpr, cx: Cx, compile: CompileNode): Node {
  const child = compile(expr.child, cx);
  const e = child.run;
  const negated = expr.negated;
  return makeNode(expr, sqlTypes.boolean(), false, definite((row, ctx) => {
    const v = e(row, ctx);
    return (v === null || v === undefined) !== negated;
  }), [child]);
}

/** Compiles `x [NOT] IN (list)`: the list cast to the common type of `x` and the list. */
export function compileIn(expr: InExpr, cx: Cx, compile: CompileNode): Node {
  const child = compile(expr.child, cx);
  const items = expr.list.map((e) => compile(e, cx));
  const type = commonType([child.dataType, ...items.map((i) => i.dataType)]);
  if (type === undefined) {
    throw mismatch(expr, 'DATA_DIFF_TYPES', `Input to \`in\` should all be the same type, but it's [${[child, ...items].map((n) => `"${n.dataType.sql()}"`).join(', ')}]`);
  }
  const c = castNode(child, type);
  const list = items.map((i) => castNode(i, type));
  const ce = c.run;
  const negated = expr.negated;
  if (list.every((n) => n.constant)) {
    const values = list.map((n) => n.run({}, { batchTimestampMs: 0 }));
    const hasNull = values.some((v) => v === null || v === undefined);
    const nonNull = values.filter((v) => v !== null && v !== undefined);
    const fast = nonNull.every((v) => typeof v === 'string' || (typeof v === 'number' && !Number.isNaN(v))) ? new Set(nonNull) : undefined;
    return makeNode(expr, sqlTypes.boolean(), true, (row, ctx) => {
      const v = ce(row, ctx);
      if (v === null || v === undefined) return null;
      const found = fast !== undefined && (typeof v === 'string' || typeof v === 'number') ? fast.has(v) || (v === 0 && fast.has(-0)) : nonNull.some((x) => valuesEqual(v, x));
      if (found) return !negated;
      return hasNull ? null : negated;
    }, [c, ...list]);
  }
  return makeNode(expr, sqlTypes.boolean(), true, (row, ctx) => {
    const v = ce(row, ctx);
    if (v === null || v === undefined) return null;
    let sawNull = false;
    for (const n of list) {
      const x = n.run(row, ctx);
      if (x === null || x === undefined) sawNull = true;
      else if (valuesEqual(v, x)) return !negated;
    }
    return sawNull ? null : negated;
  }, [c, ...list]);
}

/** Compiles `x [NOT] BETWEEN low AND high`. */
export function compileBetween(expr: BetweenExpr, cx: Cx, compile: CompileNode): Node {
  const ge: Expr = { kind: 'binary', op: '>=', left: expr.child, right: expr.low };
  const le: Expr = { kind: 'binary', op: '<=', left: expr.child, right: expr.high };
  const and = compile({ kind: 'binary', op: 'AND', left: ge, right: le }, cx);
  if (!expr.negated) return { ...and, expr };
  const e = and.run;
  return makeNode(expr, sqlTypes.boolean(), true, (row, ctx) => {
    const v = e(row, ctx);
    return v === null || v === undefined ? null : !v;
  }, [and]);
}

/** Compiles `x [NOT] LIKE pattern [ESCAPE c]`, `ILIKE` and `RLIKE` (a Java regex). */
export function compileLike(expr: LikeExpr, cx: Cx, compile: CompileNode): Node {
  const child = stringArg(expr, 0, compile(expr.child, cx));
  const pattern = stringArg(expr, 1, compile(expr.pattern, cx));
  const escape = expr.escape ?? '\\';
  const ignoreCase = expr.ilike === true;
  const build = (p: string): ((s: string) => boolean) => {
    if (expr.rlike !== true) return likeMatcher(p, escape, ignoreCase);
    const re = javaRegex(p, 'rlike');
    return (s) => re.test(s);
  };
  const fixed = pattern.constant ? pattern.run({}, { batchTimestampMs: 0 }) : undefined;
  const test = typeof fixed === 'string' ? build(fixed) : undefined;
  const ce = child.run;
  const pe = pattern.run;
  const negated = expr.negated;
  let lastPattern: string | undefined;
  let lastTest: ((s: string) => boolean) | undefined;
  return makeNode(expr, sqlTypes.boolean(), true, (row, ctx) => {
    const s = ce(row, ctx);
    if (s === null || s === undefined) return null;
    let t = test;
    if (t === undefined) {
      const p = pe(row, ctx);
      if (p === null || p === undefined) return null;
      if (p !== lastPattern || lastTest === undefined) {
        lastTest = build(p as string);
        lastPattern = p as string;
      }
      t = lastTest;
    }
    return t(s as string) !== negated;
  }, [child, pattern]);
}
