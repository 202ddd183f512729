/** What a streaming run of the property kit (`runStream`, `runPipeline`) returns. */
import type { OutputMode, Row } from '../contracts';

/**
 * The result of feeding cut batches to a streaming query one micro-batch at a time
 * (`addData(batch)`, then `processAllAvailable()`, which also runs the no-data batches a watermark move needs).
 *
 * @example
 * ```ts
 * const run = await runStream(query, [[e1, e2], [e3]], { schema });
 * run.rows;          // the memory sink's table at the end
 * run.emitted[1];    // what the sink received while the second batch ran (append, update)
 * run.watermarkMs;   // the watermark of the last micro-batch
 * ```
 */
export interface StreamRun<O = Row> {
  readonly outputMode: OutputMode;
  /** The sink's table at the end: every row emitted (append, update), or the last result (complete). */
  readonly rows: O[];
  /**
   * One entry per input batch (the `flush` rows, when given, are the last): in append and update mode the rows
   * the sink received while that batch and its no-data batches ran, in complete mode the table afterwards.
   */
  readonly emitted: O[][];
  /** The watermark (epoch ms) of the last micro-batch after each input batch; `undefined` without a watermark. */
  readonly watermarksMs: Array<number | undefined>;
  /** The watermark of the last micro-batch of the run; `undefined` when the query has none (or ran no batch). */
  readonly watermarkMs: number | undefined;
  /** How many input batches were fed (the `flush` batch included). */
  readonly batchCount: number;
  /** True when a `flush` batch was fed after the cut batches. */
  readonly flushed: boolean;
}
