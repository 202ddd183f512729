/**
 * Properties of the stream-stream inner join (numRuns from WEIR_PROPERTY_RUNS, default 50):
 * - without late rows, the streamed result equals the batch join of the full inputs, for any cutting of the
 *   inputs into micro-batches (with watermarks and a range condition, so eviction is exercised: a row evicted
 *   too early would lose pairs);
 * - on a long run the state holds exactly the rows the watermark and the range condition keep, so it stays
 *   bounded.
 */
import fc from 'fast-check';
import type { Row } from '../../lib/contracts';
import { joinStream, withWatermark } from '../../operators';
import { JoinHarness } from './support/JoinHarness';

const numRuns = Number(process.env.WEIR_PROPERTY_RUNS ?? 50);
const DELAY_MS = 10_000;
const LOWER_MS = -5_000;
const UPPER_MS = 3_000;

interface Event {
  side: 0 | 1;
  key: string;
  t: number;
  id: number;
}

function asRow(e: Event): Row {
  return e.side === 0 ? { lk: e.key, lt: new Date(e.t), lid: e.id } : { rk: e.key, rt: new Date(e.t), rid: e.id };
}

function harness(watermarks: boolean): JoinHarness {
  return new JoinHarness(
    [watermarks ? [withWatermark('lt', DELAY_MS)] : [], watermarks ? [withWatermark('rt', DELAY_MS)] : []],
    [joinStream({ leftKeys: ['lk'], rightKeys: ['rk'], between: { left: 'lt', right: 'rt', lower: LOWER_MS, upper: UPPER_MS } })],
  );
}

/** The batch join of everything: nested loops over both inputs. */
function batchJoin(events: readonly Event[]): string[] {
  const lefts = events.filter((e) => e.side === 0);
  const rights = events.filter((e) => e.side === 1);
  const out: string[] = [];
  for (const l of lefts) {
    for (const r of rights) {
      if (l.key === r.key && l.t >= r.t + LOWER_MS && l.t <= r.t + UPPER_MS) out.push(`${l.id}-${r.id}`);
    }
  }
  return out.sort();
}

function pairIds(rows: readonly Row[]): string[] {
  return rows.map((r) => `${String(r.lid)}-${String(r.rid)}`).sort();
}

/**
 * Events in time order with jitter spanning almost the whole watermark delay (-8 s .. +1.9 s: 9.9 s < 10 s), so no
 * row is ever late whatever the cutting, but rows arrive right above the state watermarks
 * (a row's time is above the max time seen so far minus the delay).
 */
const eventsArb = fc
  .array(
    fc.record({
      side: fc.constantFrom<0 | 1>(0, 1),
      key: fc.constantFrom('a', 'b'),
      step: fc.constantFrom(0, 100, 250, 500),
      // The extremes often: rows right above the watermark meet rows right at the state watermarks.
      jitter: fc.oneof(fc.constant(-8_000), fc.constant(1_900), fc.integer({ min: -8_000, max: 1_900 })),
    }),
    { minLength: 20, maxLength: 100 },
  )
  .map((specs) => {
    let clock = 20_000;
    return specs.map((s, id): Event => {
      clock += s.step;
      return { side: s.side, key: s.key, t: clock + s.jitter, id };
    });
  });

/** Cut points: each event starts a new batch with this probability-weighted flag. */
const cutsArb = fc.array(fc.boolean(), { minLength: 100, maxLength: 100 });

function cut(events: readonly Event[], cuts: readonly boolean[]): Event[][] {
  const batches: Event[][] = [[]];
  events.forEach((e, i) => {
    if (cuts[i] && batches[batches.length - 1]!.length > 0) batches.push([]);
    batches[batches.length - 1]!.push(e);
  });
  return batches;
}

describe('stream-stream inner join properties', () => {
  it.each([
    ['with watermarks and a range condition', true],
    ['without watermarks', false],
  ])('equals the batch join of the full inputs for any cutting into micro-batches (%s)', (_name, watermarks) => {
    fc.assert(
      fc.property(eventsArb, cutsArb, (events, cuts) => {
        const h = harness(watermarks);
        const out: Row[] = [];
        let dropped = 0;
        for (const batch of cut(events, cuts)) {
          out.push(...h.step(batch.filter((e) => e.side === 0).map(asRow), batch.filter((e) => e.side === 1).map(asRow)));
          dropped += Number(h.lastMetrics[0]?.numRowsDroppedByWatermark ?? 0);
        }
        expect(dropped).toBe(0);
        expect(pairIds(out)).toEqual(batchJoin(events));
      }),
      { numRuns },
    );
  });

  it('keeps exactly the rows above the state watermarks on a long run, so state stays bounded', () => {
    const h = harness(true);
    const seen: Event[] = [];
    let id = 0;
    let maxState = 0;
    for (let b = 0; b < 600; b += 1) {
      const base = 30_000 + b * 1_000;
      const batch: Event[] = [
        { side: 0, key: `k${b % 7}`, t: base, id: id++ },
        { side: 0, key: `k${(b + 3) % 7}`, t: base + 400, id: id++ },
        { side: 1, key: `k${b % 7}`, t: base + 200, id: id++ },
      ];
      const wmUsed = h.watermarkMs;
      h.batch(batch.filter((e) => e.side === 0).map(asRow), batch.filter((e) => e.side === 1).map(asRow));
      seen.push(...batch);
      // Left state watermark = wm + LOWER - 1 ms (>=); right = wm - UPPER - 1 ms (<=), as Spark derives them.
      const expected = seen.filter((e) => (e.side === 0 ? e.t > wmUsed + LOWER_MS - 1 : e.t > wmUsed - UPPER_MS - 1)).length;
      expect({ batch: b, state: h.stateRows() }).toEqual({ batch: b, state: expected });
      maxState = Math.max(maxState, h.stateRows());
    }
    // 3 rows per second, kept for at most delay + range (about 15 s): far below the 1,800 rows seen.
    expect(maxState).toBeLessThanOrEqual(3 * 16);
  });
});
