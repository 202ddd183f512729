/**
 * weir raises what pyspark 4.3.0 raised for the same query (tools/spark-errors/probe.py, its output committed as
 * probe-output.json): the same condition, SQLSTATE, message parameters and message, on the DataFrame face; and
 * the WeirError API has PySpark 4's getters.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Session, type DataFrame } from '../../index';
import { ErrorCodes, WeirError, sparkError } from '../../lib/errors';
import { col, session_window, window } from '../../lib/sql/functions';

interface ProbeCase {
  condition?: string | null;
  sqlState?: string | null;
  messageParameters?: Record<string, string>;
  message: string;
}
const PROBE = JSON.parse(readFileSync(join(__dirname, '../../tools/spark-errors/probe-output.json'), 'utf8')) as {
  spark: string;
  cases: Record<string, ProbeCase>;
};

let spark: Session;
beforeAll(() => {
  spark = Session.builder().appName('conditions').getOrCreate();
});
afterAll(() => spark.stop());

const rate = (): DataFrame => spark.readStream.format('rate').load();
let n = 0;
async function caught(run: () => unknown): Promise<WeirError> {
  try {
    const r = await run();
    if (r !== null && typeof r === 'object' && 'stop' in r && typeof (r as { stop: unknown }).stop === 'function') await (r as { stop(): Promise<void> }).stop();
  } catch (e) {
    expect(e).toBeInstanceOf(WeirError);
    return e as WeirError;
  }
  throw new Error('expected an error');
}
const start = (df: DataFrame, mode: 'append' | 'update' | 'complete') => () =>
  df.writeStream.format('memory').queryName(`conditions${(n += 1)}`).outputMode(mode).start();

/** What Spark raised: its condition, SQLSTATE, parameters and message, as weir's getters give them. */
function asSpark(name: string): Required<Omit<ProbeCase, 'condition'>> & { condition: string | null } {
  const c = PROBE.cases[name]!;
  return { condition: c.condition ?? null, sqlState: c.sqlState ?? null, messageParameters: c.messageParameters ?? {}, message: c.message };
}
function asWeir(e: WeirError) {
  return { condition: e.getCondition(), sqlState: e.getSqlState(), messageParameters: e.getMessageParameters(), message: e.message };
}

const CASES: Array<[string, () => unknown]> = [
  ['appendWithoutWatermark', () => start(rate().groupBy('value').count(), 'append')()],
  ['completeWithoutAggregation', () => start(rate(), 'complete')()],
  [
    'updateWithSessionWindow',
    () => start(rate().withWatermark('timestamp', '10 seconds').groupBy(session_window(col('timestamp'), '5 seconds'), col('value')).count(), 'update')(),
  ],
  ['withinWatermarkWithoutWatermark', () => start(rate().dropDuplicatesWithinWatermark(['value']), 'append')()],
  ['withinWatermarkOnBatch', () => spark.createDataFrame([{ id: 0 }, { id: 1 }, { id: 2 }]).dropDuplicatesWithinWatermark(['id']).collect()],
  ['streamingActionOnBatch', () => spark.createDataFrame([{ id: 0 }, { id: 1 }, { id: 2 }]).writeStream],
  ['batchActionOnStreaming', () => rate().collect()],
  ['unionStreamingBatch', () => start(rate().select('value').union(spark.createDataFrame([{ id: 0 }, { id: 1 }, { id: 2 }]).select(col('id').alias('value'))), 'append')()],
  ['sortStreaming', () => start(rate().orderBy('value'), 'append')()],
  ['limitUpdate', () => start(rate().groupBy('value').count().limit(3), 'update')()],
  [
    'joinFullOuterStreamStatic',
    () => start(rate().join(spark.createDataFrame([{ value: 0 }, { value: 1 }]), 'value', 'full_outer'), 'append')(),
  ],
  // weir rows hold one column per name: the right side's timestamp is renamed (Spark keeps both)
  ['joinStreamStreamOuterWithoutWatermark', () => start(rate().join(rate().withColumnRenamed('timestamp', 't2'), 'value', 'left_outer'), 'append')()],
  // weir resolves a column when the query starts, Spark when select() is called: the error is the same
  ['unresolvedColumn', () => start(rate().select('valu'), 'append')()],
  ['numColumnsMismatch', () => start(rate().union(rate().select('value')), 'append')()],
  // Not replayed: numColumnsMismatchThird. Spark's Dataset.union flattens a union of unions first, so it names the
  // third input; weir checks each nested union on its own and names the second.
];

