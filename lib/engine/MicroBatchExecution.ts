/**
 * The micro-batch loop (Spark's MicroBatchExecution).
 *
 * Invariants (the batch protocol):
 * 1. `offsets/N` (end offsets, the watermark batch N uses, the frozen batch timestamp, frozen confs) is durable
 *    before any operator, state store or sink sees batch N. The sources' rows of batch N are read while it is
 *    written (a source's read of a logged range is pure: the same rows again after a restart, no effect).
 * 2. The sink gets batch N, then state stores commit version N, then `commits/N` is written, then sources may
 *    forget data up to N's end offsets.
 * 3. A batch found uncommitted at start is re-run with exactly its logged offsets, watermark and timestamp.
 * 4. Batch ids count every executed batch, including no-data batches, and never repeat once committed.
 * 5. Before every batch the checkpoint is checked to be the one the run opened (folder, metadata, lock): a deleted
 *    or replaced folder stops the run with CHECKPOINT_DELETED, a lock another run took over with CONCURRENT_QUERY,
 *    before anything of the batch is written.
 */
import type {
  Clock,
  Offset,
  OutputMode,
  ReadLimit,
  Row,
  Sink,
  Source,
  StatefulOperatorHandle,
  StateStoreProvider,
} from '../contracts';
import { ErrorCodes, WeirError, isWeirError } from '../errors';
import { Checkpoint } from '../checkpoint/Checkpoint';
import type { OffsetSeq } from '../checkpoint/OffsetSeqLog';
import { inputRowCount, readBatchInput, type SourceRows } from './readRows';
import { replayStateVersions, stateReplayEnabled, versionBehind } from './stateReplay';
import { jsonEqual } from '../util/jsonEqual';
import { EngineBatchContext } from './EngineBatchContext';
import { OperatorStateMetadataCheck } from './operatorStateMetadata';
import type { QueryPlan } from './QueryPlan';
import { executeTrigger, type TriggerLogger } from './TriggerExecutor';
import type { Trigger } from './Trigger';
import { WatermarkTracker, parseWatermarkPolicy } from './WatermarkTracker';
import { wrapForAvailableNow } from './availableNowSource';
import {
  StreamingQueryProgress,
  formatProgressTimestamp,
  type DurationMs,
  type SourceProgress,
  type StateOperatorProgress,
} from './StreamingQueryProgress';
import type { StreamingQueryStatus } from './StreamingQueryProgress';

/** Confs frozen into `offsets/N` and restored from it on restart. */
export const FROZEN_CONFS = ['weir.sql.streaming.multipleWatermarkPolicy'] as const;

/** Status messages, Spark's texts. */
export const StatusMessages = {
  initializing: 'Initializing sources',
  waitingForData: 'Waiting for data to arrive',
  processing: 'Processing new data',
  cleaningUp: 'No new data but cleaning up state',
  writingOffsets: 'Writing offsets to log',
  waitingForTrigger: 'Waiting for next trigger',
  stopped: 'Stopped',
} as const;

/** Test-only crash points are injected from outside; production code just calls this hook. */
export type Failpoint = 'afterOffsetsWritten' | 'afterSinkWrite' | 'afterStateCommit' | 'afterCommitWritten';

/** What the execution reports to its query handle. */
export interface ExecutionObserver {
  onStatus(status: StreamingQueryStatus): void;
  onProgress(progress: StreamingQueryProgress): void;
  onIdle(timestampMs: number): void;
  /** A trigger found nothing to do (used by processAllAvailable). */
  onNoDataTrigger(triggerSeq: number): void;
  onTriggerStart(triggerSeq: number): void;
}

