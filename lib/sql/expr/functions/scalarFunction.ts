/**
 * What a built-in scalar, generator or time-window function is (Spark's `FunctionBuilder` plus its arity), how a
 * category's table of them is declared, and `strict`, the null-in-null-out node every strict function builds.
 *
 * Invariants: a table is a `Map` from lower-case name to function, built once from a literal list of entries and
 * never changed (so names such as `constructor` or `__proto__` are only keys); a function compiles its
 * arguments' nodes once into a closure and reads no data at compile time except constant arguments; `strict`'s
 * node returns null when any argument is null or undefined, and never returns undefined.
 */
import type { CallExpr } from '../Expr';
import { makeNode, type EvalContext, type Evaluator, type Node } from '../compiled';
import type { DataType } from '../typeSupport';

/** A scalar (or generator, or time-window) function. */
export interface ScalarFunction {
  readonly kind: 'scalar' | 'generator' | 'window';
  readonly minArgs: number;
  readonly maxArgs: number;
  /** Compiles a call whose arguments are compiled already. */
  compile(call: CallExpr, args: readonly Node[]): Node;
}

/** One category's functions by lower-case name (aliases map to the same function). */
export type FunctionTable = ReadonlyMap<string, ScalarFunction>;

/** An entry of a table: a name (or a name and its aliases) and the function. */
export type FunctionEntry = readonly [names: string | readonly string[], fn: ScalarFunction];

/** The table of `entries`, each name (and alias) mapped to its function. */
export function functionTable(entries: readonly FunctionEntry[]): FunctionTable {
  const table = new Map<string, ScalarFunction>();
  for (const [names, fn] of entries) {
    for (const n of typeof names === 'string' ? [names] : names) table.set(n, fn);
  }
  return table;
}

/** A scalar function of `minArgs` to `maxArgs` arguments. */
export function scalar(minArgs: number, maxArgs: number, compile: (call: CallExpr, args: readonly Node[]) => Node): ScalarFunction {
  return { kind: 'scalar', minArgs, maxArgs, compile };
}

/** A node computing `f(values)` when no argument is null, else null. */
export function strict(call: CallExpr, args: readonly Node[], type: DataType, f: (values: unknown[], ctx: EvalContext) => unknown): Node {
  const evals = args.map((a) => a.run);
  const n = evals.length;
  let evaluate: Evaluator;
  if (n === 1) {
    const e0 = evals[0]!;
    evaluate = (row, ctx) => {
      const v = e0(row, ctx);
      if (v === null || v === undefined) return null;
      const r = f([v], ctx);
      return r === undefined ? null : r;
    };
  } else {
    evaluate = (row, ctx) => {
      const values = new Array<unknown>(n);
      for (let i = 0; i < n; i++) {
        const v = evals[i]!(row, ctx);
        if (v === null || v === undefined) return null;
        values[i] = v;
      }
      const r = f(values, ctx);
      return r === undefined ? null : r;
    };
  }
  return makeNode(call, type, true, evaluate, args);
}
