/**
 * An operator test harness (after Flink's KeyedOneInputStreamOperatorTestHarness): feed batches of rows and
 * watermark moves to an operator (or a pipeline) synchronously on a memory state store, snapshot its state,
 * restore it into a fresh harness, and read the state size.
 *
 * Invariant: the harness follows the engine's batch protocol exactly: the watermark a batch uses is the one
 * computed after the previous batch, late events use the one before that, state is committed after each batch,
 * and `advanceWatermark()` runs the no-data batches the engine would run.
 */
import { of, pipe, type OperatorFunction } from 'rxjs';
import type { MicroBatch, OutputMode, Row, StatefulOperatorHandle, StateStore } from '../contracts';
import { EngineBatchContext } from '../engine/EngineBatchContext';
import { WatermarkTracker, type MultipleWatermarkPolicy } from '../engine/WatermarkTracker';
import { MemoryStateStoreProvider } from '../state/MemoryStateStoreProvider';

/** What a harness can be restored from. */
export interface HarnessSnapshot {
  readonly batchId: number;
  readonly watermarkMs: number;
  readonly previousWatermarkMs: number;
  readonly state: ReadonlyMap<string, Array<[Uint8Array, unknown]>>;
  readonly statefulOperators: readonly StatefulOperatorHandle[];
}

export interface OperatorHarnessOptions {
  readonly outputMode?: OutputMode;
  readonly watermarkPolicy?: MultipleWatermarkPolicy;
  /** Batch timestamp of every batch (ms). */
  readonly batchTimestampMs?: number;
}

/**
 * Drives operators batch by batch, synchronously.
 *
 * @example
 * const h = new OperatorHarness([withWatermark('ts', '5 seconds'), window('ts', '10 seconds'), groupByKey('window'), count()])
 * h.processBatch([{ ts: new Date(1000) }])   // []
 * h.advanceWatermark()                       // runs the no-data batch: emits windows whose end <= watermark
 * const snap = h.snapshot(); const restored = OperatorHarness.restore(ops, snap)
 */
export class OperatorHarness<O extends Row = Row> {
  private readonly operator: OperatorFunction<MicroBatch<Row>, MicroBatch<O>>;
  private readonly outputMode: OutputMode;
  private provider = new MemoryStateStoreProvider();
  private storeVersion = 0;
  private batchId = 0;
  private tracker: WatermarkTracker;
  private previousWatermarkMs = 0;
  private statefulOperators: StatefulOperatorHandle[] = [];
  private readonly batchTimestampMs: number;
  /** Every output batch, in order. */
  readonly outputs: Array<{ batchId: number; rows: O[] }> = [];

  constructor(
    operators: OperatorFunction<any, any> | ReadonlyArray<OperatorFunction<any, any>>,
    options: OperatorHarnessOptions = {},
  ) {
    const { outputMode = 'append', watermarkPolicy = 'min', batchTimestampMs = 0 } = options;
    const list = Array.isArray(operators) ? operators : [operators as OperatorFunction<any, any>];
    this.operator = list.reduce<OperatorFunction<any, any>>((acc, op) => pipe(acc, op), (x) => x);
    this.outputMode = outputMode;
    this.tracker = new WatermarkTracker(watermarkPolicy);
    this.batchTimestampMs = batchTimestampMs;
  }

  /** The watermark the next batch will use. */
  get watermarkMs(): number {
    return this.tracker.currentWatermarkMs;
  }

  /** Runs one batch of `rows` and returns its output rows. Throws if an operator does not finish synchronously. */
  processBatch(rows: readonly Row[]): O[] {
    const context = new EngineBatchContext('harness', '', this.storeVersion, this.provider);
    const batch: MicroBatch<Row> = {
      batchId: this.batchId,
      rows,
      watermarkMs: this.tracker.currentWatermarkMs,
      lateEventsWatermarkMs: this.previousWatermarkMs,
      batchTimestampMs: this.batchTimestampMs,
      outputMode: this.outputMode,
      context,
    };
    let output: MicroBatch<O> | undefined;
    let failure: unknown;
    let count = 0;
    of(batch)
      .pipe(this.operator)
      .subscribe({
        next: (b) => {
          output = b as MicroBatch<O>;
          count += 1;
        },
        error: (e) => {
          failure = e;
        },
      })
      .unsubscribe();
    if (failure !== undefined) throw failure;
    if (count !== 1 || output === undefined) {
      throw new Error(`the operator emitted ${count} batches synchronously for batch ${this.batchId}; expected exactly 1`);
    }
    for (const store of context.openedStores().values()) void (store as StateStore).commit();
    this.statefulOperators = [...context.statefulOperators.values()];
    this.previousWatermarkMs = batch.watermarkMs;
    this.tracker.update(context.eventTimeReports);
    this.outputs.push({ batchId: this.batchId, rows: [...output.rows] });
    this.batchId += 1;
    this.storeVersion += 1;
    return [...output.rows];
  }

  /** True when the engine would run a no-data batch now. */
  needsNoDataBatch(): boolean {
    const wm = this.tracker.currentWatermarkMs;
    return this.statefulOperators.some((op) => op.shouldRunAnotherBatch(wm));
  }

  /** Runs the no-data batches the engine would run; returns their output rows. */
  advanceWatermark(): O[] {
    const out: O[] = [];
    while (this.needsNoDataBatch()) out.push(...this.processBatch([]));
    return out;
  }

  /** Rows held in state, over all operators. */
  stateRowCount(): number {
    let n = 0;
    for (const [, entries] of this.readState()) n += entries.length;
    return n;
  }

  private readState(): Map<string, Array<[Uint8Array, unknown]>> {
    const state = new Map<string, Array<[Uint8Array, unknown]>>();
    for (const op of this.statefulOperators) {
      const store = this.provider.open(op.operatorId, this.storeVersion);
      state.set(op.operatorId, store.range() as Array<[Uint8Array, unknown]>);
      void store.abort();
    }
    return state;
  }

  /** A copy of everything the harness needs to continue elsewhere. */
  snapshot(): HarnessSnapshot {
    return {
      batchId: this.batchId,
      watermarkMs: this.tracker.currentWatermarkMs,
      previousWatermarkMs: this.previousWatermarkMs,
      state: this.readState(),
      statefulOperators: [...this.statefulOperators],
    };
  }

  /** A fresh harness (new operator instances, new store) continuing from `snapshot`. */
  static restore<O extends Row>(
    operators: OperatorFunction<any, any> | ReadonlyArray<OperatorFunction<any, any>>,
    snapshot: HarnessSnapshot,
    options: OperatorHarnessOptions = {},
  ): OperatorHarness<O> {
    const h = new OperatorHarness<O>(operators, options);
    h.tracker = new WatermarkTracker(options.watermarkPolicy ?? 'min', snapshot.watermarkMs);
    h.previousWatermarkMs = snapshot.previousWatermarkMs;
    h.batchId = snapshot.batchId;
    for (const [operatorId, entries] of snapshot.state) {
      const store = h.provider.open(operatorId, 0);
      for (const [key, value] of entries) store.put(key, value);
      void store.commit();
    }
    // Stores hold version 0 now; a snapshot taken before any stateful batch holds none.
    h.storeVersion = snapshot.state.size > 0 ? 1 : 0;
    h.statefulOperators = [...snapshot.statefulOperators];
    return h;
  }
}
