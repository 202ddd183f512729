/**
 * The noop sink (Spark's `format("noop")`): discards every row, for benchmarks.
 *
 * Invariant: nothing is written anywhere; the counters only move for a batch id greater than the latest one
 * seen, so a re-delivered batch is not counted twice.
 */
import type { OutputMode, Row, Sink, SinkBatchInfo } from '../../lib/contracts';

/**
 * A sink that discards rows and counts them (Spark's noop sink). Accepts every output mode.
 *
 * @example
 * ```ts
 * const sink = noopSink();
 * // hand `sink` to a query; after `processAllAvailable()`:
 * sink.numRows; // rows of all distinct batches received
 * ```
 */
export function noopSink<T = Row>(): NoopSink<T> {
  return new NoopSink<T>();
}

/**
 * The sink {@link noopSink} returns.
 *
 * @example
 * ```ts
 * const sink: NoopSink = noopSink();
 * sink.numBatches; // 0
 * ```
 */
export class NoopSink<T = Row> implements Sink<T> {
  readonly description = 'NoopSink';
  /** Spark 4 runs this sink on a temporary checkpoint when none is given (checked against Spark 4.0.1). */
  readonly useTempCheckpointLocation = true;
  readonly supportedOutputModes: readonly OutputMode[] = ['append', 'update', 'complete'];
  private counts = { numRows: 0, numBatches: 0, lastRows: -1, latestBatchId: -1 };

  /** Rows discarded, over the distinct batch ids received. */
  get numRows(): number {
    return this.counts.numRows;
  }

  /** Distinct batch ids received (no-data batches included). */
  get numBatches(): number {
    return this.counts.numBatches;
  }

  /** Rows handed in by the last `addBatch` call; -1 before any. */
  get lastBatchOutputRows(): number {
    return this.counts.lastRows;
  }

  async addBatch(batchId: number, rows: readonly T[], _info: SinkBatchInfo): Promise<void> {
    this.counts.lastRows = rows.length;
    if (batchId <= this.counts.latestBatchId) return;
    this.counts.latestBatchId = batchId;
    this.counts.numBatches += 1;
    this.counts.numRows += rows.length;
  }
}
