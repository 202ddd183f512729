/**
 * Runs an RxJS-face pipeline (weir-streams/operators) as a stream over cut batches: `startQuery` on a
 * MemoryStream with a memory sink, one `addData` and `processAllAvailable()` per batch.
 *
 * Invariant: each input batch is one micro-batch (followed by the no-data batches a watermark move needs); the
 * query is stopped before the promise settles. Operators keep no state between batches outside the state
 * store (docs/ARCHITECTURE.md), so the same pipeline may be run any number of times.
 */
import type { MicroBatch, OutputMode, Row } from '../contracts';
import type { OperatorFunction } from 'rxjs';
import { startQuery } from '../query/startQuery';
import { MemoryStream } from '../../connectors/memory/MemoryStream';
import { memorySink } from '../../connectors/memory/memorySink';
import { feedBatches } from './internal/feedBatches';
import { withTempCheckpoint } from './internal/withTempCheckpoint';
import type { StreamRun } from './StreamRun';

/** A pipeline as `startQuery` takes it: one operator or a list of them. */
export type Pipeline = OperatorFunction<MicroBatch<any>, MicroBatch<any>> | ReadonlyArray<OperatorFunction<any, any>>;

/** Options of {@link runPipeline}. */
export interface PipelineRunOptions {
  /** Default `'append'`. */
  readonly outputMode?: OutputMode;
  /** Rows fed as one more batch after the cut batches (see `StreamRunOptions.flush`). */
  readonly flush?: readonly Row[];
  /** Query confs (`weir.sql.shuffle.partitions`, ...), as `startQuery`'s `conf`. */
  readonly conf?: Readonly<Record<string, string>>;
}

let runs = 0;

/**
 * Feeds `batches` through `pipeline` as a stream and returns what the memory sink received.
 *
 * @throws the query's StreamingQueryException when a batch fails; WeirError when the query cannot start.
 *
 * @example
 * ```ts
 * const pipeline = [withWatermark('ts', '5 seconds'), window('ts', '10 seconds'), groupByKey('window', 'key'), count()];
 * const run = await runPipeline(pipeline, [[e1, e2], [e3]], { outputMode: 'append' });
 * ```
 */
export async function runPipeline<O = Row>(
  pipeline: Pipeline,
  batches: ReadonlyArray<readonly Row[]>,
  options: PipelineRunOptions = {},
): Promise<StreamRun<O>> {
  const outputMode = options.outputMode ?? 'append';
  const name = `weir_testing_pipeline_${(runs += 1)}`;
  const input = new MemoryStream<Row>({ name });
  const sink = memorySink<O>({ name });
  return withTempCheckpoint(async (checkpointLocation) => {
    const query = await startQuery<Row, O>({
      source: input,
      pipeline,
      sink,
      outputMode,
      checkpointLocation,
      ...(options.conf ? { conf: options.conf } : {}),
    });
    return feedBatches(query, input, batches, options.flush, outputMode, () => sink.rows());
  });
}
