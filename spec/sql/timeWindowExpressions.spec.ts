/**
 * Time windows over expressions, as Spark runs them (issue #17 items 4 and 5): a session window whose gap is a
 * per-row expression (rows whose gap is null or not positive get no session), and `window()` over an expression
 * (`window(window_time(window), ...)`, Spark's documented way to chain time-window aggregations).
 */
import { MemoryStream, Session } from '../../index';
import { col, count, session_window, sum, when, window, window_time } from '../../lib/sql/functions';

let spark: Session;
beforeAll(() => {
  spark = Session.builder().appName('timeWindowExpressions').getOrCreate();
});
afterAll(() => spark.stop());

const T = (s: number): string => new Date(Date.UTC(2024, 0, 1) + s * 1000).toISOString();
const D = (s: number): Date => new Date(Date.UTC(2024, 0, 1) + s * 1000);

describe('time windows over expressions', () => {
  it('session_window with a gap expression: each row its own gap; a null or non-positive gap drops the row', async () => {
    const events = new MemoryStream(spark, 'k STRING, ts TIMESTAMP');
    const gap = when(col('k').eq('a'), '5 seconds').when(col('k').eq('b'), '20 seconds').when(col('k').eq('z'), '-1 second');
    const sessions = events
      .toDF()
      .withWatermark('ts', '1 second')
      .groupBy(session_window(col('ts'), gap), col('k'))
      .agg(count('*').alias('n'));
    const query = await sessions.writeStream.format('memory').queryName('gapSessions').outputMode('append').start();
    // a: 0 and 10 are 10 s apart, more than a's 5 s gap: two sessions; b: 0 and 10 within 20 s: one session.
    events.addData(
      { k: 'a', ts: T(0) },
      { k: 'a', ts: T(10) },
      { k: 'b', ts: T(0) },
      { k: 'b', ts: T(10) },
      { k: 'z', ts: T(0) },
      { k: 'q', ts: T(0) },
    );
    await query.processAllAvailable();
    events.addData({ k: 'c', ts: T(100) });
    await query.processAllAvailable();
    const rows = (await spark.table('gapSessions').collect()).map((r) => ({
      k: r.k,
      start: (r.session_window as { start: Date }).start,
      end: (r.session_window as { end: Date }).end,
      n: r.n,
    }));
    await query.stop();
    expect(rows.sort((x, y) => `${String(x.k)}${x.start.toISOString()}`.localeCompare(`${String(y.k)}${y.start.toISOString()}`))).toEqual([
      { k: 'a', start: D(0), end: D(5), n: 1 },
      { k: 'a', start: D(10), end: D(15), n: 1 },
      { k: 'b', start: D(0), end: D(30), n: 2 },
    ]);
  });

  it('window() over window_time(window): a chained time-window aggregation in append mode', async () => {
    const events = new MemoryStream(spark, 'ts TIMESTAMP, v INT');
    const perFive = events
      .toDF()
      .withWatermark('ts', '1 second')
      .groupBy(window(col('ts'), '5 seconds'))
      .agg(sum('v').alias('v'));
    const perTen = perFive.groupBy(window(window_time(col('window')), '10 seconds')).agg(sum('v').alias('total'));
    const query = await perTen.writeStream.format('memory').queryName('chainedWindows').outputMode('append').start();
    events.addData({ ts: T(1), v: 1 }, { ts: T(6), v: 2 }, { ts: T(12), v: 4 });
    await query.processAllAvailable();
    events.addData({ ts: T(40), v: 8 });
    await query.processAllAvailable();
    events.addData({ ts: T(60), v: 16 });
    await query.processAllAvailable();
    const rows = (await spark.table('chainedWindows').collect()).map((r) => ({ start: (r.window as { start: Date }).start, total: r.total }));
    await query.stop();
    expect(rows.sort((x, y) => x.start.getTime() - y.start.getTime())).toEqual([
      { start: D(0), total: 3 },
      { start: D(10), total: 4 },
      // ts 60 moves the watermark to 59: [40, 45) closes in the first aggregation, then [40, 50) in the second.
      { start: D(40), total: 8 },
    ]);
  });
});
