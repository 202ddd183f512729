/**
 * Classification of expression trees before resolution: whether an expression aggregates (and which calls are its
 * aggregates), whether it is a generator. The analyzer and the planner use these to choose between projection,
 * aggregation and generation.
 *
 * Invariants: pure functions of the tree as written, never of a schema or data; a call aggregates when its name is
 * one of `AGGREGATE_NAMES` or it is written with `DISTINCT`; `extractAggregates` gives one id per distinct
 * aggregate call (by its SQL text and `DISTINCT`), so `sum(a) / sum(a)` aggregates `sum(a)` once.
 */
import { someNode, transformUp, type CallExpr, type Expr } from '../Expr';
import { GENERATOR_FUNCTIONS, outputName, prettySql } from '../outputName';
import { AGGREGATE_NAMES } from '../functions/aggregates';

/** True when `e` is a call of an aggregate function (`sum(x)`, not `sum(x) + 1`). */
export function isAggregateCall(e: Expr): boolean {
  return e.kind === 'call' && AGGREGATE_NAMES.has(e.name);
}

/**
 * True when `expr` contains an aggregate call (count, sum, avg/mean, min, max, first, last, collect_list,
 * collect_set, approx_count_distinct, and any `DISTINCT` call).
 */
export function isAggregate(expr: Expr): boolean {
  return someNode(expr, (e) => isAggregateCall(e) || (e.kind === 'call' && e.distinct));
}

/** True when `expr` is, or is an alias of, a generator (`explode`, `explode_outer`). */
export function isGenerator(expr: Expr): boolean {
  const inner = expr.kind === 'alias' ? expr.child : expr;
  return inner.kind === 'call' && GENERATOR_FUNCTIONS.has(inner.name);
}

/** An aggregate call found by `extractAggregates`, and the column id that stands for its result. */
export interface ExtractedAggregate {
  readonly id: string;
  readonly call: CallExpr;
}

/**
 * Splits an aggregation output expression such as `sum(a) / count(*) AS avg` into its aggregate calls and a
 * post-aggregation expression in which each call is replaced by a column reference to its `id`. The planner
 * aggregates each call (`toAggregateFunction`) into a column named `id`, then compiles `result` against the
 * grouping columns plus those columns (`aggregateResult` gives their types).
 */
export function extractAggregates(expr: Expr, idPrefix = '__agg'): { aggregates: ExtractedAggregate[]; result: Expr } {
  const aggregates: ExtractedAggregate[] = [];
  const keyOf = new Map<string, string>();
  const result = transformUp(expr, (e) => {
    if (e.kind !== 'call' || !(isAggregateCall(e) || e.distinct)) return e;
    const key = JSON.stringify([prettySql(e), e.distinct]);
    let id = keyOf.get(key);
    if (id === undefined) {
      id = `${idPrefix}${aggregates.length}`;
      keyOf.set(key, id);
      aggregates.push({ id, call: e });
    }
    return { kind: 'column', name: id, parts: [id] };
  });
  const named = expr.kind === 'alias' || result.kind === 'alias' ? result : { kind: 'alias' as const, child: result, name: outputName(expr) };
  return { aggregates, result: named };
}
