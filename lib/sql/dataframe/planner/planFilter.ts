/**
 * The strategies of a filter and a sort, after the analysis rule ResolveMissingReferences
 * (`../analysis/resolveMissingReferences.ts`) has restored what a projection below dropped.
 *
 * Invariants: a filter is lazy (over a file source's chunks the rows are filtered, and aggregated after, as each
 * file is parsed) and keeps a row only when its condition is `true` (not null); a sort is Spark's only on batch
 * DataFrames or on an aggregation in complete mode, and runs the sort kernel (`operators/internal/sortRows.ts`).
 */
import { filterRowsOf } from '../../../../operators/filterRows';
import { sortRows } from '../../../../operators/internal/sortRows';
import { Messages } from '../../../plan/analysisMessages';
import { compileExpr } from '../../expr/analyze';
import { containsAggregate } from '../LogicalPlan';
import { resolveMissingReferences } from '../analysis/resolveMissingReferences';
import { appendOp, evalContext, mapRows, unsupported, type Strategy } from './strategy';

export const planFilter: Strategy<'filter'> = (plan, options, compile) => {
  const child = compile(plan.child, options);
  const resolved = resolveMissingReferences(plan, child.schema, () => compile((plan.child as { child: typeof plan.child }).child, options).schema);
  if (resolved !== plan) return compile(resolved, options);
  const cond = compileExpr(plan.condition, child.schema);
  const test = cond.evaluate;
  const op = filterRowsOf(`Filter ${cond.name}`, (batch) => {
    const ctx = evalContext(batch);
    return (row) => test(row, ctx) === true;
  });
  return appendOp(child, op);
};

export const planSort: Strategy<'sort'> = (plan, options, compile) => {
  const child = compile(plan.child, options);
  if (options.streaming && !(options.outputMode === 'complete' && containsAggregate(plan.child))) throw unsupported(Messages.sortStreaming);
  const resolved = resolveMissingReferences(plan, child.schema, () => compile((plan.child as { child: typeof plan.child }).child, options).schema);
  if (resolved !== plan) return compile(resolved, options);
  const orders = plan.orders.map((o) => {
    const inner = o.kind === 'sortOrder' ? o.child : o;
    const ascending = o.kind === 'sortOrder' ? o.ascending : true;
    const nullsFirst = o.kind === 'sortOrder' ? o.nullsFirst : ascending;
    return { evaluate: compileExpr(inner, child.schema).evaluate, ascending, nullsFirst };
  });
  const op = mapRows('Sort', (rows, batch) => {
    const ctx = evalContext(batch);
    return sortRows(rows, (r) => orders.map((o) => o.evaluate(r, ctx)), orders);
  });
  return appendOp(child, op);
};
