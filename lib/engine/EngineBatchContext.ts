/**
 * The BatchContext the engine hands to operators for one batch.
 *
 * Invariant: within a batch each operator id maps to one state store opened at the batch's version; the engine
 * commits every opened store after the sink wrote the batch, or aborts them all when the batch fails, so state
 * version N exists only for batches whose output reached the sink.
 */
import type {
  BatchContext,
  EventTimeStats,
  MaybePromise,
  StatefulOperatorHandle,
  StateStore,
  StateStoreProvider,
} from '../contracts';
import { ErrorCodes, WeirError } from '../errors';
import type { OperatorStateMetadataCheck } from './operatorStateMetadata';

/** One batch's context; created by the engine, discarded after the batch. */
export class EngineBatchContext implements BatchContext {
  private readonly stores = new Map<string, MaybePromise<StateStore>>();
  readonly statefulOperators = new Map<string, StatefulOperatorHandle>();
  /** Reports as made: a watermark operator may report a function that computes its stats when first asked. */
  private readonly reports = new Map<string, { parts: Array<EventTimeStats | (() => EventTimeStats)>; delayMs: number }>();
  private resolvedReports: Map<string, { stats: EventTimeStats; delayMs: number }> | undefined;

  constructor(
    readonly queryId: string,
    readonly checkpointLocation: string,
    readonly batchId: number,
    private readonly provider: StateStoreProvider | undefined,
    /** Compares each operator with the checkpoint's record as it registers (the first batch of a run). */
    private readonly operatorCheck?: OperatorStateMetadataCheck,
  ) {}

  private readonly idCounters = new Map<string, number>();

  nextOperatorId(kind: string): string {
    const n = this.idCounters.get(kind) ?? 0;
    this.idCounters.set(kind, n + 1);
    return `${kind}-${n}`;
  }

  stateStore(operatorId: string): MaybePromise<StateStore> {
    let store = this.stores.get(operatorId);
    if (store === undefined) {
      if (this.provider === undefined) {
        throw new WeirError(
          ErrorCodes.INVALID_ARGUMENT,
          `Operator ${operatorId} needs a state store but the query has no state store provider`,
          { context: { operatorId, batchId: this.batchId } },
        );
      }
      store = this.provider.open(operatorId, this.batchId);
      this.stores.set(operatorId, store);
    }
    return store;
  }

  registerStatefulOperator(handle: StatefulOperatorHandle): void {
    // Before the operator opens its state: a changed operator must not read state it cannot decode.
    this.operatorCheck?.check(handle, this.batchId);
    this.statefulOperators.set(handle.operatorId, handle);
  }

  reportEventTime(operatorId: string, stats: EventTimeStats | (() => EventTimeStats), delayMs: number): void {
    this.resolvedReports = undefined;
    const previous = this.reports.get(operatorId);
    if (previous === undefined) this.reports.set(operatorId, { parts: [stats], delayMs });
    else this.reports.set(operatorId, { parts: [...previous.parts, stats], delayMs });
  }

  /**
   * The event-time stats of each watermark operator of the batch (several reports of one operator merged). Read
   * it once the batch's operators ran: a deferred report is computed then, and its function dropped (it may
   * hold the batch's rows, which must not outlive the batch).
   */
  get eventTimeReports(): ReadonlyMap<string, { stats: EventTimeStats; delayMs: number }> {
    return this.resolveEventTimeReports();
  }

  /** Computes the deferred reports now (see {@link eventTimeReports}); the engine calls it when the operators ran. */
  resolveEventTimeReports(): ReadonlyMap<string, { stats: EventTimeStats; delayMs: number }> {
    if (this.resolvedReports !== undefined) return this.resolvedReports;
    const out = new Map<string, { stats: EventTimeStats; delayMs: number }>();
    for (const [id, report] of this.reports) {
      const parts = report.parts.map((part) => (typeof part === 'function' ? part() : part));
      report.parts = parts;
      let stats = parts[0]!;
      for (let i = 1; i < parts.length; i += 1) {
        const next = parts[i]!;
        stats = {
          min: Math.min(stats.min, next.min),
          max: Math.max(stats.max, next.max),
          sum: stats.sum + next.sum,
          count: stats.count + next.count,
        };
      }
      out.set(id, { stats, delayMs: report.delayMs });
    }
    this.resolvedReports = out;
    return out;
  }

  /** Event-time stats merged over all watermark operators of the batch (progress `eventTime`). */
  mergedEventTime(): EventTimeStats | undefined {
    if (this.eventTimeReports.size === 0) return undefined;
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    let count = 0;
    for (const { stats } of this.eventTimeReports.values()) {
      if (stats.count === 0) continue;
      min = Math.min(min, stats.min);
      max = Math.max(max, stats.max);
      sum += stats.sum;
      count += stats.count;
    }
    return { min, max, sum, count };
  }

  /** The stores opened in this batch, by operator id. */
  openedStores(): ReadonlyMap<string, MaybePromise<StateStore>> {
    return this.stores;
  }

  /** Commits every store opened in this batch (version = batchId). */
  async commitStores(): Promise<void> {
    for (const store of this.stores.values()) await (await store).commit();
  }

  /** Aborts every store opened in this batch; errors are swallowed because the batch already failed. */
  async abortStores(): Promise<void> {
    for (const store of this.stores.values()) {
      try {
        await (await store).abort();
      } catch {
        // The batch is failing already; the store is rolled back on the next open.
      }
    }
  }

  /** State-store metrics of the opened stores, keyed by operator id. */
  async storeMetrics(): Promise<Map<string, ReturnType<StateStore['metrics']>>> {
    const out = new Map<string, ReturnType<StateStore['metrics']>>();
    for (const [id, store] of this.stores) out.set(id, (await store).metrics());
    return out;
  }
}
