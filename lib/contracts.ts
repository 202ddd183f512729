/**
 * The contracts of weir, in one dependency-free module.
 *
 * Invariant: this file imports nothing but types from rxjs. Implementations (sources, sinks, state stores,
 * checkpoint stores, clocks) depend on it; it depends on none of them.
 */
import type { Observable } from 'rxjs';

/** A JSON value: what offsets, log entries and progress objects are made of. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** One record flowing through a query. Rows are plain objects; TIMESTAMP values are `Date`. */
export type Row = Record<string, unknown>;

/** Spark's output modes. */
export type OutputMode = 'append' | 'update' | 'complete';

/**
 * A position in a source, as the source defines it. Offsets are JSON values so that they are written verbatim
 * into `offsets/N` and compared structurally; the same range of offsets always denotes the same rows.
 */
export type Offset = JsonValue;

/**
 * How much a source may admit into one micro-batch (Spark's `ReadLimit`). `all` = everything available;
 * `maxRows` / `maxFiles` / `maxBytes` cap one batch; `minRows` waits for at least that much unless `maxDelayMs`
 * has passed since the last batch.
 */
export type ReadLimit =
  | { readonly kind: 'all' }
  | { readonly kind: 'maxRows'; readonly maxRows: number }
  | { readonly kind: 'maxFiles'; readonly maxFiles: number }
  | { readonly kind: 'maxBytes'; readonly maxBytes: number }
  | { readonly kind: 'minRows'; readonly minRows: number; readonly maxDelayMs: number }
  | { readonly kind: 'composite'; readonly limits: readonly ReadLimit[] };

/** Injected time. Everything time-based in weir asks a Clock; tests hand in a manual one. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves when `now() >= timeMs`, or early (without error) when `signal` aborts. */
  waitUntil(timeMs: number, signal?: AbortSignal): Promise<void>;
}

/** Where a source keeps its private durable metadata (`<checkpoint>/sources/<i>`). */
export interface SourceContext {
  /** Absolute folder `<checkpoint>/sources/<index>`, created before `open` is called. */
  readonly metadataPath: string;
  readonly sourceIndex: number;
  readonly clock: Clock;
  /** A push source calls this when new data arrived, so an idle trigger wakes up at once. */
  readonly notifyDataAvailable: () => void;
}

/**
 * A replayable, offset-tagged source (Spark's `MicroBatchStream` with admission control).
 *
 * Contract: `read(start, end)` for the same `(start, end]` always yields the same rows in the same order, for
 * as long as `end` has not been committed; offsets only grow.
 */
export interface Source<T = Row> {
  /** Shown in progress (`sources[i].description`) and `explain()`. */
  readonly description: string;
  /** Called once per query run before anything else. */
  open(context: SourceContext): Promise<void>;
  /** The offset before any data (the start of the first batch). `null` = "before everything". */
  initialOffset(): Promise<Offset>;
  /** The read limit used when the query gives none (e.g. from `maxOffsetsPerTrigger`). */
  defaultReadLimit?(): ReadLimit;
  /**
   * The end offset of the next batch starting at `start`, admitting at most what `limit` allows. Returning
   * `start` (structurally equal) means "no new data".
   */
  latestOffset(start: Offset, limit: ReadLimit): Promise<Offset>;
  /** The rows in `(start, end]`. Must be replayable for any uncommitted range. */
  read(start: Offset, end: Offset): Observable<T>;
  /**
   * Optional bulk form of `read`: the same rows, in the same order, as one array. The engine prefers it; a
   * source that has its rows at hand (generated, buffered) skips the per-row Observable delivery.
   */
  readAll?(start: Offset, end: Offset): Promise<readonly T[]>;
  /**
   * Optional form of `read` for rows that are costly to hold all at once (parsed files): the promise does the
   * I/O, and the rows are produced chunk by chunk (a file at a time) as the batch's operators visit them, so a
   * chunk's rows can be garbage before the next one is made. The same rows, in the same order, as `read`.
   * The engine prefers it to `readAll`.
   */
  readChunks?(start: Offset, end: Offset): Promise<RowChunks<T>>;
  /** Everything up to and including `end` is committed: the source may forget it. */
  commit(end: Offset): Promise<void>;
  /** Release resources. Called once when the query run ends, also after a failure. */
  stop(): Promise<void>;
  /**
   * Trigger.AvailableNow: fix the data "available now"; later `latestOffset` calls never pass it. A source
   * without this method is wrapped by the engine so that it processes everything in one batch (Spark's
   * fallback).
   */
  prepareForTriggerAvailableNow?(): Promise<void>;
  /** Source-specific metrics for progress (`sources[i].metrics`). */
  metrics?(latestConsumed: Offset): Record<string, string>;
}

/**
 * A source range's rows, produced in chunks when visited (see `Source.readChunks`).
 *
 * Invariant: every complete call of `forEachChunk` hands over the same rows in the same order (each call
 * produces them again, from data read already); producing them may throw (a malformed record under FAILFAST),
 * and then throws out of `forEachChunk`.
 */
