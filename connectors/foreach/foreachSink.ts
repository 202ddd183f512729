/**
 * The foreach sink (Spark's `writeStream.foreach(writer)`): hands every row to a user `ForeachWriter`.
 *
 * Invariant: per batch, `open` is called once; `process` only after `open` returned true, one row at a time in
 * batch order (each awaited); `close` exactly once after `open` returned normally (whatever it returned), with
 * the error `process` threw or `null`. A failure rejects `addBatch` with `SINK_ERROR`.
 */
import type { OutputMode, Row, Sink, SinkBatchInfo } from '../../lib/contracts';
import { ErrorCodes, WeirError } from '../../lib/errors';
import type { ForeachWriter } from '../../lib/connector/ForeachWriter';

export type { ForeachWriter } from '../../lib/connector/ForeachWriter';

/**
 * A sink calling `writer` for every batch, as Spark's foreach sink does for each partition of each epoch. weir
 * runs a batch as one partition: `open(0, batchId)`; if it returns true, `process(row)` for each row in order;
 * then `close(null)`, or `close(error)` when `process` threw, after which the error rejects `addBatch` as
 * `SINK_ERROR` (context `batchId`, `partitionId`, `phase`; `cause` = what the writer threw). When `open` throws,
 * `close` is not called (Spark's contract); when `open` returns false no row is processed and `close(null)` is
 * still called.
 *
 * At-least-once: a batch re-run after a crash calls the writer again. In Spark `(partitionId, epochId)` is not a
 * valid deduplication key across retries (SPARK-28650: a re-planned batch may partition differently); in weir it
 * is: `epochId` is the batch id, one partition, and a re-run batch has the same rows in the same order, so a
 * writer may skip an epoch it has already written in `open`. Accepts every output mode.
 *
 * @throws WeirError `INVALID_ARGUMENT` when `writer.process` is not a function or `open` / `close` are neither
 * functions nor absent.
 *
 * @example
 * ```ts
 * const sink = foreachSink<{ id: number }>({
 *   open: (_partitionId, epochId) => epochId > lastWrittenBatch,
 *   process: async (row) => { await db.insert(row); },
 *   close: (error) => { if (error === null) lastWrittenBatch += 1; },
 * });
 * ```
 */
export function foreachSink<T = Row>(writer: ForeachWriter<T>): ForeachSink<T> {
  if (typeof writer !== 'object' || writer === null || typeof writer.process !== 'function') {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, 'foreachSink needs a writer with a process(row) method', {
      context: { writer: writer === null ? 'null' : typeof writer },
    });
  }
  for (const method of ['open', 'close'] as const) {
    if (writer[method] !== undefined && typeof writer[method] !== 'function') {
      throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `foreachSink: writer.${method} must be a function`, {
        context: { method },
      });
    }
  }
  return new ForeachSink<T>(writer);
}

/** The only partition of a weir batch. */
const PARTITION_ID = 0;

/**
 * The sink {@link foreachSink} returns.
 *
 * @example
 * ```ts
 * const sink: ForeachSink = foreachSink({ process: (row) => rows.push(row) });
 * ```
 */
export class ForeachSink<T = Row> implements Sink<T> {
  readonly description = 'ForeachSink';
  /** Spark 4 runs this sink on a temporary checkpoint when none is given (checked against Spark 4.0.1). */
  readonly useTempCheckpointLocation = true;
  readonly supportedOutputModes: readonly OutputMode[] = ['append', 'update', 'complete'];
  private readonly writer: ForeachWriter<T>;
  private lastRows = -1;

  /** Use {@link foreachSink}, which validates the writer. */
  constructor(writer: ForeachWriter<T>) {
    this.writer = writer;
  }

  /**
   * Rows of the last batch that completed, also when `open` returned false (Spark counts the rows handed to the
   * partition's writer task); -1 before any.
   */
  get lastBatchOutputRows(): number {
    return this.lastRows;
  }

  async addBatch(batchId: number, rows: readonly T[], _info: SinkBatchInfo): Promise<void> {
    const { writer } = this;
    let opened: boolean;
    try {
      opened = writer.open === undefined ? true : Boolean(await writer.open(PARTITION_ID, batchId));
    } catch (cause) {
      throw this.error('open', batchId, cause);
    }
    try {
      if (opened) {
        for (const row of rows) await writer.process(row);
      }
    } catch (cause) {
      let closeError: unknown = undefined;
      try {
        await writer.close?.(cause);
      } catch (e) {
        closeError = e;
      }
      throw this.error('process', batchId, cause, closeError === undefined ? {} : { closeError });
    }
    try {
      await writer.close?.(null);
    } catch (cause) {
      throw this.error('close', batchId, cause);
    }
    this.lastRows = rows.length;
  }

  private error(
    phase: 'open' | 'process' | 'close',
    batchId: number,
    cause: unknown,
    extra: Record<string, unknown> = {},
  ): WeirError {
    return new WeirError(ErrorCodes.SINK_ERROR, `ForeachWriter.${phase} failed in batch ${batchId}`, {
      context: { batchId, partitionId: PARTITION_ID, phase, sink: this.description, ...extra },
      cause,
    });
  }
}
