/**
 * Runs a compiled batch plan: its operators over one batch of its static inputs, through the same QueryPlan code
 * the streaming engine uses, with a throwaway in-memory state store. The static side of a stream-static join runs
 * through here too, with the stream batch's frozen time.
 *
 * Invariant: there is one planner and one operator set; a batch run differs from a streaming batch only in
 * its inputs (static) and output mode (complete when the plan aggregates, so nothing is held back).
 */
import type { OutputMode, Row } from '../../contracts';
import { EngineBatchContext } from '../../engine/EngineBatchContext';
import { queryPlanOf } from '../../query/queryPlanOf';
import { MemoryStateStoreProvider } from '../../state/MemoryStateStoreProvider';
import { collectRows } from '../../util/collectRows';
import { containsAggregate, type LogicalPlan } from './LogicalPlan';
import type { CompiledPlan } from './planner/strategy';

/** The output mode a batch run of `plan` uses: complete when it aggregates, append otherwise. */
export function batchOutputMode(plan: LogicalPlan): OutputMode {
  return containsAggregate(plan) ? 'complete' : 'append';
}

/** The rows of a compiled batch plan, evaluated at `nowMs` (the frozen time of `current_timestamp()`). */
export async function runBatchPlan(compiled: CompiledPlan, outputMode: OutputMode, nowMs: number): Promise<Row[]> {
  // The plan makes its own sources (as a started query does), so a batch run shares none with a running query.
  const queryPlan = queryPlanOf(compiled.node);
  const inputs = await Promise.all(queryPlan.sources.map((source) => collectRows(source.read(0, 1))));
  const context = new EngineBatchContext('batch', '', 0, new MemoryStateStoreProvider());
  const rows = await queryPlan.execute({
    batchId: 0,
    watermarkMs: 0,
    lateEventsWatermarkMs: 0,
    batchTimestampMs: nowMs,
    outputMode,
    context,
    inputs,
  });
  return [...rows];
}
