/**
 * Spark's `MemoryStream`: a test source fed by `addData`, one source "batch" per call.
 *
 * Invariant: offset `k` always denotes the rows of the `k`-th `addData` call (0-based; `-1` = before any data)
 * for the lifetime of the instance, so `(start, end]` yields the same rows on every read, across query runs in
 * the same process and for every query reading the stream. Nothing is ever forgotten: memory grows with
 * everything ever added (see {@link MemoryStream}). Each query reads the stream through its own reader
 * (`createSource()`), so one query's `open`, `stop` or AvailableNow end never touches another's.
 */
import { Observable } from 'rxjs';
import type { Offset, ReadLimit, Row, Source, SourceContext } from '../../lib/contracts';
import { ErrorCodes, WeirError } from '../../lib/errors';
import { assertKnownOptions } from '../../lib/connector/assertKnownOptions';
import { invalidOption } from '../../lib/connector/invalidOption';
import { toLongOffset } from '../../lib/connector/toLongOffset';
import type { DataFrame } from '../../lib/sql/dataframe/DataFrame';

/**
 * Options of {@link MemoryStream} and {@link memory}.
 *
 * @example
 * ```ts
 * const options: MemoryStreamOptions = { name: 'clicks' };
 * ```
 */
export interface MemoryStreamOptions {
  /** Shown in the description (`MemoryStream[<name>]`); defaults to a per-process id. */
  name?: string;
}

/** What `toDF()` needs from a Session (kept structural so sources do not depend on the DataFrame face). */
export interface StreamingDataFrameFactory {
  /** `source` is the stream: a `SourceProvider` (lib/query/sourceProvider.ts) of one reader per query. */
  streamingDataFrame(source: { readonly description: string; createSource(): Source<any> }, schema?: any, name?: string): DataFrame;
}

/** The offset before the first `addData` (Spark's `LongOffset(-1)`). */
const INITIAL_OFFSET = -1;

// A per-process counter, like Spark's `MemoryStream.memoryStreamId`: it only names unnamed streams.
let nextStreamId = 0;

/** What a MemoryStream and its readers share: the data and the wake-up calls of the readers open now. */
interface StreamData<T> {
  readonly description: string;
  readonly batches: T[][];
  /** One per open reader: `notifyDataAvailable` of the query run that opened it. */
  readonly listeners: Set<() => void>;
}

/**
 * One query run's view of a MemoryStream: the stream's data, this run's wake-up call and AvailableNow end.
 *
 * Invariant: `stop` removes only this reader's wake-up call; the data stays with the stream.
 */
class MemoryStreamReader<T> implements Source<T> {
  readonly description: string;
  private notify: (() => void) | undefined;
  /** The offset fixed by `prepareForTriggerAvailableNow` in this run, if any. */
  private availableNowEnd: number | undefined;

  constructor(private readonly data: StreamData<T>) {
    this.description = data.description;
  }

  async open(context: SourceContext): Promise<void> {
    this.release();
    this.notify = () => context.notifyDataAvailable();
    this.data.listeners.add(this.notify);
    this.availableNowEnd = undefined;
  }

  async initialOffset(): Promise<Offset> {
    return INITIAL_OFFSET;
  }

  async latestOffset(start: Offset, _limit: ReadLimit): Promise<Offset> {
    const from = this.toOffset(start);
    const latest = this.availableNowEnd ?? this.data.batches.length - 1;
    // A start beyond what was added (a checkpoint of another process) means "no new data" until it is reached.
    return Math.max(from, latest);
  }

  read(start: Offset, end: Offset): Observable<T> {
    return new Observable<T>((subscriber) => {
      const from = this.toOffset(start);
      const to = this.toOffset(end);
      const current = this.data.batches.length - 1;
      if (from > to) {
        subscriber.error(
          new WeirError(ErrorCodes.INVALID_ARGUMENT, `${this.description}: start ${from} is after end ${to}`, {
            context: { source: this.description, offset: { start, end } },
          }),
        );
        return;
      }
      if (to > current) {
        subscriber.error(
          new WeirError(
            ErrorCodes.DATA_NOT_AVAILABLE,
            `${this.description}: offset ${to} was never added (the last addData has offset ${current})`,
            { context: { source: this.description, offset: to } },
          ),
        );
        return;
      }
      for (let b = from + 1; b <= to; b++) {
        const batch = this.data.batches[b] as T[];
        for (let i = 0; i < batch.length; i++) {
          if (subscriber.closed) return;
          subscriber.next(batch[i] as T);
        }
      }
      subscriber.complete();
    });
  }

  /** Keeps the data: a later run may restart from an older checkpoint and replay it. */
  async commit(end: Offset): Promise<void> {
    this.toOffset(end);
  }

  async stop(): Promise<void> {
    this.release();
    this.availableNowEnd = undefined;
  }

  /** Fixes the end of this run at the data added so far; later `addData` calls wait for the next run. */
  async prepareForTriggerAvailableNow(): Promise<void> {
    this.availableNowEnd = this.data.batches.length - 1;
  }

  private release(): void {
    if (this.notify) this.data.listeners.delete(this.notify);
    this.notify = undefined;
  }

  private toOffset(offset: Offset): number {
    return toLongOffset(offset, this.description, INITIAL_OFFSET, INITIAL_OFFSET);
  }
}

