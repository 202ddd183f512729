import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Offset, ReadLimit, Row, SourceContext } from '../../../../lib/contracts';
import { localPathOf } from '../../../../lib/formats/FileStreamSinkLog';
import { files, type FileSource } from '../../../../connectors/files/fileSource';
import { FileCheckpointStore } from '../../../../lib/checkpoint/FileCheckpointStore';
import { FileStreamSourceLog } from '../../../../connectors/files/FileStreamSourceLog';
import { collect, sourceContract } from '../../../support/sourceContract';
import { ManualClock } from '../../../support/ManualClock';
import { expectWeirError } from '../../../support/expectWeirError';
import { tempDirs } from '../../../formats/support';

const ALL: ReadLimit = { kind: 'all' };
const contractDirs: string[] = [];
afterAll(() => contractDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Writes a JSON-lines file with modification time `mtimeSec` (so the order is fixed). */
function put(dir: string, name: string, ids: number[], mtimeSec: number): string {
  const file = path.join(dir, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, ids.map((id) => `{"id":${id}}\n`).join(''));
  utimesSync(file, mtimeSec, mtimeSec);
  return file;
}

sourceContract('files (json)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'weir-file-source-contract-'));
  contractDirs.push(dir);
  mkdirSync(path.join(dir, 'in'));
  let n = 0;
  const source = files({ path: path.join(dir, 'in'), format: 'json', schema: 'id BIGINT' });
  return {
    source,
    clock: new ManualClock(0),
    produce: () => {
      const k = n++;
      put(path.join(dir, 'in'), `f${k}.json`, [k * 10, k * 10 + 1], 1_700_000_000 + k);
    },
  };
});

