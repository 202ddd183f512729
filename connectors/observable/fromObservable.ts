/**
 * A push source over any RxJS Observable: what arrives is buffered and tagged with increasing offsets.
 *
 * Invariant: within one query run, an offset, once handed out by `latestOffset` or named by the engine, always
 * denotes the same row, so an uncommitted range replays identically; rows still unnamed are numbered after the
 * largest offset named so far, so numbering never goes back, also across restarts. Across a restart nothing is
 * replayed: this source is at-most-once (see {@link fromObservable}).
 */
import { Observable, type Subscription } from 'rxjs';
import type { Offset, ReadLimit, Source, SourceContext } from '../../lib/contracts';
import { ErrorCodes, WeirError } from '../../lib/errors';
import { assertKnownOptions } from '../../lib/connector/assertKnownOptions';
import { invalidOption } from '../../lib/connector/invalidOption';
import { toLongOffset } from '../../lib/connector/toLongOffset';

/**
 * Options of {@link fromObservable}.
 *
 * @example
 * ```ts
 * const options: FromObservableOptions = { name: 'clicks' };
 * ```
 */
export interface FromObservableOptions {
  /** Shown in the description (`fromObservable[<name>]`). Default `'observable'`. */
  name?: string;
}

/**
 * The source {@link fromObservable} returns: a `Source` that also tells whether `obs$` completed.
 *
 * @example
 * ```ts
 * const source: ObservableSource<number> = fromObservable(of(1, 2, 3));
 * // after the query opened it: source.completed === true
 * ```
 */
export interface ObservableSource<T> extends Source<T> {
  /** True once `obs$` completed in the current (or, after `stop`, the last) query run. */
  readonly completed: boolean;
}

/** Offsets are numbers; `-1` = nothing (before the first row). */
const INITIAL_OFFSET = -1;

/**
 * Turns an existing Observable into a streaming source, for RxJS apps that want micro-batches, watermarks and
 * state over events they already have.
 *
 * How it works: `open` subscribes to `obs$`; each value is buffered under the next offset (a number; the first
 * row of a fresh query gets `0`, the initial offset is `-1`) and wakes an idle trigger via
 * `notifyDataAvailable`. `latestOffset` returns the offset of the last buffered row (at most `maxRows` rows past
 * `start` when the read limit is `maxRows`, also inside a `composite` limit; other limits are ignored), `read`
 * returns a slice of the buffer, `commit` drops the committed prefix. `stop` unsubscribes and drops the buffer;
 * the next `open` subscribes again (a cold `obs$` then starts over, a hot one continues with new values).
 * If `obs$` errors, the next `latestOffset` and `read` reject with `SOURCE_ERROR` (`cause` = the error), so the
 * query fails; completion is only remembered (`completed`), the query keeps running over what was buffered.
 *
 * **Delivery is at-most-once.** The buffer lives in memory only: rows buffered but not yet committed are lost
 * when the process crashes or the query stops, and a restarted query does not get them back.
 *
 * Offsets after a restart: the restarted query resumes from its checkpoint's offsets, which belong to the old
 * run. The source cannot see them at `open`, so it numbers lazily: rows not yet handed out are renumbered to
 * follow the largest offset the engine names (a `start` or `end` passed to `latestOffset`, `read` or
 * `commit`). So after a restart from offset 41, the first new row gets offset 42 and the new run continues
 * the old numbering. A batch of the old run that was planned but not committed is re-read over offsets the new
 * buffer does not hold: its rows are simply not there (the batch re-runs empty), and rows of the new run all
 * come after it.
 *
 * @example
 * ```ts
 * import { Subject } from 'rxjs';
 * import { fromObservable } from 'weir-streams/sources';
 * const clicks$ = new Subject<{ user: string; at: Date }>();
 * const source = fromObservable(clicks$, { name: 'clicks' });
 * // start a query on `source`, then:
 * clicks$.next({ user: 'ada', at: new Date() });
 * ```
 */
export function fromObservable<T>(obs$: Observable<T>, options: FromObservableOptions = {}): ObservableSource<T> {
  assertKnownOptions('fromObservable', options, ['name']);
  const { name = 'observable' } = options;
  if (!obs$ || typeof (obs$ as Partial<Observable<T>>).subscribe !== 'function') {
    throw invalidOption('fromObservable', 'obs$', obs$, 'must be an Observable', 'pass an rxjs Observable, e.g. a Subject');
  }
  if (typeof name !== 'string' || name.length === 0) {
    throw invalidOption('fromObservable', 'name', name, 'must be a non-empty string', "e.g. { name: 'clicks' }");
  }
  return new ObservableSourceImpl(obs$, `fromObservable[${name}]`);
}

/** The buffer of one query run. `rows[i]` has offset `offsets[i]`; offsets strictly increase. */
interface ObservableRun<T> {
  readonly context: SourceContext;
  readonly rows: T[];
  readonly offsets: number[];
  /** Rows dropped from the front by `commit` (so `dropped + i` is the arrival number of `rows[i]`). */
  dropped: number;
  /** Offsets up to this one are handed out or named by the engine: they never change meaning. */
  named: number;
  /** Set by `prepareForTriggerAvailableNow`: rows with an arrival number below it are admitted. */
  availableNowArrivals: number | undefined;
  failure: { readonly error: unknown } | undefined;
  subscription: Subscription | undefined;
}

class ObservableSourceImpl<T> implements ObservableSource<T> {
  private run: ObservableRun<T> | undefined;
  private completedFlag = false;

