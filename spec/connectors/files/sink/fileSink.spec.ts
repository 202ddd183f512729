import { cpSync, readdirSync, readFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Row } from '../../../../lib/contracts';
import { FileStreamSinkLog, fileStreamSinkLog, type SinkFileStatus } from '../../../../lib/formats/FileStreamSinkLog';
import { FormatOptions } from '../../../../lib/formats/FormatOptions';
import { jsonFormat } from '../../../../lib/formats/jsonFormat';
import { listInputFiles } from '../../../../lib/formats/listInputFiles';
import { MalformedRecordHandler } from '../../../../lib/formats/parseMode';
import { toSchema } from '../../../../lib/values/types';
import { fileSink } from '../../../../connectors/files/fileSink';
import { expectWeirError } from '../../../support/expectWeirError';
import { sinkContract, testBatchInfo, testSinkContext, contractRows } from '../../../support/sinkContract';
import { tempDirs } from '../../../formats/support';

/** The log's entry files (weir's hidden `.N.crc32` checksum sidecars left out). */
function entryNames(dir: string): string[] {
  return readdirSync(dir).filter((n) => !n.startsWith('.'));
}

const CONTRACT_SCHEMA = toSchema('id BIGINT, word STRING, ts TIMESTAMP');

/** What a reader of the folder sees (committed files only), synchronously, in a canonical order. */
function committedRows(out: string): Row[] {
  const rows: Row[] = [];
  for (const f of listInputFiles(out, { allowMissing: true }).files) {
    const handler = new MalformedRecordHandler('FAILFAST', CONTRACT_SCHEMA);
    rows.push(...(jsonFormat.read(readFileSync(f.path), { path: f.path, schema: CONTRACT_SCHEMA, options: new FormatOptions(), malformed: handler }) as Row[]));
  }
  return rows.sort((a, b) => (a.id as number) - (b.id as number));
}

const contractDirs: string[] = [];
afterAll(() => contractDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

sinkContract({
  name: 'fileSink (json)',
  delivery: 'idempotent',
  create: () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'weir-file-sink-contract-'));
    contractDirs.push(dir);
    const out = path.join(dir, 'out');
    const sink = fileSink({ path: out, format: 'json', schema: CONTRACT_SCHEMA });
    return { sink, output: () => committedRows(out) };
  },
});

