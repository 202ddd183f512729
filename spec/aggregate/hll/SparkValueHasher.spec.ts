import { SparkValueHasher, sparkXxHash64, xxh64, xxh64Int, xxh64Long } from '../../../lib/aggregate';
import { expectWeirError } from '../../support/expectWeirError';

/** The hash of `value` with Spark's HLL seed 42, as an unsigned bigint. */
function hash(value: unknown): bigint {
  const h = new SparkValueHasher().hash(value, 0, 42);
  return (BigInt(h.hi >>> 0) << 32n) | BigInt(h.lo >>> 0);
}

const doubleBits = (d: number): bigint => {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, d);
  return view.getBigInt64(0);
};

describe('SparkValueHasher (XxHash64Function.hash for JS values)', () => {
  it('hashes safe integers as Spark longs (hashLong), negative ones in two\'s complement', () => {
    for (const n of [0, 1, -1, 42, 2 ** 31, -(2 ** 31) - 1, 2 ** 32, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]) {
      expect(hash(n)).toBe(xxh64Long(BigInt(n), 42n));
    }
    expect(hash(-0)).toBe(xxh64Long(0n, 42n));
  });

  it('hashes other numbers as Spark doubles: hashLong(doubleToLongBits), NaN canonical', () => {
    for (const d of [1.5, -0.1, 1e300, 2 ** 60, Infinity, -Infinity]) expect(hash(d)).toBe(xxh64Long(doubleBits(d), 42n));
    expect(hash(NaN)).toBe(xxh64Long(0x7ff8000000000000n, 42n));
  });

  it('hashes strings by their UTF-8 bytes (hashUnsafeBytes)', () => {
    for (const s of ['', 'a', 'Spark', 'héllo wörld', '😀 emoji', 'x'.repeat(1000)]) {
      expect(hash(s)).toBe(xxh64(new TextEncoder().encode(s), 42n));
    }
  });

  it('hashes booleans with hashInt, bigints with hashLong, Dates as microsecond timestamps, bytes as binary', () => {
    expect(hash(true)).toBe(xxh64Int(1, 42n));
    expect(hash(false)).toBe(xxh64Int(0, 42n));
    expect(hash(-5n)).toBe(xxh64Long(-5n, 42n));
    expect(hash(2n ** 64n + 3n)).toBe(xxh64Long(3n, 42n));
    expect(hash(new Date(1_700_000_000_123))).toBe(xxh64Long(1_700_000_000_123_000n, 42n));
    const farFuture = new Date(8_000_000_000_000_000); // micros beyond 2^53
    expect(hash(farFuture)).toBe(xxh64Long(8_000_000_000_000_000_000n, 42n));
    expect(hash(new Date(-1))).toBe(xxh64Long(-1000n, 42n));
    expect(hash(new Uint8Array([1, 2, 3]))).toBe(xxh64(new Uint8Array([1, 2, 3]), 42n));
  });

  it('chains array elements and struct fields, each hash seeding the next, nulls skipped (Spark ArrayType/StructType)', () => {
    const chained = xxh64Long(2n, xxh64Long(1n, 42n));
    expect(hash([1, 2])).toBe(chained);
    expect(hash([1, null, 2])).toBe(chained);
    expect(hash({ a: 1, b: 2 })).toBe(chained);
    expect(hash([])).toBe(42n);
    expect(hash(null)).toBe(42n);
  });

  it('sparkXxHash64 chains its arguments from seed 42 and returns a signed long', () => {
    const bytes = new TextEncoder().encode('Spark');
    expect(sparkXxHash64('Spark', 2n)).toBe(BigInt.asIntN(64, xxh64Long(2n, xxh64(bytes, 42n))));
  });

  it('rejects values with no Spark type with INVALID_ARGUMENT', async () => {
    await expectWeirError(() => hash(new Map()), 'INVALID_ARGUMENT');
    await expectWeirError(() => hash(Symbol('x')), 'INVALID_ARGUMENT');
    await expectWeirError(() => hash(() => 1), 'INVALID_ARGUMENT');
  });
});