describe(`weir raises what pyspark ${PROBE.spark} raised`, () => {
  it.each(CASES)('%s', async (name, run) => {
    expect(asWeir(await caught(run))).toEqual(asSpark(name));
  });

  it("DATA_SOURCE_NOT_FOUND (Spark's text, read from the JVM's message in the probe) for sources and sinks", async () => {
    const jvm = /\[DATA_SOURCE_NOT_FOUND\][^\n]*/.exec(PROBE.cases.dataSourceNotFound!.message)![0];
    const source = await caught(() => spark.readStream.format('nope').load());
    expect({ code: source.code, message: source.message, condition: source.getCondition() }).toEqual({
      code: 'DATA_SOURCE_NOT_FOUND',
      message: jvm,
      condition: 'DATA_SOURCE_NOT_FOUND',
    });
    const sink = await caught(() => rate().writeStream.format('nope').start());
    expect(sink.message).toBe(/\[DATA_SOURCE_NOT_FOUND\][^\n]*/.exec(PROBE.cases.sinkNotFound!.message)![0]);
    expect(sink.getMessageParameters()).toEqual({ provider: 'nope' });
  });

  it('PATH_NOT_FOUND and PATH_ALREADY_EXISTS (batch read and write)', async () => {
    expect(asWeir(await caught(() => spark.read.json('/tmp/weir-spark-errors-probe-missing')))).toEqual(asSpark('pathNotFound'));
    const exists = await caught(() => spark.createDataFrame([{ id: 0 }]).write.json('/tmp'));
    expect(asWeir(exists)).toEqual(asSpark('pathAlreadyExists'));
    expect(exists.code).toBe('PATH_ALREADY_EXISTS');
  });

  it('a windowed aggregation with a watermark in append mode raises nothing (the probe cases are not vacuous)', async () => {
    const q = await start(rate().withWatermark('timestamp', '10 seconds').groupBy(window(col('timestamp'), '5 seconds')).count(), 'append')();
    await q.stop();
  });
});

describe("WeirError: PySpark 4's getters", () => {
  it('sparkError fills the template and carries condition, SQLSTATE and parameters; code and context stay', () => {
    const e = sparkError(ErrorCodes.PATH_NOT_FOUND, 'PATH_NOT_FOUND', { path: 'file:/tmp/none' }, { context: { path: '/tmp/none', batchId: 3 } });
    expect(e).toBeInstanceOf(WeirError);
    expect(e.code).toBe('PATH_NOT_FOUND');
    expect(e.context).toEqual({ path: '/tmp/none', batchId: 3 });
    expect(e.message).toBe('[PATH_NOT_FOUND] Path does not exist: file:/tmp/none. SQLSTATE: 42K03');
    expect([e.getCondition(), e.condition, e.getSqlState(), e.getMessageParameters()]).toEqual([
      'PATH_NOT_FOUND',
      'PATH_NOT_FOUND',
      '42K03',
      { path: 'file:/tmp/none' },
    ]);
  });

  it('an error without a Spark condition has none (null, as PySpark\'s None)', () => {
    const e = new WeirError(ErrorCodes.CHECKPOINT_CORRUPT, 'offsets/3 fails its checksum');
    expect([e.getCondition(), e.getSqlState(), e.getMessageParameters()]).toEqual([null, null, null]);
  });

  it('a legacy condition has no SQLSTATE and no prefix', () => {
    const e = sparkError(ErrorCodes.UNSUPPORTED_OPERATION, '_LEGACY_ERROR_TEMP_3102', { msg: 'Not here' });
    expect([e.message, e.getCondition(), e.getSqlState()]).toEqual(['Not here', '_LEGACY_ERROR_TEMP_3102', null]);
  });

  it('a missing parameter or an unknown condition is refused', () => {
    expect(() => sparkError(ErrorCodes.PATH_NOT_FOUND, 'PATH_NOT_FOUND', {})).toThrow(/parameter 'path'/);
    expect(() => sparkError(ErrorCodes.INVALID_ARGUMENT, 'NOT_A_CONDITION_OF_SPARK', {})).toThrow(/not an error condition/);
  });
});
