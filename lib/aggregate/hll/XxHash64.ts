/**
 * XXH64 (Yann Collet's xxHash, 64-bit) as Spark's `org.apache.spark.sql.catalyst.expressions.XXH64` computes it:
 * `hashInt` / `hashLong` hash the 4 / 8 little-endian bytes of the value, `hashUnsafeBytes` a byte range; all three
 * equal canonical XXH64 of those bytes.
 *
 * Invariant: 64-bit words are pairs of 32-bit halves (`hi`, `lo`) kept as signed int32 values (`| 0`), which V8
 * holds as small integers, so hashing allocates nothing and needs no BigInt; inputs may be signed or unsigned
 * halves. A hasher instance is scratch space for one caller (not shared).
 */

// The five primes of XXH64, as (high, low) 32-bit halves.
const P1H = 0x9e3779b1 | 0;
const P1L = 0x85ebca87 | 0;
const P2H = 0xc2b2ae3d | 0;
const P2L = 0x27d4eb4f | 0;
const P3H = 0x165667b1 | 0;
const P3L = 0x9e3779f9 | 0;
const P4H = 0x85ebca77 | 0;
const P4L = 0xc2b2ae63 | 0;
const P5H = 0x27d4eb2f | 0;
const P5L = 0x165667c5 | 0;
// Module-scope aliases: a global lookup per call is slow inside vm contexts (test runners).
const imul = Math.imul;

// -P1 mod 2^64, the initial value of the fourth accumulator minus the seed.
const NEG_P1H = 0x61c8864e | 0;
const NEG_P1L = 0x7a143579 | 0;

/**
 * A reusable XXH64 hasher. Each `hash*` call leaves the 64-bit result in `hi` / `lo` (signed int32 halves; `>>> 0`
 * makes them unsigned) and returns the hasher, so results chain as seeds without allocating.
 *
 * @example
 * ```ts
 * const h = new XxHash64();
 * h.hashBytes(new TextEncoder().encode('abc'), 0, 3, 0, 0);
 * [(h.hi >>> 0).toString(16), (h.lo >>> 0).toString(16)]; // ['44bc2cf5', 'ad770999']
 * ```
 */
export class XxHash64 {
  /** High 32 bits of the last hash, as a signed int32. */
  hi = 0;
  /** Low 32 bits of the last hash, as a signed int32. */
  lo = 0;
  // Result registers of the 64-bit helpers below.
  private rh = 0;
  private rl = 0;

  /** Spark's `XXH64.hashInt(i, seed)`: XXH64 of the 4 little-endian bytes of the 32-bit integer `i`. */
  hashInt(i: number, seedHi: number, seedLo: number): this {
    this.add(seedHi, seedLo, P5H, P5L);
    this.add(this.rh, this.rl, 0, 4);
    const hh = this.rh;
    const hl = this.rl;
    this.mul(0, i | 0, P1H, P1L);
    this.rotl(hh ^ this.rh, hl ^ this.rl, 23);
    this.mul(this.rh, this.rl, P2H, P2L);
    this.add(this.rh, this.rl, P3H, P3L);
    this.fmix(this.rh, this.rl);
    return this;
  }

  /** Spark's `XXH64.hashLong(l, seed)`: XXH64 of the 8 little-endian bytes of the 64-bit integer (hi, lo). */
  hashLong(inHi: number, inLo: number, seedHi: number, seedLo: number): this {
    this.add(seedHi, seedLo, P5H, P5L);
    this.add(this.rh, this.rl, 0, 8);
    const hh = this.rh;
    const hl = this.rl;
    this.lane(hh, hl, inHi | 0, inLo | 0);
    this.fmix(this.rh, this.rl);
    return this;
  }

