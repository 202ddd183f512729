/**
 * withColumn(name, fn): the rows are `{ ...row, [name]: fn(row) }` whether they are read (built) or visited lazily
 * by window → groupByKey → count(); chains of lazy operators (withColumn → withColumn → window) agree with the
 * eager computation for any input (a property).
 */
import fc from 'fast-check';
import { map } from 'rxjs';
import { count, groupByKey, rows, window, withColumn, withWatermark } from '../../operators';
import { OperatorHarness } from '../../lib/testing';
import type { MicroBatch, Row } from '../../lib/contracts';

const T0 = Date.parse('2024-01-01T00:00:00Z');

describe('withColumn', () => {
  it('adds a column computed from the row, keeping the others, in order', () => {
    const h = new OperatorHarness([withColumn('double', (r: Row) => (r.v as number) * 2)], { outputMode: 'append' });
    expect(h.processBatch([{ v: 1, w: 'a' }, { v: 5, w: 'b' }])).toEqual([
      { v: 1, w: 'a', double: 2 },
      { v: 5, w: 'b', double: 10 },
    ]);
  });

  it('replaces an existing column and sees the columns added before it', () => {
    const h = new OperatorHarness(
      [withColumn('a', (r: Row) => (r.v as number) + 1), withColumn('v', (r: Row) => (r.a as number) * 10)],
      { outputMode: 'append' },
    );
    expect(h.processBatch([{ v: 1 }, { v: 2 }])).toEqual([
      { v: 20, a: 2 },
      { v: 30, a: 3 },
    ]);
  });

  it('does not mutate the input rows', () => {
    const input = [{ v: 1 }];
    new OperatorHarness([withColumn('x', () => 1)], { outputMode: 'append' }).processBatch(input);
    expect(input).toEqual([{ v: 1 }]);
  });

  it("defines a '__proto__' column as an own property, never the prototype", () => {
    const h = new OperatorHarness([withColumn('__proto__', () => ({ polluted: true }))], { outputMode: 'append' });
    const [row] = h.processBatch([{ v: 1 }]);
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(row, '__proto__')).toBe(true);
    expect((row as Row).polluted).toBeUndefined();
  });

  it('makes a replaced event-time column ordinary (the watermark metadata sits on the old column)', () => {
    const seen: Array<MicroBatch['metadata']> = [];
    const spy = map((b: MicroBatch) => (seen.push(b.metadata), b));
    const h = new OperatorHarness([withWatermark('ts', '1 second'), spy, withColumn('ts', (r: Row) => r.ts), spy], {
      outputMode: 'append',
    });
    h.processBatch([{ ts: new Date(T0) }]);
    expect(seen.map((m) => m?.eventTimeColumn)).toEqual(['ts', undefined]);
  });

  it('counts the same lazily (window → count visiting extended rows) as through a materializing operator', () => {
    const rowsArb = fc.array(
      fc.record({ v: fc.integer({ min: 0, max: 50 }), ts: fc.integer({ min: 0, max: 60_000 }).map((ms) => new Date(T0 + ms)) }),
      { maxLength: 60 },
    );
    fc.assert(
      fc.property(rowsArb, fc.integer({ min: 1, max: 5 }), (input, keys) => {
        const pipeline = (between: unknown[]) => [
          withWatermark('ts', '5 seconds'),
          withColumn('key', (r: Row) => (r.v as number) % keys),
          withColumn('even', (r: Row) => (r.key as number) % 2 === 0),
          ...between,
          window('ts', '10 seconds', '5 seconds'),
          groupByKey('window', 'key', 'even'),
          count(),
        ];
        const lazy = new OperatorHarness(pipeline([]) as never, { outputMode: 'update' });
        const eager = new OperatorHarness(pipeline([rows(map((r: Row) => ({ ...r })))]) as never, { outputMode: 'update' });
        const norm = (out: Row[]) =>
          out
            .map((r) => `${(r.window as { start: Date }).start.getTime()}|${String(r.key)}|${String(r.even)}|${String(r.count)}`)
            .sort();
        const a = norm(lazy.processBatch(input));
        expect(a).toEqual(norm(eager.processBatch(input)));
        // and the counts are those of the rows themselves: every row is in two sliding windows
        expect(a.reduce((s, x) => s + Number(x.split('|')[3]), 0)).toBe(input.length * 2);
      }),
      { numRuns: 150 },
    );
  });
});