export interface MicroBatchExecutionOptions {
  readonly plan: QueryPlan;
  readonly sink: Sink<Row>;
  readonly outputMode: OutputMode;
  readonly trigger: Trigger;
  readonly checkpoint: Checkpoint;
  readonly runId: string;
  readonly queryName: string | null;
  readonly clock: Clock;
  readonly conf: ReadonlyMap<string, string>;
  readonly stateStoreProvider?: (statePath: string) => StateStoreProvider;
  readonly logger: TriggerLogger;
  readonly observer: ExecutionObserver;
  /** Called at each step of the batch protocol; crash tests kill the process here. */
  readonly failpoint?: (point: Failpoint, batchId: number) => void | Promise<void>;
  /** Spark's pollingDelayMs: idle wait of the default trigger. */
  readonly pollingDelayMs?: number;
  /** Spark's noDataProgressEventInterval. */
  readonly noDataProgressEventIntervalMs?: number;
  /** Spark's noDataMicroBatches.enabled. */
  readonly noDataMicroBatchesEnabled?: boolean;
}

interface PendingBatch {
  readonly batchId: number;
  readonly end: readonly Offset[];
  readonly watermarkMs: number;
  /** The watermark batch N-1 used: late-event filtering in batch N (Spark 3.4+). */
  readonly lateEventsWatermarkMs: number;
  readonly batchTimestampMs: number;
}

/** Runs one query run: from recovery to stop or failure. */
export class MicroBatchExecution {
  private readonly o: MicroBatchExecutionOptions;
  private readonly abort = new AbortController();
  private sources: Source<Row>[];
  private committed: Offset[] = [];
  private nextBatchId = 0;
  private pending: PendingBatch | undefined;
  private tracker!: WatermarkTracker;
  private frozenConf: Record<string, string> = {};
  private lastStatefulOperators: StatefulOperatorHandle[] = [];
  /** The watermark the last executed batch used. */
  private previousBatchWatermarkMs = 0;
  private stateProvider: StateStoreProvider | undefined;
  /** The checkpoint's record of its stateful operators, checked by the run's first batch. */
  private operatorCheck: OperatorStateMetadataCheck | undefined;
  private wakeUp: (() => void) | undefined;
  private dataArrived = false;
  private triggerSeq = 0;
  private lastTriggerStartMs: number | undefined;
  private lastNoExecutionEventMs = -Infinity;
  private lastLatest: Offset[] = [];
  private _currentBatchId = -1;

  constructor(options: MicroBatchExecutionOptions) {
    this.o = options;
    this.sources = [...options.plan.sources];
  }

  /** The query id from the checkpoint. */
  get queryId(): string {
    return this.o.checkpoint.queryId;
  }

  /** The id of the last batch that started, -1 before any. */
  get currentBatchId(): number {
    return this._currentBatchId;
  }

  /** Asks the loop to end after the batch in flight. */
  requestStop(): void {
    this.abort.abort();
    this.wake();
  }

  /** Ends an idle wait early (new data, processAllAvailable, stop). */
  wake(): void {
    this.dataArrived = true;
    const w = this.wakeUp;
    this.wakeUp = undefined;
    w?.();
  }

  /** Runs until stopped, terminated by the trigger, or failed (rejects). Always cleans up sources. */
  async run(): Promise<void> {
    try {
      await this.initialize();
      if (this.abort.signal.aborted) return;
      await executeTrigger(this.o.trigger, () => this.runTrigger(), {
        clock: this.o.clock,
        signal: this.abort.signal,
        logger: this.o.logger,
      });
    } finally {
      await this.cleanup();
    }
  }

  private status(message: string, isDataAvailable: boolean, isTriggerActive: boolean): void {
    this.o.observer.onStatus({ message, isDataAvailable, isTriggerActive });
  }