  constructor(
    private readonly obs$: Observable<T>,
    readonly description: string,
  ) {}

  get completed(): boolean {
    return this.completedFlag;
  }

  async open(context: SourceContext): Promise<void> {
    this.run?.subscription?.unsubscribe();
    this.completedFlag = false;
    const run: ObservableRun<T> = {
      context,
      rows: [],
      offsets: [],
      dropped: 0,
      named: INITIAL_OFFSET,
      availableNowArrivals: undefined,
      failure: undefined,
      subscription: undefined,
    };
    this.run = run;
    // May emit synchronously: `run` is in place before the first value.
    const subscription = this.obs$.subscribe({
      next: (value) => {
        const last = run.offsets.length > 0 ? (run.offsets[run.offsets.length - 1] as number) : run.named;
        run.rows.push(value);
        run.offsets.push(Math.max(last, run.named) + 1);
        context.notifyDataAvailable();
      },
      error: (error: unknown) => {
        run.failure = { error };
        context.notifyDataAvailable();
      },
      complete: () => {
        if (this.run === run) this.completedFlag = true;
      },
    });
    if (this.run === run) run.subscription = subscription;
    else subscription.unsubscribe();
  }

  async initialOffset(): Promise<Offset> {
    return INITIAL_OFFSET;
  }

  async latestOffset(start: Offset, limit: ReadLimit): Promise<Offset> {
    const run = this.healthyRun();
    const from = this.toOffset(start);
    this.name(run, from);
    const first = firstIndexAfter(run.offsets, from);
    let stop = Math.min(run.rows.length, first + maxRowsOf(limit));
    if (run.availableNowArrivals !== undefined) stop = Math.min(stop, run.availableNowArrivals - run.dropped);
    if (stop <= first) return from;
    const end = run.offsets[stop - 1] as number;
    run.named = Math.max(run.named, end);
    return end;
  }

  read(start: Offset, end: Offset): Observable<T> {
    return new Observable<T>((subscriber) => {
      const run = this.healthyRun();
      const from = this.toOffset(start);
      const to = this.toOffset(end);
      if (from > to) {
        throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `${this.description}: start ${from} is after end ${to}`, {
          context: { source: this.description, offset: { start, end } },
        });
      }
      this.name(run, to);
      // Snapshot: a commit while the rows are being consumed must not shift them.
      const first = firstIndexAfter(run.offsets, from);
      const stop = firstIndexAfter(run.offsets, to);
      const rows = run.rows.slice(first, stop);
      for (let i = 0; i < rows.length; i++) {
        if (subscriber.closed) return;
        subscriber.next(rows[i] as T);
      }
      subscriber.complete();
    });
  }

  async commit(end: Offset): Promise<void> {
    const run = this.run;
    const to = this.toOffset(end);
    if (!run) return;
    this.name(run, to);
    const count = firstIndexAfter(run.offsets, to);
    run.rows.splice(0, count);
    run.offsets.splice(0, count);
    run.dropped += count;
  }

  async stop(): Promise<void> {
    const run = this.run;
    this.run = undefined;
    run?.subscription?.unsubscribe();
  }

  /** Admits what has arrived so far; rows arriving later wait for the next run. */
  async prepareForTriggerAvailableNow(): Promise<void> {
    const run = this.openedRun();
    run.availableNowArrivals = run.dropped + run.rows.length;
  }

  metrics(_latestConsumed: Offset): Record<string, string> {
    return { bufferedRows: String(this.run?.rows.length ?? 0) };
  }

  /**
   * The engine named `offset`: from now on it must keep its meaning. Rows not handed out yet move behind it
   * (this only happens for offsets of an earlier run, after a restart).
   */
  private name(run: ObservableRun<T>, offset: number): void {
    if (offset <= run.named) return;
    const firstUnnamed = firstIndexAfter(run.offsets, run.named);
    for (let i = firstUnnamed; i < run.offsets.length; i++) {
      run.offsets[i] = offset + 1 + (i - firstUnnamed);
    }
    run.named = offset;
  }

  private openedRun(): ObservableRun<T> {
    if (!this.run) {
      throw new WeirError(ErrorCodes.SOURCE_ERROR, `${this.description}: used before open() or after stop()`, {
        context: { source: this.description },
      });
    }
    return this.run;
  }

  private healthyRun(): ObservableRun<T> {
    const run = this.openedRun();
    if (run.failure) {
      throw new WeirError(ErrorCodes.SOURCE_ERROR, `${this.description}: the observable failed`, {
        cause: run.failure.error,
        context: { source: this.description },
      });
    }
    return run;
  }

  private toOffset(offset: Offset): number {
    return toLongOffset(offset, this.description, INITIAL_OFFSET, INITIAL_OFFSET);
  }
}

/** Index of the first entry of the increasing array `offsets` greater than `offset` (binary search). */
function firstIndexAfter(offsets: readonly number[], offset: number): number {
  let lo = 0;
  let hi = offsets.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((offsets[mid] as number) <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The row cap of a read limit: `maxRows`, the smallest `maxRows` of a composite, else unlimited. */
function maxRowsOf(limit: ReadLimit): number {
  switch (limit.kind) {
    case 'maxRows':
      return Math.max(0, limit.maxRows);
    case 'composite':
      return limit.limits.reduce((cap, inner) => Math.min(cap, maxRowsOf(inner)), Number.POSITIVE_INFINITY);
    default:
      return Number.POSITIVE_INFINITY;
  }
}
