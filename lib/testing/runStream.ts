/**
 * Runs a DataFrame query as a stream over cut batches: a MemoryStream through the query into a memory sink
 * (`writeStream.format('memory')`), one `addData` and `processAllAvailable()` per batch.
 *
 * Invariant: each input batch is one micro-batch (followed by the no-data batches a watermark move needs), so
 * the run is deterministic for a given cutting; the query is stopped before the promise settles.
 */
import type { OutputMode, Row } from '../contracts';
import { Session } from '../sql/dataframe/Session';
import { MemoryStream } from '../../connectors/memory/MemoryStream';
import type { BatchModelOptions, DataFrameQuery } from './batchModel';
import { feedBatches } from './internal/feedBatches';
import { withTempCheckpoint } from './internal/withTempCheckpoint';
import type { StreamRun } from './StreamRun';

/** Options of {@link runStream}. */
export interface StreamRunOptions extends BatchModelOptions {
  /** Default `'append'`. */
  readonly outputMode?: OutputMode;
  /**
   * Rows fed as one more batch after the cut batches, e.g. one event far in the future that moves the watermark
   * past every window, so append mode has emitted them all. Not part of the model's input.
   */
  readonly flush?: readonly Row[];
}

let runs = 0;

/**
 * Feeds `batches` to `query` as a stream and returns what the memory sink received. The checkpoint is a fresh
 * temporary folder (on /dev/shm when there is one), deleted afterwards; the memory table, named
 * `weir_testing_run_<n>`, stays registered in the session as any memory-sink query's does.
 *
 * @throws the query's StreamingQueryException when a batch fails; WeirError when the query cannot start.
 *
 * @example
 * ```ts
 * const run = await runStream(query, cut(events, [3, 2]), { schema: 'key STRING, ts TIMESTAMP', outputMode: 'complete' });
 * run.rows; // the final result table
 * ```
 */
export async function runStream(
  query: DataFrameQuery,
  batches: ReadonlyArray<readonly Row[]>,
  options: StreamRunOptions,
): Promise<StreamRun> {
  const session = options.session ?? Session.builder().getOrCreate();
  const outputMode = options.outputMode ?? 'append';
  const name = `weir_testing_run_${(runs += 1)}`;
  const input = new MemoryStream<Row>(session, options.schema, { name });
  const streamed = query(input.toDF());
  return withTempCheckpoint(async (checkpointLocation) => {
    const handle = await streamed.writeStream
      .format('memory')
      .queryName(name)
      .outputMode(outputMode)
      .option('checkpointLocation', checkpointLocation)
      .start();
    return feedBatches(handle, input, batches, options.flush, outputMode, () => session.table(name).collect());
  });
}
