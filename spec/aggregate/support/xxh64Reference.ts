/**
 * A straightforward BigInt XXH64, transcribed from Spark's `XXH64.java`, as the oracle for weir's 32-bit-halves
 * implementation.
 */
const M = (1n << 64n) - 1n;
const P1 = 0x9e3779b185ebca87n;
const P2 = 0xc2b2ae3d27d4eb4fn;
const P3 = 0x165667b19e3779f9n;
const P4 = 0x85ebca77c2b2ae63n;
const P5 = 0x27d4eb2f165667c5n;

const rotl = (x: bigint, r: bigint): bigint => ((x << r) | (x >> (64n - r))) & M;
const mul = (a: bigint, b: bigint): bigint => (a * b) & M;
const add = (a: bigint, b: bigint): bigint => (a + b) & M;

function fmix(h: bigint): bigint {
  h ^= h >> 33n;
  h = mul(h, P2);
  h ^= h >> 29n;
  h = mul(h, P3);
  h ^= h >> 32n;
  return h;
}

function readLong(b: Uint8Array, p: number): bigint {
  let v = 0n;
  for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(b[p + i]!);
  return v;
}

function readInt(b: Uint8Array, p: number): bigint {
  let v = 0n;
  for (let i = 3; i >= 0; i--) v = (v << 8n) | BigInt(b[p + i]!);
  return v;
}

/** XXH64 of `bytes` (unsigned result). */
export function referenceXxh64(bytes: Uint8Array, seed: bigint): bigint {
  seed &= M;
  const length = bytes.length;
  let offset = 0;
  let hash: bigint;
  if (length >= 32) {
    const limit = length - 32;
    let v1 = add(add(seed, P1), P2);
    let v2 = add(seed, P2);
    let v3 = seed;
    let v4 = (seed - P1) & M;
    do {
      v1 = mul(rotl(add(v1, mul(readLong(bytes, offset), P2)), 31n), P1);
      v2 = mul(rotl(add(v2, mul(readLong(bytes, offset + 8), P2)), 31n), P1);
      v3 = mul(rotl(add(v3, mul(readLong(bytes, offset + 16), P2)), 31n), P1);
      v4 = mul(rotl(add(v4, mul(readLong(bytes, offset + 24), P2)), 31n), P1);
      offset += 32;
    } while (offset <= limit);
    hash = add(add(add(rotl(v1, 1n), rotl(v2, 7n)), rotl(v3, 12n)), rotl(v4, 18n));
    for (const v of [v1, v2, v3, v4]) {
      hash ^= mul(rotl(mul(v, P2), 31n), P1);
      hash = add(mul(hash, P1), P4);
    }
  } else {
    hash = add(seed, P5);
  }
  hash = add(hash, BigInt(length));
  while (offset <= length - 8) {
    hash ^= mul(rotl(mul(readLong(bytes, offset), P2), 31n), P1);
    hash = add(mul(rotl(hash, 27n), P1), P4);
    offset += 8;
  }
  if (offset + 4 <= length) {
    hash ^= mul(readInt(bytes, offset), P1);
    hash = add(mul(rotl(hash, 23n), P2), P3);
    offset += 4;
  }
  while (offset < length) {
    hash ^= mul(BigInt(bytes[offset]!), P5);
    hash = mul(rotl(hash, 11n), P1);
    offset++;
  }
  return fmix(hash);
}

/** Spark's `XXH64.hashLong(l, seed)` (unsigned result). */
export function referenceHashLong(l: bigint, seed: bigint): bigint {
  let hash = add(add(seed & M, P5), 8n);
  hash ^= mul(rotl(mul(l & M, P2), 31n), P1);
  hash = add(mul(rotl(hash, 27n), P1), P4);
  return fmix(hash);
}

/** Spark's `XXH64.hashInt(i, seed)` (unsigned result). */
export function referenceHashInt(i: number, seed: bigint): bigint {
  let hash = add(add(seed & M, P5), 4n);
  hash ^= mul(BigInt(i >>> 0), P1);
  hash = add(mul(rotl(hash, 23n), P2), P3);
  return fmix(hash);
}