export interface RowChunks<T = Row> {
  forEachChunk(visit: (rows: readonly T[]) => void): void;
}

/** What a sink learns about the batch it is handed. */
export interface SinkBatchInfo {
  readonly batchId: number;
  readonly outputMode: OutputMode;
  readonly batchTimestampMs: number;
  readonly watermarkMs: number;
  readonly queryId: string;
  readonly runId: string;
  readonly queryName: string | null;
}

/** Context a sink gets once per query run. */
export interface SinkContext {
  readonly queryId: string;
  readonly runId: string;
  readonly queryName: string | null;
  readonly checkpointLocation: string;
  readonly clock: Clock;
}

/**
 * A sink (Spark's `Sink.addBatch`). Contract: `addBatch` may be called again with a batch id it already
 * received (a batch re-run after a crash); it must then leave the output as if it had been called once.
 */
export interface Sink<T = Row> {
  readonly description: string;
  /** True for sinks that may run on a temporary checkpoint when none is given (Spark: memory, console). */
  readonly useTempCheckpointLocation?: boolean;
  /** Output modes this sink accepts; absent = all. */
  readonly supportedOutputModes?: readonly OutputMode[];
  open?(context: SinkContext): Promise<void>;
  addBatch(batchId: number, rows: readonly T[], info: SinkBatchInfo): Promise<void>;
  close?(error?: unknown): Promise<void>;
  /** Rows written by the last batch, or -1 when unknown (progress `sink.numOutputRows`). */
  readonly lastBatchOutputRows?: number;
  metrics?(): Record<string, string>;
}

/** Metrics every state store reports (progress `stateOperators[i]`). */
export interface StateStoreMetrics {
  readonly numRowsTotal: number;
  readonly numRowsUpdated: number;
  readonly numRowsRemoved: number;
  readonly commitTimeMs: number;
  readonly memoryUsedBytes: number;
  readonly customMetrics?: Record<string, number>;
}

/**
 * A value or a promise of it. State stores return plain values when they can answer from memory (the memory
 * store always, the LevelDB store from its cache), so operators run synchronously on a memory store: that is
 * what lets operator tests run on RxJS virtual time.
 */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Versioned key-value state for one stateful operator. Opened for batch N it shows the state committed by batch
 * N-1 (version N-1); `commit()` makes version N durable atomically; `abort()` forgets this batch's writes.
 * Opening for batch N when version N is already committed (a batch re-run after a crash) rolls back to N-1.
 * Keys are order-preserving bytes so that eviction by time is a range scan.
 */
export interface StateStore<V = unknown> {
  readonly operatorId: string;
  /** The batch id this store commits as its version; it shows version `version - 1`. */
  readonly version: number;
  get(key: Uint8Array): MaybePromise<V | undefined>;
  getMany(keys: readonly Uint8Array[]): MaybePromise<(V | undefined)[]>;
  put(key: Uint8Array, value: V): void;
  delete(key: Uint8Array): void;
  /** Entries with `gte <= key < lt` in key order, including this batch's uncommitted writes. */
  range(options?: { gte?: Uint8Array; lt?: Uint8Array }): MaybePromise<Array<[Uint8Array, V]>>;
  /** Makes this batch's writes durable as version `version`; resolves with it. */
  commit(): Promise<number>;
  abort(): Promise<void>;
  metrics(): StateStoreMetrics;
  /**
   * The operator's in-memory object derived from the committed state (e.g. a hash index over buffered rows):
   * the one this operator left at version `version - 1` when the provider still holds it, else `build()`. The
   * operator may mutate it during the batch; `commit()` keeps it for batch `version + 1`, while `abort()`, a
   * failed commit, a rollback or a restart drop it, so it always describes committed state plus this batch.
   * Calling it again in the same batch returns the same object. A memo with a `memoryBytes(): number` method
   * (an estimate of its heap bytes) is counted in the store's `memoryUsedBytes`.
   */
  memo<T>(build: () => MaybePromise<T>): MaybePromise<T>;
}

/** Opens state stores for a query's operators at a batch. */
export interface StateStoreProvider {
  open(operatorId: string, batchId: number): MaybePromise<StateStore>;
  close(): Promise<void>;
}

/**
 * The durable file edge of a checkpoint. Paths are relative to the checkpoint root. `writeAtomic` is temp file
 * + fsync + rename + directory fsync: after it resolves the file is durable and was never visible torn.
 */
export interface CheckpointStore {
  readonly root: string;
  read(path: string): Promise<Buffer | undefined>;
  writeAtomic(path: string, data: Uint8Array | string, options?: { overwrite?: boolean }): Promise<void>;
  list(dir: string): Promise<string[]>;
  delete(path: string): Promise<void>;
  mkdirs(dir: string): Promise<void>;
}

