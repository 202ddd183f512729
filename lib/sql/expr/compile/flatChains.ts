/**
 * Long chains of binary operators (`a OR b OR ...`, `x + y + ...`) compiled and evaluated without deep recursion
 * (issue #16 item 13: a flat chain of 1,000 terms was refused as too deep, 20,000 threw a raw RangeError).
 *
 * A chain parses as a left-deep tree: `((a OR b) OR c)`, as Spark's does, so types, overflow, output names and
 * evaluation order stay Spark's (balancing the tree would change `int + int + bigint` and floating-point sums).
 * `compileSpine` compiles the chain's left spine bottom-up in a loop, each link finding its left operand already
 * compiled, and cuts the evaluation into segments of `SEGMENT` links: the node at each cut reads its value from a
 * slot that the chain's top fills, in order from the bottom, before it evaluates the last segment. Every link of a
 * left-deep tree evaluates its left operand first and unconditionally (`AND`/`OR` skip only the right one), so the
 * values, the order of evaluation and the errors raised are those of the plain nested evaluation.
 *
 * Invariants: the stack a chain needs, to compile or to evaluate, is at most `SEGMENT` links deep whatever its
 * length; `evaluationDepth` bounds the stack depth (in nodes) the compiled closures of a tree need, and
 * `compileExpr` refuses a tree past `MAX_EVALUATION_DEPTH` with a named error before compiling it.
 */
import type { BinaryExpr, Expr } from '../Expr';
import { childrenOf } from '../Expr';
import { definite, isDefinite, type Evaluator, type Node } from '../compiled';
import type { Cx } from './context';

/** Links of a chain evaluated by one nested call sequence. */
export const SEGMENT = 64;

/** Chains shorter than this compile the plain recursive way. */
const SHORT_CHAIN = SEGMENT;

/** The deepest evaluation (in nodes, spine segments counted as above) `compileExpr` accepts. */
export const MAX_EVALUATION_DEPTH = 1000;

/** The left spine of `expr`: `expr`, its left operand while that is a binary operator, ... (top first). */
export function leftSpine(expr: BinaryExpr): BinaryExpr[] {
  const spine: BinaryExpr[] = [];
  let e: Expr = expr;
  while (e.kind === 'binary') {
    spine.push(e);
    e = e.left;
  }
  return spine;
}

/** True when `expr` heads a chain long enough for `compileSpine`. */
export function isLongChain(expr: BinaryExpr): boolean {
  let n = 0;
  let e: Expr = expr;
  while (e.kind === 'binary' && n < SHORT_CHAIN) {
    n += 1;
    e = e.left;
  }
  return n >= SHORT_CHAIN;
}

/**
 * Compiles the chain headed by `top` with `compileOne`, which compiles one link given a scope in which its left
 * operand is already compiled (`cx.compiled`).
 */
export function compileSpine(top: BinaryExpr, cx: Cx, compileOne: (e: BinaryExpr, cx: Cx) => Node): Node {
  const spine = leftSpine(top);
  const compiled = new Map<Expr, Node>();
  const inner: Cx = { ...cx, compiled };
  const slots: unknown[] = [];
  const cutRuns: Evaluator[] = [];
  let node: Node | undefined;
  for (let i = spine.length - 1; i >= 0; i--) {
    const link = spine[i]!;
    node = compileOne(link, inner);
    if (i > 0 && i % SEGMENT === 0 && !node.constant) {
      const slot = cutRuns.length;
      cutRuns.push(node.run);
      const read: Evaluator = definite(() => slots[slot]);
      compiled.set(link, { ...node, run: isDefinite(node.run) ? read : (() => slots[slot]) });
    } else {
      compiled.set(link, node);
    }
  }
  const result = node!;
  if (cutRuns.length === 0) return result;
  const last = result.run;
  const runs = cutRuns;
  const run: Evaluator = (row, ctx) => {
    for (let j = 0; j < runs.length; j++) slots[j] = runs[j]!(row, ctx);
    return last(row, ctx);
  };
  return { ...result, run: isDefinite(last) ? definite(run) : run };
}

/**
 * An upper bound of the stack depth, in nodes, that evaluating (and compiling) `expr` needs: one per level of
 * nesting, a chain's links counted within their segment only. Iterative.
 */
export function evaluationDepth(expr: Expr): number {
  interface Item { readonly e: Expr; readonly depth: number; readonly chainTop: number; readonly index: number }
  let max = 0;
  const stack: Item[] = [{ e: expr, depth: 1, chainTop: 1, index: 0 }];
  while (stack.length > 0) {
    const { e, depth, chainTop, index } = stack.pop()!;
    if (depth > max) max = depth;
    if (e.kind === 'binary') {
      const long = index > 0 || isLongChain(e);
      if (long && e.left.kind === 'binary') {
        const i = index + 1;
        stack.push({ e: e.left, depth: chainTop + (i % SEGMENT) + 1, chainTop, index: i });
      } else {
        stack.push({ e: e.left, depth: depth + 1, chainTop: depth + 1, index: 0 });
      }
      stack.push({ e: e.right, depth: depth + 1, chainTop: depth + 1, index: 0 });
      continue;
    }
    for (const c of childrenOf(e)) stack.push({ e: c, depth: depth + 1, chainTop: depth + 1, index: 0 });
  }
  return max;
}
