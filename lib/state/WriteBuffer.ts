/**
 * The uncommitted writes of one batch of one operator (the "dirty map"), shared by both stores.
 *
 * Invariant: holds at most one write per key (the last one wins: a value's bytes, or `null` for a delete), keyed
 * by the key's binary string; keys are copied in, so the caller may reuse its key arrays. `mergeRange` overlays
 * these writes on committed entries in key order: a write replaces the committed value, a delete hides it.
 */
import { compareBinaryStrings, toBinaryString } from './binaryString';
import { compareKeys } from './keyEncoding';
import { decodeValue } from './valueCodec';

/** One pending write: the value's encoded bytes, or `null` for a delete. */
export interface PendingWrite {
  readonly id: string;
  readonly key: Uint8Array;
  readonly bytes: Uint8Array | null;
}

/** Rough per-entry bookkeeping cost (Map slot, record object, string header) for memory estimates. */
export const ENTRY_OVERHEAD_BYTES = 96;

/** A plain copy of `key` (`Buffer#slice` would return a view of the caller's memory). */
function copyKey(key: Uint8Array): Uint8Array {
  return Uint8Array.prototype.slice.call(key);
}

/** The dirty map of one store. */
export class WriteBuffer {
  private readonly writes = new Map<string, PendingWrite>();

  /** Records `bytes` as the new value of `key`. */
  put(id: string, key: Uint8Array, bytes: Uint8Array): void {
    this.writes.set(id, { id, key: copyKey(key), bytes });
  }

  /** Records a delete of `key`. */
  delete(id: string, key: Uint8Array): void {
    this.writes.set(id, { id, key: copyKey(key), bytes: null });
  }

  /** The pending write of the key with binary string `id`, if any. */
  lookup(id: string): PendingWrite | undefined {
    return this.writes.get(id);
  }

  /** Number of keys written. */
  get size(): number {
    return this.writes.size;
  }

  /** All pending writes, in the order their keys were first written. */
  all(): IterableIterator<PendingWrite> {
    return this.writes.values();
  }

  /** Drops every pending write. */
  clear(): void {
    this.writes.clear();
  }

  /** Pending writes with `gte <= key < lt` (binary strings), sorted by key. */
  inRange(gte: string | undefined, lt: string | undefined): PendingWrite[] {
    const out: PendingWrite[] = [];
    for (const write of this.writes.values()) {
      if (gte !== undefined && write.id < gte) continue;
      if (lt !== undefined && write.id >= lt) continue;
      out.push(write);
    }
    return out.sort((a, b) => compareBinaryStrings(a.id, b.id));
  }

  /** Estimated heap bytes held by the pending writes. */
  memoryBytes(): number {
    let total = 0;
    for (const w of this.writes.values()) total += ENTRY_OVERHEAD_BYTES + 2 * w.key.length + (w.bytes?.length ?? 0);
    return total;
  }
}

/** The binary strings of a range's bounds. */
export function rangeBounds(options: { gte?: Uint8Array; lt?: Uint8Array } | undefined): {
  gte: string | undefined;
  lt: string | undefined;
} {
  return {
    gte: options?.gte === undefined ? undefined : toBinaryString(options.gte),
    lt: options?.lt === undefined ? undefined : toBinaryString(options.lt),
  };
}

/**
 * Overlays `writes` (sorted) on `committed` (sorted `[key, bytes]` entries of the same range) and decodes the
 * values: the entries of the range as the batch sees them, in key order. Returned keys are the caller's to keep.
 */
export function mergeRange<V>(
  committed: ReadonlyArray<readonly [Uint8Array, Uint8Array]>,
  writes: readonly PendingWrite[],
): Array<[Uint8Array, V]> {
  const out: Array<[Uint8Array, V]> = [];
  let c = 0;
  let w = 0;
  while (c < committed.length || w < writes.length) {
    const entry = committed[c];
    const write = writes[w];
    const order =
      entry === undefined ? 1 : write === undefined ? -1 : compareKeys(entry[0], write.key);
    if (order < 0) {
      out.push([entry![0], decodeValue(entry![1]) as V]);
      c += 1;
      continue;
    }
    if (order === 0) c += 1; // the write replaces (or hides) the committed entry
    if (write!.bytes !== null) out.push([write!.key.slice(), decodeValue(write!.bytes) as V]);
    w += 1;
  }
  return out;
}
