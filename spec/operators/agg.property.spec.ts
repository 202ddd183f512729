/**
 * Properties of the streaming aggregation (numRuns from WEIR_PROPERTY_RUNS, default 50):
 * (a) split invariance: complete and update mode without late rows give the batch result for any cutting of the
 *     input into micro-batches;
 * (b) append mode emits every window exactly once, never before its end <= the batch's watermark, and every
 *     window that received a non-late row is emitted once the watermark passes it;
 * (c) restarting from a snapshot at any batch boundary gives the same output as an uninterrupted run.
 */
import fc from 'fast-check';
import { aggregate as A, agg, groupByKey, window, withWatermark } from '../../operators';
import { aggregateRows } from '../../lib/aggregate';
import { OperatorHarness, batchedEvents, keyedEvents } from '../../lib/testing';
import type { Row } from '../../lib/contracts';

const numRuns = Number(process.env.WEIR_PROPERTY_RUNS ?? 50);
const T0 = Date.parse('2024-01-01T00:00:00Z');

/**
 * Rows of three words over two minutes, in any order (the kit's keyed events, unbounded lateness); with
 * `negativeZero`, -0 among the values (see property c).
 */
const rowsArbOf = (negativeZero: boolean) =>
  keyedEvents({
    keys: ['a', 'b', 'c'],
    keyColumn: 'word',
    startMs: T0,
    spanMs: 120_000,
    lateness: 'unbounded',
    maxLength: 40,
    payload: fc.record({
      v: fc.option(negativeZero ? fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constant(-0)) : fc.integer({ min: -5, max: 5 }), { nil: null }),
      o: fc.option(fc.oneof(fc.record({ x: fc.integer({ min: 0, max: 3 }) }), fc.constant(negativeZero ? -0 : 0)), { nil: null }),
    }),
  });
/** The rows and a cutting of them into (at most 7) micro-batches. */
const batchedArbOf = (negativeZero: boolean) => batchedEvents<Row>(rowsArbOf(negativeZero), { maxBatches: 7 });
const batchedArb = batchedArbOf(false);
// State values read back as the codec decodes them (-0 as 0, documented in lib/state/valueCodec): values kept
// decoded between batches must read the same, so a restarted run equals the uninterrupted one (property c).
const batchedWithNegativeZeroArb = batchedArbOf(true);

const key = (r: Row): string => JSON.stringify([(r.window as { start: Date }).start.getTime(), r.word]);
// Buffers of several shapes (numbers, nullable numbers, arrays, { value, set } objects): the operator keeps them
// decoded between batches (internal/DecodedStateCache), so a buffer shared where it must be copied would show.
const spec = () => ({ n: A.count(), total: A.sum('v'), hi: A.max('v'), all: A.collect_list('v'), firstV: A.first('v'), firstO: A.first('o') });
const ops = (delay: string) => [withWatermark('ts', delay), window('ts', '10 seconds'), groupByKey('window', 'word'), agg(spec())];

function batchOracle(rows: Row[]): Map<string, Row> {
  const windowed = rows.map((r) => {
    const t = (r.ts as Date).getTime();
    const start = t - ((((t - 0) % 10_000) + 10_000) % 10_000);
    return { ...r, window: { start: new Date(start), end: new Date(start + 10_000) } };
  });
  return new Map(aggregateRows(windowed, ['window', 'word'], spec()).map((r) => [key(r), r]));
}

describe('streaming aggregation properties', () => {
  it('(a) complete and update mode are split invariant and equal the batch computation', () => {
    fc.assert(
      fc.property(batchedArb, fc.constantFrom('complete', 'update'), ({ events: rows, batches }, mode) => {
        // A delay longer than the input's time span: no row is ever late, no window evicted.
        const h = new OperatorHarness(ops('1 hour'), { outputMode: mode as 'complete' | 'update' });
        const result = new Map<string, Row>();
        for (const batch of batches) {
          const out = h.processBatch(batch);
          if (mode === 'complete') result.clear();
          for (const r of out) result.set(key(r), r);
          for (const r of h.advanceWatermark()) result.set(key(r), r);
        }
        expect(result).toEqual(batchOracle(rows));
      }),
      { numRuns },
    );
  });

  it('(b) append emits every window exactly once and never before end <= watermark', () => {
    fc.assert(
      fc.property(batchedArb, ({ batches }) => {
        const h = new OperatorHarness(ops('5 seconds'), { outputMode: 'append' });
        const emitted = new Map<string, number>();
        const accepted: Row[] = [];
        let previousWatermark = 0; // the watermark the previous batch used = this batch's late-events watermark
        const runBatch = (batch: Row[]) => {
          const watermark = h.watermarkMs;
          for (const r of batch) {
            const t = (r.ts as Date).getTime();
            const end = t - (((t % 10_000) + 10_000) % 10_000) + 10_000;
            if (end > previousWatermark) accepted.push(r);
          }
          for (const r of h.processBatch(batch)) {
            expect((r.window as { end: Date }).end.getTime()).toBeLessThanOrEqual(watermark);
            emitted.set(key(r), (emitted.get(key(r)) ?? 0) + 1);
          }
          previousWatermark = watermark;
        };
        for (const batch of batches) {
          runBatch(batch);
          while (h.needsNoDataBatch()) runBatch([]);
        }
        // A far-future row closes every window.
        runBatch([{ word: 'z', ts: new Date(T0 + 10_000_000), v: 0 }]);
        while (h.needsNoDataBatch()) runBatch([]);
        for (const count of emitted.values()) expect(count).toBe(1);
        // Exactly the windows that received an accepted row, except the far-future one still open.
        const expectedWindows = [...batchOracle(accepted).keys()].filter((k) => !k.includes('"z"')).sort();
        expect([...emitted.keys()].sort()).toEqual(expectedWindows);
      }),
      { numRuns },
    );
  });

  it('(c) a restart from a snapshot at any batch boundary gives the uninterrupted output', () => {
    fc.assert(
      fc.property(
        batchedWithNegativeZeroArb,
        fc.nat(),
        fc.constantFrom('append', 'update', 'complete'),
        ({ batches }, at, mode) => {
          const options = { outputMode: mode as 'append' | 'update' | 'complete' };
          const run = (h: OperatorHarness, bs: Row[][]) => bs.map((b) => [h.processBatch(b), h.advanceWatermark()]);
          const uninterrupted = run(new OperatorHarness(ops('5 seconds'), options), batches);
          const k = at % (batches.length + 1);
          const first = new OperatorHarness(ops('5 seconds'), options);
          const before = run(first, batches.slice(0, k));
          const restored = OperatorHarness.restore(ops('5 seconds'), first.snapshot(), options);
          const after = run(restored, batches.slice(k));
          expect([...before, ...after]).toEqual(uninterrupted);
        },
      ),
      { numRuns },
    );
  });
});
