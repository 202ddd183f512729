/**
 * The in-memory StateStore: same versioning as the LevelDB store, but every read answers with a plain value.
 *
 * Invariant: opened for batch N it shows the committed version N-1 of its {@link MemoryOperatorState} overlaid
 * with its own pending writes; `commit()` applies the writes and records their undo synchronously (version N plus
 * what restores N-1), `abort()` drops them. No method but `commit`/`abort` returns a Promise, so operators on it
 * run synchronously (RxJS virtual time). Values are stored encoded (see valueCodec), as in LevelDB.
 */
import type { MaybePromise, StateStore, StateStoreMetrics } from '../contracts';
import { toBinaryString } from './binaryString';
import type { MemoryOperatorState, MemoryRow } from './MemoryStateStorage';
import { BatchMemo, MemoSlot } from './MemoSlot';
import { stateStoreClosed } from './stateErrors';
import { decodeValue, encodeValue } from './valueCodec';
import { mergeRange, rangeBounds, WriteBuffer } from './WriteBuffer';

type Phase = 'open' | 'committed' | 'aborted' | 'superseded';

/**
 * A {@link StateStore} over a {@link MemoryOperatorState}. Made by `MemoryStateStoreProvider.open`.
 *
 * @example
 * ```ts
 * const store = new MemoryStateStoreProvider().open('agg', 0);
 * store.put(encodeKey(['k']), { count: 1 });
 * store.get(encodeKey(['k'])); // { count: 1 }, no await needed
 * await store.commit(); // 0
 * ```
 */
export class MemoryStateStore<V = unknown> implements StateStore<V> {
  readonly operatorId: string;
  private phase: Phase = 'open';
  private readonly writes = new WriteBuffer();
  private committedMetrics: StateStoreMetrics | undefined;
  private readonly memoHandle: BatchMemo;

  /**
   * Use `MemoryStateStoreProvider.open`; the state must be at version `version - 1`. `memoSlot` belongs to the
   * provider (a restarted query's new provider rebuilds memos from the committed rows, as after a real restart).
   */
  constructor(
    private readonly state: MemoryOperatorState,
    readonly version: number,
    memoSlot: MemoSlot = new MemoSlot(),
  ) {
    this.operatorId = state.operatorId;
    this.memoHandle = new BatchMemo(memoSlot, version);
  }

  /** The value of `key` (a fresh copy), pending writes first. */
  get(key: Uint8Array): V | undefined {
    this.assertOpen('get');
    const id = toBinaryString(key);
    const write = this.writes.lookup(id);
    const bytes = write !== undefined ? write.bytes : (this.state.row(id)?.bytes ?? null);
    return bytes === null ? undefined : (decodeValue(bytes) as V);
  }

  /** The values of `keys`, in order. */
  getMany(keys: readonly Uint8Array[]): (V | undefined)[] {
    return keys.map((key) => this.get(key));
  }

  /** Records `value` for `key`, encoding it now: later changes to `value` are not seen. */
  put(key: Uint8Array, value: V): void {
    this.assertOpen('put');
    this.writes.put(toBinaryString(key), key, encodeValue(value, { operatorId: this.operatorId, batchId: this.version }));
  }

  /** Records a delete of `key` (a no-op at commit when the key does not exist). */
  delete(key: Uint8Array): void {
    this.assertOpen('delete');
    this.writes.delete(toBinaryString(key), key);
  }

  /** Entries with `gte <= key < lt` in key order, pending writes included; keys and values are copies. */
  range(options?: { gte?: Uint8Array; lt?: Uint8Array }): Array<[Uint8Array, V]> {
    this.assertOpen('range');
    const { gte, lt } = rangeBounds(options);
    const committed = this.state.rangeRows(gte, lt).map(([, row]) => [row.key.slice(), row.bytes] as const);
    return mergeRange<V>(committed, this.writes.inRange(gte, lt));
  }

  /** See StateStore.memo: the memo of version `version - 1`, or `build()`'s. */
  memo<T>(build: () => MaybePromise<T>): MaybePromise<T> {
    this.assertOpen('memo');
    return this.memoHandle.get(build);
  }

  /** Applies the writes as version `version` (synchronously; the Promise is for the contract). */
  commit(): Promise<number> {
    if (this.phase === 'committed') return Promise.resolve(this.version);
    try {
      this.assertOpen('commit');
    } catch (e) {
      return Promise.reject(e);
    }
    const started = performance.now();
    const state = this.state;
    const previous = new Map<string, MemoryRow | undefined>();
    let updated = 0;
    let removed = 0;
    for (const write of this.writes.all()) {
      const before = state.row(write.id);
      if (write.bytes === null) {
        if (before === undefined) continue; // deleting an absent key changes nothing
        removed += 1;
      } else updated += 1;
      previous.set(write.id, before);
      state.setRow(write.id, write.bytes === null ? undefined : { key: write.key, bytes: write.bytes });
    }
    state.undo = { version: this.version, previousVersion: state.version, previous };
    state.version = this.version;
    state.current = undefined;
    this.memoHandle.committed();
    this.writes.clear();
    this.phase = 'committed';
    this.committedMetrics = {
      numRowsTotal: state.numRows,
      numRowsUpdated: updated,
      numRowsRemoved: removed,
      commitTimeMs: performance.now() - started,
      memoryUsedBytes: state.memoryBytes + this.memoHandle.memoryBytes(),
    };
    return Promise.resolve(this.version);
  }

  /** Drops the pending writes; a no-op after commit. */
  abort(): Promise<void> {
    if (this.phase === 'open') {
      this.writes.clear();
      this.phase = 'aborted';
      if (this.state.current === this) this.state.current = undefined;
    }
    return Promise.resolve();
  }

  /** Exact at any time: committed rows overlaid with this batch's writes. */
  metrics(): StateStoreMetrics {
    if (this.committedMetrics !== undefined) return this.committedMetrics;
    let total = this.state.numRows;
    let updated = 0;
    let removed = 0;
    for (const write of this.writes.all()) {
      const exists = this.state.row(write.id) !== undefined;
      if (write.bytes !== null) {
        updated += 1;
        if (!exists) total += 1;
      } else if (exists) {
        removed += 1;
        total -= 1;
      }
    }
    return {
      numRowsTotal: total,
      numRowsUpdated: updated,
      numRowsRemoved: removed,
      commitTimeMs: 0,
      memoryUsedBytes: this.state.memoryBytes + this.writes.memoryBytes() + this.memoHandle.memoryBytes(),
    };
  }

  /** Called by the provider when a newer store of the operator is opened, or on close. */
  supersede(): void {
    if (this.phase !== 'open') return;
    this.writes.clear();
    this.phase = 'superseded';
  }

  private assertOpen(operation: string): void {
    if (this.phase !== 'open') throw stateStoreClosed(this.operatorId, this.version, operation, this.phase);
  }
}
