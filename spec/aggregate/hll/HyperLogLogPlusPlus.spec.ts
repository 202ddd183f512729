import fc from 'fast-check';
import {
  HLL_MIN_PRECISION_MESSAGE,
  HyperLogLogPlusPlus,
  hllPrecision,
  SparkValueHasher,
} from '../../../lib/aggregate';
import { BIAS_DATA, RAW_ESTIMATE_DATA, THRESHOLDS } from '../../../lib/aggregate/hll/hllBiasData';
import { expectWeirError } from '../../support/expectWeirError';
import { referenceHashLong, referenceXxh64 } from '../support/xxh64Reference';
import { numRuns } from '../support/foldAggregate';

/** Registers computed independently with BigInt, straight from Spark's update(): idx = x >>> (64 - p), ... */
function referenceRegisters(p: number, hashes: readonly bigint[]): number[] {
  const m = 1 << p;
  const registers = new Array<number>(m).fill(0);
  const mask = (1n << 64n) - 1n;
  for (const x of hashes) {
    const idx = Number(x >> BigInt(64 - p));
    const w = ((x << BigInt(p)) & mask) | (1n << BigInt(p - 1));
    const pw = 64 - w.toString(2).length + 1; // numberOfLeadingZeros + 1
    if (pw > registers[idx]!) registers[idx] = pw;
  }
  return registers;
}

const longHash = (n: number): bigint => referenceHashLong(BigInt(n), 42n);
const stringHash = (s: string): bigint => referenceXxh64(new TextEncoder().encode(s), 42n);

function sketch(hll: HyperLogLogPlusPlus, values: Iterable<unknown>): Uint8Array {
  const hasher = new SparkValueHasher();
  const registers = hll.create();
  for (const v of values) {
    hasher.hash(v, 0, 42);
    hll.add(registers, hasher.hi, hasher.lo);
  }
  return registers;
}

const range = (n: number, f: (i: number) => unknown = (i) => i): unknown[] => Array.from({ length: n }, (_, i) => f(i));

