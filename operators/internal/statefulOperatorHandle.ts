/**
 * The handle a stateful operator registers with the batch context (StatefulOperatorHandle), built from plain
 * values in this module's scope.
 *
 * Why not an object literal in the operator: the engine keeps the handles of a batch after it (for the next
 * trigger's no-data batch decision and for progress), and V8 gives every closure made in one function scope that
 * scope's one context object. A handle's closure made in an operator's per-batch function, next to any closure
 * that reads the batch, keeps the batch and every row of it alive until the next batch ends: young-generation GC
 * then copies those rows again and promotes them (measured on the stateful benchmark: twice the scavenges of the
 * same work without the engine).
 */
import type { StatefulOperatorHandle, StateOperatorProgressFields, StateSchemaDescription } from '../../lib/contracts';

/** When the operator needs a batch without new data (Spark's `shouldRunAnotherBatch`). */
export type NoDataBatchRule =
  /** never */
  | 'never'
  /** when the next watermark passes the watermark of the batch that registered the handle */
  | 'watermarkAdvance'
  /** every trigger (processing-time timeouts) */
  | 'always';

export interface StatefulOperatorHandleSpec<C> {
  readonly operatorId: string;
  readonly operatorName: string;
  readonly batchWatermarkMs: number;
  readonly noDataBatch: NoDataBatchRule;
  /** The operator's state key and value schema (recorded in the checkpoint, compared on restart). */
  readonly stateSchema?: StateSchemaDescription;
  /** The operator's counters, updated during the batch, and how they read as progress (a module-level function). */
  readonly counters?: C;
  readonly metricsOf?: (counters: C) => Partial<StateOperatorProgressFields>;
}

export function statefulOperatorHandle<C>(spec: StatefulOperatorHandleSpec<C>): StatefulOperatorHandle {
  const { operatorId, operatorName, batchWatermarkMs, noDataBatch, counters, metricsOf, stateSchema } = spec;
  const handle: StatefulOperatorHandle = {
    operatorId,
    operatorName,
    ...(stateSchema === undefined ? {} : { stateSchema }),
    shouldRunAnotherBatch: (newWatermarkMs) =>
      noDataBatch === 'always' || (noDataBatch === 'watermarkAdvance' && newWatermarkMs > batchWatermarkMs),
  };
  if (metricsOf === undefined || counters === undefined) return handle;
  return { ...handle, metrics: () => metricsOf(counters) };
}
