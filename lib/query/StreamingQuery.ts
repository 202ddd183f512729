/**
 * The handle of a running query (Spark's StreamingQuery).
 *
 * Invariants: `id` comes from the checkpoint and is stable across restarts, `runId` is new per start;
 * `recentProgress` holds at most `numRecentProgressUpdates` entries; once terminated a query never becomes
 * active again; `stop()` lets the batch in flight finish, so the checkpoint it leaves restarts correctly; a run
 * that failed (a batch that could not commit included) is never reported as a clean stop: `awaitTermination()`
 * rejects with its exception, and so does `stop()` unless the caller was given the exception already.
 */
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { Clock, OutputMode, Row, Sink, StateStoreProvider } from '../contracts';
import { ErrorCodes, StreamingQueryException, WeirError, isWeirError } from '../errors';
import { Checkpoint } from '../checkpoint/Checkpoint';
import { MicroBatchExecution, StatusMessages, type Failpoint } from '../engine/MicroBatchExecution';
import type { QueryPlan } from '../engine/QueryPlan';
import { describeTrigger, type Trigger } from '../engine/Trigger';
import type { StreamingQueryProgress } from '../engine/StreamingQueryProgress';
import { formatProgressTimestamp } from '../engine/StreamingQueryProgress';
import type { StreamingQueryStatus } from './StreamingQueryListener';
import type { QueryEventBus } from './QueryEventBus';

/** Everything needed to start one query run. */
export interface QueryStartOptions {
  readonly plan: QueryPlan;
  readonly sink: Sink<Row>;
  readonly outputMode: OutputMode;
  readonly trigger: Trigger;
  readonly checkpointLocation: string;
  /**
   * Delete the checkpoint folder when the run ends (a temporary checkpoint): after a stop and also after a
   * failure. Spark deletes a temporary checkpoint only when the query ended without error unless
   * `spark.sql.streaming.forceDeleteTempCheckpointLocation` is true; weir always does, as with that conf: the
   * folder's name is random and known only to this run, so nothing restarts from it, and a failed query in a test
   * or a long-lived process would otherwise leave a folder behind each time.
   */
  readonly deleteCheckpointOnStop: boolean;
  readonly queryName: string | null;
  readonly clock: Clock;
  readonly conf: ReadonlyMap<string, string>;
  readonly stateStoreProvider?: (statePath: string) => StateStoreProvider;
  readonly logger: { warn(message: string): void };
  readonly bus: QueryEventBus;
  readonly failpoint?: (point: Failpoint, batchId: number) => void | Promise<void>;
  readonly minBatchesToRetain: number;
  readonly numRecentProgressUpdates: number;
  readonly pollingDelayMs?: number;
  readonly noDataProgressEventIntervalMs?: number;
  readonly noDataMicroBatchesEnabled?: boolean;
  /** Called once the run has ended (manager bookkeeping). */
  readonly onTerminated?: (query: StreamingQuery) => void;
}

/** A running (or terminated) streaming query. */
export class StreamingQuery {
  /** Stable across restarts from the same checkpoint. */
  readonly id: string;
  /** New for every start. */
  readonly runId: string;
  /** The query name, or null. */
  readonly name: string | null;

  private _status: StreamingQueryStatus = {
    message: StatusMessages.initializing,
    isDataAvailable: false,
    isTriggerActive: false,
  };
  private readonly progressBuffer: StreamingQueryProgress[] = [];
  private _exception: StreamingQueryException | null = null;
  /** Whether `_exception` reached a caller (a rejection of ours, or the `exception` property read after it was set). */
  private exceptionReported = false;
  private active = true;
  private readonly terminated: Promise<void>;
  private readonly execution: MicroBatchExecution;
  private readonly options: QueryStartOptions;
  private readonly triggerWaiters: Array<{ afterSeq: number; resolve: () => void }> = [];
  private lastTriggerSeq = 0;

