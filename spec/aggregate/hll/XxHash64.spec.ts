import fc from 'fast-check';
import { XxHash64, xxh64, xxh64Int, xxh64Long } from '../../../lib/aggregate';
import { referenceHashInt, referenceHashLong, referenceXxh64 } from '../support/xxh64Reference';
import { numRuns } from '../support/foldAggregate';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const PRIME = 2654435761n;

/** Spark's XXH64Suite test buffer: BUFFER[i] = (byte)(seed >> 24); seed *= seed (64-bit). */
function sparkTestBuffer(): Uint8Array {
  const out = new Uint8Array(101);
  let seed = PRIME;
  for (let i = 0; i < out.length; i++) {
    out[i] = Number(BigInt.asUintN(8, seed >> 24n));
    seed = BigInt.asIntN(64, seed * seed);
  }
  return out;
}

describe('XXH64', () => {
  it('matches the canonical test vectors', () => {
    expect(xxh64(new Uint8Array(0), 0n)).toBe(0xef46db3751d8e999n);
    expect(xxh64(utf8('abc'), 0n)).toBe(0x44bc2cf5ad770999n);
  });

  it("matches Spark's XXH64Suite vectors (bytes, ints, longs, with seeds 0 and PRIME)", () => {
    const buffer = sparkTestBuffer();
    const bytes = (n: number): Uint8Array => buffer.subarray(0, n);
    expect(xxh64(bytes(0), 0n)).toBe(0xef46db3751d8e999n);
    expect(xxh64(bytes(0), PRIME)).toBe(0xac75fda2929b17efn);
    expect(xxh64(bytes(1), 0n)).toBe(0x4fce394cc88952d8n);
    expect(xxh64(bytes(1), PRIME)).toBe(0x739840cb819fa723n);
    expect(xxh64(bytes(4), 0n)).toBe(0x9256e58aa397aef1n);
    expect(xxh64(bytes(4), PRIME)).toBe(0x9d5ffdfb928ab4bn);
    expect(xxh64(bytes(8), 0n)).toBe(0xf74cb1451b32b8cfn);
    expect(xxh64(bytes(8), PRIME)).toBe(0x9c44b77fbcc302c5n);
    expect(xxh64(bytes(14), 0n)).toBe(0xcffa8db881bc3a3dn);
    expect(xxh64(bytes(14), PRIME)).toBe(0x5b9611585efcc9cbn);
    expect(xxh64(bytes(101), 0n)).toBe(0x0eab543384f878adn);
    expect(xxh64(bytes(101), PRIME)).toBe(0xcaa65939306f1e21n);

    const TEST_INT = 0x4b1fff9e;
    const TEST_LONG = BigInt.asIntN(64, 0xdd2f535e4b1fff9en);
    expect(xxh64Int(TEST_INT, 0n)).toBe(0x9256e58aa397aef1n);
    expect(xxh64Int(TEST_INT, PRIME)).toBe(0x9d5ffdfb928ab4bn);
    expect(xxh64Long(TEST_LONG, 0n)).toBe(0xf74cb1451b32b8cfn);
    expect(xxh64Long(TEST_LONG, PRIME)).toBe(0x9c44b77fbcc302c5n);
  });

  it("reproduces Spark's doc example: SELECT xxhash64('Spark', array(123), 2) = 5602566077635097486", () => {
    const h = new XxHash64();
    const spark = utf8('Spark');
    h.hashBytes(spark, 0, spark.length, 0, 42); // string: hashUnsafeBytes, seed 42
    h.hashInt(123, h.hi, h.lo); // array<int>: each element chains
    h.hashInt(2, h.hi, h.lo); // int literal
    expect(BigInt.asIntN(64, (BigInt(h.hi >>> 0) << 32n) | BigInt(h.lo >>> 0))).toBe(5602566077635097486n);
  });

  it('hashes a byte range of a larger array like the bytes on their own', () => {
    const data = utf8('xxabcdefghijklmnopqrstuvwxyz0123456789yy');
    const h = new XxHash64().hashBytes(data, 2, data.length - 4, 0, 7);
    expect((BigInt(h.hi >>> 0) << 32n) | BigInt(h.lo >>> 0)).toBe(xxh64(data.subarray(2, data.length - 2), 7n));
  });

  it('agrees with a BigInt transcription of Spark XXH64.java on any bytes, ints, longs and seeds', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }), (bytes, seed) => {
        expect(xxh64(bytes, seed)).toBe(referenceXxh64(bytes, seed));
      }),
      { numRuns: numRuns * 4 },
    );
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.integer(), (l, seed, i) => {
        expect(xxh64Long(l, seed)).toBe(referenceHashLong(l, seed));
        expect(xxh64Int(i, seed)).toBe(referenceHashInt(i, seed));
      }),
      { numRuns: numRuns * 4 },
    );
  });
});
