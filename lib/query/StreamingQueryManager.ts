/**
 * The registry of active queries (Spark's StreamingQueryManager).
 *
 * Invariants: at most one active query per name and per query id (checkpoint) in one manager; a terminated
 * query leaves `active` at once and is remembered for `awaitAnyTermination` until `resetTerminated()`.
 */
import { ErrorCodes, WeirError } from '../errors';
import { QueryEventBus } from './QueryEventBus';
import type { StreamingQuery } from './StreamingQuery';
import type { StreamingQueryListener } from './StreamingQueryListener';

/** Manages the queries started through it, and their listeners. */
export class StreamingQueryManager {
  /** @internal The event bus queries post to. */
  readonly bus: QueryEventBus;
  private readonly activeQueries = new Map<string, StreamingQuery>();
  private lastTerminated: StreamingQuery | undefined;
  private terminationWaiters: Array<() => void> = [];

  constructor(options: { logger?: { warn(message: string): void } } = {}) {
    const { logger = { warn: (m: string) => console.warn(m) } } = options;
    this.bus = new QueryEventBus(logger);
  }

  /** The active queries. */
  get active(): StreamingQuery[] {
    return [...this.activeQueries.values()];
  }

  /** The active query with this id (or runId), or null. */
  get(id: string): StreamingQuery | null {
    for (const q of this.activeQueries.values()) if (q.id === id || q.runId === id) return q;
    return null;
  }

  /** @internal Rejects a name already used by an active query, before the checkpoint is touched. */
  assertNameFree(name: string | null): void {
    if (name === null) return;
    for (const q of this.activeQueries.values()) {
      if (q.name === name) {
        throw new WeirError(
          ErrorCodes.CONCURRENT_QUERY,
          `Cannot start query with name ${name} as a query with that name is already active in this SparkSession`,
          { context: { queryName: name, queryId: q.id } },
        );
      }
    }
  }

  /** @internal Registers a started query. */
  register(query: StreamingQuery): void {
    this.activeQueries.set(query.runId, query);
  }

  /** @internal Called by a query when it terminates. */
  notifyTerminated(query: StreamingQuery): void {
    this.activeQueries.delete(query.runId);
    this.lastTerminated = query;
    for (const w of this.terminationWaiters.splice(0)) w();
  }

  /**
   * Waits until any query terminates (returns at once if one terminated since the last `resetTerminated()`).
   * Resolves true, or false after `timeoutMs`; rejects with the exception of a failed query.
   */
  async awaitAnyTermination(timeoutMs?: number): Promise<boolean> {
    if (this.lastTerminated === undefined) {
      const terminated = new Promise<boolean>((resolve) => this.terminationWaiters.push(() => resolve(true)));
      let timer: NodeJS.Timeout | undefined;
      const ok =
        timeoutMs === undefined
          ? await terminated
          : await Promise.race([terminated, new Promise<boolean>((r) => (timer = setTimeout(() => r(false), timeoutMs)))]);
      if (timer !== undefined) clearTimeout(timer);
      if (!ok) return false;
    }
    const failed = this.lastTerminated?.exception;
    if (failed) throw failed;
    return true;
  }

  /** Forgets past terminations so `awaitAnyTermination` waits for a new one. */
  resetTerminated(): void {
    this.lastTerminated = undefined;
  }

  addListener(listener: StreamingQueryListener): void {
    this.bus.add(listener);
  }

  removeListener(listener: StreamingQueryListener): void {
    this.bus.remove(listener);
  }

  listListeners(): StreamingQueryListener[] {
    return this.bus.list();
  }

  /** Stops every active query. */
  async stopAll(): Promise<void> {
    await Promise.all(this.active.map((q) => q.stop()));
  }
}
