/**
 * The dense HLL++ sketch of Spark's `HyperLogLogPlusPlusHelper`: precision from the relative standard deviation,
 * register updates from a 64-bit hash, register-wise max as merge, and the estimate with linear counting for small
 * cardinalities and empirical bias correction below 5m.
 *
 * Invariants: registers live in a `Uint8Array` of `m = 2^p` entries (Spark packs the same 6-bit values ten to a
 * long); every arithmetic step of the estimate runs in Spark's order on doubles, so equal registers give Spark's
 * estimate; `merge` returns a new array and never mutates its arguments.
 */
import { WeirError, ErrorCodes } from '../../errors';
import { BIAS_DATA, RAW_ESTIMATE_DATA, THRESHOLDS } from './hllBiasData';

/** Spark's message when the relative SD asks for fewer than 4 addressing bits (rsd above ~39%). */
export const HLL_MIN_PRECISION_MESSAGE = 'HLL++ requires at least 4 bits for addressing. Use a lower error, at most 39%.';

/** weir's cap on the precision (2^24 registers = 16 MiB per group); Spark has none. */
export const HLL_MAX_PRECISION = 24;

// A module-scope alias: a global lookup per call is slow inside vm contexts (test runners).
const clz32 = Math.clz32;

/** Number of neighbours the bias interpolation averages (Spark's `K`). */
const K = 6;

/** 2^-k for every register value k, computed by halving so each entry is exact. */
const INVERSE_POWERS_OF_TWO: readonly number[] = (() => {
  const out: number[] = [];
  let x = 1;
  for (let k = 0; k <= 64; k++) {
    out.push(x);
    x /= 2;
  }
  return out;
})();

/**
 * Spark's precision for a relative standard deviation: `ceil(2 * log2(1.106 / rsd))` (p = 9 for 0.05).
 * Throws INVALID_ARGUMENT with Spark's message when p < 4, and for a non-positive rsd or p above
 * {@link HLL_MAX_PRECISION}.
 */
export function hllPrecision(relativeSD: number): number {
  if (typeof relativeSD !== 'number' || !(relativeSD > 0) || !Number.isFinite(relativeSD)) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `The relative SD of approx_count_distinct must be a positive number, got ${String(relativeSD)}.`, {
      context: { rsd: relativeSD },
    });
  }
  const p = Math.ceil((2.0 * Math.log(1.106 / relativeSD)) / Math.log(2.0));
  if (p < 4) throw new WeirError(ErrorCodes.INVALID_ARGUMENT, HLL_MIN_PRECISION_MESSAGE, { context: { rsd: relativeSD, precision: p } });
  if (p > HLL_MAX_PRECISION) {
    throw new WeirError(
      ErrorCodes.INVALID_ARGUMENT,
      `approx_count_distinct with rsd ${relativeSD} needs ${2 ** p} registers per group (precision ${p}); weir allows at most precision ${HLL_MAX_PRECISION}. Use a larger rsd.`,
      { context: { rsd: relativeSD, precision: p } },
    );
  }
  return p;
}

/**
 * One HLL++ configuration (a precision); sketches themselves are plain `Uint8Array`s of registers.
 *
 * @example
 * ```ts
 * const hll = new HyperLogLogPlusPlus(0.05); // p = 9, 512 registers
 * const registers = hll.create();
 * hll.add(registers, hashHi, hashLo);
 * hll.query(registers); // the estimate, a non-negative integer
 * ```
 */
export class HyperLogLogPlusPlus {
  /** Addressing bits. */
  readonly p: number;
  /** Number of registers, 2^p. */
  readonly m: number;
  private readonly idxShift: number;
  private readonly wPadding: number;
  private readonly alphaM2: number;

  constructor(relativeSD = 0.05) {
    const p = hllPrecision(relativeSD);
    const m = 1 << p;
    this.p = p;
    this.m = m;
    this.idxShift = 32 - p; // of the high half: Spark's 64 - p on the whole hash
    this.wPadding = 1 << (p - 1);
    this.alphaM2 =
      p === 4 ? 0.673 * m * m : p === 5 ? 0.697 * m * m : p === 6 ? 0.709 * m * m : (0.7213 / (1.0 + 1.079 / m)) * m * m;
  }

