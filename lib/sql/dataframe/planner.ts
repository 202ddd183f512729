/**
 * The planner: compiles a DataFrame's logical plan to a plan tree (`lib/plan/`) of the operators the RxJS face
 * uses, for streaming queries and for batch DataFrames alike, as Spark's planner does: one strategy per node kind
 * (`planner/`), analysis rules before a node is planned (`analysis/`), row kernels in the operators' internals.
 *
 * Invariants: one planner, not a second engine: a batch DataFrame runs its compiled tree over one batch of its
 * static inputs; expressions are compiled to closures by lib/sql/expr (never evaluated as JavaScript) and evaluated
 * with the batch's context; every query shape Spark rejects is rejected by a strategy or by the plan's analysis
 * (`lib/plan/analyzePlan.ts`), with Spark's text.
 */
import type { LogicalPlan } from './LogicalPlan';
import { Messages } from '../../plan/analysisMessages';
import type { CompiledPlan, PlanOptions } from './planner/strategy';
import { planAggregate } from './planner/planAggregate';
import { planFilter, planSort } from './planner/planFilter';
import { planJoin } from './planner/planJoin';
import { planProject } from './planner/planProject';
import { planLocalRelation, planStreamingSource, staticSource } from './planner/planSource';
import { planDeduplicate, planGroupsWithState, planLimit, planWatermark } from './planner/planStateful';
import { planUnion } from './planner/planUnion';

export type { CompiledPlan, PlanOptions };

/** Spark's analysis messages of the planner's rules (their one definition is `lib/plan/analysisMessages.ts`). */
export { Messages, staticSource };

/** Compiles `plan`. `streaming` is false for batch DataFrames (watermarks are no-ops there, as in Spark). */
export function compilePlan(plan: LogicalPlan, options: PlanOptions): CompiledPlan {
  switch (plan.kind) {
    case 'streamingSource':
      return planStreamingSource(plan, options, compilePlan);
    case 'localRelation':
      return planLocalRelation(plan, options, compilePlan);
    case 'alias':
      return compilePlan(plan.child, options);
    case 'join':
      return planJoin(plan, options, compilePlan);
    case 'project':
      return planProject(plan, options, compilePlan);
    case 'filter':
      return planFilter(plan, options, compilePlan);
    case 'watermark':
      return planWatermark(plan, options, compilePlan);
    case 'aggregate':
      return planAggregate(plan, options, compilePlan);
    case 'deduplicate':
      return planDeduplicate(plan, options, compilePlan);
    case 'groupsWithState':
      return planGroupsWithState(plan, options, compilePlan);
    case 'union':
      return planUnion(plan, options, compilePlan);
    case 'sort':
      return planSort(plan, options, compilePlan);
    case 'limit':
      return planLimit(plan, options, compilePlan);
  }
}
