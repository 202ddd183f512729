/**
 * Spark's `XxHash64Function.hash(value, dataType, seed)` for JS values, mapping each JS value to the Spark type
 * it would have.
 *
 * Invariants (the type mapping, which decides the hash):
 * - a safe integer (including -0) is a `bigint` column value (LongType): `hashLong(v)`;
 * - any other number is a DoubleType: `hashLong(doubleToLongBits(v))`, NaN normalised to Java's canonical NaN;
 * - a bigint is a LongType (wrapped to 64 bits); a boolean `hashInt(1 | 0)`;
 * - a string hashes its UTF-8 bytes (`hashUnsafeBytes`), a Uint8Array its bytes (BinaryType);
 * - a Date is a TimestampType: `hashLong(epoch microseconds)`;
 * - an array chains its elements (Spark's ArrayType: each element's hash is the next seed, nulls skipped), a
 *   plain object chains its property values in property order (Spark's StructType in schema order).
 * A value of an IntegerType Spark column (`hashInt`) has no JS counterpart: weir hashes integers as LongType.
 */
import { WeirError, ErrorCodes } from '../../errors';
import { XxHash64 } from './XxHash64';

const TWO_32 = 4294967296;
// Module-scope aliases: a global lookup per call is slow inside vm contexts (test runners).
const isSafeInteger = Number.isSafeInteger;
const floor = Math.floor;

/**
 * Hashes JS values the way Spark hashes the corresponding SQL values. Results land in `hi` / `lo` (signed int32
 * halves, see `XxHash64`). One instance per caller: it owns scratch buffers.
 *
 * @example
 * ```ts
 * const h = new SparkValueHasher();
 * h.hash('Spark', 0, 42); // seed 42, as in approx_count_distinct and xxhash64()
 * ```
 */
export class SparkValueHasher {
  /** High 32 bits of the last hash, as a signed int32. */
  hi = 0;
  /** Low 32 bits of the last hash, as a signed int32. */
  lo = 0;
  private readonly xx = new XxHash64();
  private readonly encoder = new TextEncoder();
  private utf8 = new Uint8Array(256);
  private readonly view = new DataView(new ArrayBuffer(8));

  /** Hashes `value` with the 64-bit seed (seedHi, seedLo); null and undefined leave the seed unchanged (Spark). */
  hash(value: unknown, seedHi: number, seedLo: number): this {
    switch (typeof value) {
      case 'number':
        this.hashNumber(value, seedHi, seedLo);
        break;
      case 'string':
        this.hashString(value, seedHi, seedLo);
        break;
      case 'boolean':
        this.setFrom(this.xx.hashInt(value ? 1 : 0, seedHi, seedLo));
        break;
      case 'bigint': {
        const u = BigInt.asUintN(64, value);
        this.setFrom(this.xx.hashLong(Number(u >> 32n), Number(u & 0xffffffffn), seedHi, seedLo));
        break;
      }
      case 'undefined':
        this.hi = seedHi | 0;
        this.lo = seedLo | 0;
        break;
      case 'object':
        this.hashObject(value, seedHi, seedLo);
        break;
      default:
        throw unsupported(value);
    }
    return this;
  }

  private hashNumber(v: number, seedHi: number, seedLo: number): void {
    if (isSafeInteger(v)) {
      this.setFrom(this.xx.hashLong(floor(v / TWO_32) | 0, v | 0, seedHi, seedLo));
    } else if (Number.isNaN(v)) {
      this.setFrom(this.xx.hashLong(0x7ff80000, 0, seedHi, seedLo)); // Java's canonical NaN bits
    } else {
      this.view.setFloat64(0, v, true);
      this.setFrom(this.xx.hashLong(this.view.getUint32(4, true), this.view.getUint32(0, true), seedHi, seedLo));
    }
  }

  private hashString(s: string, seedHi: number, seedLo: number): void {
    if (this.utf8.length < s.length * 3) this.utf8 = new Uint8Array(Math.max(s.length * 3, this.utf8.length * 2));
    const { written } = this.encoder.encodeInto(s, this.utf8);
    this.setFrom(this.xx.hashBytes(this.utf8, 0, written, seedHi, seedLo));
  }

  private hashObject(value: object | null, seedHi: number, seedLo: number): void {
    if (value === null) {
      this.hi = seedHi | 0;
      this.lo = seedLo | 0;
    } else if (value instanceof Date) {
      const micros = value.getTime() * 1000;
      if (isSafeInteger(micros)) {
        this.setFrom(this.xx.hashLong(floor(micros / TWO_32) | 0, micros | 0, seedHi, seedLo));
      } else {
        const u = BigInt.asUintN(64, BigInt(value.getTime()) * 1000n);
        this.setFrom(this.xx.hashLong(Number(u >> 32n), Number(u & 0xffffffffn), seedHi, seedLo));
      }
    } else if (value instanceof Uint8Array) {
      this.setFrom(this.xx.hashBytes(value, 0, value.length, seedHi, seedLo));
    } else if (Array.isArray(value)) {
      let h = seedHi | 0;
      let l = seedLo | 0;
      for (const element of value) {
        this.hash(element, h, l);
        h = this.hi;
        l = this.lo;
      }
      this.hi = h;
      this.lo = l;
    } else {
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) throw unsupported(value);
      let h = seedHi | 0;
      let l = seedLo | 0;
      for (const field of Object.values(value)) {
        this.hash(field, h, l);
        h = this.hi;
        l = this.lo;
      }
      this.hi = h;
      this.lo = l;
    }
  }

  private setFrom(xx: XxHash64): void {
    this.hi = xx.hi;
    this.lo = xx.lo;
  }
}

/**
 * Spark SQL's `xxhash64(v1, v2, ...)`: the values hashed in turn, each result the seed of the next, starting from
 * seed 42; a signed 64-bit bigint like Spark's LongType result.
 *
 * Integral numbers hash as LongType; Spark hashes int literals and IntegerType columns with `hashInt`, so results
 * match Spark for strings, doubles, booleans, timestamps, binary and bigint values.
 *
 * @example
 * ```ts
 * sparkXxHash64('Spark', 2n); // Spark SQL: SELECT xxhash64('Spark', 2L)
 * ```
 */
export function sparkXxHash64(...values: unknown[]): bigint {
  const h = new SparkValueHasher();
  let hi = 0;
  let lo = 42;
  for (const v of values) {
    h.hash(v, hi, lo);
    hi = h.hi;
    lo = h.lo;
  }
  return BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0));
}

function unsupported(value: unknown): WeirError {
  const kind = typeof value === 'object' ? (value?.constructor?.name ?? 'object') : typeof value;
  return new WeirError(ErrorCodes.INVALID_ARGUMENT, `approx_count_distinct cannot hash a value of type ${kind}.`, {
    context: { type: kind },
  });
}
