/**
 * The state values an operator wrote, kept decoded between batches in the store's memo (StateStore.memo), so
 * the next batch reads them without decoding bytes again (Spark's HDFS-backed store keeps its map in memory the
 * same way).
 *
 * Invariant: an entry, when present, is the committed value of its key, because only the operator that owns the
 * store writes it and records each put and delete here too; the memo is dropped whenever the store's versions do
 * not continue (abort, failed commit, rollback, restart). A missing entry says nothing: the caller reads the
 * store. Values are shared, not copied: the owning operator must treat them as immutable (aggregate buffers
 * are: `merge` never mutates its arguments). At most `limit` entries: a put of a new key into a full cache
 * clears it first (a workload with more keys than that reads the store as it would without the cache).
 */
import type { MaybePromise, StateStore } from '../../lib/contracts';
import { toBinaryString } from '../../lib/state/binaryString';

/** The default bound, the LevelDB store's default read cache size. */
export const DECODED_STATE_CACHE_LIMIT = 100_000;

export class DecodedStateCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly limit = DECODED_STATE_CACHE_LIMIT) {}

  /** The cache in `store`'s memo: the previous batch's when versions continue, else an empty one. */
  static of<V>(store: StateStore, limit?: number): MaybePromise<DecodedStateCache<V>> {
    return store.memo(() => new DecodedStateCache<V>(limit));
  }

  /** The id of a state key (its bytes as a binary string). */
  static id(key: Uint8Array): string {
    return toBinaryString(key);
  }

  get(id: string): V | undefined {
    return this.entries.get(id);
  }

  /** Records that the key with `id` now holds `value` (call it with every `store.put`). */
  set(id: string, value: V): void {
    if (this.entries.size >= this.limit && !this.entries.has(id)) this.entries.clear();
    this.entries.set(id, value);
  }

  /** Records that the key with `id` was deleted (call it with every `store.delete`). */
  delete(id: string): void {
    this.entries.delete(id);
  }

  get size(): number {
    return this.entries.size;
  }
}
