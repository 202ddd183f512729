/**
 * The console sink (Spark's `format("console")`): prints every batch as Spark's ConsoleWrite does.
 *
 * Invariant: each batch is one `write` call holding the whole text of the batch (the `Batch: N` banner, the
 * `show()` table and its final newline), so batches never interleave; nothing else is printed.
 */
import type { OutputMode, Row, Sink, SinkBatchInfo } from '../../lib/contracts';
import { ErrorCodes, WeirError } from '../../lib/errors';
import { showString } from './showString';

/**
 * Options of {@link consoleSink} (Spark's console sink options, plus where to write).
 *
 * @example
 * ```ts
 * const options: ConsoleSinkOptions = { numRows: 50, truncate: false, write: (text) => logFile.write(text) };
 * ```
 */
export interface ConsoleSinkOptions {
  /** Rows shown per batch (Spark's `numRows`, default 20). A non-negative integer. */
  readonly numRows?: number;
  /** Cut cells to 20 characters and right-align them (Spark's `truncate`, default `true`). */
  readonly truncate?: boolean;
  /** Receives the text of each batch; default `process.stdout.write`. A returned promise is awaited. */
  readonly write?: (text: string) => unknown;
  /** IANA time zone `Date` values are printed in (Spark's session time zone), default `'UTC'`. */
  readonly timeZone?: string;
  /**
   * The columns, in order, when the caller knows the schema (the DataFrame face passes it): an empty batch then
   * still prints its header. Without it the columns come from the rows (see {@link showString}).
   */
  readonly columns?: readonly string[] | null;
  /**
   * Turns the rows to show into display cells first (the DataFrame face passes Spark's text for DOUBLE and FLOAT
   * columns, `150.0`, which a JS number cannot carry). Default: none.
   */
  readonly cells?: ((rows: readonly Row[]) => readonly Row[]) | null;
}

/** The dashes around Spark's `Batch: N` banner. */
const BANNER = '-------------------------------------------';

/**
 * A sink printing each batch like Spark's console sink:
 * `-------------------------------------------\nBatch: N\n-------------------------------------------\n`, then
 * `show(numRows, truncate)` of all the batch's rows (show keeps the first `numRows` and adds
 * `only showing top N rows`), then the newline of show's `println`. No-data batches print too, as in Spark.
 *
 * Not fault tolerant: a batch re-delivered after a crash is printed again. Accepts every output mode.
 *
 * @throws WeirError `INVALID_ARGUMENT` for a bad `numRows`, `truncate`, `write`, `timeZone` or `columns`; `addBatch`
 * rejects with `SINK_ERROR` (context `batchId`, `cause`) when `write` fails.
 *
 * @example
 * ```ts
 * const sink = consoleSink({ numRows: 2 });
 * // hand `sink` to a query; for rows [{ value: 1, count: 2 }] of batch 0 it prints:
 * // -------------------------------------------
 * // Batch: 0
 * // -------------------------------------------
 * // +-----+-----+
 * // |value|count|
 * // +-----+-----+
 * // |    1|    2|
 * // +-----+-----+
 * //
 * ```
 */
export function consoleSink(options: ConsoleSinkOptions = {}): ConsoleSink {
  const {
    numRows = 20,
    truncate = true,
    write = (text: string) => process.stdout.write(text),
    timeZone = 'UTC',
    columns = null,
    cells = null,
  } = options;
  if (typeof truncate !== 'boolean') {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `truncate must be a boolean, got ${String(truncate)}`, {
      context: { truncate },
    });
  }
  if (typeof write !== 'function') {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, 'write must be a function (text: string) => unknown', {
      context: { write: typeof write },
    });
  }
  // Validates numRows, timeZone and columns now rather than at the first batch.
  showString([], { numRows, truncate, timeZone, columns });
  return new ConsoleSink({ numRows, truncate, write, timeZone, columns, cells });
}

/**
 * The sink {@link consoleSink} returns.
 *
 * @example
 * ```ts
 * const sink: ConsoleSink = consoleSink({ truncate: false });
 * ```
 */
export class ConsoleSink implements Sink<Row> {
  readonly description = 'ConsoleSink';
  readonly supportedOutputModes: readonly OutputMode[] = ['append', 'update', 'complete'];
  /** Spark runs console sink queries on a temporary checkpoint when none is given. */
  readonly useTempCheckpointLocation = true;
  readonly numRows: number;
  readonly truncate: boolean;
  private readonly write: (text: string) => unknown;
  private readonly timeZone: string;
  private readonly columns: readonly string[] | null;
  private readonly cells: ((rows: readonly Row[]) => readonly Row[]) | null;
  private lastRows = -1;

  /** Use {@link consoleSink}, which validates the options. */
  constructor(options: Required<ConsoleSinkOptions>) {
    this.numRows = options.numRows;
    this.truncate = options.truncate;
    this.write = options.write;
    this.timeZone = options.timeZone;
    this.columns = options.columns;
    this.cells = options.cells;
  }

  /** Rows of the last batch printed (all of them, also those `numRows` cut off). */
  get lastBatchOutputRows(): number {
    return this.lastRows;
  }

  async addBatch(batchId: number, rows: readonly Row[], _info: SinkBatchInfo): Promise<void> {
    // Only the rows show prints (and one more, for its "only showing top N rows") become cells.
    const shown = this.cells === null ? rows : this.cells(rows.length > this.numRows ? rows.slice(0, this.numRows + 1) : rows);
    const table = showString(shown, {
      numRows: this.numRows,
      truncate: this.truncate,
      timeZone: this.timeZone,
      columns: this.columns,
    });
    try {
      await this.write(`${BANNER}\nBatch: ${batchId}\n${BANNER}\n${table}\n`);
    } catch (cause) {
      throw new WeirError(ErrorCodes.SINK_ERROR, `Console sink failed to write batch ${batchId}`, {
        context: { batchId, sink: this.description },
        cause,
      });
    }
    this.lastRows = rows.length;
  }
}
