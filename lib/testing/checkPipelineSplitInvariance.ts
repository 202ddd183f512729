/**
 * Split invariance of an RxJS-face pipeline: however its input is cut into micro-batches, the stream ends with
 * the model's result — by default the same pipeline run over all rows as one micro-batch, or a reference
 * function of the rows.
 *
 * Invariant: a run over one batch and a run over any cutting see the same rows and reach the same final
 * watermark, so they must end with the same result in every output mode.
 */
import type { Row } from '../contracts';
import { assertMatchesModel } from './internal/assertMatchesModel';
import { finalRows } from './internal/finalRows';
import { runPipeline, type Pipeline, type PipelineRunOptions } from './runPipeline';
import type { StreamRun } from './StreamRun';

/** Options of {@link checkPipelineSplitInvariance}. */
export interface PipelineSplitInvarianceOptions extends PipelineRunOptions {
  /**
   * The expected final result for all rows (a reference implementation). Default: the pipeline's final result
   * over one batch holding every row (then the flush batch).
   */
  readonly model?: (rows: Row[]) => readonly Row[] | Promise<readonly Row[]>;
  /** Key columns: needed in update mode (the final result is the last row per key). */
  readonly keys?: readonly string[];
  /** The window column of append-mode results, for a `model` function. Default `'window'`. */
  readonly windowColumn?: string;
  /** Applied to every row on both sides before comparing. */
  readonly normalize?: (row: Row) => unknown;
}

/**
 * Streams `batches` through `pipeline` (runPipeline) and throws, listing the missing and unexpected rows, unless
 * the final result equals the model's. With a `model` function in append mode, the rows expected are as in
 * `checkSplitInvariance` (windows that end by the final watermark, all with `flush`). Returns the run.
 *
 * @example
 * ```ts
 * const pipeline = [withWatermark('ts', '5 seconds'), window('ts', '10 seconds'), groupByKey('window', 'key'), count()];
 * await checkPipelineSplitInvariance(pipeline, batches, { outputMode: 'append' });
 * ```
 */
export async function checkPipelineSplitInvariance(
  pipeline: Pipeline,
  batches: ReadonlyArray<readonly Row[]>,
  options: PipelineSplitInvarianceOptions = {},
): Promise<StreamRun> {
  const run = await runPipeline(pipeline, batches, options);
  const rows = batches.flat();
  if (options.model !== undefined) {
    assertMatchesModel(run, await options.model(rows), { ...options, check: 'Split invariance', batches, model: 'the model' });
    return run;
  }
  const single = await runPipeline(pipeline, rows.length === 0 ? [] : [rows], options);
  // Both runs end at the same watermark: compare their final results as they are.
  const expected = finalRows(single, options.keys, 'Split invariance');
  assertMatchesModel(run, expected, {
    ...options,
    check: 'Split invariance',
    batches,
    model: 'the same pipeline over one batch',
    closedWindowsOnly: false,
  });
  return run;
}
