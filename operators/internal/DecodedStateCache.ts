/**
 * The state values an operator wrote, kept decoded between batches in the store's memo (StateStore.memo), so
 * the next batch reads them without decoding bytes again (Spark's HDFS-backed store keeps its map in memory the
 * same way).
 *
 * Invariant: an entry, when present, equals what decoding the key's committed bytes gives, because only the
 * operator that owns the store writes it and records each put and delete here too, only values the codec gives
 * back unchanged are kept ({@link isCodecStable}: not `-0`, a Map or a typed array, which decode differently),
 * and the memo is dropped whenever the store's versions do not continue (abort, failed commit, rollback,
 * restart). A missing entry says nothing: the caller reads the store. Values are shared, not copied: the owning
 * operator must treat them as immutable (aggregate buffers are: `merge` never mutates its arguments), and rows
 * are values (weir's contract: no operator or user function mutates a row it was given). At most `limit`
 * entries: a put of a new key into a full cache clears it first (a workload with more keys than that reads the
 * store as it would without the cache).
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

  /**
   * Records that the key with `id` now holds `value` (call it with every `store.put`); a value the codec would
   * not give back unchanged is not kept (the next batch reads the store). `stable` is {@link isCodecStable} of
   * the value, for a caller that knows it more cheaply (from the parts it built the value of).
   */
  set(id: string, value: V, stable: boolean = isCodecStable(value, 0)): void {
    if (!stable) {
      this.entries.delete(id);
      return;
    }
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

  /**
   * An estimate of the entries' heap bytes (counted in the store's memoryUsedBytes, see StateStore.memo): the
   * first entries, up to {@link SIZE_SAMPLE}, are measured and the average scaled to all, as Spark's
   * SizeEstimator samples large collections. Values shared between entries are counted with each.
   */
  memoryBytes(): number {
    const n = this.entries.size;
    if (n === 0) return 0;
    let sampled = 0;
    let bytes = 0;
    for (const [id, value] of this.entries) {
      bytes += MAP_ENTRY_BYTES + stringBytes(id) + estimateBytes(value, 0);
      sampled += 1;
      if (sampled === SIZE_SAMPLE) break;
    }
    return Math.round((bytes / sampled) * n);
  }
}

const SIZE_SAMPLE = 64;
const MAP_ENTRY_BYTES = 32;

function stringBytes(s: string): number {
  return 16 + 2 * s.length;
}

/** A rough heap size of a decoded state value (headers and slots of 8 bytes; bounded depth). */
function estimateBytes(value: unknown, depth: number): number {
  if (typeof value === 'string') return stringBytes(value);
  if (typeof value !== 'object' || value === null) return 8;
  if (depth >= MAX_DEPTH) return 16;
  if (value instanceof Date) return 56;
  if (Array.isArray(value)) {
    let bytes = 16 + 8 * value.length;
    for (let i = 0; i < value.length; i += 1) {
      const v: unknown = value[i];
      if (typeof v === 'object' || typeof v === 'string') bytes += estimateBytes(v, depth + 1);
    }
    return bytes;
  }
  let bytes = 24;
  for (const key in value) bytes += 8 + estimateBytes((value as Record<string, unknown>)[key], depth + 1);
  return bytes;
}

const MAX_DEPTH = 6;

/**
 * True when encoding `value` as state (lib/state/valueCodec) and decoding it gives an equal value of the same
 * kinds: null, strings, booleans, numbers other than `-0`, valid Dates, and plain arrays and objects of those (up
 * to a small depth). Anything else (`-0`, `undefined`, bigint, Map, Set, typed arrays, class instances) is
 * reported unstable, which only costs a read.
 */
export function isCodecStable(value: unknown, depth: number): boolean {
  if (depth === 0 || typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Date) {
    return isStableUncached(value, depth);
  }
  if (knownStable.has(value)) return true;
  if (!isStableUncached(value, depth)) return false;
  knownStable.add(value);
  return true;
}

/**
 * Nested plain objects found stable already. Values are immutable here (see the invariant above), so an object
 * once stable stays stable: a group key reused from batch to batch (and the window struct its rows share) is
 * walked once. Top-level values, arrays and Dates (new each batch, or cheap to check) are not remembered.
 */
const knownStable = new WeakSet<object>();

function isStableUncached(value: unknown, depth: number): boolean {
  if (value === null) return true;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return value !== 0 || 1 / value > 0;
    case 'object':
      break;
    default:
      return false;
  }
  if (depth >= MAX_DEPTH) return false;
  if (value instanceof Date) return Number.isFinite(value.getTime()) && Object.getPrototypeOf(value) === Date.prototype;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return false;
    for (let i = 0; i < value.length; i += 1) if (!(i in value) || !isCodecStable(value[i], depth + 1)) return false;
    return true;
  }
  if (
    Object.getPrototypeOf(value) !== Object.prototype ||
    Object.prototype.hasOwnProperty.call(value, '__proto__') ||
    Object.getOwnPropertySymbols(value).length > 0
  ) {
    return false;
  }
  for (const key in value) {
    if (!isCodecStable((value as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
}
