/**
 * `dropDuplicatesWithinWatermark(...columns)` (Spark 3.5+'s DropDuplicatesWithinWatermarkExec).
 *
 * Invariants:
 * - The keys need not include event time. The first row of a key is emitted and its expiry (event time + the
 *   watermark delay) stored; later rows of the key are dropped (numDroppedDuplicateRows) while it is in state;
 *   a key is evicted when expiry <= the batch's watermark, after which the key is emitted again.
 * - Late rows (event time <= the previous batch's watermark) are dropped first (numRowsDroppedByWatermark).
 * - A watermark is required: Spark's analysis error at start, and again with the first batch for a pipeline the
 *   start-time analysis cannot see through.
 * - Eviction scans the state (as Spark does): one entry per key, so numRowsTotal matches Spark's.
 */
import { concatMap, type OperatorFunction } from 'rxjs';
import type { PassesRows } from './rowEffects';
import type { BatchMetadata, MicroBatch, Row } from '../lib/contracts';
import { ErrorCodes, WeirError } from '../lib/errors';
import { WITHIN_WATERMARK_WITHOUT_WATERMARK, checkColumns, deduplicateRows, plainKey, dedupMetrics, type DedupCounts } from '../lib/dedup/deduplicate';
import { analysisError } from '../lib/plan/analysisMessages';
import { fromMaybe, then } from './internal/maybe';
import { withChanges } from './internal/lazyRows';
import { statefulOperatorHandle } from './internal/statefulOperatorHandle';
import { describeOperator } from './describeOperator';
import { dedupAnalysis } from './dropDuplicates';

function requireWatermark(eventTimeColumn: string | undefined, context: Record<string, unknown>): void {
  if (eventTimeColumn === undefined) {
    throw analysisError(WITHIN_WATERMARK_WITHOUT_WATERMARK, context);
  }
}

/**
 * The watermark delay of the event-time column. An operator that does not carry it (an aggregation's output, in
 * weir) leaves it unknown: refused rather than guessed, since it decides when keys expire.
 */
function requireDelay(metadata: BatchMetadata | undefined, context: Record<string, unknown>): number {
  const delayMs = metadata?.eventTimeDelayMs;
  if (delayMs === undefined) {
    throw new WeirError(
      ErrorCodes.UNSUPPORTED_OPERATION,
      `dropDuplicatesWithinWatermark needs the watermark delay of the event-time column ${metadata?.eventTimeColumn ?? ''}, which weir does not know after the operators before it`,
      { context },
    );
  }
  return delayMs;
}

/**
 * Drops rows whose `columns` (all columns when none are given) equal those of a row kept less than the
 * watermark delay ago (in event time).
 *
 * @example
 * pipeline: [withWatermark('ts', '1 hour'), dropDuplicatesWithinWatermark('eventId')]
 */
export function dropDuplicatesWithinWatermark<T extends Row>(...columns: string[]): OperatorFunction<MicroBatch<T>, MicroBatch<T>> & PassesRows {
  const keys = columns.length === 0 ? undefined : [...columns];
  checkColumns('dropDuplicatesWithinWatermark', keys);
  return describeOperator(
    `DeduplicateWithinWatermark [${keys === undefined ? '*' : keys.join(', ')}]`,
    concatMap((batch: MicroBatch<T>) => fromMaybe(() => withinWatermarkBatch(batch as MicroBatch<Row>, keys) as MicroBatch<T> | Promise<MicroBatch<T>>)),
    (state, outputMode) => {
      requireWatermark(state.metadata.eventTimeColumn, { outputMode });
      requireDelay(state.metadata, { outputMode });
      return dedupAnalysis(() => true)(state);
    },
  );
}

interface Expiry {
  /** Expiry (ms): event time + delay of the first occurrence. */
  readonly x: number;
}

function withinWatermarkBatch(batch: MicroBatch<Row>, keys: readonly string[] | undefined) {
  const { context } = batch;
  const operatorId = context.nextOperatorId('dedupeWithinWatermark');
  requireWatermark(batch.metadata?.eventTimeColumn, { operatorId, batchId: batch.batchId });
  const delayMs = requireDelay(batch.metadata, { operatorId, batchId: batch.batchId });
  const counts: DedupCounts = { droppedDuplicates: 0, droppedByWatermark: 0 };
  context.registerStatefulOperator(
    statefulOperatorHandle({
      operatorId,
      operatorName: 'dedupeWithinWatermark',
      batchWatermarkMs: batch.watermarkMs,
      noDataBatch: 'watermarkAdvance',
      counters: counts,
      metricsOf: dedupMetrics,
      // Spark's state: the key columns (all columns: `*`) and the expiry of the first occurrence.
      stateSchema: { keySchema: (keys ?? ['*']).map((name) => ({ name })), valueSchema: [{ name: 'expiresAtMs' }] },
    }),
  );
  return then(context.stateStore(operatorId), (store) =>
    then(
      deduplicateRows(batch, store, keys, (values) => plainKey(values), (key, _row, time) => {
        // A NULL event time never expires (Spark's comparison with NULL is never true).
        store.put(key, { x: time === null ? Number.MAX_SAFE_INTEGER : time + delayMs } satisfies Expiry);
      }, counts),
      (out) =>
        then(store.range(), (all) => {
          for (const [key, value] of all) if ((value as Expiry).x <= batch.watermarkMs) store.delete(key);
          return withChanges(batch, { rows: out });
        }),
    ),
  );
}
