/**
 * Split invariance of a DataFrame query: however its input is cut into micro-batches, the stream ends with the
 * batch model's result (the same query over all rows as one batch DataFrame).
 *
 * Invariant: the expected rows come from the batch execution of the DataFrame (a separate path from the
 * streaming engine's state, watermarks and no-data batches); the streamed rows from a memory sink.
 */
import type { Row } from '../contracts';
import { batchModel, type DataFrameQuery } from './batchModel';
import { assertMatchesModel } from './internal/assertMatchesModel';
import { runStream, type StreamRunOptions } from './runStream';
import type { StreamRun } from './StreamRun';

/** Options of {@link checkSplitInvariance}. */
export interface SplitInvarianceOptions extends StreamRunOptions {
  /** The batch model's query, when it differs from the streaming one. Default: the same query. */
  readonly model?: DataFrameQuery;
  /** Key columns: needed in update mode (the final result is the last row per key). */
  readonly keys?: readonly string[];
  /** The window column of append-mode results (see the note on append mode). Default `'window'`. */
  readonly windowColumn?: string;
  /** Applied to every row on both sides before comparing (round a float, drop a column). */
  readonly normalize?: (row: Row) => unknown;
}

/**
 * Streams `batches` through `query` (runStream) and throws, listing the missing and unexpected rows, unless the
 * final result equals the batch model of all their rows as a multiset. Complete mode compares the last table;
 * update mode the last row per `keys`; append mode every row emitted — against the model's windows that end by
 * the final watermark, or against the whole model when `flush` rows moved the watermark past every window.
 * Returns the run, for further checks (`checkAppendEmitsOnce(run)`).
 *
 * @example
 * ```ts
 * const query: DataFrameQuery = (df) => df.withWatermark('ts', '5 seconds').groupBy(window(col('ts'), '10 seconds'), col('key')).count();
 * await fc.assert(fc.asyncProperty(batchedEvents(keyedEvents({ lateness: 5_000 })), async ({ batches }) => {
 *   await checkSplitInvariance(query, batches, { schema: 'key STRING, ts TIMESTAMP, value INT', outputMode: 'complete' });
 * }), { numRuns: 20 });
 * ```
 */
export async function checkSplitInvariance(
  query: DataFrameQuery,
  batches: ReadonlyArray<readonly Row[]>,
  options: SplitInvarianceOptions,
): Promise<StreamRun> {
  const run = await runStream(query, batches, options);
  const expected = await batchModel(options.model ?? query, batches.flat(), options);
  assertMatchesModel(run, expected, { ...options, check: 'Split invariance', batches, model: 'the batch model' });
  return run;
}
