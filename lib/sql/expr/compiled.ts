/**
 * The compiled form of an expression: a typed closure over a row (no `eval`, no `new Function`), and the
 * helpers every compiled operator and function uses for Spark's implicit casts, DATATYPE_MISMATCH errors and the
 * quoting of expressions and names in error messages.
 *
 * Invariants: a `Node`'s `run` returns a value of its `dataType` or null (undefined never escapes: a missing
 * field reads as null); `constant` nodes depend on neither the row nor the context, so they may be folded once.
 */
import type { Row } from '../../contracts';
import { exprError, ExprErrorCodes } from './errorCodes';
import type { Expr } from './Expr';
import { prettySql } from './outputName';
import { castValue, isAtomic, isBinary, isNull, sqlTypes, type DataType } from './typeSupport';
import { FractionalType, IntegralType, NumericType } from '../../values/types';
import { wrapIntegral as castToIntegral } from '../../values/types/numbers';

/** What an evaluation may depend on besides the row: the batch's frozen time (`current_timestamp()`). */
export interface EvalContext {
  readonly batchTimestampMs: number;
}

/** A compiled evaluator. */
export type Evaluator = (row: Row, ctx: EvalContext) => unknown;

/** A compiled, typed expression node. */
export interface Node {
  readonly expr: Expr;
  readonly dataType: DataType;
  readonly nullable: boolean;
  readonly run: Evaluator;
  /** True when the value depends on neither the row nor the context (a literal, or a function of literals). */
  readonly constant: boolean;
}

const NO_ROW: Row = Object.freeze(Object.create(null) as Row);
const NO_CTX: EvalContext = Object.freeze({ batchTimestampMs: 0 });

/** Evaluators known never to return undefined (so `compileExpr` can hand them out without a wrapper). */
const DEFINITE = new WeakSet<Evaluator>();

/** Marks `f` as an evaluator that never returns undefined (only a value or null); returns `f`. */
export function definite(f: Evaluator): Evaluator {
  DEFINITE.add(f);
  return f;
}

/** True when `f` was marked by `definite`: it never returns undefined. */
export function isDefinite(f: Evaluator): boolean {
  return DEFINITE.has(f);
}

/** An evaluator returning the constant `v` (never undefined). */
function constantRun(v: unknown): Evaluator {
  return definite(() => v);
}

/** The value of a constant node. */
export function constantValue(node: Node): unknown {
  return node.run(NO_ROW, NO_CTX);
}

/** Builds a node; a node whose inputs are all constant is folded to a constant. */
export function makeNode(
  expr: Expr,
  dataType: DataType,
  nullable: boolean,
  evaluate: Evaluator,
  inputs: readonly Node[],
  deterministic = true,
): Node {
  const constant = deterministic && inputs.every((n) => n.constant);
  if (constant) {
    let value: unknown;
    try {
      value = evaluate(NO_ROW, NO_CTX);
    } catch {
      // Errors surface when the row is evaluated, as Spark raises them at run time.
      return { expr, dataType, nullable, run: evaluate, constant: false };
    }
    const v = value === undefined ? null : value;
    return { expr, dataType, nullable: v === null, run: constantRun(v), constant: true };
  }
  return { expr, dataType, nullable, run: evaluate, constant: false };
}

/** A node wrapping the value `value` of type `dataType`. */
export function constantNode(expr: Expr, value: unknown, dataType: DataType): Node {
  const v = value === undefined ? null : value;
  return { expr, dataType, nullable: v === null, run: constantRun(v), constant: true };
}

/** `node` cast to `to` with Spark's non-ANSI CAST (invalid → null); the same node when already of type `to`. */
export function castNode(node: Node, to: DataType): Node {
  if (node.dataType.equals(to)) return node;
  if (isNull(node.dataType)) return { ...node, dataType: to };
  const inner = node.run;
  const from = node.dataType;
  const general = (v: unknown): unknown => {
    const c = castValue(v, to, from);
    return c === undefined ? null : c;
  };
  let evaluate: Evaluator;
  if (from instanceof IntegralType && to instanceof IntegralType) {
    // An integer number read as an integral type is cast exactly as castValue does it (wrap to `bits`).
    const bits = to.bits;
    evaluate = (row, ctx) => {
      const v = inner(row, ctx);
      if (v === null || v === undefined) return null;
      return typeof v === 'number' && Number.isInteger(v) ? castToIntegral(v, bits) : general(v);
    };
  } else if (from instanceof NumericType && to instanceof FractionalType && (to.typeName === 'double' || to.typeName === 'float')) {
    // A number to DOUBLE is itself, to FLOAT its `Math.fround`, whatever numeric type it was read as.
    const float = to.typeName === 'float';
    evaluate = (row, ctx) => {
      const v = inner(row, ctx);
      if (v === null || v === undefined) return null;
      return typeof v === 'number' ? (float ? Math.fround(v) : v) : general(v);
    };
  } else {
    evaluate = (row, ctx) => {
      const v = inner(row, ctx);
      if (v === null || v === undefined) return null;
      return general(v);
    };
  }
  return makeNode(node.expr, to, true, definite(evaluate), [node]);
}

/** Spark's display of an expression inside error messages: `"(a + 1)"`. */
export function quoted(expr: Expr): string {
  return `"${prettySql(expr)}"`;
}

/** Spark's display of a multi-part name inside error messages: each part in backquotes, `` `a`.`b` ``. */
export function quoteParts(parts: readonly string[]): string {
  return parts.map((p) => `\`${p.replace(/`/g, '``')}\``).join('.');
}

/** Spark's DATATYPE_MISMATCH error for `expr`. */
export function mismatch(expr: Expr, subclass: string, detail: string): Error {
  return exprError(
    ExprErrorCodes.DATATYPE_MISMATCH,
    `[DATATYPE_MISMATCH.${subclass}] Cannot resolve ${quoted(expr)} due to data type mismatch: ${detail}. SQLSTATE: 42K09`,
    { expression: prettySql(expr), errorClass: `DATATYPE_MISMATCH.${subclass}` },
  );
}

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'];

/** `first`, `second`, ... (Spark's `ordinalNumber`). */
export function ordinal(i: number): string {
  return ORDINALS[i] ?? `${i + 1}th`;
}

/** Spark's UNEXPECTED_INPUT_TYPE mismatch for argument `i` of `call`. */
export function unexpectedInput(call: Expr, i: number, arg: Node, required: string): Error {
  const name = ordinal(i);
  return mismatch(
    call,
    'UNEXPECTED_INPUT_TYPE',
    `The ${name} parameter requires the ${required} type, however ${quoted(arg.expr)} has the type "${arg.dataType.sql()}"`,
  );
}

/**
 * The implicit cast of an argument to STRING (Spark's `ImplicitCastInputTypes`): atomic non-binary values are
 * cast, VOID becomes a typed null, anything else is a type mismatch.
 */
export function stringArg(call: Expr, i: number, arg: Node): Node {
  const t = arg.dataType;
  if (t.typeName === 'string') return arg;
  if (isNull(t) || (isAtomic(t) && !isBinary(t))) return castNode(arg, sqlTypes.string());
  throw unexpectedInput(call, i, arg, '"STRING"');
}