  private constructor(options: QueryStartOptions, checkpoint: Checkpoint, runId: string) {
    this.options = options;
    this.id = checkpoint.queryId;
    this.runId = runId;
    this.name = options.queryName;
    this.execution = new MicroBatchExecution({
      plan: options.plan,
      sink: options.sink,
      outputMode: options.outputMode,
      trigger: options.trigger,
      checkpoint,
      runId,
      queryName: options.queryName,
      clock: options.clock,
      conf: options.conf,
      ...(options.stateStoreProvider ? { stateStoreProvider: options.stateStoreProvider } : {}),
      logger: options.logger,
      ...(options.failpoint ? { failpoint: options.failpoint } : {}),
      ...(options.pollingDelayMs !== undefined ? { pollingDelayMs: options.pollingDelayMs } : {}),
      ...(options.noDataProgressEventIntervalMs !== undefined
        ? { noDataProgressEventIntervalMs: options.noDataProgressEventIntervalMs }
        : {}),
      ...(options.noDataMicroBatchesEnabled !== undefined
        ? { noDataMicroBatchesEnabled: options.noDataMicroBatchesEnabled }
        : {}),
      observer: {
        onStatus: (s) => {
          this._status = s;
        },
        onProgress: (p) => this.addProgress(p),
        onIdle: (ts) =>
          options.bus.post('onQueryIdle', { id: this.id, runId, timestamp: formatProgressTimestamp(ts) }),
        onTriggerStart: (seq) => {
          this.lastTriggerSeq = seq;
        },
        onNoDataTrigger: (seq) => this.releaseTriggerWaiters(seq),
      },
    });
    this.terminated = this.runToEnd(checkpoint);
  }

  /**
   * Opens the checkpoint (taking its lock and planning recovery), posts `onQueryStarted` synchronously, and
   * starts the batch loop in the background.
   */
  static async start(options: QueryStartOptions): Promise<StreamingQuery> {
    await options.plan.validate?.(options.outputMode, options.conf);
    if (options.sink.supportedOutputModes && !options.sink.supportedOutputModes.includes(options.outputMode)) {
      throw new WeirError(
        ErrorCodes.UNSUPPORTED_OUTPUT_MODE,
        `Data source ${options.sink.description} does not support ${options.outputMode} output mode`,
        { context: { sink: options.sink.description, outputMode: options.outputMode } },
      );
    }
    const runId = randomUUID();
    const checkpoint = await Checkpoint.open(options.checkpointLocation, {
      numSources: options.plan.sources.length,
      minBatchesToRetain: options.minBatchesToRetain,
      runId,
    });
    const query = new StreamingQuery(options, checkpoint, runId);
    options.bus.postSync('onQueryStarted', {
      id: query.id,
      runId,
      name: query.name,
      timestamp: formatProgressTimestamp(options.clock.now()),
    });
    return query;
  }

  private async runToEnd(checkpoint: Checkpoint): Promise<void> {
    // Let start() return (and post onQueryStarted) before the first trigger runs.
    await new Promise<void>((resolve) => setImmediate(resolve));
    let failure: unknown;
    try {
      await this.execution.run();
    } catch (e) {
      failure = e;
    }
    try {
      await this.options.sink.close?.(failure);
    } catch (e) {
      failure ??= e;
    }
    try {
      await checkpoint.close();
    } catch (e) {
      failure ??= e;
    }
    if (failure !== undefined) {
      const batchId = this.execution.currentBatchId;
      const message = (failure as Error)?.message ?? String(failure);
      this._exception = new StreamingQueryException(`Query ${this.name ?? ''} [id = ${this.id}, runId = ${this.runId}] terminated with exception: ${message}`, {
        queryId: this.id,
        runId: this.runId,
        batchId,
        cause: failure,
      });
    }
    if (this.options.deleteCheckpointOnStop) {
      try {
        await rm(this.options.checkpointLocation, { recursive: true, force: true });
      } catch (e) {
        this.options.logger.warn(`Failed to delete the temporary checkpoint ${this.options.checkpointLocation}: ${(e as Error)?.message ?? String(e)}`);
      }
    }
    this.active = false;
    this._status = { message: StatusMessages.stopped, isDataAvailable: false, isTriggerActive: false };
    this.releaseTriggerWaiters(Number.MAX_SAFE_INTEGER);
    this.options.onTerminated?.(this);
    this.options.bus.post('onQueryTerminated', {
      id: this.id,
      runId: this.runId,
      exception: failure === undefined ? null : `${this._exception?.message}\n${(failure as Error)?.stack ?? ''}`,
      errorClassOnException: failure === undefined ? null : isWeirError(failure) ? failure.code : null,
    });
  }

  private addProgress(p: StreamingQueryProgress): void {
    this.progressBuffer.push(p);
    while (this.progressBuffer.length > this.options.numRecentProgressUpdates) this.progressBuffer.shift();
    this.options.bus.post('onQueryProgress', { progress: p });
  }

