/**
 * Spark's analysis rule ResolveMissingReferences for a filter or sort over a projection:
 * `df.select('device').where('signal > 10')` filters on (`SELECT device FROM t ORDER BY time` sorts by) a column
 * the projection dropped. Spark resolves it from the projection's input, keeps it through the projection, filters
 * or sorts, then projects it away again; so does this rule.
 *
 * Invariant: a rewrite of the logical plan, applied before the node is planned: the node is returned unchanged
 * when its expressions resolve against its child's output, when it is not that shape, or when the projection's
 * input does not resolve them either (planning then raises the analyzer's own UNRESOLVED_COLUMN error).
 */
import { ErrorCodes, WeirError } from '../../../errors';
import { compileExpr } from '../../expr/analyze';
import type { Expr } from '../../expr/Expr';
import { StructType } from '../../../values/types';
import type { LogicalPlan } from '../LogicalPlan';

type FilterOrSort = Extract<LogicalPlan, { kind: 'filter' | 'sort' }>;

/** The expressions a filter or sort resolves. */
function expressionsOf(plan: FilterOrSort): readonly Expr[] {
  return plan.kind === 'filter' ? [plan.condition] : plan.orders.map((o) => (o.kind === 'sortOrder' ? o.child : o));
}

/** True when every expression resolves against `schema`; false on an unresolved column (other errors are thrown). */
function resolves(exprs: readonly Expr[], schema: StructType): boolean {
  try {
    for (const e of exprs) compileExpr(e, schema);
    return true;
  } catch (e) {
    if (e instanceof WeirError && e.code === ErrorCodes.UNRESOLVED_COLUMN) return false;
    throw e;
  }
}

/** A column reference to `name` exactly (backquoted). */
function column(name: string): Expr {
  return { kind: 'column', name: `\`${name.replace(/`/g, '``')}\``, parts: [name] } as Expr;
}

/**
 * `plan` with the references its projection dropped restored, or `plan` itself. `childSchema` is the schema of
 * `plan.child` and `inputSchema()` that of the projection's input (computed only when needed).
 */
export function resolveMissingReferences(plan: FilterOrSort, childSchema: StructType, inputSchema: () => StructType): LogicalPlan {
  if (plan.child.kind !== 'project') return plan;
  const exprs = expressionsOf(plan);
  if (resolves(exprs, childSchema)) return plan;
  const project = plan.child;
  const output = new Set(childSchema.fieldNames().map((n) => n.toLowerCase()));
  const input = inputSchema();
  const missing = input.fields.filter((f) => !output.has(f.name.toLowerCase()));
  if (missing.length === 0) return plan;
  if (!resolves(exprs, new StructType([...childSchema.fields, ...missing]))) return plan;
  const widened: LogicalPlan = { ...project, exprs: [...project.exprs, ...missing.map((f) => column(f.name))] };
  return { kind: 'project', child: { ...plan, child: widened }, exprs: childSchema.fieldNames().map(column) };
}