/**
 * A stateful operator registers itself with the batch context so the engine can ask, after the batch, whether
 * it needs a no-data batch for the next watermark (Spark's `shouldRunAnotherBatch`) and collect its metrics.
 */
export interface StatefulOperatorHandle {
  readonly operatorId: string;
  /** Spark's `operatorName` in progress (`stateStoreSave`, `dedupe`, `symmetricHashJoin`, ...). */
  readonly operatorName: string;
  /**
   * The key and value schema of the operator's state, as far as the operator knows it (Spark's state schema,
   * `state/<op>/_metadata/schema`): the engine records it at the first batch of a checkpoint and refuses a
   * restart whose operator describes another one.
   */
  readonly stateSchema?: StateSchemaDescription;
  shouldRunAnotherBatch(newWatermarkMs: number): boolean;
  metrics?(): Partial<StateOperatorProgressFields>;
}

/** One field of a stateful operator's state key or value: its name and, where the operator knows it, its type or function. */
export interface StateSchemaField {
  readonly name: string;
  readonly type?: string;
}

/** What a stateful operator keeps: the fields of its state key and of its state value, in order. */
export interface StateSchemaDescription {
  readonly keySchema: readonly StateSchemaField[];
  readonly valueSchema: readonly StateSchemaField[];
}

/** Fields of progress `stateOperators[i]` (Spark's names). */
export interface StateOperatorProgressFields {
  operatorName: string;
  numRowsTotal: number;
  numRowsUpdated: number;
  allUpdatesTimeMs: number;
  numRowsRemoved: number;
  allRemovalsTimeMs: number;
  commitTimeMs: number;
  memoryUsedBytes: number;
  numRowsDroppedByWatermark: number;
  numShufflePartitions: number;
  numStateStoreInstances: number;
  customMetrics: Record<string, number>;
}

/**
 * Handed to operators with each batch: state stores opened at version N-1, watermark bookkeeping, stateful
 * operator registration. The engine commits what the operators opened once the sink has the batch.
 */
export interface BatchContext {
  readonly queryId: string;
  readonly checkpointLocation: string;
  /**
   * A stable id for a stateful operator: `<kind>-<n>` for the n-th operator of that kind asking in this batch.
   * Operators ask in pipeline order every batch, so the id is the same in every batch and after a restart.
   */
  nextOperatorId(kind: string): string;
  /** The state store of `operatorId`, opened for this batch (cached per batch). */
  stateStore(operatorId: string): MaybePromise<StateStore>;
  /** Registers a stateful operator of this batch's plan (idempotent per operatorId). */
  registerStatefulOperator(handle: StatefulOperatorHandle): void;
  /**
   * A watermark operator reports the event times it saw in this batch (ms) and its delay. `stats` may be a
   * function: the engine calls it once, after the batch's operators ran (an operator that gathers its stats
   * while its rows are visited reports that way).
   */
  reportEventTime(operatorId: string, stats: EventTimeStats | (() => EventTimeStats), delayMs: number): void;
}

/** Event-time statistics of one batch (progress `eventTime`). */
export interface EventTimeStats {
  readonly min: number;
  readonly max: number;
  readonly sum: number;
  readonly count: number;
}

/** What operators tell the operators after them about the rows (Spark's attribute metadata). */
export interface BatchMetadata {
  /**
   * The column holding event time after `withWatermark`: a `Date` (or epoch ms) column, or a window struct
   * `{ start, end }` after `window`/`sessionWindow` (late means `end <= watermark` then).
   */
  readonly eventTimeColumn?: string;
  /** The watermark delay (ms) of `eventTimeColumn` (Spark's `spark.watermarkDelayMs` column metadata). */
  readonly eventTimeDelayMs?: number;
  /** Set by `groupByKey`: how the next aggregate groups rows. */
  readonly grouping?: {
    readonly columns: readonly string[];
    /** A key function instead of columns; its result object's fields become the key columns of the output. */
    readonly keyFn?: (row: Row) => Row;
  };
}

/**
 * One micro-batch as it flows through the operator pipeline. Operators are
 * `OperatorFunction<MicroBatch<A>, MicroBatch<B>>` and must emit exactly one output batch per input batch.
 */
export interface MicroBatch<T = Row> {
  readonly batchId: number;
  readonly rows: readonly T[];
  /** The watermark of this batch (ms): state with event time <= it is evicted (Spark's watermark for eviction). */
  readonly watermarkMs: number;
  /**
   * The watermark of the previous batch: rows with event time <= it are late and dropped (Spark 3.4+'s
   * watermark for late events). 0 for the first batch.
   */
  readonly lateEventsWatermarkMs: number;
  /** Facts about the rows set by upstream operators. */
  readonly metadata?: BatchMetadata;
  /** Frozen batch time: `current_timestamp()` in this batch, also on replay. */
  readonly batchTimestampMs: number;
  readonly outputMode: OutputMode;
  readonly context: BatchContext;
}