describe('files (the file source)', () => {
  const temp = tempDirs('file-source');
  let opened: FileSource[] = [];
  afterEach(async () => {
    for (const s of opened) await s.stop();
    opened = [];
  });

  async function open(source: FileSource, checkpoint: string, clock = new ManualClock(0)): Promise<FileSource> {
    const metadataPath = path.join(checkpoint, 'sources', '0');
    const context: SourceContext = { metadataPath, sourceIndex: 0, clock, notifyDataAvailable: () => undefined };
    await source.open(context);
    opened.push(source);
    return source;
  }

  async function batches(source: FileSource, limit: ReadLimit = ALL, max = 10): Promise<number[][]> {
    const out: number[][] = [];
    let start: Offset = await source.initialOffset();
    for (let i = 0; i < max; i++) {
      const end = await source.latestOffset(start, limit);
      if (JSON.stringify(end) === JSON.stringify(start)) break;
      out.push((await collect(source.read(start, end))).map((r: Row) => r.id as number));
      await source.commit(end);
      start = end;
    }
    return out;
  }

  it('reads new files in modification-time order, one batch per trigger, with Spark offsets', async () => {
    const root = temp();
    const input = path.join(root, 'in');
    put(input, 'b.json', [2], 1_700_000_002);
    put(input, 'a.json', [1], 1_700_000_001);
    const source = await open(files({ path: input, format: 'json', schema: 'id BIGINT' }), path.join(root, 'cp'));
    expect(await source.initialOffset()).toEqual({ logOffset: -1 });
    const o0 = await source.latestOffset({ logOffset: -1 }, ALL);
    expect(o0).toEqual({ logOffset: 0 });
    expect((await collect(source.read({ logOffset: -1 }, o0))).map((r) => r.id)).toEqual([1, 2]);
    expect(await source.latestOffset(o0, ALL)).toEqual(o0);
    put(input, 'c.json', [3], 1_700_000_003);
    const o1 = await source.latestOffset(o0, ALL);
    expect(o1).toEqual({ logOffset: 1 });
    expect((await collect(source.read(o0, o1))).map((r) => r.id)).toEqual([3]);
    expect(source.description).toBe(`FileStreamSource[file:${input}]`);
  });

  it('maxFilesPerTrigger, maxBytesPerTrigger (at least one file) and latestFirst', async () => {
    const root = temp();
    const input = path.join(root, 'in');
    for (let i = 0; i < 5; i++) put(input, `f${i}.json`, [i], 1_700_000_000 + i);
    const byFiles = await open(files({ path: input, format: 'json', schema: 'id BIGINT', maxFilesPerTrigger: 2 }), path.join(root, 'cp1'));
    expect(await batches(byFiles, byFiles.defaultReadLimit())).toEqual([[0, 1], [2, 3], [4]]);
    const byBytes = await open(files({ path: input, format: 'json', schema: 'id BIGINT', maxBytesPerTrigger: 1 }), path.join(root, 'cp2'));
    expect(await batches(byBytes, byBytes.defaultReadLimit())).toEqual([[0], [1], [2], [3], [4]]);
    const latest = await open(files({ path: input, format: 'json', schema: 'id BIGINT', maxFilesPerTrigger: 2, latestFirst: true }), path.join(root, 'cp3'));
    expect(await batches(latest, latest.defaultReadLimit())).toEqual([[4, 3], [2, 1], [0]]);
    await expectWeirError(() => files({ path: input, format: 'json', schema: 'id BIGINT', maxFilesPerTrigger: 1, maxBytesPerTrigger: 1 }), 'INVALID_ARGUMENT');
  });

  it('maxFileAge: after the first batch, files older than the newest seen minus maxFileAge are ignored', async () => {
    const root = temp();
    const input = path.join(root, 'in');
    put(input, 'new.json', [1], 1_700_100_000);
    const source = await open(files({ path: input, format: 'json', schema: 'id BIGINT', maxFileAge: '1h' }), path.join(root, 'cp'));
    const o0 = await source.latestOffset({ logOffset: -1 }, ALL);
    put(input, 'old.json', [2], 1_700_100_000 - 7200); // two hours older than the newest seen
    put(input, 'recent.json', [3], 1_700_100_000 - 60);
    const o1 = await source.latestOffset(o0, ALL);
    expect((await collect(source.read(o0, o1))).map((r) => r.id)).toEqual([3]);
  });

  it('fileNameOnly: a file with a seen name in another folder is not new', async () => {
    const root = temp();
    const input = path.join(root, 'in');
    put(input, 'x/a.json', [1], 1_700_000_001);
    const source = await open(files({ path: input, format: 'json', schema: 'id BIGINT', fileNameOnly: true }), path.join(root, 'cp'));
    const o0 = await source.latestOffset({ logOffset: -1 }, ALL);
    put(input, 'y/a.json', [2], 1_700_000_002);
    expect(await source.latestOffset(o0, ALL)).toEqual(o0);
  });

  it('a restart neither re-reads nor skips: the seen-files log in sources/<i>/ decides', async () => {
    const root = temp();
    const input = path.join(root, 'in');
    const cp = path.join(root, 'cp');
    put(input, 'a.json', [1], 1_700_000_001);
    const first = await open(files({ path: input, format: 'json', schema: 'id BIGINT' }), cp);
    const o0 = await first.latestOffset({ logOffset: -1 }, ALL);
    put(input, 'b.json', [2], 1_700_000_002);
    // A batch that was planned (logged) but whose run crashed before its offsets were written.
    await first.latestOffset(o0, ALL);
    await first.stop();
    expect(readdirSync(path.join(cp, 'sources', '0')).sort()).toEqual(['0', '1']);
    const second = await open(files({ path: input, format: 'json', schema: 'id BIGINT' }), cp);
    put(input, 'c.json', [3], 1_700_000_003);
    const o1 = await second.latestOffset(o0, ALL);
    expect((await collect(second.read(o0, o1))).map((r) => r.id)).toEqual([2]);
    const o2 = await second.latestOffset(o1, ALL);
    expect((await collect(second.read(o1, o2))).map((r) => r.id)).toEqual([3]);
    expect((await collect(second.read({ logOffset: -1 }, o0))).map((r) => r.id)).toEqual([1]);
  });

  it('compacts the seen-files log every compactInterval batches; a restart after compaction neither re-reads nor skips', async () => {
    const root = temp();
    const input = path.join(root, 'in');
    const cp = path.join(root, 'cp');
    const logDir = path.join(cp, 'sources', '0');
    for (let k = 0; k < 8; k++) put(input, `f${k}.json`, [k], 1_700_000_000 + k);
    const options = { path: input, format: 'json', schema: 'id BIGINT', maxFilesPerTrigger: 1, compactInterval: 3 };
    // An hour from now: obsolete log files are past the 10-minute cleanup delay.
    const clock = new ManualClock(Date.now() + 3_600_000);
    const first = await open(files(options), cp, clock);
    let start: Offset = { logOffset: -1 };
    for (let b = 0; b <= 6; b++) {
      const end = await first.latestOffset(start, first.defaultReadLimit());
      expect(end).toEqual({ logOffset: b });
      expect((await collect(first.read(start, end))).map((r) => r.id)).toEqual([b]);
      await first.commit(end);
      start = end;
    }
    // Batch 7 is planned (logged) but the run crashes before running it.
    expect(await first.latestOffset(start, first.defaultReadLimit())).toEqual({ logOffset: 7 });
    await first.stop();
    // 2.compact holds batches 0..2, 5.compact 0..5; 5.compact made 0 and 1 obsolete (2.compact is kept for readers
    // that started from it), Spark's FileStreamSourceLog layout.
    expect(readdirSync(logDir).sort()).toEqual(['2.compact', '3', '4', '5.compact', '6', '7']);

    // A restart configured with another interval keeps the log's own (Spark's deriveCompactInterval).
    const second = await open(files({ ...options, compactInterval: 10 }), cp, clock);
    const o7 = await second.latestOffset({ logOffset: 6 }, second.defaultReadLimit());
    expect(o7).toEqual({ logOffset: 7 });
    expect((await collect(second.read({ logOffset: 6 }, o7))).map((r) => r.id)).toEqual([7]);
    await second.commit(o7);
    // Every file is seen: nothing new to admit until a new file comes.
    expect(await second.latestOffset(o7, second.defaultReadLimit())).toEqual(o7);
    put(input, 'f8.json', [8], 1_700_000_008);
    const o8 = await second.latestOffset(o7, second.defaultReadLimit());
    expect((await collect(second.read(o7, o8))).map((r) => r.id)).toEqual([8]);
    expect(readdirSync(logDir)).toContain('8.compact');
    expect(readdirSync(logDir)).not.toContain('2.compact');
    // Batches whose own files are gone are still read, from the compaction file that covers them.
    expect((await collect(second.read({ logOffset: 0 }, { logOffset: 1 }))).map((r) => r.id)).toEqual([1]);
    expect((await collect(second.read({ logOffset: -1 }, o8))).map((r) => r.id)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    await second.stop();
    const log = new FileStreamSourceLog(new FileCheckpointStore(logDir), '', { clock });
    expect((await log.allFiles()).map((e) => [path.basename(localPathOf(e.path)), e.batchId])).toEqual(
      Array.from({ length: 9 }, (_, k) => [`f${k}.json`, k]),
    );
  });

  it('with logDeletion false, compaction keeps every log file', async () => {
    const root = temp();
    const input = path.join(root, 'in');
    const cp = path.join(root, 'cp');
    for (let k = 0; k < 7; k++) put(input, `f${k}.json`, [k], 1_700_000_000 + k);
    const source = await open(files({ path: input, format: 'json', schema: 'id BIGINT', maxFilesPerTrigger: 1, compactInterval: 3, logDeletion: false }), cp, new ManualClock(Date.now() + 3_600_000));
    expect(await batches(source, source.defaultReadLimit())).toEqual([[0], [1], [2], [3], [4], [5], [6]]);
    expect(readdirSync(path.join(cp, 'sources', '0')).sort()).toEqual(['0', '1', '2.compact', '3', '4', '5.compact', '6']);
    await expectWeirError(() => files({ path: input, format: 'json', schema: 'id BIGINT', compactInterval: 0 }), 'INVALID_ARGUMENT');
    await expectWeirError(() => files({ path: input, format: 'json', schema: 'id BIGINT', logCleanupDelay: 'soon' }), 'INVALID_ARGUMENT');
  });

  it('cleanSource delete and archive act on committed files only', async () => {
    const root = temp();
    const input = path.join(root, 'in');
    const a = put(input, 'a.json', [1], 1_700_000_001);
    const del = await open(files({ path: input, format: 'json', schema: 'id BIGINT', cleanSource: 'delete' }), path.join(root, 'cp1'));
    const o0 = await del.latestOffset({ logOffset: -1 }, ALL);
    expect(existsSync(a)).toBe(true);
    await del.commit(o0);
    expect(existsSync(a)).toBe(false);

    const b = put(input, 'b.json', [2], 1_700_000_002);
    const archive = path.join(root, 'archive');
    const arc = await open(files({ path: input, format: 'json', schema: 'id BIGINT', cleanSource: 'archive', sourceArchiveDir: archive }), path.join(root, 'cp2'));
    const p0 = await arc.latestOffset({ logOffset: -1 }, ALL);
    await arc.commit(p0);
    expect(existsSync(b)).toBe(false);
    expect(existsSync(path.join(archive, b))).toBe(true);
    await expectWeirError(() => files({ path: input, format: 'json', schema: 'id BIGINT', cleanSource: 'archive' }), 'INVALID_ARGUMENT');
    await expectWeirError(
      () => files({ path: input, format: 'json', schema: 'id BIGINT', cleanSource: 'archive', sourceArchiveDir: path.join(input, 'arch') }),
      'INVALID_ARGUMENT',
    );
  });

  it('discovers key=value partitions and globs', async () => {
    const root = temp();
    const input = path.join(root, 'in');
    put(input, 'day=2024-01-01/n=1/a.json', [1], 1_700_000_001);
    put(input, 'day=2024-01-02/n=2/b.json', [2], 1_700_000_002);
    const source = await open(files({ path: input, format: 'json', schema: 'id BIGINT' }), path.join(root, 'cp'));
    expect(source.schema.simpleString()).toBe('struct<id:bigint,day:date,n:int>');
    const o0 = await source.latestOffset({ logOffset: -1 }, ALL);
    expect(await collect(source.read({ logOffset: -1 }, o0))).toEqual([
      { id: 1, day: new Date('2024-01-01T00:00:00Z'), n: 1 },
      { id: 2, day: new Date('2024-01-02T00:00:00Z'), n: 2 },
    ]);
    // A type from the user's schema wins over the inferred one.
    const typed = files({ path: input, format: 'json', schema: 'id BIGINT, day STRING' });
    expect(typed.schema.simpleString()).toBe('struct<id:bigint,day:string,n:int>');
    const glob = await open(files({ path: path.join(input, 'day=*-02'), format: 'json', schema: 'id BIGINT' }), path.join(root, 'cp2'));
    const g0 = await glob.latestOffset({ logOffset: -1 }, ALL);
    expect((await collect(glob.read({ logOffset: -1 }, g0))).map((r) => r.id)).toEqual([2]);
  });

  it("needs a schema unless schemaInference (Spark's error), and infers one when asked", async () => {
    const root = temp();
    const input = path.join(root, 'in');
    put(input, 'a.json', [1], 1_700_000_001);
    const e = await expectWeirError(() => files({ path: input, format: 'json' }), 'INVALID_ARGUMENT');
    expect(e.message).toMatch(/^Schema must be specified when creating a streaming source DataFrame/);
    expect(files({ path: input, format: 'json', schemaInference: true }).schema.simpleString()).toBe('struct<id:bigint>');
    expect(files({ path: input, format: 'text' }).schema.simpleString()).toBe('struct<value:string>');
  });

  it('FAILFAST fails the batch with MALFORMED_RECORD naming the file, line and batch', async () => {
    const root = temp();
    const input = path.join(root, 'in');
    const file = path.join(input, 'bad.json');
    mkdirSync(input);
    writeFileSync(file, '{"id":1}\n{"id":\n');
    const source = await open(files({ path: input, format: 'json', schema: 'id BIGINT', formatOptions: { mode: 'FAILFAST' } }), path.join(root, 'cp'));
    const o0 = await source.latestOffset({ logOffset: -1 }, ALL);
    const e = await expectWeirError(() => collect(source.read({ logOffset: -1 }, o0)), 'MALFORMED_RECORD');
    expect(e.context).toMatchObject({ path: file, line: 2, batchId: 0 });
  });

  it('AvailableNow: only files present at prepare time', async () => {
    const root = temp();
    const input = path.join(root, 'in');
    put(input, 'a.json', [1], 1_700_000_001);
    const source = await open(files({ path: input, format: 'json', schema: 'id BIGINT' }), path.join(root, 'cp'));
    await source.prepareForTriggerAvailableNow();
    put(input, 'b.json', [2], 1_700_000_002);
    expect(await batches(source)).toEqual([[1]]);
  });
});
