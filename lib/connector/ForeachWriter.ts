/**
 * Spark's `ForeachWriter` contract, here because both the foreach connector and the provider contract
 * (`writeStream.foreach(writer)` hands it to the sink) name it.
 *
 * Invariant: a type only; `connectors/foreach/foreachSink.ts` holds the calling rules.
 */
import type { Row } from '../contracts';

/**
 * Spark's `ForeachWriter`: `open` / `process` / `close` per partition and epoch. Any method may return a promise.
 * As in PySpark, `open` and `close` may be left out (`open` then counts as returning true).
 *
 * @example
 * ```ts
 * const writer: ForeachWriter<{ id: number }> = {
 *   open: (partitionId, epochId) => !alreadyWritten(epochId),
 *   process: async (row) => { await db.insert(row); },
 *   close: (error) => { if (error !== null) log(error); },
 * };
 * ```
 */
export interface ForeachWriter<T = Row> {
  /** Whether to process this partition of this epoch. `epochId` is the batch id. */
  open?(partitionId: number, epochId: number): boolean | Promise<boolean>;
  process(row: T): void | Promise<void>;
  /** Called after `open` returned normally, with the error `process` threw, or `null`. */
  close?(error: unknown): void | Promise<void>;
}
