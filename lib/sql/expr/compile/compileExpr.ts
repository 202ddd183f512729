/**
 * The entry points of expression compilation: `compileExpr` resolves an expression against a schema and compiles
 * it into a `CompiledExpr` (Spark's output name, type, nullability and the evaluating closure), and
 * `projectionSchema` gives the output schema of a projection.
 *
 * Invariants: an expression that aggregates fails with MISSING_GROUP_BY (aggregates go through
 * `toAggregateFunction`); only the top of the expression (under its alias) may be a generator; `evaluate` never
 * returns undefined, and is the node's own closure whenever that closure cannot return undefined (no extra
 * layer per row); a tree whose evaluation would nest past `MAX_EVALUATION_DEPTH` is refused before compiling
 * (UNSUPPORTED_OPERATION), long operator chains compile and evaluate flat (`flatChains.ts`).
 */
import { exprError, ExprErrorCodes } from '../errorCodes';
import { collectNodes, type Expr } from '../Expr';
import { isDefinite, type EvalContext, type Evaluator } from '../compiled';
import { GENERATOR_FUNCTIONS, outputName, prettySql } from '../outputName';
import { definiteReadOf } from '../rowAccess';
import { isMap, type DataType, type StructType } from '../typeSupport';
import { StructField, StructType as StructTypeClass } from '../../../values/types';
import { isAggregateCall } from '../analyzer/classify';
import { compileNode } from './compileNode';
import { evaluationDepth, MAX_EVALUATION_DEPTH, SEGMENT } from './flatChains';
import type { Cx } from './context';

/** A compiled expression: its output name, type and nullability, and the closure that evaluates it. */
export interface CompiledExpr {
  /** Spark's output column name (the alias if any). */
  readonly name: string;
  readonly dataType: DataType;
  readonly nullable: boolean;
  /**
   * Evaluates the expression on a row. For a generator (`explode`), returns the collection to expand (an array,
   * or a `Map` for a map) and `dataType` is the type of one output value.
   */
  evaluate(row: Record<string, unknown>, ctx: EvalContext): unknown;
  /** Set for `explode(...)`: what `evaluate` returns and whether empty/null input keeps one null row (`outer`). */
  readonly generator?: { readonly collection: 'array' | 'map'; readonly outer: boolean };
  /** True when the value depends on neither the row nor the context. */
  readonly constant: boolean;
}

/** Options of `compileExpr`. */
export interface CompileOptions {
  /**
   * Names that may qualify a column (`t.col` when the DataFrame is aliased `t`), compared case-insensitively.
   * A qualified match is preferred over a struct field path, as in Spark.
   */
  readonly qualifiers?: readonly string[];
}

/**
 * Resolves `expr` against `schema` and compiles it.
 *
 * @example
 * ```ts
 * const c = compileExpr(parseExpression('upper(word) AS w'), new StructType().add('word', 'string'));
 * c.name;                                          // 'w'
 * c.evaluate({ word: 'hi' }, { batchTimestampMs: 0 }); // 'HI'
 * ```
 */
export function compileExpr(expr: Expr, schema: StructType, options: CompileOptions = {}): CompiledExpr {
  const aggregate = collectNodes(expr, isAggregateCall)[0];
  if (aggregate !== undefined) {
    throw exprError(
      ExprErrorCodes.UNSUPPORTED_OPERATION,
      `[MISSING_GROUP_BY] The query does not include a GROUP BY clause. Add GROUP BY or turn it into the window functions using OVER clauses. SQLSTATE: 42803`,
      { expression: prettySql(aggregate) },
    );
  }
  const depth = evaluationDepth(expr);
  if (depth > MAX_EVALUATION_DEPTH) {
    throw exprError(
      ExprErrorCodes.UNSUPPORTED_OPERATION,
      `The expression nests ${depth} levels deep, past weir's limit of ${MAX_EVALUATION_DEPTH} (a chain of operators such as \`a OR b OR ...\` counts as one level per ${SEGMENT} terms; nesting counts one per level).`,
      { depth, limit: MAX_EVALUATION_DEPTH },
    );
  }
  const inner = expr.kind === 'alias' ? expr.child : expr;
  const cx: Cx = { schema, qualifiers: options.qualifiers ?? [], generatorAllowedAt: inner };
  const node = compileNode(expr, cx);
  const generator =
    inner.kind === 'call' && GENERATOR_FUNCTIONS.has(inner.name)
      ? { collection: (isMap(compileNode(inner.args[0]!, cx).dataType) ? 'map' : 'array') as 'array' | 'map', outer: inner.name.endsWith('_outer') }
      : undefined;
  const run = node.run;
  // The evaluator itself when it never returns undefined (no extra layer per row); else undefined → null.
  const evaluate: Evaluator =
    isDefinite(run) ? run
    : definiteReadOf(run) ?? ((row, ctx) => {
      const v = run(row, ctx);
      return v === undefined ? null : v;
    });
  return {
    name: outputName(expr),
    dataType: node.dataType,
    nullable: node.nullable,
    evaluate,
    constant: node.constant,
    ...(generator === undefined ? {} : { generator }),
  };
}

/** The output schema of a projection of `exprs` over `schema` (`*` expands to every column). */
export function projectionSchema(exprs: readonly Expr[], schema: StructType, options: CompileOptions = {}): StructType {
  const fields: StructField[] = [];
  for (const e of exprs) {
    if (e.kind === 'column' && (e.parts ?? [e.name]).at(-1) === '*') {
      fields.push(...schema.fields);
      continue;
    }
    const c = compileExpr(e, schema, options);
    fields.push(new StructField(c.name, c.dataType, c.nullable));
  }
  return new StructTypeClass(fields);
}
