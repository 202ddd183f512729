/**
 * Three wrong answers the December architecture review reproduced, each from a Spark rule written twice:
 * 1. aggregate result types (the planner's own typing beside the analyzer's): Spark 4.0.1 gives `sum(DECIMAL(10,2))`
 *    the type `decimal(20,2)` and `avg` `decimal(14,6)`;
 * 2. `current_timestamp()` is the batch's frozen time everywhere an expression is compiled, inside an aggregate too,
 *    so a re-run batch writes the same state;
 * 3. `max` over `ARRAY<INT>` uses Spark's array ordering, the one `orderBy` uses.
 */
import { MemoryStream, Session } from '../../index';
import { ManualClock } from '../../lib/time/ManualClock';
import { col, expr, max, sum, avg } from '../../lib/sql/functions';

let spark: Session;
beforeAll(() => {
  spark = Session.builder().appName('review-wrong-answers').getOrCreate();
});
afterAll(() => spark.stop());

describe('aggregate result types come from the analyzer', () => {
  const df = () => spark.createDataFrame([{ k: 'a', d: 1.25 }, { k: 'a', d: 2.5 }], 'k STRING, d DECIMAL(10,2)');

  it('sum(DECIMAL(10,2)) is decimal(20,2) and avg is decimal(14,6), as Spark types them', async () => {
    const agg = df().groupBy('k').agg(sum('d'), avg('d'));
    expect(agg.schema.fields.map((f) => [f.name, f.dataType.simpleString()])).toEqual([
      ['k', 'string'],
      ['sum(d)', 'decimal(20,2)'],
      ['avg(d)', 'decimal(14,6)'],
    ]);
    expect(await agg.collect()).toEqual([{ k: 'a', 'sum(d)': 3.75, 'avg(d)': 1.875 }]);
  });
});

describe('current_timestamp() is the frozen batch time', () => {
  it('inside an aggregate, as in a projection', async () => {
    const clock = new ManualClock(Date.UTC(2024, 0, 1));
    const input = new MemoryStream(spark, 'k STRING');
    const projected = input.toDF().selectExpr('k', 'current_timestamp() AS t');
    const aggregated = input.toDF().groupBy('k').agg(max(expr('current_timestamp()')).alias('t'));
    const q1 = await projected.writeStream.format('memory').queryName('ts_projected').outputMode('append').clock(clock).start();
    const q2 = await aggregated.writeStream.format('memory').queryName('ts_aggregated').outputMode('complete').clock(clock).start();
    try {
      input.addData({ k: 'a' });
      await q1.processAllAvailable();
      await q2.processAllAvailable();
      const frozen = new Date(Date.UTC(2024, 0, 1));
      expect(await spark.table('ts_projected').collect()).toEqual([{ k: 'a', t: frozen }]);
      expect(await spark.table('ts_aggregated').collect()).toEqual([{ k: 'a', t: frozen }]);
    } finally {
      await q1.stop();
      await q2.stop();
    }
  });
});

describe("max over arrays uses Spark's array ordering", () => {
  it('groupBy(k).agg(max(xs)) over ARRAY<INT> agrees with orderBy(xs desc)', async () => {
    const df = spark.createDataFrame(
      [
        { k: 'a', xs: [1, 2] },
        { k: 'a', xs: [1, 10] },
        { k: 'a', xs: [1, null, 99] },
        { k: 'b', xs: [3] },
        { k: 'b', xs: [2, 100] },
      ],
      'k STRING, xs ARRAY<INT>',
    );
    expect(await df.groupBy('k').agg(max('xs')).orderBy('k').collect()).toEqual([
      { k: 'a', 'max(xs)': [1, 10] },
      { k: 'b', 'max(xs)': [3] },
    ]);
    const top = await df.filter(col('k').eqNullSafe('a')).orderBy(col('xs').desc()).limit(1).collect();
    expect(top).toEqual([{ k: 'a', xs: [1, 10] }]);
  });
});
