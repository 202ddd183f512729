/**
 * The observable sink: a query's output as a hot RxJS stream, for UIs.
 *
 * Invariant: each batch id is emitted at most once and in increasing order (a re-delivered id `<=` the last
 * emitted one is dropped); `batches$` completes when the query closes the sink and errors when it closes it with
 * an error; after that no batch is accepted.
 */
import { Observable, Subject, mergeMap, from } from 'rxjs';
import type { OutputMode, Row, Sink, SinkBatchInfo } from '../../lib/contracts';
import { ErrorCodes, WeirError } from '../../lib/errors';

/**
 * One batch as {@link observableSink} emits it. `rows` is a frozen copy.
 *
 * @example
 * ```ts
 * sink.batches$.subscribe((batch: SinkBatch) => render(batch.batchId, batch.rows));
 * ```
 */
export interface SinkBatch<T = Row> {
  readonly batchId: number;
  readonly rows: readonly T[];
  readonly outputMode: OutputMode;
}

/**
 * A sink whose output is a hot stream of batches (`batches$`) and of rows (`rows$`, the batches flattened). No
 * replay: a subscriber sees the batches added after it subscribed. No backpressure: `addBatch` emits
 * synchronously to the subscribers and resolves; a slow consumer buffers on its side (e.g. with `concatMap`).
 * No-data batches are emitted too (with no rows). Accepts every output mode; in `complete` mode each batch is
 * the whole result table.
 *
 * One query run: `close()` (or `close(null)`) completes the streams and `close(error)` errors them with `error`;
 * `addBatch` after that rejects with `SINK_ERROR`. Give a restarted query a new sink.
 *
 * @example
 * ```ts
 * const sink = observableSink<{ word: string; count: number }>();
 * sink.batches$.subscribe(({ batchId, rows }) => render(batchId, rows));
 * // hand `sink` to a query; each batch re-renders the table
 * ```
 */
export function observableSink<T = Row>(): ObservableSink<T> {
  return new ObservableSink<T>();
}

/**
 * The sink {@link observableSink} returns.
 *
 * @example
 * ```ts
 * const sink: ObservableSink = observableSink();
 * sink.rows$.subscribe((row) => table.append(row));
 * ```
 */
export class ObservableSink<T = Row> implements Sink<T> {
  readonly description = 'ObservableSink';
  readonly supportedOutputModes: readonly OutputMode[] = ['append', 'update', 'complete'];
  /** An in-process sink like memory: a temporary checkpoint is fine when none is given. */
  readonly useTempCheckpointLocation = true;
  /** Every batch, hot; completes on `close()`, errors on `close(error)`. */
  readonly batches$: Observable<SinkBatch<T>>;
  /** Every row of every batch, in order, hot; completes and errors with `batches$`. */
  readonly rows$: Observable<T>;
  private readonly subject = new Subject<SinkBatch<T>>();
  private state = { lastEmittedBatchId: -1, lastRows: -1, closed: false };

  constructor() {
    this.batches$ = this.subject.asObservable();
    this.rows$ = this.batches$.pipe(mergeMap((batch) => from(batch.rows)));
  }

  /** Rows handed in by the last `addBatch` call; -1 before any. */
  get lastBatchOutputRows(): number {
    return this.state.lastRows;
  }

  async addBatch(batchId: number, rows: readonly T[], info: SinkBatchInfo): Promise<void> {
    if (this.state.closed) {
      throw new WeirError(ErrorCodes.SINK_ERROR, `Observable sink got batch ${batchId} after it was closed`, {
        context: { batchId, sink: this.description },
      });
    }
    this.state.lastRows = rows.length;
    if (batchId <= this.state.lastEmittedBatchId) return;
    this.state.lastEmittedBatchId = batchId;
    this.subject.next({ batchId, rows: Object.freeze([...rows]), outputMode: info.outputMode });
  }

  async close(error?: unknown): Promise<void> {
    if (this.state.closed) return;
    this.state.closed = true;
    if (error === undefined || error === null) this.subject.complete();
    else this.subject.error(error);
  }
}
