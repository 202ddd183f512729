/**
 * Spark's `Union` over batches and over their traced analysis states: one rule for the event-time column a union
 * carries, used by execution and analysis alike.
 *
 * Invariant: a union carries an event-time column only when every child carries the same one, with the first
 * child's watermark delay (Spark's Union keeps its first child's attributes).
 */
import type { BatchMetadata, MicroBatch, Row } from '../contracts';
import { concatRows } from '../util/concatRows';
import type { AnalysisState } from './operatorDeclaration';

/** The metadata of a union of children with `metadata`. */
export function unionMetadata(metadata: ReadonlyArray<BatchMetadata | undefined>): BatchMetadata {
  const columns = new Set(metadata.map((m) => m?.eventTimeColumn));
  if (columns.size !== 1 || columns.has(undefined)) return {};
  const first = metadata[0]!;
  return {
    eventTimeColumn: first.eventTimeColumn!,
    ...(first.eventTimeDelayMs === undefined ? {} : { eventTimeDelayMs: first.eventTimeDelayMs }),
  };
}

/** One batch of the union of `parts` (same batch, one per child, in child order). */
export function unionBatches(parts: readonly MicroBatch<Row>[]): MicroBatch<Row> {
  if (parts.length === 1) return parts[0]!;
  const first = parts[0]!;
  return {
    batchId: first.batchId,
    watermarkMs: first.watermarkMs,
    lateEventsWatermarkMs: first.lateEventsWatermarkMs,
    batchTimestampMs: first.batchTimestampMs,
    outputMode: first.outputMode,
    context: first.context,
    rows: concatRows(parts),
    metadata: unionMetadata(parts.map((p) => p.metadata)),
  };
}

/** The analysis state of a union of children traced to `states`. */
export function unionStates(states: readonly AnalysisState[]): AnalysisState {
  if (states.length === 1) return states[0]!;
  const opaque = states.find((s) => s.opaque !== undefined)?.opaque;
  return {
    metadata: unionMetadata(states.map((s) => s.metadata)),
    aggregations: states.reduce((n, s) => n + s.aggregations, 0),
    statefulOperators: states.reduce((n, s) => n + s.statefulOperators, 0),
    ...(opaque !== undefined ? { opaque } : {}),
  };
}