  /** The standard error this precision guarantees (Spark's `trueRsd`: 1.04 / sqrt(m)). */
  get trueRsd(): number {
    return 1.04 / Math.sqrt(this.m);
  }

  /** Empty registers. */
  create(): Uint8Array {
    return new Uint8Array(this.m);
  }

  /** Adds a 64-bit hash, given as its 32-bit halves (signed or unsigned), to `registers` in place. */
  add(registers: Uint8Array, hi: number, lo: number): void {
    const p = this.p;
    const idx = hi >>> this.idxShift;
    // Leading zeros of (x << p) | wPadding, plus one.
    const shiftedHi = (hi << p) | (lo >>> (32 - p));
    const pw = (shiftedHi !== 0 ? clz32(shiftedHi) : 32 + clz32((lo << p) | this.wPadding)) + 1;
    if (pw > registers[idx]!) registers[idx] = pw;
  }

  /** The register-wise maximum of two sketches, as a new array. */
  merge(a: Uint8Array, b: Uint8Array): Uint8Array {
    this.check(a);
    this.check(b);
    const out = new Uint8Array(this.m);
    for (let i = 0; i < this.m; i++) {
      const x = a[i]!;
      const y = b[i]!;
      out[i] = x > y ? x : y;
    }
    return out;
  }

  /** The cardinality estimate (Spark's `query`), rounded to an integer. */
  query(registers: Uint8Array): number {
    this.check(registers);
    const m = this.m;
    let zInverse = 0.0;
    let V = 0.0;
    for (let i = 0; i < m; i++) {
      const M = registers[i]!;
      zInverse += INVERSE_POWERS_OF_TWO[M]!;
      if (M === 0) V += 1.0;
    }
    const E = this.alphaM2 / zInverse;
    let estimate: number;
    if (V > 0) {
      // Linear counting for small cardinalities; HLL++ needs p < 19, beyond that the original HLL threshold.
      const H = m * Math.log(m / V);
      estimate = (this.p < 19 && H <= THRESHOLDS[this.p - 4]!) || E <= 2.5 * m ? H : this.biasCorrected(E);
    } else {
      estimate = this.biasCorrected(E);
    }
    return Math.round(estimate);
  }

  private biasCorrected(e: number): number {
    return this.p < 19 && e < 5.0 * this.m ? e - this.estimateBias(e) : e;
  }

  /** Spark's `estimateBias`: the mean bias of the K raw estimates nearest to `e`. */
  estimateBias(e: number): number {
    const estimates = RAW_ESTIMATE_DATA[this.p - 4]!;
    const numEstimates = estimates.length;
    const ix = javaBinarySearch(estimates, e);
    const nearestEstimateIndex = ix < 0 ? -(ix + 1) : ix;
    const distance = (i: number): number => {
      const diff = e - estimates[i]!;
      return diff * diff;
    };
    let low = Math.max(nearestEstimateIndex - K + 1, 0);
    let high = Math.min(low + K, numEstimates);
    while (high < numEstimates && distance(high) < distance(low)) {
      low += 1;
      high += 1;
    }
    const biases = BIAS_DATA[this.p - 4]!;
    let biasSum = 0.0;
    for (let i = low; i < high; i++) biasSum += biases[i]!;
    return biasSum / (high - low);
  }

  private check(registers: Uint8Array): void {
    if (registers.length !== this.m) {
      throw new WeirError(
        ErrorCodes.INVALID_ARGUMENT,
        `An approx_count_distinct buffer has ${registers.length} registers where precision ${this.p} needs ${this.m}; was the rsd changed for an existing checkpoint?`,
        { context: { registers: registers.length, expected: this.m } },
      );
    }
  }
}

/**
 * `java.util.Arrays.binarySearch(double[], double)` for non-NaN keys: the index of `key`, or
 * `-(insertion point) - 1`. Spark's tables are not strictly sorted everywhere, so the exact probe sequence matters.
 */
function javaBinarySearch(a: readonly number[], key: number): number {
  let low = 0;
  let high = a.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const midVal = a[mid]!;
    if (midVal < key) low = mid + 1;
    else if (midVal > key) high = mid - 1;
    else return mid;
  }
  return -(low + 1);
}
