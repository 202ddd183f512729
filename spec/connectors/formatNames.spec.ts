/**
 * The built-in format names through the one registry (connectors/registry.ts): found in any case as in Spark, a
 * format without the asked-for direction fails with Spark's "does not support streamed reading/writing", an
 * unknown or planned name is DATA_SOURCE_NOT_FOUND, typed options fail with Spark's texts.
 */
import { Session } from '../../index';
import { expectWeirError } from '../support/expectWeirError';

let spark: Session;
beforeAll(() => {
  spark = Session.builder().appName('formatNames').getOrCreate();
});
afterAll(() => spark.stop());

describe('the built-in formats through the same registry', () => {
  it('are found in any case (Spark compares format names case-insensitively)', async () => {
    const df = spark.readStream.format('RATE-MICRO-BATCH').option('rowsPerBatch', 2).load();
    const query = await df.writeStream.format('Memory').queryName('upper_case_memory').trigger({ once: true }).start();
    await query.awaitTermination();
    expect(await spark.table('upper_case_memory').count()).toBe(2);
    const noop = await df.writeStream.format('NOOP').start();
    await noop.stop();
  });

  it('a format that cannot be read or written as a stream fails with Spark\'s message', async () => {
    const read = await expectWeirError(() => spark.readStream.format('console').load(), 'UNSUPPORTED_OPERATION');
    expect(read.message).toBe('Data source console does not support streamed reading');
    const rate = spark.readStream.format('rate').load();
    const write = await expectWeirError(() => rate.writeStream.format('socket').start(), 'UNSUPPORTED_OPERATION');
    expect(write.message).toBe('Data source socket does not support streamed writing');
    const batch = await expectWeirError(() => spark.read.format('rate').load(), 'UNSUPPORTED_OPERATION');
    expect(batch.message).toBe('Data source rate does not support batch reading');
  });

  it('an unknown or planned name is DATA_SOURCE_NOT_FOUND', async () => {
    const sink = await expectWeirError(() => spark.readStream.format('rate').load().writeStream.format('nope').start(), 'DATA_SOURCE_NOT_FOUND');
    // Spark's text; what weir has is context.
    expect(sink.message).toBe('[DATA_SOURCE_NOT_FOUND] Failed to find the data source: nope. Make sure the provider name is correct and the package is properly registered and compatible with your Spark version. SQLSTATE: 42K02');
    expect(sink.context.available).toBe('text, csv, json, parquet, kafka, memory, console, noop, foreach, foreachBatch, delta');
    const orc = await expectWeirError(() => spark.read.format('ORC').load('/tmp/x'), 'DATA_SOURCE_NOT_FOUND');
    expect(orc.message).toBe('[DATA_SOURCE_NOT_FOUND] Failed to find the data source: ORC. Make sure the provider name is correct and the package is properly registered and compatible with your Spark version. SQLSTATE: 42K02');
    expect(orc.context.planned).toBe(true);
  });

  it('a bad typed option is Spark\'s NumberFormatException text with the option in the context', async () => {
    const e = await expectWeirError(() => spark.readStream.format('rate').option('rowsPerSecond', 'ten').load(), 'INVALID_ARGUMENT');
    expect(e.message).toBe('For input string: "ten"');
    expect(e.context).toMatchObject({ option: 'rowsPerSecond', value: 'ten' });
    const b = await expectWeirError(() => spark.readStream.format('socket').option('host', 'h').option('port', 1).option('includeTimestamp', 'yes').load(), 'INVALID_ARGUMENT');
    expect(b.message).toBe('yes is not a boolean string.');
  });
});
