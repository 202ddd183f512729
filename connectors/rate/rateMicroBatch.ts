/**
 * Spark's `rate-micro-batch` source (`RatePerMicroBatchStream`): exactly `rowsPerBatch` rows per micro-batch,
 * whatever the trigger timing.
 *
 * Invariant: the offset after start `{offset: o, timestamp: t}` is always `{offset: o + rowsPerBatch, timestamp:
 * t + advanceMillisPerBatch}`, and `(start, end]` yields the values `[start.offset, end.offset)`, every row
 * stamped `start.timestamp`. Batch k therefore holds `[k·R, (k+1)·R)` at `startTimestamp + k·advance`, in every
 * run, independent of the clock: the deterministic input of crash tests and benchmarks.
 */
import { Observable } from 'rxjs';
import type { Offset, ReadLimit, Source, SourceContext } from '../../lib/contracts';
import { ErrorCodes, WeirError } from '../../lib/errors';
import { assertKnownOptions } from '../../lib/connector/assertKnownOptions';
import { invalidOption } from '../../lib/connector/invalidOption';

/**
 * Options of {@link rateMicroBatch} (Spark's option names and defaults, except `numPartitions`: 1).
 *
 * @example
 * ```ts
 * const options: RateMicroBatchOptions = { rowsPerBatch: 100, startTimestamp: 0, advanceMillisPerBatch: 1000 };
 * ```
 */
export interface RateMicroBatchOptions {
  /** Rows per micro-batch; a positive integer. Required. */
  rowsPerBatch: number;
  /** Rows of one batch are split into this many partitions, concatenated in partition order. Default 1. */
  numPartitions?: number;
  /** Event time (ms since the epoch) of the rows of the first batch; >= 0. Default 0. */
  startTimestamp?: number;
  /** How far event time advances per batch, in ms; >= 0. Default 1000. */
  advanceMillisPerBatch?: number;
}

/**
 * A row of `rate-micro-batch`: Spark's schema `timestamp TIMESTAMP, value LONG`.
 *
 * @example
 * ```ts
 * const row: RateMicroBatchRow = { timestamp: new Date(1000), value: 100 }; // batch 1 with rowsPerBatch 100
 * ```
 */
export type RateMicroBatchRow = { timestamp: Date; value: number };

/**
 * The offset of `rate-micro-batch` (Spark's `RatePerMicroBatchStreamOffset`, same JSON): the next value and the
 * event time of the batch starting there.
 *
 * @example
 * ```ts
 * const afterBatch0: RateMicroBatchOffset = { offset: 100, timestamp: 1000 }; // rowsPerBatch 100, defaults
 * ```
 */
export type RateMicroBatchOffset = { offset: number; timestamp: number };

/**
 * The `rate-micro-batch` source: every trigger has a batch of exactly `rowsPerBatch` rows.
 *
 * - Offsets are `{ offset, timestamp }`, initially `{ offset: 0, timestamp: startTimestamp }`.
 * - Batch k yields values `k·rowsPerBatch .. (k+1)·rowsPerBatch - 1`, split into `numPartitions` partitions
 *   (partition p: `start + p`, step `numPartitions`), partitions concatenated in order; every row of the batch has
 *   `timestamp = new Date(startTimestamp + k·advanceMillisPerBatch)`; the rows of a batch share that one Date
 *   (rows are values in weir: no operator mutates them, and user code must not either).
 * - Read limits are ignored: a batch is always `rowsPerBatch` rows (the default read limit reports
 *   `maxRows: rowsPerBatch`, as Spark's does).
 * - Trigger.AvailableNow: exactly one more batch (Spark fixes the offset computed by the first `latestOffset`
 *   call after `prepareForTriggerAvailableNow`).
 *
 * @example
 * ```ts
 * import { rateMicroBatch } from 'weir-streams/sources';
 * const source = rateMicroBatch({ rowsPerBatch: 1000, startTimestamp: Date.UTC(2024, 0, 1) });
 * // batch 0: values 0..999 at 2024-01-01T00:00:00Z; batch 1: 1000..1999 at 00:00:01Z; ...
 * ```
 */
export function rateMicroBatch(options: RateMicroBatchOptions): Source<RateMicroBatchRow> {
  assertKnownOptions('rate-micro-batch', options, ['rowsPerBatch', 'numPartitions', 'startTimestamp', 'advanceMillisPerBatch']);
  const { rowsPerBatch, numPartitions = 1, startTimestamp = 0, advanceMillisPerBatch = 1000 } = options;
  const fail = (option: string, value: unknown, requirement: string, hint: string) =>
    invalidOption('rate-micro-batch', option, value, requirement, hint);
  if (!Number.isSafeInteger(rowsPerBatch) || rowsPerBatch <= 0) {
    throw fail('rowsPerBatch', rowsPerBatch, 'must be a positive integer', 'it is required, e.g. { rowsPerBatch: 1000 }');
  }
  if (!Number.isSafeInteger(numPartitions) || numPartitions <= 0) {
    throw fail('numPartitions', numPartitions, 'must be a positive integer', 'e.g. { numPartitions: 4 }');
  }
  if (!Number.isSafeInteger(startTimestamp) || startTimestamp < 0) {
    throw fail('startTimestamp', startTimestamp, 'must be a non-negative integer (ms since the epoch)', 'e.g. { startTimestamp: Date.UTC(2024, 0, 1) }');
  }
  if (!Number.isSafeInteger(advanceMillisPerBatch) || advanceMillisPerBatch < 0) {
    throw fail('advanceMillisPerBatch', advanceMillisPerBatch, 'must be a non-negative integer (ms)', 'e.g. { advanceMillisPerBatch: 1000 }');
  }
  return new RateMicroBatchSource(rowsPerBatch, numPartitions, startTimestamp, advanceMillisPerBatch);
}

