/**
 * The bounded read cache of one operator's committed state, kept across batches by the LevelDB provider.
 *
 * Invariant: an entry `id → bytes` (or `null` = known absent) equals what LevelDB holds for that key at the
 * operator's committed version; the owner clears the cache whenever that cannot be vouched for (a rollback, a
 * failed commit, a version discontinuity). It never holds more than `maxEntries` entries; eviction drops the
 * least recently used entry, recency being refreshed at most once per batch per key (one Map move, not one per hit).
 */
import { ENTRY_OVERHEAD_BYTES } from './WriteBuffer';

interface CacheEntry {
  readonly bytes: Uint8Array | null;
  /** The batch stamp of the last refresh. */
  stamp: number;
}

function entryBytes(id: string, bytes: Uint8Array | null): number {
  // The id is a one-byte-per-char string; the key bytes themselves are not kept.
  return ENTRY_OVERHEAD_BYTES + id.length + (bytes?.length ?? 0);
}

/** A bounded map from key (binary string) to committed value bytes. */
export class ReadCache {
  private readonly entries = new Map<string, CacheEntry>();
  private stamp = 0;
  private bytesUsed = 0;
  private present = 0;
  /** Lookups answered from the cache since the batch started. */
  hits = 0;
  /** Lookups the cache could not answer since the batch started. */
  misses = 0;

  constructor(readonly maxEntries: number) {}

  /** Number of cached keys. */
  get size(): number {
    return this.entries.size;
  }

  /**
   * Number of cached keys known present (non-null bytes). When it equals the committed row count, the cache holds
   * every committed key, so a range can be answered from it ({@link committedInRange}).
   */
  get presentCount(): number {
    return this.present;
  }

  /** Estimated heap bytes of the cached entries. */
  get memoryBytes(): number {
    return this.bytesUsed;
  }

  /** Starts a batch: resets hit/miss counts; the next hit of each key refreshes its recency once. */
  startBatch(): void {
    this.stamp += 1;
    this.hits = 0;
    this.misses = 0;
  }

  /** The cached bytes (`null` = absent) of `id`, or `undefined` when not cached; counts a hit or a miss. */
  lookup(id: string): Uint8Array | null | undefined {
    const entry = this.entries.get(id);
    if (entry === undefined) {
      this.misses += 1;
      return undefined;
    }
    this.hits += 1;
    if (entry.stamp !== this.stamp) {
      this.entries.delete(id);
      this.entries.set(id, entry);
      entry.stamp = this.stamp;
    }
    return entry.bytes;
  }

  /** Like lookup, without counting or refreshing. */
  peek(id: string): Uint8Array | null | undefined {
    return this.entries.get(id)?.bytes;
  }

  /** Caches `bytes` for `id` (replacing any entry) as most recently used, evicting beyond the bound. */
  set(id: string, bytes: Uint8Array | null): void {
    if (this.maxEntries <= 0) return;
    const old = this.entries.get(id);
    if (old !== undefined) {
      this.bytesUsed -= entryBytes(id, old.bytes);
      if (old.bytes !== null) this.present -= 1;
      this.entries.delete(id);
    }
    this.entries.set(id, { bytes, stamp: this.stamp });
    this.bytesUsed += entryBytes(id, bytes);
    if (bytes !== null) this.present += 1;
    this.evict();
  }

  /** Caches `bytes` unless `id` is cached already (a read must not overwrite a newer commit's entry). */
  setIfAbsent(id: string, bytes: Uint8Array | null): void {
    if (!this.entries.has(id)) this.set(id, bytes);
  }

  /** Forgets everything (the committed state can no longer be vouched for). */
  clear(): void {
    this.entries.clear();
    this.bytesUsed = 0;
    this.present = 0;
  }

  /** Cached present entries with `gte <= id < lt` (binary strings), sorted by id; without counting or refreshing. */
  committedInRange(gte: string | undefined, lt: string | undefined): Array<[string, Uint8Array]> {
    const out: Array<[string, Uint8Array]> = [];
    for (const [id, entry] of this.entries) {
      if (entry.bytes === null) continue;
      if (gte !== undefined && id < gte) continue;
      if (lt !== undefined && id >= lt) continue;
      out.push([id, entry.bytes]);
    }
    return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }

  private evict(): void {
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.entries().next().value as [string, CacheEntry];
      this.entries.delete(oldest[0]);
      this.bytesUsed -= entryBytes(oldest[0], oldest[1].bytes);
      if (oldest[1].bytes !== null) this.present -= 1;
    }
  }
}