describe('HyperLogLogPlusPlus', () => {
  describe('precision', () => {
    it.each([
      [0.05, 9],
      [0.39, 4],
      [0.2, 5],
      [0.1, 7],
      [0.04, 10],
      [0.03, 11],
      [0.02, 12],
      [0.01, 14],
      [0.005, 16],
      [0.002, 19],
    ])('rsd %p gives p = %p, like Spark', (rsd, p) => {
      expect(hllPrecision(rsd)).toBe(p);
    });

    it("rejects an rsd needing fewer than 4 bits with Spark's message and INVALID_ARGUMENT", async () => {
      const e = await expectWeirError(() => new HyperLogLogPlusPlus(0.4), 'INVALID_ARGUMENT');
      expect(e.message).toBe('HLL++ requires at least 4 bits for addressing. Use a lower error, at most 39%.');
      expect(HLL_MIN_PRECISION_MESSAGE).toBe(e.message);
      expect(e.context).toMatchObject({ rsd: 0.4, precision: 3 });
    });

    it.each([0, -0.05, NaN, Infinity, 1e-9])('rejects rsd %p with INVALID_ARGUMENT', async (rsd) => {
      await expectWeirError(() => hllPrecision(rsd), 'INVALID_ARGUMENT');
    });

    it("reports Spark's trueRsd", () => {
      expect(new HyperLogLogPlusPlus(0.05).trueRsd).toBeCloseTo(1.04 / Math.sqrt(512), 12);
    });
  });

  describe("Spark's empirical tables", () => {
    it('have 15 precisions with raw estimates and biases of equal length', () => {
      expect(THRESHOLDS).toEqual([10, 20, 40, 80, 220, 400, 900, 1800, 3100, 6500, 15500, 20000, 50000, 120000, 350000]);
      expect(RAW_ESTIMATE_DATA).toHaveLength(15);
      expect(BIAS_DATA).toHaveLength(15);
      RAW_ESTIMATE_DATA.forEach((raw, i) => expect(raw.length).toBe(BIAS_DATA[i]!.length));
    });

    it('raw - bias is an integral, evenly stepped cardinality everywhere (catches a mistyped digit)', () => {
      RAW_ESTIMATE_DATA.forEach((raw, k) => {
        const cards = raw.map((r, i) => r - BIAS_DATA[k]![i]!);
        cards.forEach((c) => expect(Math.abs(c - Math.round(c))).toBeLessThan(1e-6));
        expect(Math.round(cards[0]!)).toBe(1);
        const steps = new Set(cards.slice(2).map((c, i) => Math.round(c) - Math.round(cards[i + 1]!)));
        // Every step is the same integer or the next one: cardinality i of the table is about i * 5m / 200.
        expect(steps.size).toBeLessThanOrEqual(2);
        const [lo, hi] = [Math.min(...steps), Math.max(...steps)];
        expect(hi - lo).toBeLessThanOrEqual(1);
      });
    });
  });

  describe('registers', () => {
    it("match Spark's update() computed independently with BigInt, for integers and strings", () => {
      for (const p of [4, 9, 14]) {
        const hll = new HyperLogLogPlusPlus(1.106 / 2 ** (p / 2)); // exactly p bits
        expect(hll.p).toBe(p);
        const ints = range(3000, (i) => i * 7919 - 100000) as number[];
        expect(Array.from(sketch(hll, ints))).toEqual(referenceRegisters(p, ints.map(longHash)));
        const strings = range(3000, (i) => `user-${i}-é😀`) as string[];
        expect(Array.from(sketch(hll, strings))).toEqual(referenceRegisters(p, strings.map(stringHash)));
      }
    });

    it('merge is the register-wise max and equals sketching the union in any order (Spark\'s merge test)', () => {
      const hll = new HyperLogLogPlusPlus(0.05);
      const lower = sketch(hll, range(5000));
      const upper = sketch(hll, range(5000, (i) => i + 5000));
      const reversed = sketch(hll, range(10000, (i) => 9999 - i));
      const lowerCopy = lower.slice();
      const merged = hll.merge(lower, upper);
      expect(Array.from(merged)).toEqual(Array.from(reversed));
      expect(lower).toEqual(lowerCopy); // merge did not write into its arguments
    });

    it('rejects a buffer of another precision with INVALID_ARGUMENT', async () => {
      const hll = new HyperLogLogPlusPlus(0.05);
      await expectWeirError(() => hll.merge(hll.create(), new Uint8Array(16)), 'INVALID_ARGUMENT');
      await expectWeirError(() => hll.query(new Uint8Array(16)), 'INVALID_ARGUMENT');
    });
  });

  describe('estimate', () => {
    it('is 0 for an empty sketch', () => {
      expect(new HyperLogLogPlusPlus(0.05).query(new HyperLogLogPlusPlus(0.05).create())).toBe(0);
    });

    it("is Spark's linear-counting estimate round(m ln(m / V)) for small sets (< 100 distinct values)", () => {
      fc.assert(
        fc.property(fc.uniqueArray(fc.oneof(fc.integer(), fc.string({ maxLength: 12 })), { maxLength: 99 }), (values) => {
          const hll = new HyperLogLogPlusPlus(0.05);
          const hashes = values.map((v) => (typeof v === 'number' ? longHash(v) : stringHash(v)));
          const zeros = referenceRegisters(9, hashes).filter((r) => r === 0).length;
          expect(hll.query(sketch(hll, values))).toBe(Math.round(512 * Math.log(512 / zeros)));
        }),
        { numRuns },
      );
    });

    it('counts tiny sets exactly', () => {
      const hll = new HyperLogLogPlusPlus(0.05);
      expect(hll.query(sketch(hll, [1, 1, 2, 2, 3]))).toBe(3);
      expect(hll.query(sketch(hll, ['a', 'b', 'a']))).toBe(2);
    });

    // Spark's HyperLogLogPlusPlusSuite: the error is within 3 standard errors (of the precision's true rsd).
    it.each([
      [0.05, 100_000],
      [0.05, 1_000], // bias-corrected range (2.5m < E < 5m)
      [0.05, 2_000],
      [0.1, 500],
      [0.025, 10_000],
      [0.01, 100_000],
    ])('stays within 3 standard errors for rsd %p and %p distinct integers', (rsd, n) => {
      const hll = new HyperLogLogPlusPlus(rsd);
      const estimate = hll.query(sketch(hll, range(n * 3, (i) => i % n)));
      expect(Math.abs(estimate / n - 1)).toBeLessThan(3 * hll.trueRsd);
    });

    it('stays within 3 * rsd for 100k distinct strings', () => {
      const hll = new HyperLogLogPlusPlus(0.05);
      const estimate = hll.query(sketch(hll, range(100_000, (i) => `session-${i}`)));
      expect(Math.abs(estimate / 100_000 - 1)).toBeLessThan(3 * 0.05);
    });

    it('corrects with the mean bias of the 6 raw estimates nearest to E (Spark\'s estimateBias)', () => {
      for (const p of [4, 9, 14]) {
        const hll = new HyperLogLogPlusPlus(1.106 / 2 ** (p / 2));
        const estimates = RAW_ESTIMATE_DATA[p - 4]!;
        const biases = BIAS_DATA[p - 4]!;
        for (let i = 0; i < estimates.length - 1; i += 7) {
          const e = estimates[i]! + (estimates[i + 1]! - estimates[i]!) * 0.3;
          const nearest = estimates
            .map((x, j) => ({ j, d: (e - x) * (e - x) }))
            .sort((a, b) => a.d - b.d || a.j - b.j)
            .slice(0, 6)
            .map((x) => x.j)
            .sort((a, b) => a - b);
          const expected = nearest.reduce((acc, j) => acc + biases[j]!, 0) / 6;
          expect(hll.estimateBias(e)).toBe(expected);
        }
      }
    });

    it('supports p >= 19 (no bias correction), as Spark does', () => {
      const hll = new HyperLogLogPlusPlus(0.002);
      expect(hll.p).toBe(19);
      expect(hll.query(sketch(hll, range(1000)))).toBeGreaterThan(990);
      expect(hll.query(sketch(hll, range(1000)))).toBeLessThan(1010);
    });
  });
});