  private async initialize(): Promise<void> {
    const { checkpoint, clock } = this.o;
    this.status(StatusMessages.initializing, false, false);
    for (let i = 0; i < this.sources.length; i += 1) {
      const source = this.sources[i]!;
      await this.guard('SOURCE_ERROR', () =>
        source.open({
          metadataPath: checkpoint.sourcePath(i),
          sourceIndex: i,
          clock,
          notifyDataAvailable: () => this.wake(),
        }),
      );
    }
    await this.guard('SINK_ERROR', async () =>
      this.o.sink.open?.({
        queryId: checkpoint.queryId,
        runId: this.o.runId,
        queryName: this.o.queryName,
        checkpointLocation: checkpoint.root,
        clock,
      }),
    );
    if (this.o.stateStoreProvider) this.stateProvider = this.o.stateStoreProvider(checkpoint.statePath);
    this.operatorCheck = await OperatorStateMetadataCheck.load(checkpoint.store);

    const plan = checkpoint.plan;
    const initial = async (): Promise<Offset[]> =>
      Promise.all(this.sources.map((s) => this.guard('SOURCE_ERROR', () => s.initialOffset())));
    const fromLog = async (seq: OffsetSeq): Promise<Offset[]> => {
      const init = await initial();
      return seq.offsets.map((o, i) => (o === null ? init[i]! : o));
    };
    let loggedConf: Record<string, string> = {};
    let watermarkMs = 0;
    if (plan.kind === 'fresh') {
      this.committed = await initial();
      this.nextBatchId = 0;
    } else if (plan.kind === 'resume') {
      this.committed = await fromLog(plan.lastCommitted.offsets);
      this.nextBatchId = plan.nextBatchId;
      watermarkMs = plan.watermarkMs;
      loggedConf = plan.lastCommitted.offsets.metadata.conf;
      this.previousBatchWatermarkMs = plan.lastCommitted.offsets.metadata.batchWatermarkMs;
    } else if (plan.kind === 'rerun') {
      this.committed = plan.previous ? await fromLog(plan.previous) : await initial();
      this.nextBatchId = plan.batchId;
      watermarkMs = plan.watermarkMs;
      loggedConf = plan.offsets.metadata.conf;
      this.pending = {
        batchId: plan.batchId,
        end: await fromLog(plan.offsets),
        watermarkMs: plan.watermarkMs,
        lateEventsWatermarkMs: plan.previous?.metadata.batchWatermarkMs ?? 0,
        batchTimestampMs: plan.batchTimestampMs,
      };
    } else {
      throw new WeirError(plan.code as WeirError['code'], plan.message, {
        context: { path: plan.path, batchId: plan.batchId },
      });
    }
    // Confs recorded in the checkpoint win over the session's (Spark's OffsetSeqMetadata rule).
    for (const key of FROZEN_CONFS) {
      const value = loggedConf[key] ?? this.o.conf.get(key) ?? this.o.conf.get(key.replace(/^weir\./, 'spark.'));
      if (value !== undefined) this.frozenConf[key] = value;
    }
    this.tracker = new WatermarkTracker(
      parseWatermarkPolicy(this.frozenConf['weir.sql.streaming.multipleWatermarkPolicy']),
      watermarkMs,
    );
    this.lastLatest = [...this.committed];
    if (this.o.trigger.kind === 'availableNow') {
      this.sources = await Promise.all(
        this.sources.map((s, i) =>
          this.guard('SOURCE_ERROR', () => wrapForAvailableNow(s, this.pending?.end[i] ?? this.committed[i]!)),
        ),
      );
    }
  }

  private readLimit(source: Source<Row>): ReadLimit {
    if (this.o.trigger.kind === 'once') return { kind: 'all' };
    return source.defaultReadLimit?.() ?? { kind: 'all' };
  }