describe('fileSink', () => {
  const temp = tempDirs('file-sink');

  it("writes Spark's _spark_metadata log: v1, then one SinkFileStatus per line, no trailing newline", async () => {
    const out = path.join(temp(), 'out');
    const sink = fileSink({ path: out, format: 'json', schema: CONTRACT_SCHEMA });
    await sink.open(testSinkContext());
    await sink.addBatch(0, contractRows(0), testBatchInfo(0));
    await sink.addBatch(1, [], testBatchInfo(1));
    const text = readFileSync(path.join(out, '_spark_metadata', '0'), 'utf8');
    const [header, ...lines] = text.split('\n');
    expect(header).toBe('v1');
    expect(lines).toHaveLength(1);
    const status = JSON.parse(lines[0] as string);
    expect(Object.keys(status)).toEqual(['path', 'size', 'isDir', 'modificationTime', 'blockReplication', 'blockSize', 'action']);
    expect(status.path).toMatch(/^file:\/.*\/out\/part-00000-[0-9a-f-]{36}\.c000\.json$/);
    expect(status).toMatchObject({ isDir: false, blockReplication: 1, blockSize: 33554432, action: 'add' });
    expect(status.size).toBe(readFileSync(new URL(status.path.replace('file:', 'file://'))).length);
    // An empty batch is committed with no files, as Spark does.
    expect(readFileSync(path.join(out, '_spark_metadata', '1'), 'utf8')).toBe('v1');
  });

  it('skips a batch already in the log (no new data file)', async () => {
    const out = path.join(temp(), 'out');
    const sink = fileSink({ path: out, format: 'json', schema: CONTRACT_SCHEMA });
    await sink.addBatch(0, contractRows(0), testBatchInfo(0));
    const before = readdirSync(out).sort();
    const again = fileSink({ path: out, format: 'json', schema: CONTRACT_SCHEMA });
    await again.addBatch(0, contractRows(0), testBatchInfo(0));
    expect(readdirSync(out).sort()).toEqual(before);
  });

  it('readers ignore data files no log entry names (a crashed attempt) and hidden temp files', async () => {
    const out = path.join(temp(), 'out');
    const sink = fileSink({ path: out, format: 'json', schema: CONTRACT_SCHEMA });
    await sink.addBatch(0, contractRows(0), testBatchInfo(0));
    writeFileSync(path.join(out, 'part-00000-crashed.c000.json'), '{"id":999}\n');
    writeFileSync(path.join(out, '.part-00000-x.c000.json.tmp'), '{"id":998}\n');
    expect(committedRows(out).map((r) => r.id)).toEqual([0, 1, 2]);
  });

  it('compacts the log every 10 batches into <id>.compact holding every file so far, and drops entries past retention', async () => {
    const out = path.join(temp(), 'out');
    let now = 1_000_000;
    const sink = fileSink({ path: out, format: 'json', schema: CONTRACT_SCHEMA });
    for (let b = 0; b < 12; b++) await sink.addBatch(b, contractRows(b, 1), testBatchInfo(b));
    const names = entryNames(path.join(out, '_spark_metadata')).sort((a, b) => parseInt(a, 10) - parseInt(b, 10));
    expect(names).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9.compact', '10', '11']);
    const compact = readFileSync(path.join(out, '_spark_metadata', '9.compact'), 'utf8').split('\n');
    expect(compact[0]).toBe('v1');
    expect(compact).toHaveLength(11); // v1 + the files of batches 0..9
    expect(committedRows(out)).toHaveLength(12);

    // retention: entries whose modificationTime is older than now - retention are not carried into the compaction
    const out2 = path.join(temp(), 'out');
    const log = fileStreamSinkLog(out2, { compactInterval: 3, retentionMs: 500, clock: { now: () => now } });
    const status = (i: number, t: number) => ({ path: `file:/x/${i}`, size: 1, isDir: false, modificationTime: t, blockReplication: 1, blockSize: 1, action: 'add' as const });
    await log.add(0, [status(0, 100)]);
    await log.add(1, [status(1, 999_800)]);
    now = 1_000_000;
    await log.add(2, [status(2, 999_900)]);
    expect((await log.allFiles()).map((s) => s.path)).toEqual(['file:/x/1', 'file:/x/2']);
  });

  it('reads and continues a log written with another compact interval, as Spark writes it (file:/// URIs, <id>.compact)', async () => {
    const out = path.join(temp(), 'out');
    mkdirSync(path.join(out, '_spark_metadata'), { recursive: true });
    const entry = (i: number) => {
      const file = path.join(out, `part-00000-${i}.c000.json`);
      writeFileSync(file, `{"id":${i}}\n`);
      return JSON.stringify({ path: `file://${file}`, size: 9, isDir: false, modificationTime: 1, blockReplication: 1, blockSize: 33554432, action: 'add' });
    };
    // Spark with spark.sql.streaming.fileSink.log.compactInterval=3: 0, 1, 2.compact (0..2), 3, 4
    const e = [0, 1, 2, 3, 4].map(entry);
    writeFileSync(path.join(out, '_spark_metadata', '0'), `v1\n${e[0]}`);
    writeFileSync(path.join(out, '_spark_metadata', '1'), `v1\n${e[1]}`);
    writeFileSync(path.join(out, '_spark_metadata', '2.compact'), `v1\n${e[0]}\n${e[1]}\n${e[2]}`);
    writeFileSync(path.join(out, '_spark_metadata', '3'), `v1\n${e[3]}`);
    writeFileSync(path.join(out, '_spark_metadata', '4'), `v1\n${e[4]}`);
    expect(committedRows(out).map((r) => r.id)).toEqual([0, 1, 2, 3, 4]);
    const sink = fileSink({ path: out, format: 'json', schema: CONTRACT_SCHEMA });
    await sink.addBatch(5, contractRows(5, 1), testBatchInfo(5));
    expect(readdirSync(path.join(out, '_spark_metadata'))).toContain('5.compact'); // the folder's interval (3) is kept
    expect(committedRows(out).map((r) => r.id)).toEqual([0, 1, 2, 3, 4, 500]);
  });

  it('reads a _spark_metadata log the earlier weir wrote, and writes the same entries to the same bytes', async () => {
    // Written by the CompactibleFileStreamLog-based FileStreamSinkLog with compactInterval 3 (batches 0..4, 3 empty).
    const fixture = path.join(__dirname, 'fixtures', 'spark-metadata-v1');
    const status = (b: number): SinkFileStatus => ({
      path: `file:/data/out/part-00000-${b}.c000.json`,
      size: 100 + b,
      isDir: false,
      modificationTime: 1_700_000_000_000 + b,
      blockReplication: 1,
      blockSize: 33554432,
      action: 'add',
    });
    const out = path.join(temp(), 'out');
    cpSync(fixture, path.join(out, '_spark_metadata'), { recursive: true });
    const clock = { now: Date.now };
    const expected = [0, 1, 2, 4].map(status);
    expect(new FileStreamSinkLog(out).allFiles()).toEqual(expected);
    expect(new FileStreamSinkLog(out).latestBatchId()).toBe(4);
    expect(await fileStreamSinkLog(out, { compactInterval: 3, clock }).allFiles()).toEqual(expected);
    const fresh = path.join(temp(), 'out');
    const log = fileStreamSinkLog(fresh, { compactInterval: 3, deletion: false, clock });
    for (let b = 0; b <= 4; b++) expect(await log.add(b, b === 3 ? [] : [status(b)])).toBe(true);
    const written = path.join(fresh, '_spark_metadata');
    expect(entryNames(written).sort()).toEqual(readdirSync(fixture).sort());
    for (const name of readdirSync(fixture)) expect(readFileSync(path.join(written, name), 'utf8')).toBe(readFileSync(path.join(fixture, name), 'utf8'));
  });

  it('names a damaged log file: CHECKPOINT_CORRUPT with its path, for the sink and for readers of the folder', async () => {
    const out = path.join(temp(), 'out');
    const sink = fileSink({ path: out, format: 'json', schema: CONTRACT_SCHEMA });
    await sink.addBatch(0, contractRows(0), testBatchInfo(0));
    const file = path.join(out, '_spark_metadata', '0');
    writeFileSync(file, readFileSync(file, 'utf8').slice(0, 20));
    const read = await expectWeirError(() => new FileStreamSinkLog(out).allFiles(), 'CHECKPOINT_CORRUPT');
    expect(read.context.path).toBe(file);
    // As a newer writer without weir's checksum sidecar would leave it (with the sidecar, weir names the change).
    rmSync(path.join(out, '_spark_metadata', '.0.crc32'));
    writeFileSync(file, 'v2\n{}');
    await expectWeirError(() => listInputFiles(out), 'CHECKPOINT_UNSUPPORTED_VERSION');
    const write = await expectWeirError(() => fileSink({ path: out, format: 'json', schema: CONTRACT_SCHEMA, compactInterval: 2 }).addBatch(1, [], testBatchInfo(1)), 'CHECKPOINT_UNSUPPORTED_VERSION');
    expect(write.context.path).toBe(file);
  });

  it('deletes log files a compaction made obsolete once they are older than the cleanup delay', async () => {
    const out = path.join(temp(), 'out');
    let now = Date.now();
    const log = fileStreamSinkLog(out, { compactInterval: 3, cleanupDelayMs: 60_000, clock: { now: () => now } });
    for (let b = 0; b < 6; b++) await log.add(b, []);
    // 5.compact made 0..1 and 2.compact obsolete, but they are younger than the delay
    expect(entryNames(path.join(out, '_spark_metadata')).sort()).toEqual(['0', '1', '2.compact', '3', '4', '5.compact']);
    now += 120_000;
    for (let b = 6; b < 9; b++) await log.add(b, []);
    expect(entryNames(path.join(out, '_spark_metadata')).sort()).toEqual(['5.compact', '6', '7', '8.compact']);
    // A deleted entry's checksum sidecar goes with it.
    expect(readdirSync(path.join(out, '_spark_metadata')).filter((n) => n.startsWith('.')).sort()).toEqual(['.5.compact.crc32', '.6.crc32', '.7.crc32', '.8.compact.crc32']);
    expect(await log.allFiles()).toEqual([]);
  });

  it('partitionBy writes key=value folders without the partition column in the files', async () => {
    const out = path.join(temp(), 'out');
    const sink = fileSink({ path: out, format: 'json', schema: 'word STRING, n BIGINT', partitionBy: ['word'] });
    await sink.addBatch(0, [{ word: 'a/b', n: 1 }, { word: null, n: 2 }, { word: 'a/b', n: 3 }], testBatchInfo(0));
    expect(readdirSync(out).sort()).toEqual(['_spark_metadata', 'word=__HIVE_DEFAULT_PARTITION__', 'word=a%2Fb']);
    const file = readdirSync(path.join(out, 'word=a%2Fb'))[0] as string;
    expect(readFileSync(path.join(out, 'word=a%2Fb', file), 'utf8')).toBe('{"n":1}\n{"n":3}\n');
  });

  it("accepts only append, with Spark's message", async () => {
    const sink = fileSink({ path: path.join(temp(), 'out'), format: 'parquet', schema: CONTRACT_SCHEMA });
    expect(sink.supportedOutputModes).toEqual(['append']);
    const e = await expectWeirError(() => sink.addBatch(0, [], testBatchInfo(0, 'update')), 'UNSUPPORTED_OUTPUT_MODE');
    expect(e.message).toBe('Data source parquet does not support Update output mode');
    expect(existsSync(path.join(temp(), 'out'))).toBe(false);
  });

  it('needs a checkpoint, a path and a known partition column', async () => {
    expect(fileSink({ path: temp(), format: 'json', schema: CONTRACT_SCHEMA }).useTempCheckpointLocation).toBe(false);
    await expectWeirError(() => fileSink({ path: '', format: 'json', schema: CONTRACT_SCHEMA }), 'MISSING_OPTION');
    await expectWeirError(() => fileSink({ path: temp(), format: 'orc', schema: CONTRACT_SCHEMA }), 'DATA_SOURCE_NOT_FOUND');
    await expectWeirError(() => fileSink({ path: temp(), format: 'json', schema: CONTRACT_SCHEMA, partitionBy: ['nope'] }), 'UNRESOLVED_COLUMN');
  });
});
