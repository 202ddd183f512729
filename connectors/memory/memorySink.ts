/**
 * The memory sink (Spark's `MemorySink`, `format("memory")`): an in-process table named by the query name.
 *
 * Invariant: a batch is added only when its id is greater than the latest batch id the table holds (Spark's
 * `latestBatchId.isEmpty || batchId > latestBatchId.get`), so re-delivering a batch never changes the table;
 * `complete` replaces the table with the batch, `append` and `update` add the batch's rows.
 */
import type { OutputMode, Row, Sink, SinkBatchInfo } from '../../lib/contracts';
import { ErrorCodes, WeirError } from '../../lib/errors';

/**
 * Options of {@link memorySink}.
 *
 * @example
 * ```ts
 * const options: MemorySinkOptions = { name: 'wordCounts' };
 * ```
 */
export interface MemorySinkOptions {
  /** The table name: the query name (Spark's `queryName`). A non-empty string. */
  readonly name: string;
}

/**
 * A sink keeping every row in memory, for tests and notebooks (Spark's memory sink).
 *
 * - `append`: the batch's rows are appended;
 * - `complete`: the table is replaced by the batch's rows;
 * - `update`: the batch's rows are appended (Spark's `MemorySink` does this; its docs list only append and
 *   complete), so an updated key appears once per batch that changed it;
 * - a batch id `<=` the latest one the table holds is ignored (a re-delivered batch).
 *
 * Not fault tolerant: the table lives in this process and is lost with it; a query restarted in another process
 * starts from an empty table. Rows are kept by reference (the batch's array is copied, its rows are not).
 *
 * @throws WeirError `INVALID_ARGUMENT` when `name` is not a non-empty string.
 *
 * @example
 * ```ts
 * const sink = memorySink({ name: 'counts' });
 * // hand `sink` to a query named 'counts'; after `processAllAvailable()`:
 * sink.rows(); // [{ word: 'a', count: 2 }, ...]
 * sink.lastBatch(); // the rows of the latest batch
 * ```
 */
export function memorySink<T = Row>(options: MemorySinkOptions): MemorySink<T> {
  const { name } = options ?? ({} as Partial<MemorySinkOptions>);
  if (typeof name !== 'string' || name.length === 0) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, 'memorySink needs a non-empty table name ({ name })', {
      context: { name },
    });
  }
  return new MemorySink<T>(name);
}

/**
 * The table {@link memorySink} returns: a `Sink` plus read access to what it holds.
 *
 * @example
 * ```ts
 * const sink: MemorySink<{ word: string; count: number }> = memorySink({ name: 'counts' });
 * sink.latestBatchId; // undefined until a batch was added
 * ```
 */
export class MemorySink<T = Row> implements Sink<T> {
  readonly description = 'MemorySink';
  readonly supportedOutputModes: readonly OutputMode[] = ['append', 'update', 'complete'];
  /** Spark runs memory sink queries on a temporary checkpoint when none is given. */
  readonly useTempCheckpointLocation = true;
  /** The table name. */
  readonly name: string;
  /** The batches the table holds, oldest first (after `complete`, only the latest). */
  private added: { batchId: number; rows: readonly T[] }[] = [];
  private lastRows = -1;

  /** Use {@link memorySink}, which validates the name. */
  constructor(name: string) {
    this.name = name;
  }

  /** The id of the latest batch the table holds; `undefined` when it holds none (also after `clear()`). */
  get latestBatchId(): number | undefined {
    return this.added.at(-1)?.batchId;
  }

  /** Rows handed in by the last `addBatch` call, also when it was an ignored re-delivery; -1 before any. */
  get lastBatchOutputRows(): number {
    return this.lastRows;
  }

  async addBatch(batchId: number, rows: readonly T[], info: SinkBatchInfo): Promise<void> {
    this.lastRows = rows.length;
    const latest = this.latestBatchId;
    if (latest !== undefined && batchId <= latest) return;
    const batch = { batchId, rows: Object.freeze([...rows]) };
    if (info.outputMode === 'complete') this.added = [batch];
    else this.added.push(batch);
  }

  /** A copy of all rows of the table, in batch order. */
  rows(): T[] {
    return this.added.flatMap((b) => b.rows);
  }

  /** A copy of the table by batch: batch id → that batch's rows, in batch order. */
  batches(): Map<number, T[]> {
    return new Map(this.added.map((b) => [b.batchId, [...b.rows]]));
  }

  /** A copy of the rows of the latest batch the table holds (Spark's `latestBatchData`); `[]` when none. */
  lastBatch(): T[] {
    return [...(this.added.at(-1)?.rows ?? [])];
  }

  /** Empties the table; the next batch is then accepted whatever its id (Spark's `clear()`). */
  clear(): void {
    this.added = [];
  }
}
