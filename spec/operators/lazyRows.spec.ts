/**
 * window() builds its output rows lazily (only when something reads them): a user operator between window()
 * and the aggregation must see exactly the rows an eager window() would give, and the aggregation must count
 * the same either way.
 */
import { filter, map } from 'rxjs';
import { count, groupByKey, rows, window, withWatermark } from '../../operators';
import { OperatorHarness } from '../../lib/testing';
import type { Row } from '../../lib/contracts';

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