  private releaseTriggerWaiters(seq: number): void {
    for (let i = this.triggerWaiters.length - 1; i >= 0; i -= 1) {
      const w = this.triggerWaiters[i]!;
      if (seq > w.afterSeq) {
        this.triggerWaiters.splice(i, 1);
        w.resolve();
      }
    }
  }

  /** Whether the query is still running. */
  get isActive(): boolean {
    return this.active;
  }

  /** What the query is doing now. */
  get status(): StreamingQueryStatus {
    return { ...this._status };
  }

  /** The latest progress, or null before the first batch. */
  get lastProgress(): StreamingQueryProgress | null {
    return this.progressBuffer[this.progressBuffer.length - 1] ?? null;
  }

  /** The most recent progress updates, oldest first (at most `numRecentProgressUpdates`). */
  get recentProgress(): StreamingQueryProgress[] {
    return [...this.progressBuffer];
  }

  /** The error that terminated the query, or null. */
  get exception(): StreamingQueryException | null {
    if (this._exception) this.exceptionReported = true;
    return this._exception;
  }

  /** The last batch id started, -1 before any. */
  get currentBatchId(): number {
    return this.execution.currentBatchId;
  }

  /**
   * Waits for the query to terminate. Without a timeout resolves (true) at termination; with one resolves
   * false if still running after `timeoutMs`. Rejects with the query's exception if it failed.
   */
  async awaitTermination(timeoutMs?: number): Promise<boolean> {
    if (timeoutMs !== undefined && (!Number.isFinite(timeoutMs) || timeoutMs < 0)) {
      throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `Timeout can't be negative or infinite, but got ${timeoutMs}`, {
        context: { timeoutMs },
      });
    }
    const done = this.terminated.then(() => true);
    let timer: NodeJS.Timeout | undefined;
    const result =
      timeoutMs === undefined
        ? await done
        : await Promise.race([
            done,
            new Promise<boolean>((resolve) => {
              timer = setTimeout(() => resolve(false), timeoutMs);
            }),
          ]);
    if (timer !== undefined) clearTimeout(timer);
    if (result && this._exception) throw this.reportException();
    return result;
  }

  /**
   * Waits until every row available in the sources when called has been processed and committed (a trigger
   * that started after this call found no new data). For tests. Rejects if the query fails.
   */
  async processAllAvailable(): Promise<void> {
    if (this.active) {
      const afterSeq = this.lastTriggerSeq;
      await new Promise<void>((resolve) => {
        this.triggerWaiters.push({ afterSeq, resolve });
        this.execution.wake();
      });
    }
    if (!this.active) await this.terminated;
    if (this._exception) throw this.reportException();
  }

  /**
   * Stops the query: the batch in flight finishes, then sources and sink are closed. Idempotent. Rejects with the
   * query's exception when the run failed (in the batch in flight or earlier) and no caller has been given that
   * exception yet (by `awaitTermination`, `processAllAvailable`, an earlier `stop` or the `exception` property):
   * a run that could not commit (a full or read-only disk, a deleted checkpoint, ...) never ends in a clean stop,
   * and a failure already handled does not make every later clean-up `stop()` throw.
   */
  async stop(): Promise<void> {
    this.execution.requestStop();
    await this.terminated;
    if (this._exception && !this.exceptionReported) throw this.reportException();
  }

  private reportException(): StreamingQueryException {
    this.exceptionReported = true;
    return this._exception!;
  }

  /** The plan as text (Spark's `explain`). */
  explain(extended = false): string {
    const lines = [
      `WriteToMicroBatchDataSource ${this.options.sink.description}, ${this.id}, ${
        this.options.outputMode.charAt(0).toUpperCase() + this.options.outputMode.slice(1)
      }`,
      // The plan's own tree lines, root first, hang under the sink's line.
      ...this.options.plan.explain(extended).map((l, i) => (i === 0 ? `+- ${l}` : `   ${l}`)),
    ];
    const tree = lines.join('\n');
    const header = extended
      ? `== Streaming Query ==\nIdentifier: ${this.name ?? '[id = ' + this.id + ', runId = ' + this.runId + ']'}\nTrigger: ${describeTrigger(this.options.trigger)}\nCheckpoint: ${this.options.checkpointLocation}\n\n`
      : '';
    return `${header}== Physical Plan ==\n${tree}\n`;
  }

  toString(): string {
    return `StreamingQuery(${this.name ?? ''} [id = ${this.id}, runId = ${this.runId}])`;
  }
}

export type { Failpoint };
