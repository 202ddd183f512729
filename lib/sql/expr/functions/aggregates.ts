/**
 * Aggregate calls (`count(*)`, `sum(v)`, `count(DISTINCT x)`, ...) mapped onto weir's streaming aggregate
 * functions (`lib/aggregate`), with Spark's input type checks and result types.
 *
 * Invariants: the aggregate's input is the compiled argument, so `sum(a * 2)` aggregates an expression; the
 * AggregateFunction's `name` is Spark's output name (`count(1)`, `sum((a * 2))`); buffers stay plain data
 * (`lib/aggregate`'s invariant). Distinct aggregates are exact (a set of the distinct inputs) and rejected on
 * streaming queries with Spark's message, as Spark's UnsupportedOperationChecker does.
 */
import {
  approxCountDistinct,
  avg,
  collectList,
  collectSet,
  count,
  first,
  last,
  max,
  min,
  sum,
  DISTINCT_AGGREGATION_NOT_SUPPORTED_MESSAGE,
  type AggregateFunction,
} from '../../../aggregate';
import type { Row } from '../../../contracts';
import { ErrorCodes } from '../../../errors';
import { exprError, ExprErrorCodes } from '../errorCodes';
import type { CallExpr } from '../Expr';
import { constantValue, mismatch, quoted, type EvalContext, type Node } from '../compiled';
import { outputName } from '../outputName';
import {
  boundedDecimal,
  isBinary,
  isBoolean,
  isDecimal,
  isFloating,
  isIntegral,
  isMap,
  isNull,
  isNumeric,
  isString,
  sqlTypes,
  type DataType,
} from '../typeSupport';

/** The aggregate functions weir knows, by lower-case name (`mean` and `any_value` are aliases). */
export const AGGREGATE_NAMES: ReadonlySet<string> = new Set([
  'count', 'sum', 'avg', 'mean', 'min', 'max', 'first', 'first_value', 'last', 'last_value', 'any_value',
  'collect_list', 'array_agg', 'collect_set', 'approx_count_distinct',
]);

const ARITY: Readonly<Record<string, readonly [number, number]>> = {
  count: [1, Infinity],
  sum: [1, 1],
  avg: [1, 1],
  mean: [1, 1],
  min: [1, 1],
  max: [1, 1],
  first: [1, 2],
  first_value: [1, 2],
  last: [1, 2],
  last_value: [1, 2],
  any_value: [1, 2],
  collect_list: [1, 1],
  array_agg: [1, 1],
  collect_set: [1, 1],
  approx_count_distinct: [1, 2],
};

/** The [min, max] number of arguments of an aggregate. */
export function aggregateArity(name: string): readonly [number, number] {
  return Object.hasOwn(ARITY, name) ? ARITY[name]! : [1, 1];
}

/** Spark's input check of an aggregate over `args`; throws DATATYPE_MISMATCH. */
export function checkAggregateInput(call: CallExpr, args: readonly Node[]): void {
  const a = args[0];
  if (a === undefined) return;
  const t = a.dataType;
  switch (call.name) {
    case 'sum':
    case 'avg':
    case 'mean':
      if (!(isNumeric(t) || isString(t) || isNull(t))) {
        throw mismatch(call, 'UNEXPECTED_INPUT_TYPE', `The first parameter requires the "NUMERIC" or "ANSI INTERVAL" type, however ${quoted(a.expr)} has the type "${t.sql()}"`);
      }
      break;
    case 'min':
    case 'max':
      if (isMap(t)) {
        throw mismatch(call, 'INVALID_ORDERING_TYPE', `The \`${call.name}\` does not support ordering on type "${t.sql()}"`);
      }
      break;
    default:
      break;
  }
}

/** The result type of an aggregate over `args` (Spark's rules). */
export function aggregateResultType(call: CallExpr, args: readonly Node[]): DataType {
  const t = args[0]?.dataType ?? sqlTypes.long();
  switch (call.name) {
    case 'count':
    case 'approx_count_distinct':
      return sqlTypes.long();
    case 'sum':
      if (isIntegral(t)) return sqlTypes.long();
      if (isDecimal(t)) return boundedDecimal(t.precision + 10, t.scale);
      return sqlTypes.double();
    case 'avg':
    case 'mean':
      if (isDecimal(t)) return boundedDecimal(t.precision + 4, t.scale + 4);
      return sqlTypes.double();
    case 'collect_list':
    case 'array_agg':
    case 'collect_set':
      return sqlTypes.array(t, false);
    default:
      return t;
  }
}

/** Whether the aggregate's result can be null (count and approx_count_distinct never are). */
export function aggregateNullable(call: CallExpr): boolean {
  return !['count', 'approx_count_distinct', 'collect_list', 'array_agg', 'collect_set'].includes(call.name);
}

