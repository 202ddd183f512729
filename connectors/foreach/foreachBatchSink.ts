/**
 * The foreachBatch sink (Spark's `writeStream.foreachBatch((df, batchId) => ...)`): hands every batch to a user
 * function.
 *
 * Invariant: the function is called once per `addBatch` call, no-data batches included, with the batch id the
 * engine logged for that batch; `addBatch` settles only after the function's promise settled, and rejects with
 * `SINK_ERROR` when it failed.
 */
import type { OutputMode, Row, Sink, SinkBatchInfo } from '../../lib/contracts';
import { ErrorCodes, WeirError } from '../../lib/errors';

/**
 * The user function of {@link foreachBatchSink}: the batch (rows, unless `toBatch` says otherwise) and its id.
 *
 * @example
 * ```ts
 * const save: ForeachBatchFunction<readonly Row[]> = async (rows, batchId) => db.upsertBatch(batchId, rows);
 * ```
 */
export type ForeachBatchFunction<B> = (batch: B, batchId: number) => void | Promise<void>;

/**
 * Options of {@link foreachBatchSink}.
 *
 * @typeParam T - the rows of the query.
 * @typeParam B - what the user function receives.
 *
 * @example
 * ```ts
 * const options: ForeachBatchSinkOptions<Row, number> = { toBatch: (rows) => rows.length };
 * ```
 */
export interface ForeachBatchSinkOptions<T, B> {
  /**
   * Turns a batch's rows into what the function receives. The extension point for the DataFrame face, which
   * hands a batch DataFrame (Spark's `batchDF`). Default: the rows themselves.
   */
  readonly toBatch?: (rows: readonly T[], info: SinkBatchInfo) => B;
}

/**
 * A sink calling `fn(rows, batchId)` for every batch (Spark's foreachBatch sink). Accepts every output mode.
 *
 * At-least-once: a batch re-run after a crash calls `fn` again with the same `batchId` and the same rows (the
 * offsets were logged before the batch ran), so `batchId` is the idempotency key: a function that skips a
 * `batchId` it already committed turns the query exactly-once. Called also for no-data batches (empty `rows`),
 * as Spark calls it with an empty DataFrame. An error thrown by `fn` rejects `addBatch` with `SINK_ERROR`
 * (context `batchId`, `cause` = the thrown error), which fails the query.
 *
 * @throws WeirError `INVALID_ARGUMENT` when `fn` or `toBatch` is not a function.
 *
 * @example
 * ```ts
 * const sink = foreachBatchSink<{ word: string; count: number }>(async (rows, batchId) => {
 *   if (await store.hasBatch(batchId)) return; // re-delivered after a crash
 *   await store.writeBatch(batchId, rows);
 * });
 * ```
 */
export function foreachBatchSink<T = Row>(fn: ForeachBatchFunction<readonly T[]>): ForeachBatchSink<T, readonly T[]>;
export function foreachBatchSink<T, B>(
  fn: ForeachBatchFunction<B>,
  options: ForeachBatchSinkOptions<T, B> & { readonly toBatch: (rows: readonly T[], info: SinkBatchInfo) => B },
): ForeachBatchSink<T, B>;
export function foreachBatchSink<T, B>(
  fn: ForeachBatchFunction<B>,
  options: ForeachBatchSinkOptions<T, B> = {},
): ForeachBatchSink<T, B> {
  const { toBatch = (rows: readonly T[]) => rows as unknown as B } = options;
  if (typeof fn !== 'function') {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, 'foreachBatchSink needs a function (batch, batchId) => ...', {
      context: { fn: typeof fn },
    });
  }
  if (typeof toBatch !== 'function') {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, 'foreachBatchSink: toBatch must be a function', {
      context: { toBatch: typeof toBatch },
    });
  }
  return new ForeachBatchSink<T, B>(fn, toBatch);
}

/**
 * The sink {@link foreachBatchSink} returns.
 *
 * @example
 * ```ts
 * const sink: ForeachBatchSink<Row, readonly Row[]> = foreachBatchSink((rows, batchId) => save(batchId, rows));
 * ```
 */
export class ForeachBatchSink<T = Row, B = readonly T[]> implements Sink<T> {
  readonly description = 'ForeachBatchSink';
  /** Spark 4 runs this sink on a temporary checkpoint when none is given (checked against Spark 4.0.1). */
  readonly useTempCheckpointLocation = true;
  readonly supportedOutputModes: readonly OutputMode[] = ['append', 'update', 'complete'];
  private readonly fn: ForeachBatchFunction<B>;
  private readonly toBatch: (rows: readonly T[], info: SinkBatchInfo) => B;

  /** Use {@link foreachBatchSink}, which validates its arguments. */
  constructor(fn: ForeachBatchFunction<B>, toBatch: (rows: readonly T[], info: SinkBatchInfo) => B) {
    this.fn = fn;
    this.toBatch = toBatch;
  }

  /**
   * Always -1 (unknown): what the function writes is its own business. Spark's progress reports
   * `numOutputRows: -1` for foreachBatch too.
   */
  readonly lastBatchOutputRows = -1;

  async addBatch(batchId: number, rows: readonly T[], info: SinkBatchInfo): Promise<void> {
    try {
      await this.fn(this.toBatch(rows, info), batchId);
    } catch (cause) {
      throw new WeirError(ErrorCodes.SINK_ERROR, `foreachBatch function failed in batch ${batchId}`, {
        context: { batchId, sink: this.description },
        cause,
      });
    }
  }
}