/**
 * An in-memory, replayable source for tests and examples (Spark's `MemoryStream`).
 *
 * - `addData(...)` appends one source batch and returns its offset: `0` for the first call, then `1`, ...
 *   (the initial offset is `-1`). A micro-batch reads every batch in `(start, end]`, so several `addData` calls
 *   between two triggers merge into one micro-batch.
 * - Data is kept for the lifetime of the instance, also after `commit` and `stop`, so the same stream can feed
 *   several query runs one after another (stop, then start again from the checkpoint) and replay any range.
 *   The price: memory grows with everything ever added. Use it for tests and demos, not for unbounded feeds
 *   (use `fromObservable` there).
 * - Several queries may read one stream at once (as in Spark): each started query reads it through its own
 *   reader (`createSource()`, called by `startQuery` and by every query started from `toDF()`), sees all the
 *   data added, keeps its own offsets in its own checkpoint and is woken by `addData`; stopping one leaves the
 *   others running.
 * - Rows are emitted by reference: do not mutate them after adding.
 * - Read limits are ignored, as in Spark (MemoryStream has no admission control).
 * - The stream's own Source methods (`open`, `read`, ...) are one more reader, for code that drives the source
 *   by hand.
 *
 * @example
 * ```ts
 * const input = new MemoryStream<{ word: string }>({ name: 'words' });
 * input.addData({ word: 'a' }, { word: 'b' }); // -> 0
 * input.addData([{ word: 'c' }]);              // -> 1
 * // a query started now reads all three rows in its first micro-batch: range (-1, 1]
 * ```
 */
export class MemoryStream<T = Row> implements Source<T> {
  readonly description: string;
  private readonly data: StreamData<T>;
  /** The reader behind the stream's own Source methods. */
  private readonly own: MemoryStreamReader<T>;

  /** The session (DataFrame face) and schema given to `new MemoryStream(session, schema)`. */
  private readonly dataFrameFactory: StreamingDataFrameFactory | undefined;
  private readonly schemaDefinition: unknown;

  /**
   * `new MemoryStream<T>({ name })` on the RxJS face, or Spark's `new MemoryStream(session, 'word STRING, ts
   * TIMESTAMP')` on the DataFrame face (then `toDF()` gives a streaming DataFrame).
   */
  constructor(sessionOrOptions: MemoryStreamOptions | StreamingDataFrameFactory = {}, schema?: unknown, moreOptions: MemoryStreamOptions = {}) {
    const isFactory = typeof (sessionOrOptions as StreamingDataFrameFactory | null)?.streamingDataFrame === 'function';
    this.dataFrameFactory = isFactory ? (sessionOrOptions as StreamingDataFrameFactory) : undefined;
    this.schemaDefinition = schema;
    const options = isFactory ? moreOptions : (sessionOrOptions as MemoryStreamOptions);
    assertKnownOptions('MemoryStream', options, ['name']);
    const { name = undefined } = options;
    if (name !== undefined && (typeof name !== 'string' || name.length === 0)) {
      throw invalidOption('MemoryStream', 'name', name, 'must be a non-empty string', "e.g. { name: 'clicks' }");
    }
    this.description = `MemoryStream[${name ?? nextStreamId++}]`;
    this.data = { description: this.description, batches: [], listeners: new Set() };
    this.own = new MemoryStreamReader(this.data);
  }

  /** The streaming DataFrame of this stream (needs `new MemoryStream(session, schema?)`). */
  toDF(): DataFrame {
    if (!this.dataFrameFactory) {
      throw new WeirError(ErrorCodes.INVALID_ARGUMENT, 'toDF() needs a MemoryStream created with a session: new MemoryStream(session, schema)', {
        context: { source: this.description },
      });
    }
    return this.dataFrameFactory.streamingDataFrame(this, this.schemaDefinition, this.description);
  }

  /** A reader of this stream for one query run (its own offsets and wake-ups; the data is the stream's). */
  createSource(): Source<T> {
    return new MemoryStreamReader(this.data);
  }

  /** The offset of the last `addData` call, `-1` before any. */
  get currentOffset(): number {
    return this.data.batches.length - 1;
  }

  /**
   * Appends one source batch and returns its offset. Pass rows as arguments or as one array; for rows that are
   * themselves arrays, always pass one array of rows (`addData([row1, row2])`). Wakes every query reading the
   * stream.
   *
   * @example
   * ```ts
   * const input = new MemoryStream<number>();
   * input.addData(1, 2, 3); // -> 0
   * input.addData([4, 5]);  // -> 1
   * ```
   */
  addData(...rows: T[] | [T[]]): number {
    const batch = rows.length === 1 && Array.isArray(rows[0]) ? [...(rows[0] as T[])] : [...(rows as T[])];
    this.data.batches.push(batch);
    for (const notify of [...this.data.listeners]) notify();
    return this.currentOffset;
  }

  open(context: SourceContext): Promise<void> {
    return this.own.open(context);
  }

  initialOffset(): Promise<Offset> {
    return this.own.initialOffset();
  }

  latestOffset(start: Offset, limit: ReadLimit): Promise<Offset> {
    return this.own.latestOffset(start, limit);
  }

  read(start: Offset, end: Offset): Observable<T> {
    return this.own.read(start, end);
  }

  /** Keeps the data: a later run may restart from an older checkpoint and replay it. */
  commit(end: Offset): Promise<void> {
    return this.own.commit(end);
  }

  stop(): Promise<void> {
    return this.own.stop();
  }

  /** Fixes the end of this run at the data added so far; later `addData` calls wait for the next run. */
  prepareForTriggerAvailableNow(): Promise<void> {
    return this.own.prepareForTriggerAvailableNow();
  }
}

/**
 * Factory form of {@link MemoryStream}, for the RxJS face (`weir-streams/sources`).
 *
 * @example
 * ```ts
 * import { memory } from 'weir-streams/sources';
 * const input = memory<{ n: number }>({ name: 'numbers' });
 * input.addData({ n: 1 });
 * ```
 */
export function memory<T = Row>(options: MemoryStreamOptions = {}): MemoryStream<T> {
  return new MemoryStream<T>(options);
}