  /** One trigger; resolves false when the loop should end. */
  private async runTrigger(): Promise<boolean> {
    if (this.abort.signal.aborted) return false;
    const seq = (this.triggerSeq += 1);
    this.o.observer.onTriggerStart(seq);
    const triggerStartMs = this.o.clock.now();
    const durations: DurationMs = { triggerExecution: 0 };
    this.dataArrived = false;

    let batch: PendingBatch | undefined;
    let reading: Promise<SourceRows[]> | undefined;
    let isDataBatch = true;
    if (this.pending) {
      batch = this.pending;
      this.pending = undefined;
      await this.verifyCheckpoint(batch.batchId);
      this.status(StatusMessages.processing, true, true);
    } else {
      const t0 = this.o.clock.now();
      const latest = await Promise.all(
        this.sources.map((s, i) =>
          this.guard('SOURCE_ERROR', () => s.latestOffset(this.committed[i]!, this.readLimit(s)), {
            source: s.description,
          }),
        ),
      );
      durations.latestOffset = this.o.clock.now() - t0;
      this.lastLatest = latest;
      const hasNewData = latest.some((o, i) => !jsonEqual(o, this.committed[i]));
      const newWatermark = this.tracker.currentWatermarkMs;
      const needsNoDataBatch =
        !hasNewData &&
        this.o.trigger.kind !== 'once' &&
        (this.o.noDataMicroBatchesEnabled ?? true) &&
        this.lastStatefulOperators.some((op) => op.shouldRunAnotherBatch(newWatermark));
      if (!hasNewData && !needsNoDataBatch) {
        return this.finishNoExecutionTrigger(seq, triggerStartMs);
      }
      isDataBatch = hasNewData;
      await this.verifyCheckpoint(this.nextBatchId);
      this.status(hasNewData ? StatusMessages.processing : StatusMessages.cleaningUp, hasNewData, true);
      batch = {
        batchId: this.nextBatchId,
        end: latest,
        watermarkMs: newWatermark,
        lateEventsWatermarkMs: this.previousBatchWatermarkMs,
        batchTimestampMs: triggerStartMs,
      };
      this.status(StatusMessages.writingOffsets, hasNewData, true);
      // The sources are read while offsets/N is written: reading has no effect a restart could see, and the
      // write is mostly waiting for fsync. Nothing of the batch runs before the offsets are durable.
      const inFlight = this.readInputs(batch, this.committed, durations);
      inFlight.catch(() => undefined); // its failure is awaited below (or in runBatch), not unhandled meanwhile
      reading = inFlight;
      try {
        const t1 = this.o.clock.now();
        const written = await this.o.checkpoint.offsetLog.add(batch.batchId, {
          metadata: {
            batchWatermarkMs: batch.watermarkMs,
            batchTimestampMs: batch.batchTimestampMs,
            conf: this.frozenConf,
            queryId: this.queryId,
          },
          offsets: [...batch.end],
        });
        if (!written) {
          // This run read the disk under the lock and found no offsets/N, and discarded torn files: only another
          // writer of this checkpoint, a query running at the same time, can have written it since.
          const file = this.o.checkpoint.offsetLog.absolutePathOf(batch.batchId);
          throw new WeirError(
            ErrorCodes.CONCURRENT_QUERY,
            `Cannot run batch ${batch.batchId} of query with id ${this.queryId}: ${file} was written by another ` +
              `query on this checkpoint while this run (runId ${this.o.runId}) was active, after batch ` +
              `${batch.batchId - 1} committed (was the lock file deleted?). This run stops; let one query run on a ` +
              `checkpoint at a time.`,
            { context: { batchId: batch.batchId, path: file, queryId: this.queryId, runId: this.o.runId } },
          );
        }
        durations.walCommit = this.o.clock.now() - t1;
        await this.o.failpoint?.('afterOffsetsWritten', batch.batchId);
      } catch (e) {
        // The sources stop after a failed trigger: no read of theirs may still be running then.
        await inFlight.catch(() => undefined);
        throw e;
      }
    }
    const start = this.committed;
    const numInputRows = await this.runBatchRebuildingState(batch, start, durations, reading);
    durations.triggerExecution = this.o.clock.now() - triggerStartMs;
    this.reportProgress(batch, start, numInputRows, triggerStartMs, durations, isDataBatch);
    this.lastNoExecutionEventMs = this.o.clock.now();
    this.status(StatusMessages.waitingForTrigger, false, false);
    // Once runs exactly one batch; the executor stops it.
    return this.o.trigger.kind !== 'once';
  }

  /** Invariant 5: the checkpoint is still this run's before batch `batchId` writes anything. */
  private async verifyCheckpoint(batchId: number): Promise<void> {
    if ((await this.o.checkpoint.verifyIntact({ batchId })) === 'lockRestored') {
      this.o.logger.warn(
        `The checkpoint lock file of query ${this.queryId} in ${this.o.checkpoint.root} was deleted while the query ` +
          `ran; it was written again before batch ${batchId}.`,
      );
    }
  }

