/**
 * Opens {@link MemoryStateStore}s: the state store for virtual-time tests and the browser fallback.
 *
 * Invariant: `open(operatorId, batchId)` returns a store synchronously (never a Promise) showing version
 * `batchId - 1`, rolling a committed version `batchId` back by one first, and throws the version-mismatch
 * error otherwise (same rule as the LevelDB provider, see planStateOpen). At most one store per operator is
 * usable: opening another supersedes it. State lives in a {@link MemoryStateStorage} that outlives the provider.
 */
import type { StateStoreProvider } from '../contracts';
import { assertOpenArguments, planStateOpen } from './planStateOpen';
import { MemoryStateStorage, type MemoryOperatorState } from './MemoryStateStorage';
import { MemoryStateStore } from './MemoryStateStore';
import { MemoSlot } from './MemoSlot';
import { stateVersionMismatch } from './stateErrors';

/** Options of {@link MemoryStateStoreProvider}. */
export interface MemoryStateStoreProviderOptions {
  /** Where committed state lives; pass the same instance to the provider of a restarted query. Default: a new one. */
  readonly storage?: MemoryStateStorage;
}

/**
 * A {@link StateStoreProvider} that keeps state in memory.
 *
 * @example
 * ```ts
 * const storage = new MemoryStateStorage();
 * const provider = new MemoryStateStoreProvider({ storage });
 * const store = provider.open('dedupe', 0); // a store, not a Promise
 * ```
 */
export class MemoryStateStoreProvider implements StateStoreProvider {
  readonly storage: MemoryStateStorage;
  /** Memos live with the provider, not the storage: a new provider on the same storage rebuilds them. */
  private readonly memos = new Map<string, MemoSlot>();

  constructor({ storage = new MemoryStateStorage() }: MemoryStateStoreProviderOptions = {}) {
    this.storage = storage;
  }

  /**
   * The store of `operatorId` for batch `batchId`.
   *
   * @throws WeirError `CHECKPOINT_INCONSISTENT` (version mismatch), `CONCURRENT_QUERY` (another provider uses the
   * storage), `INVALID_ARGUMENT` (bad arguments).
   */
  open(operatorId: string, batchId: number): MemoryStateStore {
    assertOpenArguments(operatorId, batchId);
    this.storage.acquire(this);
    const state = this.storage.operator(operatorId);
    let memo = this.memos.get(operatorId);
    if (memo === undefined) this.memos.set(operatorId, (memo = new MemoSlot()));
    if (planStateOpen(operatorId, batchId, state.version) === 'rollback') {
      rollback(state, batchId);
      memo.clear();
    }
    state.current?.supersede();
    const store = new MemoryStateStore(state, batchId, memo);
    state.current = store;
    return store;
  }

  /** Supersedes open stores and releases the storage; committed state stays in it. */
  async close(): Promise<void> {
    for (const id of this.storage.operatorIds()) {
      const state = this.storage.operator(id);
      state.current?.supersede();
      state.current = undefined;
    }
    this.memos.clear();
    this.storage.release(this);
  }
}

function rollback(state: MemoryOperatorState, batchId: number): void {
  const undo = state.undo;
  // Only one version can be rolled back: after a rollback (or a restore) there is no undo left.
  if (undo === undefined || undo.version !== batchId) throw stateVersionMismatch(state.operatorId, batchId, state.version);
  for (const [id, row] of undo.previous) state.setRow(id, row);
  state.version = undo.previousVersion;
  state.undo = undefined;
}
