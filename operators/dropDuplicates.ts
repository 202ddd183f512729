/**
 * `dropDuplicates(...columns)`: streaming deduplication (Spark's StreamingDeduplicateExec, `Dataset.dropDuplicates`
 * and `distinct()`).
 *
 * Invariants:
 * - The first row of each key is emitted, every later one (this batch or any later batch) is dropped while the
 *   key is in state (metric `numDroppedDuplicateRows`). No columns = every column of the row is the key.
 * - With a watermark, late rows (event time <= the previous batch's watermark) are dropped first.
 * - State is evicted only when the event-time column is one of the keys: keys whose event time <= the batch's
 *   watermark, in the batch that sees that watermark. The state key then leads with the event time, so eviction
 *   is one range scan. Without it, state grows forever, as in Spark.
 * - The operator asks for a no-data batch whenever the watermark moved (Spark's shouldRunAnotherBatch), whether
 *   or not it can evict.
 */
import { concatMap, type OperatorFunction } from 'rxjs';
import type { PassesRows } from './rowEffects';
import type { MicroBatch, Row } from '../lib/contracts';
import { checkColumns, deduplicateRows, plainKey, dedupMetrics, type DedupCounts } from '../lib/dedup/deduplicate';
import { stateKey, timePrefix } from './internal/groupKey';
import { fromMaybe, then } from './internal/maybe';
import { withChanges } from './internal/lazyRows';
import { statefulOperatorHandle } from './internal/statefulOperatorHandle';
import { describeOperator, type AnalysisState } from './describeOperator';

/** Where keys with a NULL event time sort: after every real time, so they are never evicted (as in Spark). */
const NULL_TIME = 2 ** 52;

/** True when the dedup keys include the event-time column (the only case Spark counts it as stateful). */
function timeKeyed(columns: readonly string[] | undefined, eventTimeColumn: string | undefined): boolean {
  return eventTimeColumn !== undefined && (columns === undefined || columns.includes(eventTimeColumn));
}

/** The start-time analysis of a dedup operator (shared with dropDuplicatesWithinWatermark). */
export function dedupAnalysis(stateful: (state: AnalysisState) => boolean) {
  return (state: AnalysisState): AnalysisState =>
    stateful(state)
      ? {
          ...state,
          // Counted only behind an aggregation: the start-time check rejects `aggregations > 0 &&
          // statefulOperators > 1` outside append, which is Spark's rule for a stateful operator with an
          // aggregation below it; a dedup *before* an aggregation is allowed in every mode.
          statefulOperators: state.statefulOperators + (state.aggregations > 0 ? 1 : 0),
        }
      : state;
}

/**
 * Drops rows whose `columns` (all columns when none are given) equal those of a row seen before.
 *
 * @example
 * pipeline: [withWatermark('ts', '10 minutes'), dropDuplicates('id', 'ts')]   // state evicted by the watermark
 * pipeline: [dropDuplicates('id')]                                          // state kept forever
 */
export function dropDuplicates<T extends Row>(...columns: string[]): OperatorFunction<MicroBatch<T>, MicroBatch<T>> & PassesRows {
  const keys = columns.length === 0 ? undefined : [...columns];
  checkColumns('dropDuplicates', keys);
  return describeOperator(
    `Deduplicate [${keys === undefined ? '*' : keys.join(', ')}]`,
    concatMap((batch: MicroBatch<T>) => fromMaybe(() => dedupBatch(batch as MicroBatch<Row>, keys) as MicroBatch<T> | Promise<MicroBatch<T>>)),
    dedupAnalysis((state) => timeKeyed(keys, state.metadata.eventTimeColumn)),
  );
}

/** `distinct()`: `dropDuplicates()` over every column. */
export function distinct<T extends Row>(): OperatorFunction<MicroBatch<T>, MicroBatch<T>> & PassesRows {
  return dropDuplicates<T>();
}

function dedupBatch(batch: MicroBatch<Row>, keys: readonly string[] | undefined) {
  const { context } = batch;
  const operatorId = context.nextOperatorId('dedupe');
  const evicts = timeKeyed(keys, batch.metadata?.eventTimeColumn);
  const counts: DedupCounts = { droppedDuplicates: 0, droppedByWatermark: 0 };
  context.registerStatefulOperator(
    statefulOperatorHandle({
      operatorId,
      operatorName: 'dedupe',
      batchWatermarkMs: batch.watermarkMs,
      noDataBatch: 'watermarkAdvance',
      counters: counts,
      metricsOf: dedupMetrics,
      // Spark's dedupe state: the key columns (all columns: `*`), and no value.
      stateSchema: { keySchema: (keys ?? ['*']).map((name) => ({ name })), valueSchema: [] },
    }),
  );
  const keyOf = evicts
    ? (values: unknown[], time: number | null) => stateKey(values, time ?? NULL_TIME)
    : (values: unknown[]) => plainKey(values);
  return then(context.stateStore(operatorId), (store) =>
    then(
      deduplicateRows(batch, store, keys, keyOf, (key) => store.put(key, 0), counts),
      (out) => {
        const emit = () => withChanges(batch, { rows: out });
        if (!evicts) return emit();
        return then(store.range({ lt: timePrefix(batch.watermarkMs + 1) }), (expired) => {
          for (const [key] of expired) store.delete(key);
          return emit();
        });
      },
    ),
  );
}
