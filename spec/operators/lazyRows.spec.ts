/**
 * window() builds its output rows lazily (only when something reads them): a user operator between window()
 * and the aggregation must see exactly the rows an eager window() would give, and the aggregation must count
 * the same either way. withWatermark() passes its rows on lazily too, gathering its event-time stats on the
 * first visit: the stats must be the same whoever visits the rows, however often, or if nobody does.
 */
import { catchError, EMPTY, filter, map, of, type OperatorFunction } from 'rxjs';
import { agg, aggregate as A, count, groupByKey, rows, window, withColumn, withWatermark } from '../../operators';
import { OperatorHarness } from '../../lib/testing';
import { EngineBatchContext } from '../../lib/engine/EngineBatchContext';
import { MemoryStateStoreProvider } from '../../lib/state';
import type { MicroBatch, Row } from '../../lib/contracts';

const T0 = Date.parse('2024-01-01T00:00:00Z');
const input = [
  { k: 'a', ts: new Date(T0 + 1_000) },
  { k: 'a', ts: new Date(T0 + 6_000) },
  { k: 'b', ts: new Date(T0 + 12_000) },
  { k: 'a', ts: null },
];

describe('lazy window rows', () => {
  it('are materialized for a user operator reading them (sliding windows)', () => {
    const seen: Row[] = [];
    const h = new OperatorHarness([window('ts', '10 seconds', '5 seconds'), rows(map((r: Row) => (seen.push(r), r)))], { outputMode: 'append' });
    const out = h.processBatch(input);
    expect(out).toHaveLength(6);
    expect(seen).toEqual(out);
    expect(out.map((r) => [r.k, (r.window as { start: Date }).start.getTime() - T0]).sort()).toEqual(
      [['a', -5000], ['a', 0], ['a', 0], ['a', 5000], ['b', 10000], ['b', 5000]].sort(),
    );
  });

  it('give the same counts with and without an operator in between', () => {
    const direct = new OperatorHarness([withWatermark('ts', '1 second'), window('ts', '10 seconds'), groupByKey('window', 'k'), count()], {
      outputMode: 'update',
    });
    const filtered = new OperatorHarness(
      [withWatermark('ts', '1 second'), window('ts', '10 seconds'), rows(filter((r: Row) => r.k !== 'zzz')), groupByKey('window', 'k'), count()],
      { outputMode: 'update' },
    );
    const key = (r: Row) => `${r.k}@${(r.window as { start: Date }).start.getTime()}`;
    const a = direct.processBatch(input).map((r) => [key(r), r.count]).sort();
    const b = filtered.processBatch(input).map((r) => [key(r), r.count]).sort();
    expect(a).toEqual(b);
    expect(a).toEqual([
      [`a@${T0}`, 2],
      [`b@${T0 + 10_000}`, 1],
    ]);
  });
});

describe('withWatermark gathers its event-time stats while its rows are visited', () => {
  const expected = { min: T0 + 1_000, max: T0 + 12_000, sum: 3 * T0 + 19_000, count: 3 };

  /** Runs `operators` over one batch of `input`, reads the output rows, and returns them with the reported stats. */
  function run(operators: Array<OperatorFunction<any, any>>): { out: readonly Row[]; report: unknown } {
    const context = new EngineBatchContext('lazy', '', 0, new MemoryStateStoreProvider());
    const batch: MicroBatch<Row> = { batchId: 0, rows: input, watermarkMs: 0, lateEventsWatermarkMs: 0, batchTimestampMs: 0, outputMode: 'update', context };
    let out: readonly Row[] = [];
    of(batch)
      .pipe(...(operators as []))
      .subscribe((b) => {
        out = (b as MicroBatch<Row>).rows;
      });
    return { out, report: context.eventTimeReports.get('watermark-0') };
  }

  it('when the aggregation visits them without building them', () => {
    const { out, report } = run([withWatermark('ts', '1 second'), window('ts', '10 seconds'), groupByKey('window', 'k'), count()]);
    expect(out).toHaveLength(2);
    expect(report).toEqual({ stats: expected, delayMs: 1000 });
  });

  it('when its input is lazy too (withColumn before it)', () => {
    const { report } = run([withColumn('n', (r: Row) => String(r.k)), withWatermark('ts', '1 second'), window('ts', '10 seconds'), groupByKey('window', 'n'), count()]);
    expect(report).toEqual({ stats: expected, delayMs: 1000 });
  });

  it('when the rows are built: the very input array, counted once however often it is read', () => {
    let reads = 0;
    const { out, report } = run([
      withWatermark('ts', '1 second'),
      map((b: MicroBatch<Row>) => {
        reads += b.rows.length + [...b.rows].length;
        return b;
      }),
    ]);
    expect(reads).toBe(8);
    expect(out).toBe(input);
    expect(report).toEqual({ stats: expected, delayMs: 1000 });
  });

  it('when nothing reads them, and when a visit is cut short by an error', () => {
    expect(run([withWatermark('ts', '1 second'), map((b: MicroBatch<Row>) => ({ ...b, rows: [] }))]).report).toEqual({ stats: expected, delayMs: 1000 });
    expect(run([withWatermark('ts', '1 second'), rows(filter(() => false))]).report).toEqual({ stats: expected, delayMs: 1000 });
    let calls = 0;
    const failing = run([
      withWatermark('ts', '1 second'),
      window('ts', '10 seconds'),
      groupByKey('window', 'k'),
      agg({ n: { ...A.count(), input: () => { calls += 1; if (calls === 2) throw new Error('boom'); return 1; } } }),
      catchError(() => EMPTY),
    ]);
    expect(calls).toBe(2);
    expect(failing.report).toEqual({ stats: expected, delayMs: 1000 });
  });
});
