/**
 * Runs a batch DataFrame: its plan compiled by the one planner, then run as one batch (`runBatchPlan`).
 *
 * Invariant: a batch run differs from a streaming batch only in its inputs (static) and output mode (complete
 * when the plan aggregates, so nothing is held back).
 */
import type { Row } from '../../contracts';
import type { LogicalPlan } from './LogicalPlan';
import { compilePlan } from './planner';
import { batchOutputMode, runBatchPlan } from './runBatchPlan';

/** The rows of a batch DataFrame, evaluated at `nowMs` (the frozen time of `current_timestamp()`). */
export async function executeBatch(plan: LogicalPlan, nowMs: number): Promise<Row[]> {
  const outputMode = batchOutputMode(plan);
  return runBatchPlan(compilePlan(plan, { streaming: false, outputMode }), outputMode, nowMs);
}