  private async finishNoExecutionTrigger(seq: number, triggerStartMs: number): Promise<boolean> {
    this.status(StatusMessages.waitingForData, false, false);
    const now = this.o.clock.now();
    const idleInterval = this.o.noDataProgressEventIntervalMs ?? 10_000;
    if (now - idleInterval >= this.lastNoExecutionEventMs) {
      this.lastNoExecutionEventMs = now;
      this.o.observer.onIdle(triggerStartMs);
    }
    this.o.observer.onNoDataTrigger(seq);
    if (this.o.trigger.kind === 'once' || this.o.trigger.kind === 'availableNow') return false;
    if (this.o.trigger.kind === 'processingTime' && this.o.trigger.intervalMs === 0) {
      // Default trigger: wait for the polling delay, or less when a source says data arrived.
      if (!this.dataArrived && !this.abort.signal.aborted) {
        const waitAbort = new AbortController();
        const woken = new Promise<void>((resolve) => {
          this.wakeUp = resolve;
        });
        await Promise.race([
          this.o.clock.waitUntil(
            this.o.clock.now() + (this.o.pollingDelayMs ?? 10),
            AbortSignal.any([waitAbort.signal, this.abort.signal]),
          ),
          woken,
        ]);
        waitAbort.abort();
        this.wakeUp = undefined;
      }
    }
    return true;
  }

  /** The rows of every source for `batch` (`getBatch` in durations; it overlaps `walCommit` for a new batch). */
  private async readInputs(batch: PendingBatch, start: readonly Offset[], durations: DurationMs): Promise<SourceRows[]> {
    const t0 = this.o.clock.now();
    const inputs = await Promise.all(
      this.sources.map((s, i) =>
        jsonEqual(start[i]!, batch.end[i]!)
          ? Promise.resolve([] as Row[])
          : this.guard('SOURCE_ERROR', () => readBatchInput(s, start[i]!, batch.end[i]!), {
              batchId: batch.batchId,
              source: s.description,
              offset: batch.end[i],
            }),
      ),
    );
    durations.getBatch = this.o.clock.now() - t0;
    return inputs;
  }

  /** Executes batch N over (start, end] (its rows from `reading` when the read started already); returns the input row count. */
  private async runBatch(
    batch: PendingBatch,
    start: readonly Offset[],
    durations: DurationMs,
    reading?: Promise<SourceRows[]>,
  ): Promise<number[]> {
    const { batchId } = batch;
    this._currentBatchId = batchId;
    const context = new EngineBatchContext(this.queryId, this.o.checkpoint.root, batchId, this.stateProvider, this.operatorCheck);
    try {
      // The batch's rows are held in `rowsOf` and dropped once used: locals captured by closures in an async
      // function live until it returns, and keeping a batch's rows alive across the state commit made
      // young-generation GC copy them again.
      const rowsOf: { inputs?: SourceRows[]; output?: readonly Row[] } = {};
      rowsOf.inputs = await (reading ?? this.readInputs(batch, start, durations));
      durations.queryPlanning = 0;
      const t1 = this.o.clock.now();
      let inputCounts: number[] = [];
      rowsOf.output = await this.guard(
        'OPERATOR_ERROR',
        async () => {
          const output = await this.o.plan.execute({
            batchId,
            watermarkMs: batch.watermarkMs,
            lateEventsWatermarkMs: batch.lateEventsWatermarkMs,
            batchTimestampMs: batch.batchTimestampMs,
            outputMode: this.o.outputMode,
            context,
            inputs: rowsOf.inputs!,
          });
          // Still in the batch's guard, before the sink: deferred event-time stats are computed now and their
          // functions (which hold the batch's rows) dropped, and chunked inputs were counted as the operators
          // visited them (or are visited now to count them).
          context.resolveEventTimeReports();
          await this.operatorCheck?.afterOperators(context.statefulOperators.values(), batchId);
          inputCounts = rowsOf.inputs!.map(inputRowCount);
          return output;
        },
        { batchId },
      );
      rowsOf.inputs = undefined;
      await this.guard(
        'SINK_ERROR',
        () =>
          this.o.sink.addBatch(batchId, rowsOf.output!, {
            batchId,
            outputMode: this.o.outputMode,
            batchTimestampMs: batch.batchTimestampMs,
            watermarkMs: batch.watermarkMs,
            queryId: this.queryId,
            runId: this.o.runId,
            queryName: this.o.queryName,
          }),
        { batchId, sink: this.o.sink.description },
      );
      rowsOf.output = undefined;
      durations.addBatch = this.o.clock.now() - t1;
      await this.o.failpoint?.('afterSinkWrite', batchId);
      await context.commitStores();
      await this.o.failpoint?.('afterStateCommit', batchId);
      this.lastStatefulOperators = [...context.statefulOperators.values()];
      const nextWatermark = this.tracker.update(context.eventTimeReports);
      const t2 = this.o.clock.now();
      await this.o.checkpoint.commitLog.add(batchId, { nextBatchWatermarkMs: nextWatermark, queryId: this.queryId });
      await this.o.failpoint?.('afterCommitWritten', batchId);
      this.committed = [...batch.end];
      this.nextBatchId = batchId + 1;
      this.previousBatchWatermarkMs = batch.watermarkMs;
      for (let i = 0; i < this.sources.length; i += 1) {
        const s = this.sources[i]!;
        await this.guard('SOURCE_ERROR', () => s.commit(batch.end[i]!), { batchId, source: s.description });
      }
      await this.o.checkpoint.purgeAfterCommit(batchId);
      durations.commitOffsets = this.o.clock.now() - t2;
      this.lastContext = context;
      this.lastStoreMetrics = await context.storeMetrics();
      return inputCounts;
    } catch (e) {
      await context.abortStores();
      throw e;
    }
  }

