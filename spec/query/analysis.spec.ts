/**
 * Analysis at start (Spark's UnsupportedOperationChecker): each rejected query shape fails `startQuery` with
 * the weir code and Spark's message text, before any batch runs.
 */
import { MemoryStream, startQuery, type Row } from '../../index';
import { count, groupByKey, sessionWindow, window, withWatermark, agg, aggregate as A } from '../../operators';
import { memorySink } from '../../sinks';
import { COMPLETE_WITHOUT_AGGREGATION } from '../../lib/query/startQuery';
import { WeirError } from '../../lib/errors';
import { rows } from '../../operators';
import { map } from 'rxjs';

async function startError(pipeline: unknown[], outputMode: 'append' | 'update' | 'complete', conf: Record<string, string> = {}) {
  const input = new MemoryStream<Row>();
  try {
    const q = await startQuery({ source: input, pipeline: pipeline as never, sink: memorySink({ name: 'analysis' }), outputMode, conf });
    await q.stop();
    return undefined;
  } catch (e) {
    return e as { code: string; message: string };
  }
}

describe('analysis at start', () => {
  it('append with an aggregation without watermark', async () => {
    const e = (await startError([groupByKey('word'), count()], 'append')) as WeirError;
    expect(e).toBeInstanceOf(WeirError);
    // Spark 4.3.0 (tools/spark-errors/probe-output.json): the condition, its SQLSTATE and parameters, as PySpark's getters.
    expect(e.getCondition()).toBe('STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION');
    expect(e.getSqlState()).toBe('42KDE');
    expect(e.getMessageParameters()).toEqual({ operation: 'streaming aggregations without watermark', outputMode: 'append' });
    expect(e).toMatchObject({
      code: 'UNSUPPORTED_OPERATION',
      message: expect.stringContaining(
        '[STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION] Invalid streaming output mode: append. This output mode is not supported for streaming aggregations without watermark on streaming DataFrames/DataSets. SQLSTATE: 42KDE',
      ),
    });
  });

  it('append with a watermark on a column that is not a grouping key', async () => {
    expect(await startError([withWatermark('ts', '1 second'), groupByKey('word'), count()], 'append')).toMatchObject({
      code: 'UNSUPPORTED_OPERATION',
    });
  });

  it('complete mode without an aggregation', async () => {
    expect(await startError([rows(map((r: Row) => r))], 'complete')).toMatchObject({
      code: 'UNSUPPORTED_OPERATION',
      message: COMPLETE_WITHOUT_AGGREGATION.message,
    });
  });

  it('update mode with a session window', async () => {
    expect(
      await startError([withWatermark('ts', '1 second'), sessionWindow('ts', '5 seconds'), groupByKey('k', 'session_window'), count()], 'update'),
    ).toMatchObject({ code: 'UNSUPPORTED_OPERATION', message: expect.stringContaining('[STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION] Invalid streaming output mode: update. This output mode is not supported for session window streaming aggregations on streaming DataFrames/DataSets. SQLSTATE: 42KDE') });
  });

  it('a session window without another grouping key', async () => {
    expect(
      await startError([withWatermark('ts', '1 second'), sessionWindow('ts', '5 seconds'), groupByKey('session_window'), count()], 'append'),
    ).toMatchObject({ code: 'UNSUPPORTED_OPERATION', message: expect.stringContaining('Global aggregation with session window') });
  });

  it('chained aggregations outside append mode (global watermark correctness check), unless disabled', async () => {
    const chain = () => [
      withWatermark('ts', '1 second'),
      window('ts', '10 seconds'),
      groupByKey('window', 'word'),
      count(),
      window('window', '20 seconds'),
      groupByKey('window', 'word'),
      agg({ total: A.sum('count') }),
    ];
    expect(await startError(chain(), 'update')).toMatchObject({
      code: 'UNSUPPORTED_OPERATION',
      message: expect.stringContaining("Detected pattern of possible 'correctness' issue due to global watermark"),
    });
    expect(await startError(chain(), 'append')).toBeUndefined();
    expect(await startError(chain(), 'update', { 'spark.sql.streaming.statefulOperator.checkCorrectness.enabled': 'false' })).toBeUndefined();
  });

  it('accepts the supported shapes', async () => {
    expect(await startError([withWatermark('ts', '1 second'), window('ts', '10 seconds'), groupByKey('window'), count()], 'append')).toBeUndefined();
    expect(await startError([groupByKey('word'), count()], 'update')).toBeUndefined();
    expect(await startError([groupByKey('word'), count()], 'complete')).toBeUndefined();
  });
});