/**
 * Builds the AggregateFunction of `call` over its compiled arguments. `context` gives the evaluation context of
 * the rows being folded (the batch time, for arguments that use `current_timestamp()`).
 */
export function buildAggregate(
  call: CallExpr,
  args: readonly Node[],
  options: { streaming: boolean; context: () => EvalContext },
): AggregateFunction {
  const name = outputName(call);
  const ctx = options.context;
  const input = (node: Node): ((row: Row) => unknown) => {
    const e = node.run;
    return (row: Row) => e(row, ctx());
  };
  if (call.distinct && call.name !== 'min' && call.name !== 'max') {
    if (options.streaming) {
      throw exprError(ErrorCodes.UNSUPPORTED_OPERATION, DISTINCT_AGGREGATION_NOT_SUPPORTED_MESSAGE, { expression: name });
    }
    return distinctAggregate(call, args, name, ctx);
  }
  const arg = args[0];
  const named = <F extends AggregateFunction<any, any, any>>(f: F): AggregateFunction => ({ ...f, name }) as AggregateFunction;
  switch (call.name) {
    case 'count': {
      if (call.star === true || args.length === 0) return named(count());
      if (args.length === 1 && args[0]!.constant) {
        const v = constantValue(args[0]!);
        return v === null ? named(count(() => null)) : named(count());
      }
      if (args.length === 1) return named(count(input(arg!)));
      const evals = args.map(input);
      return named(count((row: Row) => (evals.every((e) => { const v = e(row); return v !== null && v !== undefined; }) ? 1 : null)));
    }
    case 'sum':
      return named(sum(numericInput(arg!, input(arg!))));
    case 'avg':
    case 'mean':
      return named(avg(numericInput(arg!, input(arg!))));
    case 'min':
      return named(min(input(arg!)));
    case 'max':
      return named(max(input(arg!)));
    case 'first':
    case 'first_value':
    case 'any_value':
      return named(first(input(arg!), ignoreNulls(call, args)));
    case 'last':
    case 'last_value':
      return named(last(input(arg!), ignoreNulls(call, args)));
    case 'collect_list':
    case 'array_agg':
      return named(collectList(input(arg!)));
    case 'collect_set':
      return named(collectSet(input(arg!)));
    case 'approx_count_distinct': {
      const rsd = args[1] === undefined ? 0.05 : Number(constantValue(args[1]));
      return named(approxCountDistinct(input(arg!), rsd));
    }
    default:
      throw exprError(ExprErrorCodes.UNRESOLVED_ROUTINE, `\`${call.name}\` is not an aggregate function.`, { function: call.name });
  }
}

/** sum/avg read strings as doubles (Spark's implicit cast) and reject booleans at analysis, not per row. */
function numericInput(node: Node, read: (row: Row) => unknown): (row: Row) => unknown {
  const t = node.dataType;
  if (isString(t)) {
    return (row) => {
      const v = read(row);
      if (typeof v !== 'string') return v;
      const n = Number(v.trim());
      return v.trim().length === 0 || Number.isNaN(n) ? null : n;
    };
  }
  if (isBoolean(t) || isBinary(t)) return () => null;
  if (isFloating(t) || isIntegral(t) || isDecimal(t)) return read;
  return read;
}

function ignoreNulls(call: CallExpr, args: readonly Node[]): boolean {
  if (args[1] === undefined) return false;
  if (!args[1].constant) throw mismatch(call, 'NON_FOLDABLE_INPUT', 'the input ignoreNulls should be a foldable "BOOLEAN" expression');
  return constantValue(args[1]) === true;
}

/**
 * An exact distinct aggregate: collects the distinct non-null inputs (tuples for several arguments, which count
 * only when no element is null), then applies the plain aggregate to them.
 */
function distinctAggregate(call: CallExpr, args: readonly Node[], name: string, ctx: () => EvalContext): AggregateFunction {
  const evals = args.map((a) => a.run);
  const multi = args.length > 1;
  const set = collectSet((row: Row) => {
    const c = ctx();
    if (!multi) return evals[0]!(row, c);
    const values = evals.map((e) => e(row, c));
    return values.some((v) => v === null || v === undefined) ? null : values;
  });
  const inner = buildAggregate({ ...call, distinct: false }, args.length > 1 ? [args[0]!] : args, { streaming: false, context: ctx });
  return {
    ...set,
    name,
    evaluate: (buf: unknown) => {
      const values = set.evaluate(buf as unknown[]);
      if (call.name === 'count') return values.length;
      let acc = inner.init();
      for (const v of values) acc = inner.update(acc, v);
      return inner.evaluate(acc);
    },
  } as AggregateFunction;
}
