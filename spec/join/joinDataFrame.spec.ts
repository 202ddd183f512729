/**
 * Joins on the DataFrame face: `df.join(other, on, how)` with a SQL condition, a Column, or USING column names;
 * stream-stream, stream-static and batch joins through the one planner; Spark's analysis errors at start.
 */
import { MemoryStream, Session } from '../../index';
import { col, expr } from '../../lib/sql/functions';

let spark: Session;
beforeAll(() => {
  spark = Session.builder().appName('joins').getOrCreate();
});
afterAll(() => spark.stop());

const T = (s: number): string => new Date(Date.UTC(2024, 0, 1) + s * 1000).toISOString();
const D = (s: number): Date => new Date(Date.UTC(2024, 0, 1) + s * 1000);

describe('DataFrame joins', () => {
  it('stream-stream left outer join with a SQL range condition: pairs at once, null-padded rows on eviction', async () => {
    const impressions = new MemoryStream(spark, 'impressionAdId INT, impressionTime TIMESTAMP');
    const clicks = new MemoryStream(spark, 'clickAdId INT, clickTime TIMESTAMP');
    const joined = impressions
      .toDF()
      .withWatermark('impressionTime', '10 seconds')
      .join(
        clicks.toDF().withWatermark('clickTime', '20 seconds'),
        'clickAdId = impressionAdId AND clickTime >= impressionTime AND clickTime <= impressionTime + interval 1 minute',
        'left_outer',
      );
    expect(joined.columns).toEqual(['impressionAdId', 'impressionTime', 'clickAdId', 'clickTime']);
    const query = await joined.writeStream.format('memory').queryName('adJoin').outputMode('append').start();
    impressions.addData({ impressionAdId: 1, impressionTime: T(0) }, { impressionAdId: 2, impressionTime: T(0) });
    clicks.addData({ clickAdId: 1, clickTime: T(30) });
    await query.processAllAvailable();
    expect(await spark.table('adJoin').collect()).toEqual([{ impressionAdId: 1, impressionTime: D(0), clickAdId: 1, clickTime: D(30) }]);
    // watermark -> min(200 - 10, 230 - 20) = 190: impression 2 (time 0) can no longer match a click.
    impressions.addData({ impressionAdId: 3, impressionTime: T(200) });
    clicks.addData({ clickAdId: 9, clickTime: T(230) });
    await query.processAllAvailable();
    const rows = await spark.table('adJoin').collect();
    expect(rows).toContainEqual({ impressionAdId: 2, impressionTime: D(0), clickAdId: null, clickTime: null });
    expect(rows).toHaveLength(2);
    await query.stop();
  });

  it('USING columns are output once; a Column condition works too', async () => {
    const left = new MemoryStream(spark, 'k STRING, lt TIMESTAMP');
    const right = new MemoryStream(spark, 'k STRING, rt TIMESTAMP');
    const byName = left.toDF().join(right.toDF(), 'k');
    expect(byName.columns).toEqual(['k', 'lt', 'rt']);
    const query = await byName.writeStream.format('memory').queryName('usingJoin').start();
    left.addData({ k: 'a', lt: T(1) });
    right.addData({ k: 'a', rt: T(2) }, { k: 'b', rt: T(3) });
    await query.processAllAvailable();
    expect(await spark.table('usingJoin').collect()).toEqual([{ k: 'a', lt: D(1), rt: D(2) }]);
    await query.stop();

    const other = new MemoryStream(spark, 'k2 STRING, rt TIMESTAMP');
    const byColumn = left.toDF().join(other.toDF(), col('k').eq(col('k2')), 'inner');
    expect(byColumn.columns).toEqual(['k', 'lt', 'k2', 'rt']);
  });

  it('stream-static joins: the static side is a batch DataFrame', async () => {
    const events = new MemoryStream(spark, 'adId INT, user STRING');
    const ads = spark.createDataFrame(
      [
        { id: 1, name: 'shoes' },
        { id: 2, name: 'hats' },
      ],
      'id INT, name STRING',
    );
    const enriched = events.toDF().join(ads, expr('adId = id'), 'left_outer');
    const query = await enriched.writeStream.format('memory').queryName('enriched').start();
    events.addData({ adId: 1, user: 'u1' }, { adId: 7, user: 'u7' });
    await query.processAllAvailable();
    events.addData({ adId: 2, user: 'u2' });
    await query.processAllAvailable();
    const rows = await spark.table('enriched').collect();
    expect(rows).toEqual([
      { adId: 1, user: 'u1', id: 1, name: 'shoes' },
      { adId: 7, user: 'u7', id: null, name: null },
      { adId: 2, user: 'u2', id: 2, name: 'hats' },
    ]);
    await query.stop();

    const semi = events.toDF().join(ads, expr('adId = id'), 'left_anti');
    expect(semi.columns).toEqual(['adId', 'user']);
  });

  it('batch joins run through the same operators (all join types)', async () => {
    const l = spark.createDataFrame([{ a: 1, x: 'l1' }, { a: 2, x: 'l2' }], 'a INT, x STRING');
    const r = spark.createDataFrame([{ b: 2, y: 'r2' }, { b: 3, y: 'r3' }], 'b INT, y STRING');
    const on = expr('a = b');
    expect(await l.join(r, on).collect()).toEqual([{ a: 2, x: 'l2', b: 2, y: 'r2' }]);
    expect(await l.join(r, on, 'left').collect()).toEqual([
      { a: 1, x: 'l1', b: null, y: null },
      { a: 2, x: 'l2', b: 2, y: 'r2' },
    ]);
    expect(await l.join(r, on, 'right').collect()).toEqual([
      { a: 2, x: 'l2', b: 2, y: 'r2' },
      { a: null, x: null, b: 3, y: 'r3' },
    ]);
    expect(await l.join(r, on, 'full').count()).toBe(3);
    expect(await l.join(r, on, 'left_semi').collect()).toEqual([{ a: 2, x: 'l2' }]);
    expect(await l.join(r, on, 'left_anti').collect()).toEqual([{ a: 1, x: 'l1' }]);
    // a list of Column conditions is their conjunction (PySpark)
    expect(await l.join(r, [col('a').eq(col('b')), col('y').eq('r2')]).collect()).toEqual([{ a: 2, x: 'l2', b: 2, y: 'r2' }]);
    expect(await l.join(r, [col('a').eq(col('b')), col('y').eq('r3')]).collect()).toEqual([]);
  });

  it.each([
    [
      'stream-stream left outer without watermarks',
      () => new MemoryStream(spark, 'lk STRING').toDF().join(new MemoryStream(spark, 'rk STRING').toDF(), 'lk = rk', 'left_outer'),
      'append',
      'Stream-stream LeftOuter join between two streaming DataFrame/Datasets is not supported without a watermark in the join keys, or a watermark on the nullable side and an appropriate range condition',
    ],
    [
      'stream-stream join in update mode',
      () => new MemoryStream(spark, 'lk STRING').toDF().join(new MemoryStream(spark, 'rk STRING').toDF(), 'lk = rk'),
      'update',
      'Join between two streaming DataFrames/Datasets is not supported in Update output mode, only in Append output mode',
    ],
    [
      'stream-static full outer',
      () => new MemoryStream(spark, 'lk STRING').toDF().join(spark.createDataFrame([{ sk: 'a' }], 'sk STRING'), 'lk = sk', 'full_outer'),
      'append',
      'FullOuter joins with streaming DataFrames/Datasets on the left and a static DataFrame/Dataset on the right is not supported',
    ],
    [
      'static-stream left outer',
      () => spark.createDataFrame([{ sk: 'a' }], 'sk STRING').join(new MemoryStream(spark, 'lk STRING').toDF(), 'lk = sk', 'left_outer'),
      'append',
      'LeftOuter join with a streaming DataFrame/Dataset on the right and a static DataFrame/Dataset on the left is not supported',
    ],
  ] as const)("rejects %s at start with Spark's message", async (_name, make, mode, message) => {
    await expect(make().writeStream.format('memory').queryName(`bad${mode}${message.length}`).outputMode(mode).start()).rejects.toMatchObject({
      code: 'UNSUPPORTED_OPERATION',
      message,
    });
  });

  it('rejects sides sharing a column name that is not a USING column', () => {
    const l = spark.createDataFrame([{ id: 1 }], 'id INT');
    const r = spark.createDataFrame([{ id: 1 }], 'id INT');
    expect(() => l.join(r, expr('id = id')).columns).toThrow(/ambiguous|same name/);
  });
});