  /** {@link runBatch}; when a state store is behind the checkpoint, its missing versions are re-run first (stateReplay). */
  private async runBatchRebuildingState(
    batch: PendingBatch,
    start: readonly Offset[],
    durations: DurationMs,
    reading?: Promise<SourceRows[]>,
  ): Promise<number[]> {
    for (let round = 0; ; round += 1) {
      try {
        return await this.runBatch(batch, start, durations, round === 0 ? reading : undefined);
      } catch (e) {
        const found = versionBehind(e, batch.batchId);
        if (found === undefined || round >= 16 || !this.stateProvider || !stateReplayEnabled(this.o.conf)) throw e;
        this.o.logger.warn(
          `${(e as Error).message}: re-running batches ${found + 1} to ${batch.batchId - 1} from the offsets log into the state`,
        );
        await replayStateVersions(
          {
            queryId: this.queryId,
            checkpointLocation: this.o.checkpoint.root,
            offsetLog: this.o.checkpoint.offsetLog,
            sources: this.sources,
            plan: this.o.plan,
            outputMode: this.o.outputMode,
            stateProvider: this.stateProvider,
            readInputs: (batchId, from, to) =>
              this.readInputs({ ...batch, batchId, end: to }, from, { triggerExecution: 0 }),
          },
          found + 1,
          batch.batchId - 1,
          e as WeirError,
        );
      }
    }
  }

  private lastContext: EngineBatchContext | undefined;
  private lastStoreMetrics: Map<string, ReturnType<import('../contracts').StateStore['metrics']>> = new Map();

