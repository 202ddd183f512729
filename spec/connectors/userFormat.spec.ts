/**
 * A user's own format through the DataFrame face (Spark's `spark.readStream.format("my.package")`): registered
 * with `registerDataSource`, looked up case-insensitively by `readStream`, `writeStream`, `read` and `write`,
 * handed its options as one case-insensitive map (the built-in names: formatNames.spec.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { from } from 'rxjs';
import { CaseInsensitiveStringMap, registerDataSource, Session, type DataSourceProvider } from '../../index';
import type { Offset, Row, Sink, Source } from '../../lib/contracts';
import { toSchema } from '../../lib/values/types';
import { expectWeirError } from '../support/expectWeirError';

/** A replayable source of `count` rows `{ n, label }`, all available at once; offsets are row counts. */
function countingSource(count: number, label: string): Source<Row> {
  const rows = Array.from({ length: count }, (_, i) => ({ n: i + 1, label }));
  return {
    description: `Counting[count=${count}]`,
    open: async () => undefined,
    initialOffset: async () => 0,
    latestOffset: async () => count,
    read: (start: Offset, end: Offset) => from(rows.slice(Number(start), Number(end))),
    commit: async () => undefined,
    stop: async () => undefined,
  };
}

/** What the user sink received, by batch id (a re-run batch replaces its rows: idempotent). */
const written = new Map<string, Map<number, readonly Row[]>>();
const savedBatches = new Map<string, { rows: readonly Row[]; mode: string }>();
const seenOptions: CaseInsensitiveStringMap[] = [];

function collectingSink(table: string): Sink<Row> {
  const batches = written.get(table) ?? new Map<number, readonly Row[]>();
  written.set(table, batches);
  return {
    description: `Collecting[${table}]`,
    addBatch: async (batchId, rows) => {
      batches.set(batchId, [...rows]);
    },
  };
}

const counting: DataSourceProvider = {
  shortName: 'my.package.counting',
  aliases: ['counting'],
  options: ['count', 'label', 'table'],
  sourceSchema: () => toSchema('n BIGINT, label STRING'),
  createSource: (options) => {
    seenOptions.push(options);
    return countingSource(options.getLong('count', 3), options.getString('label', 'none'));
  },
  createSink: (options) => {
    const table = options.get('table');
    if (table === undefined) throw new Error('table option missing');
    return collectingSink(table);
  },
  createRelation: (options) => ({
    schema: toSchema('n BIGINT, label STRING'),
    name: 'counting',
    rows: () => Array.from({ length: options.getInt('count', 2) }, (_, i) => ({ n: i + 1, label: 'batch' })),
  }),
  saveBatch: async (options, ctx) => {
    savedBatches.set(options.get('table') ?? '?', { rows: await ctx.collect(), mode: ctx.mode });
  },
};

let spark: Session;
let unregister: () => void;
let dir: string;
const checkpoint = (name: string) => path.join(dir, name);
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'weir-user-format-'));
  spark = Session.builder().appName('userFormat').getOrCreate();
  unregister = registerDataSource(counting);
});
afterAll(async () => {
  unregister();
  await spark.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a registered user format', () => {
  it('reads with readStream.format(name) and writes with writeStream.format(name), options in any case', async () => {
    const df = spark.readStream.format('My.Package.Counting').option('COUNT', 4).option('Label', 'x').load();
    expect(df.isStreaming).toBe(true);
    expect(df.columns).toEqual(['n', 'label']);
    const query = await df
      .filter('n % 2 = 0')
      .writeStream.format('COUNTING')
      .option('Table', 'evens')
      .option('CHECKPOINTLOCATION', checkpoint('evens'))
      .start();
    await query.processAllAvailable();
    await query.stop();
    const rows = [...(written.get('evens')?.values() ?? [])].flat();
    expect(rows).toEqual([
      { n: 2, label: 'x' },
      { n: 4, label: 'x' },
    ]);
    // The provider got Spark's string options, keys as the user wrote them, looked up in any case.
    const options = seenOptions[seenOptions.length - 1]!;
    expect(options.keys()).toEqual(['COUNT', 'Label']);
    expect(options.get('count')).toBe('4');
    expect(options.getLong('Count', 0)).toBe(4);
  });

  it('each started query gets its own source (createSource per query, besides the one at load)', async () => {
    const before = seenOptions.length;
    const df = spark.readStream.format('counting').option('count', 1).load();
    expect(seenOptions.length).toBe(before + 1);
    for (const table of ['q1', 'q2']) {
      const q = await df.writeStream.format('counting').option('table', table).option('checkpointLocation', checkpoint(table)).start();
      await q.processAllAvailable();
      await q.stop();
    }
    expect(seenOptions.length).toBe(before + 3);
    expect([...(written.get('q1')?.values() ?? [])].flat()).toEqual([{ n: 1, label: 'none' }]);
    expect([...(written.get('q2')?.values() ?? [])].flat()).toEqual([{ n: 1, label: 'none' }]);
  });

  it('reads and writes batch DataFrames with read.format(name) and write.format(name)', async () => {
    const df = spark.read.format('counting').option('count', 3).load();
    expect(await df.collect()).toEqual([
      { n: 1, label: 'batch' },
      { n: 2, label: 'batch' },
      { n: 3, label: 'batch' },
    ]);
    await df.filter('n > 1').write.format('Counting').mode('append').option('table', 'saved').save();
    expect(savedBatches.get('saved')).toEqual({ rows: [{ n: 2, label: 'batch' }, { n: 3, label: 'batch' }], mode: 'append' });
  });

  it('refuses a user schema unless the provider supports one, and a taken name', async () => {
    const e = await expectWeirError(() => spark.readStream.format('counting').schema('n BIGINT').load(), 'UNSUPPORTED_OPERATION');
    expect(e.message).toBe('The counting source does not support a user-specified schema.');
    const taken = await expectWeirError(() => registerDataSource({ ...counting, aliases: [] }), 'INVALID_ARGUMENT');
    expect(taken.message).toContain('my.package.counting');
    const builtin = await expectWeirError(() => registerDataSource({ shortName: 'KAFKA', createSink: () => collectingSink('k') }), 'INVALID_ARGUMENT');
    expect(builtin.context.format).toBe('KAFKA');
  });

  it('is gone after unregistering: DATA_SOURCE_NOT_FOUND with Spark text', async () => {
    const again = registerDataSource({ shortName: 'ephemeral', createSink: () => collectingSink('e') });
    again();
    const e = await expectWeirError(() => spark.readStream.format('ephemeral').load(), 'DATA_SOURCE_NOT_FOUND');
    expect(e.message).toBe('[DATA_SOURCE_NOT_FOUND] Failed to find the data source: ephemeral. Make sure the provider name is correct and the package is properly registered and compatible with your Spark version. SQLSTATE: 42K02');
    expect(e.context.available).toBe('rate, rate-micro-batch, socket, text, csv, json, parquet, kafka, my.package.counting');
  });
});
