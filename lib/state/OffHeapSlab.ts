/**
 * Byte arrays copied into one off-heap `Buffer`, for handing many small arrays to a native call.
 *
 * Why: V8 keeps a typed array of up to 64 bytes inside the JS heap. When classic-level's binding asks N-API for
 * such an array's data, V8 first moves its backing store out of the heap (an allocation, a copy, and an
 * ArrayBuffer extension the GC sweeps later): about 2 µs per array, several times LevelDB's own cost for a
 * `WriteBatch::Put` (measured with 1,000 state rows per commit). A `Buffer` view into one off-heap allocation
 * takes N-API's plain Buffer path instead. The views are valid while the slab is referenced; the binding copies
 * what it is given, so a slab lives for one batch of calls.
 */
export class OffHeapSlab {
  private readonly buffer: Buffer;
  private used = 0;

  /** A slab of `capacity` bytes; {@link copy} and {@link concat} must not ask for more in total. */
  constructor(capacity: number) {
    this.buffer = Buffer.allocUnsafeSlow(Math.max(capacity, 1));
  }

  /** `bytes` copied into the slab. */
  copy(bytes: Uint8Array): Buffer {
    return this.concat(EMPTY, bytes);
  }

  /** `prefix` then `bytes`, copied into the slab. */
  concat(prefix: Uint8Array, bytes: Uint8Array): Buffer {
    const start = this.used;
    const end = start + prefix.length + bytes.length;
    if (end > this.buffer.length) throw new RangeError(`OffHeapSlab: ${end} bytes asked of a slab of ${this.buffer.length}`);
    this.buffer.set(prefix, start);
    this.buffer.set(bytes, start + prefix.length);
    this.used = end;
    return this.buffer.subarray(start, end);
  }
}

const EMPTY = new Uint8Array(0);