  /** Spark's `XXH64.hashUnsafeBytes`: XXH64 of `bytes[offset, offset + length)`. */
  hashBytes(bytes: Uint8Array, offset: number, length: number, seedHi: number, seedLo: number): this {
    const end = offset + length;
    let p = offset;
    let hh: number;
    let hl: number;
    if (length >= 32) {
      const limit = end - 32;
      this.add(seedHi, seedLo, P1H, P1L);
      this.add(this.rh, this.rl, P2H, P2L);
      let v1h = this.rh;
      let v1l = this.rl;
      this.add(seedHi, seedLo, P2H, P2L);
      let v2h = this.rh;
      let v2l = this.rl;
      let v3h = seedHi | 0;
      let v3l = seedLo | 0;
      this.add(seedHi, seedLo, NEG_P1H, NEG_P1L);
      let v4h = this.rh;
      let v4l = this.rl;
      do {
        this.round(v1h, v1l, readI32(bytes, p + 4), readI32(bytes, p));
        v1h = this.rh;
        v1l = this.rl;
        this.round(v2h, v2l, readI32(bytes, p + 12), readI32(bytes, p + 8));
        v2h = this.rh;
        v2l = this.rl;
        this.round(v3h, v3l, readI32(bytes, p + 20), readI32(bytes, p + 16));
        v3h = this.rh;
        v3l = this.rl;
        this.round(v4h, v4l, readI32(bytes, p + 28), readI32(bytes, p + 24));
        v4h = this.rh;
        v4l = this.rl;
        p += 32;
      } while (p <= limit);

      this.rotl(v1h, v1l, 1);
      hh = this.rh;
      hl = this.rl;
      this.rotl(v2h, v2l, 7);
      this.add(hh, hl, this.rh, this.rl);
      hh = this.rh;
      hl = this.rl;
      this.rotl(v3h, v3l, 12);
      this.add(hh, hl, this.rh, this.rl);
      hh = this.rh;
      hl = this.rl;
      this.rotl(v4h, v4l, 18);
      this.add(hh, hl, this.rh, this.rl);
      hh = this.rh;
      hl = this.rl;

      this.mergeRound(hh, hl, v1h, v1l);
      this.mergeRound(this.rh, this.rl, v2h, v2l);
      this.mergeRound(this.rh, this.rl, v3h, v3l);
      this.mergeRound(this.rh, this.rl, v4h, v4l);
      hh = this.rh;
      hl = this.rl;
    } else {
      this.add(seedHi, seedLo, P5H, P5L);
      hh = this.rh;
      hl = this.rl;
    }

    // hash += length (a 32-bit length: the high half gets only the carry).
    this.add(hh, hl, 0, length | 0);
    hh = this.rh;
    hl = this.rl;

    while (p <= end - 8) {
      this.lane(hh, hl, readI32(bytes, p + 4), readI32(bytes, p));
      hh = this.rh;
      hl = this.rl;
      p += 8;
    }
    if (p + 4 <= end) {
      this.mul(0, readI32(bytes, p), P1H, P1L);
      this.rotl(hh ^ this.rh, hl ^ this.rl, 23);
      this.mul(this.rh, this.rl, P2H, P2L);
      this.add(this.rh, this.rl, P3H, P3L);
      hh = this.rh;
      hl = this.rl;
      p += 4;
    }
    while (p < end) {
      this.mul(0, bytes[p]!, P5H, P5L);
      this.rotl(hh ^ this.rh, hl ^ this.rl, 11);
      this.mul(this.rh, this.rl, P1H, P1L);
      hh = this.rh;
      hl = this.rl;
      p++;
    }
    this.fmix(hh, hl);
    return this;
  }

  /** One 8-byte step after the stripes: h ^= round(0, k); h = rotl(h, 27) * P1 + P4. Result in rh/rl. */
  private lane(hh: number, hl: number, kh: number, kl: number): void {
    this.mul(kh, kl, P2H, P2L);
    this.rotl(this.rh, this.rl, 31);
    this.mul(this.rh, this.rl, P1H, P1L);
    this.rotl(hh ^ this.rh, hl ^ this.rl, 27);
    this.mul(this.rh, this.rl, P1H, P1L);
    this.add(this.rh, this.rl, P4H, P4L);
  }

  /** acc = rotl(acc + input * P2, 31) * P1. Result in rh/rl. */
  private round(ah: number, al: number, ih: number, il: number): void {
    this.mul(ih, il, P2H, P2L);
    this.add(ah, al, this.rh, this.rl);
    this.rotl(this.rh, this.rl, 31);
    this.mul(this.rh, this.rl, P1H, P1L);
  }

