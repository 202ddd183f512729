/**
 * The DataFrame face over files: readStream/writeStream with the file source and sink, session.read and
 * DataFrameWriter, sharing the same formats.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Session } from '../../lib/sql/dataframe/Session';
import { col, window } from '../../lib/sql/functions';
import { expectWeirError } from '../support/expectWeirError';
import { tempDirs } from './support';

function putJson(dir: string, name: string, lines: object[], mtimeSec: number): void {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  utimesSync(file, mtimeSec, mtimeSec);
}

describe('files through the DataFrame face', () => {
  const temp = tempDirs('df-files');
  let session: Session;
  beforeEach(() => {
    session = Session.builder().appName('files').getOrCreate();
  });
  afterEach(async () => {
    await session.stop();
  });

  it('JSON files → filter → 1-minute window count → Parquet sink; restart appends only new windows; read back with session.read', async () => {
    const root = temp();
    const input = path.join(root, 'in');
    const out = path.join(root, 'out');
    const checkpoint = path.join(root, 'cp');
    const minute = (m: number, s = 0) => new Date(Date.UTC(2024, 0, 1, 0, m, s)).toISOString();
    putJson(input, 'a.json', [{ ts: minute(0, 1), level: 'error' }, { ts: minute(0, 2), level: 'info' }, { ts: minute(0, 30), level: 'error' }], 1_700_000_001);
    putJson(input, 'b.json', [{ ts: minute(1, 5), level: 'error' }, { ts: minute(3, 0), level: 'error' }], 1_700_000_002);
    const start = () =>
      session.readStream
        .schema('ts TIMESTAMP, level STRING')
        .json(input)
        .filter("level = 'error'")
        .withWatermark('ts', '1 minute')
        .groupBy(window(col('ts'), '1 minute'))
        .count()
        .select(col('window.start').alias('start'), col('count'))
        .writeStream.format('parquet')
        .outputMode('append')
        .option('checkpointLocation', checkpoint)
        .start(out);
    let query = await start();
    await query.processAllAvailable();
    await query.stop();
    // The watermark (03:00 - 1 min) closed the windows of minutes 0 and 1.
    let rows = await session.read.parquet(out).collect();
    expect(rows.map((r) => [(r.start as Date).toISOString(), r.count]).sort()).toEqual([
      [minute(0), 2],
      [minute(1), 1],
    ]);
    putJson(input, 'c.json', [{ ts: minute(10), level: 'error' }], 1_700_000_003);
    query = await start();
    await query.processAllAvailable();
    await query.stop();
    rows = await session.read.parquet(out).collect();
    expect(rows.map((r) => [(r.start as Date).toISOString(), r.count]).sort()).toEqual([
      [minute(0), 2],
      [minute(1), 1],
      [minute(3), 1],
    ]);
    expect(readdirSync(path.join(out, '_spark_metadata')).length).toBeGreaterThanOrEqual(2);
  });

  it("refuses other output modes, a missing path and a missing schema with Spark's errors", async () => {
    const root = temp();
    const input = path.join(root, 'in');
    putJson(input, 'a.json', [{ n: 1 }], 1_700_000_001);
    const df = session.readStream.schema('n BIGINT').json(input);
    const agg = df.groupBy('n').count();
    const e = await expectWeirError(
      () => agg.writeStream.format('json').outputMode('update').option('checkpointLocation', path.join(root, 'cp')).start(path.join(root, 'out')),
      'UNSUPPORTED_OUTPUT_MODE',
    );
    expect(e.message).toBe('Data source json does not support Update output mode');
    await expectWeirError(() => df.writeStream.format('csv').option('checkpointLocation', path.join(root, 'cp')).start(), 'MISSING_OPTION');
    await expectWeirError(() => session.readStream.format('json').load(), 'MISSING_OPTION');
    const noSchema = await expectWeirError(() => session.readStream.json(input), 'INVALID_ARGUMENT');
    expect(noSchema.message).toContain('Schema must be specified when creating a streaming source DataFrame');
    session.conf.set('spark.sql.streaming.schemaInference', 'true');
    expect(session.readStream.json(input).columns).toEqual(['n']);
  });

  it('readStream passes Spark option strings to the file source (CSV with header, partitions, limits, cleanSource)', async () => {
    const root = temp();
    const input = path.join(root, 'in');
    for (let i = 0; i < 3; i++) {
      const dir = path.join(input, `day=2024-01-0${i + 1}`);
      mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `f${i}.csv`);
      writeFileSync(file, `id;name\n${i};n${i}\n`);
      utimesSync(file, 1_700_000_000 + i, 1_700_000_000 + i);
    }
    const df = session.readStream
      .format('csv')
      .schema('id INT, name STRING')
      .options({ header: true, sep: ';', maxFilesPerTrigger: 1, LATESTFIRST: 'true', maxFileAge: '30d', cleanSource: 'DELETE' })
      .load(input);
    expect(df.columns).toEqual(['id', 'name', 'day']);
    const seen: Array<{ batchId: number; ids: number[] }> = [];
    const query = await df.writeStream
      .foreachBatch(async (batch, batchId) => {
        seen.push({ batchId, ids: (await batch.collect()).map((r) => r.id as number) });
      })
      .option('checkpointLocation', path.join(root, 'cp'))
      .start();
    await query.processAllAvailable();
    await query.stop();
    expect(seen.filter((b) => b.ids.length > 0).map((b) => b.ids)).toEqual([[2], [1], [0]]); // one file per batch, newest first
    // cleanSource=delete removed every file once its batch was committed
    const left = readdirSync(input, { recursive: true, encoding: 'utf8' }).filter((p) => p.endsWith('.csv'));
    expect(left).toEqual([]);
    await expectWeirError(() => session.readStream.format('json').schema('a INT').option('maxFilesPerTrigger', 'many').load(input), 'INVALID_ARGUMENT');
    await expectWeirError(() => session.readStream.format('json').schema('a INT').option('maxFileAge', 'forever').load(input), 'INVALID_ARGUMENT');
  });

  it('spark.sql.streaming.fileSource.log.compactInterval: the seen-files log compacts, and restarts read every file exactly once', async () => {
    const root = temp();
    const input = path.join(root, 'in');
    const out = path.join(root, 'out');
    const checkpoint = path.join(root, 'cp');
    session.conf.set('spark.sql.streaming.fileSource.log.compactInterval', '2');
    const start = () =>
      session.readStream
        .schema('id BIGINT')
        .option('maxFilesPerTrigger', 1)
        .json(input)
        .writeStream.format('json')
        .option('checkpointLocation', checkpoint)
        .start(out);
    for (let k = 0; k < 5; k++) putJson(input, `f${k}.json`, [{ id: k }], 1_700_000_000 + k);
    for (let run = 0; run < 3; run++) {
      const query = await start();
      await query.processAllAvailable();
      await query.stop();
      for (let k = 5 + run * 3; k < 8 + run * 3; k++) putJson(input, `f${k}.json`, [{ id: k }], 1_700_000_000 + k);
    }
    const query = await start();
    await query.processAllAvailable();
    await query.stop();
    const ids = (await session.read.json(out).collect()).map((r) => r.id as number).sort((a, b) => a - b);
    expect(ids).toEqual(Array.from({ length: 14 }, (_, k) => k));
    const logFiles = readdirSync(path.join(checkpoint, 'sources', '0'));
    expect(logFiles).toContain('13.compact');
    expect(logFiles.filter((f) => f.endsWith('.compact')).length).toBeGreaterThanOrEqual(2);
  });

  it('session.read: formats, options, PATH_NOT_FOUND, schema inference and partition columns', async () => {
    const root = temp();
    await expectWeirError(() => session.read.json(path.join(root, 'missing')), 'PATH_NOT_FOUND');
    const csvDir = path.join(root, 'csv', 'k=7');
    mkdirSync(csvDir, { recursive: true });
    writeFileSync(path.join(csvDir, 'a.csv'), 'a;b\n1;x\n2;y\n');
    const df = session.read.option('header', true).option('sep', ';').option('inferSchema', true).csv(path.join(root, 'csv'));
    expect(df.schema.simpleString()).toBe('struct<a:int,b:string,k:int>');
    expect(await df.collect()).toEqual([
      { a: 1, b: 'x', k: 7 },
      { a: 2, b: 'y', k: 7 },
    ]);
    writeFileSync(path.join(root, 'lines.txt'), 'one\ntwo\n');
    expect(await session.read.text(path.join(root, 'lines.txt')).collect()).toEqual([{ value: 'one' }, { value: 'two' }]);
  });

  it('session.read returns a DataFrame synchronously; files listed at load() are read by each action', async () => {
    const root = temp();
    const dir = path.join(root, 'in');
    putJson(dir, 'a.json', [{ n: 1 }], 1_700_000_001);
    const df = session.read.schema('n BIGINT').json(dir);
    expect(df).not.toBeInstanceOf(Promise);
    expect(df.isStreaming).toBe(false);
    expect(df.columns).toEqual(['n']);
    // Nothing was read at load(): the file's content at action time is what counts, and every action reads again.
    putJson(dir, 'a.json', [{ n: 1 }, { n: 2 }], 1_700_000_001);
    expect(await df.count()).toBe(2);
    putJson(dir, 'a.json', [{ n: 1 }, { n: 2 }, { n: 3 }], 1_700_000_001);
    expect((await df.filter('n > 1').collect()).map((r) => r.n)).toEqual([2, 3]);
    // The listing is load()'s (Spark's InMemoryFileIndex): a file added later is not in this DataFrame, but in a new one.
    putJson(dir, 'b.json', [{ n: 10 }], 1_700_000_002);
    expect(await df.count()).toBe(3);
    expect(await session.read.schema('n BIGINT').json(dir).count()).toBe(4);
    // PATH_NOT_FOUND is thrown by load() itself, synchronously (Spark's AnalysisException at load).
    expect(() => session.read.format('json').load(path.join(root, 'missing'))).toThrow(expect.objectContaining({ code: 'PATH_NOT_FOUND' }));
    expect(() => session.read.json(path.join(root, 'missing', '*.json'))).toThrow(expect.objectContaining({ code: 'PATH_NOT_FOUND' }));
    // A file listed at load() and removed before the action fails the action, not load().
    const gone = session.read.schema('n BIGINT').json(dir);
    rmSync(path.join(dir, 'b.json'));
    const missing = await expectWeirError(() => gone.collect(), 'DATA_FILE_MISSING');
    expect(missing.context.path).toBe(path.join(dir, 'b.json'));
    expect(missing.message).toContain('ignoreMissingFiles');
    // Spark's read option skips it instead (with a warning), and so does the session conf.
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      expect(await session.read.schema('n BIGINT').option('ignoreMissingFiles', 'true').json(dir).count()).toBe(3);
      const listed = session.read.schema('n BIGINT').json(dir);
      putJson(dir, 'c.json', [{ n: 20 }], 1_700_000_003);
      const lateGone = session.read.schema('n BIGINT').option('ignoreMissingFiles', true).json(dir);
      rmSync(path.join(dir, 'c.json'));
      expect(await lateGone.count()).toBe(3);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining(`Skipped missing file: file:${path.join(dir, 'c.json')}`));
      expect(await listed.count()).toBe(3);
    } finally {
      warn.mockRestore();
    }
    // The relation can be joined and unioned like any batch DataFrame (its rows are read through the same plan).
    const other = session.createDataFrame([{ n: 2, s: 'two' }], 'n BIGINT, s STRING');
    expect(await df.join(other, ['n']).collect()).toEqual([{ n: 2, s: 'two' }]);
  });

  it('session.read and df.write with a DDL schema of nested types (json and parquet)', async () => {
    const root = temp();
    const ddl = 'id BIGINT, tags ARRAY<STRING>, attrs MAP<STRING, INT>, point STRUCT<x: DOUBLE, y: DOUBLE>';
    const rows = [
      { id: 1, tags: ['a', 'b'], attrs: new Map([['k', 1]]), point: { x: 1.5, y: -2 } },
      { id: 2, tags: [], attrs: new Map<string, number>(), point: null },
      { id: 3, tags: null, attrs: null, point: { x: 0, y: null } },
    ];
    const df = session.createDataFrame(rows, ddl);
    for (const format of ['json', 'parquet'] as const) {
      const out = path.join(root, format);
      await df.write.format(format).save(out);
      const back = session.read.format(format).schema(ddl).load(out);
      expect(back.schema.simpleString()).toBe(df.schema.simpleString());
      const got = (await back.collect()).sort((a, b) => (a.id as number) - (b.id as number));
      expect(got).toEqual(rows);
    }
  });

  it('df.write: save modes, _SUCCESS, partitionBy, and reading it back in every format', async () => {
    const root = temp();
    const rows = [
      { id: 1, name: 'a', day: new Date('2024-01-01T00:00:00Z') },
      { id: 2, name: 'b', day: new Date('2024-01-02T00:00:00Z') },
    ];
    const df = session.createDataFrame(rows, 'id BIGINT, name STRING, day DATE');
    for (const format of ['json', 'csv', 'parquet'] as const) {
      const out = path.join(root, format);
      await df.write.format(format).partitionBy('day').save(out);
      expect(existsSync(path.join(out, '_SUCCESS'))).toBe(true);
      expect(readdirSync(out).sort()).toEqual(['_SUCCESS', 'day=2024-01-01', 'day=2024-01-02']);
      const back = session.read.format(format).schema('id BIGINT, name STRING').load(out);
      expect(back.columns).toEqual(['id', 'name', 'day']);
      expect(await back.collect()).toEqual(rows);
      await expectWeirError(() => df.write.format(format).save(out), 'PATH_ALREADY_EXISTS');
      await df.write.format(format).mode('append').partitionBy('day').save(out);
      expect(await session.read.format(format).schema('id BIGINT, name STRING').load(out).count()).toBe(4);
      await df.write.format(format).mode('overwrite').partitionBy('day').save(out);
      expect(await session.read.format(format).schema('id BIGINT, name STRING').load(out).count()).toBe(2);
      await df.write.format(format).mode('ignore').save(out);
      expect(await session.read.format(format).schema('id BIGINT, name STRING').load(out).count()).toBe(2);
    }
    await expectWeirError(() => df.write.mode('sometimes'), 'INVALID_ARGUMENT');
    await expectWeirError(() => df.select('id').write.text(path.join(root, 'text')), 'UNSUPPORTED_OPERATION');
    await df.select('name').write.text(path.join(root, 'text'));
    expect(await session.read.text(path.join(root, 'text')).collect()).toEqual([{ value: 'a' }, { value: 'b' }]);
  });

  it('refuses df.write on a streaming DataFrame', async () => {
    const root = temp();
    mkdirSync(path.join(root, 'in'));
    await expectWeirError(() => session.readStream.schema('n INT').json(path.join(root, 'in')).write, 'UNSUPPORTED_OPERATION');
  });
});