class RateMicroBatchSource implements Source<RateMicroBatchRow> {
  readonly description: string;
  /** Trigger.AvailableNow of this run: prepared, and the one offset fixed by the next `latestOffset`. */
  private availableNow: { end: RateMicroBatchOffset | undefined } | undefined;

  constructor(
    private readonly rowsPerBatch: number,
    private readonly numPartitions: number,
    private readonly startTimestamp: number,
    private readonly advanceMillisPerBatch: number,
  ) {
    this.description =
      `RatePerMicroBatchStream[rowsPerBatch=${rowsPerBatch}, numPartitions=${numPartitions}, ` +
      `startTimestamp=${startTimestamp}, advanceMsPerBatch=${advanceMillisPerBatch}]`;
  }

  async open(_context: SourceContext): Promise<void> {
    this.availableNow = undefined;
  }

  async initialOffset(): Promise<Offset> {
    return { offset: 0, timestamp: this.startTimestamp };
  }

  defaultReadLimit(): ReadLimit {
    return { kind: 'maxRows', maxRows: this.rowsPerBatch };
  }

  async latestOffset(start: Offset, _limit: ReadLimit): Promise<Offset> {
    const from = this.toOffset(start);
    if (!this.availableNow) return this.nextOffset(from);
    this.availableNow.end ??= this.nextOffset(from);
    return this.availableNow.end;
  }

  read(start: Offset, end: Offset): Observable<RateMicroBatchRow> {
    return new Observable<RateMicroBatchRow>((subscriber) => {
      const rows = this.rowsOf(start, end);
      for (let i = 0; i < rows.length; i += 1) {
        if (subscriber.closed) return;
        subscriber.next(rows[i]!);
      }
      subscriber.complete();
    });
  }

  async readAll(start: Offset, end: Offset): Promise<readonly RateMicroBatchRow[]> {
    return this.rowsOf(start, end);
  }

  /** The rows of `(start, end]`: partitions concatenated in order, one shared Date (see the invariants above). */
  private rowsOf(start: Offset, end: Offset): RateMicroBatchRow[] {
    const from = this.toOffset(start);
    const to = this.toOffset(end);
    if (from.offset > to.offset || from.timestamp > to.timestamp) {
      throw new WeirError(
        ErrorCodes.INVALID_ARGUMENT,
        `${this.description}: start ${JSON.stringify(from)} is after end ${JSON.stringify(to)}`,
        { context: { source: this.description, offset: { start, end } } },
      );
    }
    const first = from.offset;
    const last = to.offset;
    const timestamp = new Date(from.timestamp);
    const n = this.numPartitions;
    const rows = new Array<RateMicroBatchRow>(last - first);
    let i = 0;
    // A plain loop into a preallocated array: benchmarks push millions of rows through here.
    for (let p = 0; p < n; p++) {
      for (let value = first + p; value < last; value += n) rows[i++] = { timestamp, value };
    }
    return rows;
  }

  async commit(end: Offset): Promise<void> {
    this.toOffset(end);
  }

  async stop(): Promise<void> {
    this.availableNow = undefined;
  }

  async prepareForTriggerAvailableNow(): Promise<void> {
    this.availableNow = { end: undefined };
  }

  private nextOffset(start: RateMicroBatchOffset): RateMicroBatchOffset {
    return {
      offset: Math.min(start.offset + this.rowsPerBatch, Number.MAX_SAFE_INTEGER),
      timestamp: start.timestamp + this.advanceMillisPerBatch,
    };
  }

  private toOffset(offset: Offset): RateMicroBatchOffset {
    if (offset === null) return { offset: 0, timestamp: this.startTimestamp };
    if (typeof offset === 'object' && !Array.isArray(offset)) {
      const { offset: o, timestamp: t } = offset;
      if (Number.isSafeInteger(o) && (o as number) >= 0 && Number.isSafeInteger(t)) {
        return { offset: o as number, timestamp: t as number };
      }
    }
    throw new WeirError(
      ErrorCodes.INVALID_ARGUMENT,
      `${this.description}: ${JSON.stringify(offset)} is not an offset of this source ({ offset, timestamp })`,
      { context: { source: this.description, offset, hint: 'offsets come from initialOffset() or latestOffset()' } },
    );
  }
}
