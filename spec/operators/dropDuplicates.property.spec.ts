/**
 * Properties of dropDuplicates: for any input and any cutting of it into micro-batches, the streamed output is
 * the batch answer (the first row of each key, in input order); with the event-time column among the keys and
 * no late rows, the state never holds a key at or below the watermark after the no-data batches.
 */
import fc from 'fast-check';
import { dropDuplicates, withWatermark } from '../../operators';
import { OperatorHarness, batchedEvents, keyedEvents } from '../../lib/testing';
import type { Row } from '../../lib/contracts';

const numRuns = Number(process.env.WEIR_NUM_RUNS ?? 50);
const T0 = Date.parse('2024-01-01T00:00:00Z');

/** Rows and a cutting of them into (at most 7) micro-batches, by the kit's batch-cutting arbitrary. */
const rowsArb = batchedEvents(fc.array(fc.record({ k: fc.integer({ min: 0, max: 6 }), v: fc.integer({ min: 0, max: 3 }) }), { maxLength: 40 }), {
  maxBatches: 7,
});

describe('dropDuplicates properties', () => {
  it('streamed output = first row of each key in input order, for any cutting into micro-batches', () => {
    fc.assert(
      fc.property(rowsArb, ({ events: rows, batches }) => {
        const h = new OperatorHarness([dropDuplicates('k')]);
        const streamed = batches.flatMap((b) => h.processBatch(b));
        const seen = new Set<number>();
        const expected = rows.filter((r) => !seen.has(r.k) && seen.add(r.k));
        expect(streamed).toEqual(expected);
      }),
      { numRuns },
    );
  });

  it('with event time among the keys and in-order data, state is bounded by the watermark', () => {
    // The kit's keyed events in time order (lateness 0, steps of 0..3 s), so no row is ever late with a 5 s delay.
    const eventsArb = keyedEvents({
      keys: 4,
      keyColumn: 'k',
      startMs: T0,
      spanMs: 180_000,
      maxStepMs: 3_000,
      maxLength: 60,
      payload: fc.constant({}),
    });
    fc.assert(
      fc.property(batchedEvents<Row>(eventsArb, { maxBatches: 7 }), ({ events: rows, batches }) => {
        const h = new OperatorHarness([withWatermark('ts', '5 seconds'), dropDuplicates('k', 'ts')]);
        const out: Row[] = [];
        const fed: Row[] = [];
        for (const b of batches) {
          fed.push(...b);
          out.push(...h.processBatch(b), ...h.advanceWatermark());
          // State = exactly the distinct (k, ts) seen with ts above the watermark: bounded by the delay window
          // (at most 4 keys x 5 seconds here), whatever the length of the stream.
          const wm = h.watermarkMs;
          const live = new Set(fed.filter((r) => (r.ts as Date).getTime() > wm).map((r) => `${r.k as string}@${(r.ts as Date).getTime()}`));
          expect(h.stateRowCount()).toBe(live.size);
          expect(h.stateRowCount()).toBeLessThanOrEqual(4 * 5);
        }
        const seen = new Set<string>();
        expect(out).toEqual(rows.filter((r) => {
          const id = `${r.k as string}@${(r.ts as Date).getTime()}`;
          return !seen.has(id) && seen.add(id);
        }));
      }),
      { numRuns },
    );
  });
});
