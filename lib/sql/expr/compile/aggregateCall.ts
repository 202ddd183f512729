/**
 * Compilation of an aggregate call (`sum(v * 2)`, `count(DISTINCT x)`, ...): the call checked and its arguments
 * compiled against the input schema, then mapped onto a streaming `AggregateFunction` of `lib/aggregate` by
 * `../functions/aggregates.ts`, or typed for the planner (`aggregateResult`).
 *
 * Invariants: only a call of a known aggregate is accepted (INVALID_DISTINCT for `DISTINCT` on any other
 * function), an aggregate nested in an aggregate's argument fails with NESTED_AGGREGATE_FUNCTION, the number of
 * arguments is checked (WRONG_NUM_ARGS) unless the call is `f(*)`; the aggregate's input is the compiled
 * argument, and its name is Spark's output name.
 */
import type { AggregateFunction } from '../../../aggregate';
import { exprError, ExprErrorCodes } from '../errorCodes';
import type { CallExpr, Expr } from '../Expr';
import type { EvalContext, Node } from '../compiled';
import { prettySql } from '../outputName';
import type { DataType, StructType } from '../typeSupport';
import { AGGREGATE_NAMES, aggregateArity, aggregateNullable, aggregateResultType, buildAggregate, checkAggregateInput } from '../functions/aggregates';
import { wrongArgs } from '../functions/registry';
import { isAggregate } from '../analyzer/classify';
import { compileNode } from './compileNode';
import type { Cx } from './context';

/** Options of `toAggregateFunction`. */
export interface AggregateOptions {
  /** True for a streaming query: distinct aggregates are rejected with Spark's message. */
  readonly streaming: boolean;
  /**
   * The evaluation context of the rows folded (the batch's frozen time, for `current_timestamp()` inside an
   * argument). Required: an aggregate compiled without it would read the wall clock, and a re-run batch would
   * fold different values.
   */
  readonly context: () => EvalContext;
  readonly qualifiers?: readonly string[];
}

/**
 * Maps an aggregate call (optionally aliased) to a streaming `AggregateFunction` of `lib/aggregate`, whose input
 * is the compiled argument and whose `name` is Spark's output name. `count(DISTINCT x)` and other distinct
 * aggregates throw UNSUPPORTED_OPERATION with Spark's message when `streaming`, and are exact otherwise.
 *
 * @example
 * ```ts
 * const f = toAggregateFunction(parseExpression('sum(v * 2)'), schema, { streaming: true, context: () => batchContext });
 * f.name; // 'sum((v * 2))'
 * ```
 */
export function toAggregateFunction(call: Expr, schema: StructType, options: AggregateOptions): AggregateFunction {
  const { node, args } = resolveAggregateCall(call, schema, options.qualifiers);
  return buildAggregate(node, args, { streaming: options.streaming, context: options.context });
}

/** The result type and nullability of an aggregate call against `schema`. */
export function aggregateResult(call: Expr, schema: StructType, qualifiers?: readonly string[]): { dataType: DataType; nullable: boolean } {
  const { node, args } = resolveAggregateCall(call, schema, qualifiers);
  return { dataType: aggregateResultType(node, args), nullable: aggregateNullable(node) };
}

function resolveAggregateCall(call: Expr, schema: StructType, qualifiers: readonly string[] = []): { node: CallExpr; args: Node[] } {
  const node = call.kind === 'alias' ? call.child : call;
  if (node.kind !== 'call' || !(AGGREGATE_NAMES.has(node.name) || node.distinct)) {
    throw exprError('INVALID_ARGUMENT', `${prettySql(node)} is not an aggregate function call.`, { expression: prettySql(node) });
  }
  if (!AGGREGATE_NAMES.has(node.name)) {
    throw exprError('INVALID_ARGUMENT', `[INVALID_DISTINCT] DISTINCT is only supported on aggregate functions; \`${node.name}\` is not one.`, { function: node.name });
  }
  const nested = node.args.find((a) => isAggregate(a));
  if (nested !== undefined) {
    throw exprError(
      ExprErrorCodes.DATATYPE_MISMATCH,
      '[NESTED_AGGREGATE_FUNCTION] It is not allowed to use an aggregate function in the argument of another aggregate function. Please use the inner aggregate function in a sub-query. SQLSTATE: 42607',
      { expression: prettySql(node) },
    );
  }
  if (node.star !== true) {
    const [min, max] = aggregateArity(node.name);
    if (node.args.length < min || node.args.length > max) throw wrongArgs(node.name, node.args.length, min, max);
  }
  const cx: Cx = { schema, qualifiers };
  const args = node.args.map((a) => compileNode(a, cx));
  checkAggregateInput(node, args);
  return { node, args };
}
