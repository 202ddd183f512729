/**
 * `approx_count_distinct`: Spark's HyperLogLog++ cardinality estimate.
 *
 * Invariants: the buffer is the sketch's registers as a `Uint8Array` of 2^p bytes (512 for the default rsd);
 * values are hashed exactly as Spark hashes them (XXH64, seed 42, see `SparkValueHasher`), and registers and
 * estimate follow Spark's `HyperLogLogPlusPlusHelper` step by step, so a column of strings, doubles, bigints,
 * booleans, timestamps or binaries gets Spark's estimate. `update` writes into its buffer only when the buffer owns
 * its memory; a buffer msgpackr decoded as a view into the state store's bytes is copied first.
 */
import type { AggregateFunction, Column } from './AggregateFunction';
import { columnAccessor, columnDisplayName } from './AggregateFunction';
import { HyperLogLogPlusPlus } from './hll/HyperLogLogPlusPlus';
import { SparkValueHasher } from './hll/SparkValueHasher';

/** Spark's seed for the HLL++ hash. */
const SEED = 42;

/**
 * The approximate number of distinct non-null values of a column, with relative standard deviation at most `rsd`
 * (default 0.05, as in Spark). 0 when there is no non-null value. An rsd above ~39% is an INVALID_ARGUMENT with
 * Spark's message. Integral numbers hash as Spark's `bigint`; an `int` column in Spark hashes differently, so
 * estimates for it can differ from Spark's by hash luck, though within the same error bound. Exported also as
 * `approx_count_distinct`.
 *
 * @example
 * ```ts
 * aggregateRows(users, (r) => ({ country: r.country }), { visitors: approxCountDistinct('userId') });
 * ```
 */
export function approxCountDistinct(column: Column, rsd = 0.05): AggregateFunction<unknown, Uint8Array, number> {
  const hll = new HyperLogLogPlusPlus(rsd);
  const hasher = new SparkValueHasher();
  return {
    name: `approx_count_distinct(${columnDisplayName(column)})`,
    input: columnAccessor(column),
    init: () => hll.create(),
    update: (buf, value) => {
      if (value == null) return buf;
      hasher.hash(value, 0, SEED);
      const registers = ownsMemory(buf) ? buf : new Uint8Array(buf);
      hll.add(registers, hasher.hi, hasher.lo);
      return registers;
    },
    merge: (a, b) => hll.merge(a, b),
    evaluate: (buf) => hll.query(buf),
  };
}

/** Spark's name for {@link approxCountDistinct}. */
export const approx_count_distinct = approxCountDistinct;

/** True when `buf` is the whole of its ArrayBuffer, i.e. not a view into bytes someone else holds. */
function ownsMemory(buf: Uint8Array): boolean {
  return buf.byteOffset === 0 && buf.buffer.byteLength === buf.byteLength;
}
