/**
 * The unsupported-operation rules of SEMANTICS.md §3 that apply to what weir has, on the DataFrame face: one
 * test per rule, asserting the weir code and Spark's message text.
 */
import { MemoryStream, Session, type DataFrame } from '../../index';
import { col, countDistinct, session_window, window } from '../../lib/sql/functions';

let spark: Session;
beforeAll(() => {
  spark = Session.builder().appName('analysis').getOrCreate();
});
afterAll(() => spark.stop());

const stream = () => new MemoryStream(spark, 'word STRING, ts TIMESTAMP, v INT').toDF();
let n = 0;
async function startError(df: DataFrame, mode: 'append' | 'update' | 'complete'): Promise<{ code: string; message: string } | undefined> {
  try {
    const q = await df.writeStream.format('memory').queryName(`analysis${(n += 1)}`).outputMode(mode).start();
    await q.stop();
    return undefined;
  } catch (e) {
    return e as { code: string; message: string };
  }
}

describe('UnsupportedOperationChecker rules (DataFrame face)', () => {
  it('writeStream on a batch DataFrame / batch actions on a streaming one', async () => {
    expect(() => spark.createDataFrame([{ a: 1 }]).writeStream).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_OPERATION' }));
    await expect(stream().count()).rejects.toMatchObject({
      code: 'UNSUPPORTED_OPERATION',
      message: expect.stringContaining('Queries with streaming sources must be executed with writeStream.start(), or from a streaming table or flow definition within a Spark Declarative Pipeline.'),
    });
  });

  it('append mode with an aggregation without watermark', async () => {
    expect(await startError(stream().groupBy('word').count(), 'append')).toMatchObject({
      code: 'UNSUPPORTED_OPERATION',
      message: expect.stringContaining(
        '[STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION] Invalid streaming output mode: append. This output mode is not supported for streaming aggregations without watermark on streaming DataFrames/DataSets. SQLSTATE: 42KDE',
      ),
    });
  });

  it('complete mode without an aggregation', async () => {
    expect(await startError(stream().select('word'), 'complete')).toMatchObject({
      code: 'UNSUPPORTED_OPERATION',
      message: expect.stringContaining('[STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION] Invalid streaming output mode: complete. This output mode is not supported for no streaming aggregations on streaming DataFrames/DataSets. SQLSTATE: 42KDE'),
    });
  });

  it('update mode with a session window, and a session window without another key', async () => {
    const sessions = stream().withWatermark('ts', '1 minute');
    expect(await startError(sessions.groupBy(session_window(col('ts'), '5 minutes'), col('word')).count(), 'update')).toMatchObject({
      code: 'UNSUPPORTED_OPERATION',
      message: expect.stringContaining('[STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION] Invalid streaming output mode: update. This output mode is not supported for session window streaming aggregations on streaming DataFrames/DataSets. SQLSTATE: 42KDE'),
    });
    expect(await startError(sessions.groupBy(session_window(col('ts'), '5 minutes')).count(), 'append')).toMatchObject({
      code: 'UNSUPPORTED_OPERATION',
      message: expect.stringContaining('Global aggregation with session window in streaming query is not supported'),
    });
  });

  it('distinct aggregations', async () => {
    expect(await startError(stream().groupBy('word').agg(countDistinct('v')), 'update')).toMatchObject({
      code: 'UNSUPPORTED_OPERATION',
      message: expect.stringContaining(
        'Distinct aggregations are not supported on streaming DataFrames/Datasets. Consider using approx_count_distinct() instead.',
      ),
    });
  });

  it('sorting unless aggregated in complete mode', async () => {
    expect(await startError(stream().orderBy('word'), 'append')).toMatchObject({
      code: 'UNSUPPORTED_OPERATION',
      message: expect.stringContaining(
        'Sorting is not supported on streaming DataFrames/Datasets, unless it is on aggregated DataFrame/Dataset in Complete output mode',
      ),
    });
    expect(await startError(stream().groupBy('word').count().orderBy('word'), 'complete')).toBeUndefined();
  });

  it('limit in update mode', async () => {
    expect(await startError(stream().groupBy('word').count().limit(3), 'update')).toMatchObject({
      code: 'UNSUPPORTED_OPERATION',
      message: expect.stringContaining('Limits are not supported on streaming DataFrames/Datasets in Update output mode'),
    });
  });

  it('union between streaming and batch DataFrames', async () => {
    expect(await startError(stream().union(spark.createDataFrame([{ word: 'x', ts: new Date(0), v: 1 }], 'word STRING, ts TIMESTAMP, v INT')), 'append')).toMatchObject({
      code: 'UNSUPPORTED_OPERATION',
      message: 'Union between streaming and batch DataFrames/Datasets is not supported',
    });
  });

  it('multiple time windows in one aggregation', async () => {
    const df = stream().withWatermark('ts', '1 minute');
    expect(await startError(df.groupBy(window(col('ts'), '1 minute'), window(col('ts'), '2 minutes')).count(), 'append')).toMatchObject({
      code: 'UNSUPPORTED_OPERATION',
      message: expect.stringContaining('Multiple time/session window expressions would result in a cartesian product of rows'),
    });
  });

  it("a stateful operator after an aggregation outside append mode (Spark's global watermark check)", async () => {
    const first = stream().withWatermark('ts', '10 seconds').groupBy(window(col('ts'), '10 seconds'), col('word')).count();
    const chained = first.groupBy(window(col('window'), '20 seconds'), col('word')).count();
    expect(await startError(chained, 'update')).toMatchObject({
      code: 'UNSUPPORTED_OPERATION',
      message: expect.stringContaining("Detected pattern of possible 'correctness' issue due to global watermark"),
    });
    expect(await startError(chained, 'append')).toBeUndefined();
  });
});