  private reportProgress(
    batch: PendingBatch,
    start: readonly Offset[],
    numInputRows: number[],
    triggerStartMs: number,
    durations: DurationMs,
    _isDataBatch: boolean,
  ): void {
    const now = this.o.clock.now();
    const processingSec = Math.max(1, now - triggerStartMs) / 1000;
    const inputSec =
      this.lastTriggerStartMs === undefined ? NaN : (triggerStartMs - this.lastTriggerStartMs) / 1000;
    this.lastTriggerStartMs = triggerStartMs;
    const sources: SourceProgress[] = this.sources.map((s, i) => ({
      description: s.description,
      startOffset: start[i] ?? null,
      endOffset: batch.end[i] ?? null,
      latestOffset: this.lastLatest[i] ?? batch.end[i] ?? null,
      numInputRows: numInputRows[i] ?? 0,
      // Spark: the first trigger's input time is infinite, so its rate is 0.0 (a zero interval has no rate).
      inputRowsPerSecond: Number.isNaN(inputSec) ? 0 : inputSec > 0 ? (numInputRows[i] ?? 0) / inputSec : NaN,
      processedRowsPerSecond: (numInputRows[i] ?? 0) / processingSec,
      metrics: s.metrics?.(batch.end[i]!) ?? {},
    }));
    const context = this.lastContext;
    const eventTime: Record<string, string> = {};
    if (context && context.eventTimeReports.size > 0) {
      const stats = context.mergedEventTime();
      if (stats && stats.count > 0) {
        eventTime.avg = formatProgressTimestamp(Math.trunc(stats.sum / stats.count));
        eventTime.max = formatProgressTimestamp(stats.max);
        eventTime.min = formatProgressTimestamp(stats.min);
      }
      eventTime.watermark = formatProgressTimestamp(batch.watermarkMs);
    }
    const stateOperators: StateOperatorProgress[] = context
      ? // Downstream first, as Spark lists its plan's stateful operators (top-down).
        [...context.statefulOperators.values()].reverse().map((op) => {
          const store = this.lastStoreMetrics.get(op.operatorId);
          const extra = op.metrics?.() ?? {};
          return {
            operatorName: op.operatorName,
            numRowsTotal: store?.numRowsTotal ?? 0,
            numRowsUpdated: store?.numRowsUpdated ?? 0,
            allUpdatesTimeMs: 0,
            numRowsRemoved: store?.numRowsRemoved ?? 0,
            allRemovalsTimeMs: 0,
            commitTimeMs: store?.commitTimeMs ?? 0,
            memoryUsedBytes: store?.memoryUsedBytes ?? 0,
            numRowsDroppedByWatermark: 0,
            numShufflePartitions: 1,
            numStateStoreInstances: 1,
            ...extra,
            // The operator's own custom metrics (e.g. dedupe's numDroppedDuplicateRows) join the store's.
            customMetrics: { ...(store?.customMetrics ?? {}), ...(extra.customMetrics ?? {}) },
          };
        })
      : [];
    this.o.observer.onProgress(
      new StreamingQueryProgress({
        id: this.queryId,
        runId: this.o.runId,
        name: this.o.queryName,
        timestamp: formatProgressTimestamp(triggerStartMs),
        batchId: batch.batchId,
        batchDuration: durations.triggerExecution,
        durationMs: durations,
        eventTime,
        stateOperators,
        sources,
        sink: {
          description: this.o.sink.description,
          numOutputRows: this.o.sink.lastBatchOutputRows ?? -1,
          metrics: this.o.sink.metrics?.() ?? {},
        },
      }),
    );
  }

  /** Runs `f`, turning a foreign error into a WeirError with `code` and context. */
  private async guard<T>(
    code: 'SOURCE_ERROR' | 'SINK_ERROR' | 'OPERATOR_ERROR',
    f: () => Promise<T> | T,
    context: Record<string, unknown> = {},
  ): Promise<T> {
    try {
      return await f();
    } catch (e) {
      if (isWeirError(e)) throw e;
      const what = code === 'SOURCE_ERROR' ? 'source' : code === 'SINK_ERROR' ? 'sink' : 'operator';
      throw new WeirError(ErrorCodes[code], `The ${what} failed: ${(e as Error)?.message ?? String(e)}`, {
        cause: e,
        context,
      });
    }
  }

  private async cleanup(): Promise<void> {
    for (const s of this.sources) {
      try {
        await s.stop();
      } catch (e) {
        this.o.logger.warn(`Failed to stop source ${s.description}: ${(e as Error)?.message ?? String(e)}`);
      }
    }
    try {
      await this.stateProvider?.close();
    } catch (e) {
      this.o.logger.warn(`Failed to close the state store provider: ${(e as Error)?.message ?? String(e)}`);
    }
  }
}