  /** h = (h ^ round(0, v)) * P1 + P4. Result in rh/rl. */
  private mergeRound(hh: number, hl: number, vh: number, vl: number): void {
    this.mul(vh, vl, P2H, P2L);
    this.rotl(this.rh, this.rl, 31);
    this.mul(this.rh, this.rl, P1H, P1L);
    this.mul(hh ^ this.rh, hl ^ this.rl, P1H, P1L);
    this.add(this.rh, this.rl, P4H, P4L);
  }

  /** The final avalanche; leaves the hash in hi/lo. */
  private fmix(h: number, l: number): void {
    l ^= h >>> 1; // h ^= h >>> 33
    this.mul(h, l, P2H, P2L);
    h = this.rh;
    l = this.rl;
    l ^= (l >>> 29) | (h << 3); // h ^= h >>> 29
    h ^= h >>> 29;
    this.mul(h, l, P3H, P3L);
    h = this.rh;
    l = this.rl ^ h; // h ^= h >>> 32
    this.hi = h;
    this.lo = l;
  }

  /** (ah, al) * (bh, bl) mod 2^64 into rh/rl. */
  private mul(ah: number, al: number, bh: number, bl: number): void {
    const a0 = al & 0xffff;
    const a1 = al >>> 16;
    const b0 = bl & 0xffff;
    const b1 = bl >>> 16;
    const p00 = a0 * b0;
    const p01 = a0 * b1;
    const p10 = a1 * b0;
    const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
    this.rl = ((mid & 0xffff) << 16) | (p00 & 0xffff);
    const carry = a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16);
    this.rh = (carry + imul(ah, bl) + imul(al, bh)) | 0;
  }

  /** (ah, al) + (bh, bl) mod 2^64 into rh/rl. */
  private add(ah: number, al: number, bh: number, bl: number): void {
    const lo = (al >>> 0) + (bl >>> 0);
    this.rl = lo | 0;
    this.rh = (ah + bh + (lo > 0xffffffff ? 1 : 0)) | 0;
  }

  /** Rotates (h, l) left by 0 < r < 32 bits into rh/rl. */
  private rotl(h: number, l: number, r: number): void {
    this.rh = (h << r) | (l >>> (32 - r));
    this.rl = (l << r) | (h >>> (32 - r));
  }
}

function readI32(b: Uint8Array, p: number): number {
  return b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24);
}

/**
 * Canonical XXH64 of `bytes` with a 64-bit `seed`, as an unsigned bigint (convenience for tests and tools; the
 * aggregate path uses {@link XxHash64} directly).
 *
 * @example
 * ```ts
 * xxh64(new Uint8Array(0)) === 0xef46db3751d8e999n; // true
 * ```
 */
export function xxh64(bytes: Uint8Array, seed: bigint = 0n): bigint {
  const [sh, sl] = splitSeed(seed);
  const h = new XxHash64().hashBytes(bytes, 0, bytes.length, sh, sl);
  return (BigInt(h.hi >>> 0) << 32n) | BigInt(h.lo >>> 0);
}

/** Spark's `XXH64.hashInt(i, seed)` as an unsigned bigint. */
export function xxh64Int(i: number, seed: bigint = 0n): bigint {
  const [sh, sl] = splitSeed(seed);
  const h = new XxHash64().hashInt(i, sh, sl);
  return (BigInt(h.hi >>> 0) << 32n) | BigInt(h.lo >>> 0);
}

/** Spark's `XXH64.hashLong(l, seed)` as an unsigned bigint. */
export function xxh64Long(l: bigint, seed: bigint = 0n): bigint {
  const [sh, sl] = splitSeed(seed);
  const [lh, ll] = splitSeed(l);
  const h = new XxHash64().hashLong(lh, ll, sh, sl);
  return (BigInt(h.hi >>> 0) << 32n) | BigInt(h.lo >>> 0);
}

/** The (hi, lo) 32-bit halves of a 64-bit two's-complement value. */
export function splitSeed(v: bigint): [number, number] {
  const u = BigInt.asUintN(64, v);
  return [Number(u >> 32n), Number(u & 0xffffffffn)];
}
