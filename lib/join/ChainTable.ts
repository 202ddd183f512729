/**
 * A hash table from join keys to chains of row indexes: the table holds each chain's first row, the owner keeps
 * the `next` links and, at each chain's first row, its last row (`last`). Numbers are kept in open-addressing
 * tables over typed arrays (no object per key for the garbage collector to trace, small entries so that a probe
 * touches one cache line): int32 values in an Int32Array of first rows alone (the key is read from the owner's
 * `intKeys` at the first row: a smaller table stays in the CPU cache), other numbers in a Float64Array of
 * (key, first row) pairs; other keys (strings, NaN) in a Map.
 *
 * Invariants:
 * - Append-only: a key's chain lists the rows appended for it in order; nothing is ever removed (a table is
 *   dropped as a whole, with the rows it indexes, see JoinSideState's segments).
 * - Key equality is the Map's (SameValueZero: 0 equals -0, NaN equals NaN): a number goes to the int32 table
 *   iff `(k | 0) === k`, so equal numbers always meet in the same table.
 * - Both numeric tables are linear-probing with a load of at most 1/2. The int32 table holds the chain's first row
 *   + 1 at position i (0: empty); the float table the key at 2i and the first row + 1 at 2i + 1.
 */
import type { JoinKey } from './JoinSideState';

const scratch = new Float64Array(1);
const words = new Int32Array(scratch.buffer);

/** A well-mixed 32-bit hash of a number (murmur3's finalizer over its integer value or its float64 bits). */
export function hashNumber(k: number): number {
  let h: number;
  if ((k | 0) === k) h = k | 0; // 0 and -0 alike
  else {
    scratch[0] = k;
    h = words[0]! ^ Math.imul(words[1]!, 0x9e3779b1);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** True for the keys the numeric tables hold (numbers other than NaN; hashNumber gives their hash). */
export function isTableKey(key: JoinKey): key is number {
  return typeof key === 'number' && key === key;
}

function tableSize(expected: number): number {
  let size = 16;
  while (size < expected * 2) size *= 2;
  return size;
}

export class ChainTable {
  private ints: Int32Array;
  private intMask: number;
  private intCount = 0;
  private floats: Float64Array = new Float64Array(32);
  private floatMask = 15;
  private floatCount = 0;
  private readonly others = new Map<JoinKey, number>();

  /** @param expected keys expected (sizes the int32 table so that it need not grow). */
  constructor(expected = 8) {
    const size = tableSize(expected);
    this.ints = new Int32Array(size);
    this.intMask = size - 1;
  }

  /** An estimate of the table's heap bytes (its typed arrays, and the Map of other keys at ~64 bytes an entry). */
  memoryBytes(): number {
    return this.ints.byteLength + this.floats.byteLength + 64 * this.others.size;
  }

  /** Keys in the table. */
  get size(): number {
    return this.intCount + this.floatCount + this.others.size;
  }

  /**
   * The first row of `key`'s chain, or -1; `hash` is hashNumber(key) for a table key (see isTableKey), `intKeys`
   * each row's key when an int32.
   */
  first(key: JoinKey, hash: number, intKeys: Int32Array): number {
    if (typeof key === 'number') {
      if ((key | 0) === key) {
        const ints = this.ints;
        const mask = this.intMask;
        for (let i = hash & mask; ; i = (i + 1) & mask) {
          const head = ints[i]!;
          if (head === 0) return -1;
          if (intKeys[head - 1] === key) return head - 1;
        }
      }
      if (key === key) {
        const floats = this.floats;
        const mask = this.floatMask;
        for (let i = hash & mask; ; i = (i + 1) & mask) {
          const head = floats[2 * i + 1]!;
          if (head === 0) return -1;
          if (floats[2 * i] === key) return head - 1;
        }
      }
    }
    return this.others.get(key) ?? -1;
  }

  /**
   * Appends row `row` to `key`'s chain: links it in `next` (`next[row]` must be -1) and records it as the chain's
   * last row in `last` at the chain's first row. An int32 key must be in `intKeys[row]` already.
   */
  append(key: JoinKey, hash: number, row: number, next: Int32Array, last: Int32Array, intKeys: Int32Array): void {
    const first = this.firstOrAdd(key, hash, row, intKeys);
    if (first < 0) {
      last[row] = row;
      return;
    }
    next[last[first]!] = row;
    last[first] = row;
  }

  /** The first row of `key`'s chain, or -1 after starting the chain with `row`. */
  private firstOrAdd(key: JoinKey, hash: number, row: number, intKeys: Int32Array): number {
    if (typeof key === 'number') {
      if ((key | 0) === key) {
        const ints = this.ints;
        const mask = this.intMask;
        for (let i = hash & mask; ; i = (i + 1) & mask) {
          const head = ints[i]!;
          if (head === 0) {
            ints[i] = row + 1;
            this.intCount += 1;
            if (this.intCount * 2 > mask + 1) this.ints = rehashInts(ints, (this.intMask = mask * 2 + 1), intKeys);
            return -1;
          }
          if (intKeys[head - 1] === key) return head - 1;
        }
      }
      if (key === key) {
        const floats = this.floats;
        const mask = this.floatMask;
        for (let i = hash & mask; ; i = (i + 1) & mask) {
          const head = floats[2 * i + 1]!;
          if (head === 0) {
            floats[2 * i] = key;
            floats[2 * i + 1] = row + 1;
            this.floatCount += 1;
            if (this.floatCount * 2 > mask + 1) this.floats = rehashFloats(floats, (this.floatMask = mask * 2 + 1));
            return -1;
          }
          if (floats[2 * i] === key) return head - 1;
        }
      }
    }
    const found = this.others.get(key);
    if (found !== undefined) return found;
    this.others.set(key, row);
    return -1;
  }

  /** Calls `fn` with each key and the first row of its chain. */
  forEachChain(fn: (key: JoinKey, first: number) => void, intKeys: Int32Array): void {
    for (let p = 0; p < this.ints.length; p += 1) if (this.ints[p] !== 0) fn(intKeys[this.ints[p]! - 1]!, this.ints[p]! - 1);
    for (let p = 0; p < this.floats.length; p += 2) if (this.floats[p + 1] !== 0) fn(this.floats[p]!, this.floats[p + 1]! - 1);
    for (const [key, first] of this.others) fn(key, first);
  }
}

/** The int32 table `old` with mask `mask`. */
function rehashInts(old: Int32Array, mask: number, intKeys: Int32Array): Int32Array {
  const table = new Int32Array(mask + 1);
  for (let q = 0; q < old.length; q += 1) {
    if (old[q] === 0) continue;
    let i = hashNumber(intKeys[old[q]! - 1]!) & mask;
    while (table[i] !== 0) i = (i + 1) & mask;
    table[i] = old[q]!;
  }
  return table;
}

/** The float table `old` with mask `mask`. */
function rehashFloats(old: Float64Array, mask: number): Float64Array<ArrayBuffer> {
  const table = new Float64Array((mask + 1) * 2);
  for (let q = 0; q < old.length; q += 2) {
    if (old[q + 1] === 0) continue;
    let i = hashNumber(old[q]!) & mask;
    while (table[2 * i + 1] !== 0) i = (i + 1) & mask;
    table[2 * i] = old[q]!;
    table[2 * i + 1] = old[q + 1]!;
  }
  return table;
}
