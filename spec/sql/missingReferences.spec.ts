/**
 * Spark's ResolveMissingReferences (a filter or sort on a column a projection dropped), the SQL words Spark reads
 * as column names (`time`, `date`, `timestamp`, `window.end`), and `show()`'s DOUBLE cells, found by porting
 * ../shared/seeds (spec/seeds). Every expectation was checked against Apache Spark 4.0.1.
 */
import { MemoryStream, Session } from '../../index';
import { col } from '../../lib/sql/functions';

let spark: Session;
beforeAll(() => {
  spark = Session.builder().appName('missingReferences').getOrCreate();
});
afterAll(() => spark.stop());

const devices = () =>
  spark.createDataFrame(
    [
      { device: 'd1', signal: 5.0, time: '2024-01-01 10:00:30' },
      { device: 'd2', signal: 15.0, time: '2024-01-01 10:00:10' },
      { device: 'd3', signal: 20.0, time: '2024-01-01 10:01:10' },
    ],
    'device STRING, signal DOUBLE, time STRING',
  );

describe('a filter or sort on a column the projection dropped', () => {
  it('select("device").where("signal > 10") filters on the dropped column and keeps only device', async () => {
    const df = devices().select('device').where('signal > 10');
    expect(df.columns).toEqual(['device']);
    expect(await df.collect()).toEqual([{ device: 'd2' }, { device: 'd3' }]);
    expect(await devices().select(col('device')).filter(col('signal').lt(10)).collect()).toEqual([{ device: 'd1' }]);
  });

  it('select("device").orderBy("time") sorts by the dropped column', async () => {
    expect(await devices().select('device').orderBy('time').collect()).toEqual([{ device: 'd2' }, { device: 'd1' }, { device: 'd3' }]);
    expect(await devices().select('device').orderBy(col('signal').desc()).collect()).toEqual([{ device: 'd3' }, { device: 'd2' }, { device: 'd1' }]);
  });

  it('works on a streaming DataFrame', async () => {
    const input = new MemoryStream(spark, 'device STRING, signal DOUBLE');
    const query = await input.toDF().select('device').where('signal > 10').writeStream.format('memory').queryName('strong').start();
    input.addData({ device: 'a', signal: 11 }, { device: 'b', signal: 1 });
    await query.processAllAvailable();
    expect(await spark.table('strong').collect()).toEqual([{ device: 'a' }]);
    await query.stop();
  });

  it('a column that exists nowhere still fails with the projection\'s columns as suggestions', () => {
    expect(() => devices().select('device').where('nope > 1').schema).toThrow(
      '[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column, variable, or function parameter with name `nope` cannot be resolved. Did you mean one of the following? [`device`]. SQLSTATE: 42703',
    );
  });

  it('SQL: ORDER BY a column that is not selected', async () => {
    devices().createOrReplaceTempView('devices');
    expect(await spark.sql('SELECT device FROM devices ORDER BY time').collect()).toEqual([{ device: 'd2' }, { device: 'd1' }, { device: 'd3' }]);
  });
});

describe('SQL words that are column names in Spark', () => {
  it('time, date and timestamp alone are columns, not calls', async () => {
    spark.createDataFrame([{ time: 't', date: 'd', timestamp: 's' }], 'time STRING, date STRING, timestamp STRING').createOrReplaceTempView('words');
    const df = spark.sql('SELECT time, date, timestamp FROM words WHERE time = \'t\' ORDER BY date');
    expect(df.columns).toEqual(['time', 'date', 'timestamp']);
    expect(await df.collect()).toEqual([{ time: 't', date: 'd', timestamp: 's' }]);
  });

  it('window.end is the field end (and ".end" inside a string literal is left alone)', async () => {
    spark
      .createDataFrame([{ w: { start: new Date(0), end: new Date(60_000) }, s: 'x.end' }], 'w STRUCT<start: TIMESTAMP, end: TIMESTAMP>, s STRING')
      .createOrReplaceTempView('windows');
    const df = spark.sql("SELECT w.start, w.end, s FROM windows WHERE s = 'x.end'");
    expect(df.columns).toEqual(['start', 'end', 's']);
    expect(await df.collect()).toEqual([{ start: new Date(0), end: new Date(60_000), s: 'x.end' }]);
  });
});

describe('show() prints DOUBLE and FLOAT cells as Spark does', () => {
  it('whole doubles keep ".0"; large ones use Java\'s notation; nulls stay NULL', async () => {
    const df = spark.createDataFrame(
      [
        { total: 500, n: 2, f: 1.5 },
        { total: 1.5e7, n: 1, f: null },
      ],
      'total DOUBLE, n BIGINT, f FLOAT',
    );
    expect(await df.show()).toBe(['+-----+---+----+', '|total|  n|   f|', '+-----+---+----+', '|500.0|  2| 1.5|', '|1.5E7|  1|NULL|', '+-----+---+----+', ''].join('\n'));
  });
});
