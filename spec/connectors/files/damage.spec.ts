/**
 * Damage to a file sink's output folder and to a file source's seen-files log, made on real files, and what weir
 * says (issue 16, items 1, 10 and 13): every case is named with its file and what to do, none reads as truth.
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { constants as bufferConstants } from 'node:buffer';
import * as path from 'node:path';
import type { Row } from '../../../lib/contracts';
import { isWeirError, type WeirError } from '../../../lib/errors';
import { FileStreamSinkLog } from '../../../lib/formats/FileStreamSinkLog';
import { listInputFiles } from '../../../lib/formats/listInputFiles';
import { lineRanges, readFile, readWholeFile, resolveFileScan } from '../../../lib/formats/FileScan';
import { FormatOptions } from '../../../lib/formats/FormatOptions';
import { toSchema } from '../../../lib/values/types';
import { Session } from '../../../lib/sql/dataframe/Session';
import { fileSink } from '../../../connectors/files/fileSink';
import { expectWeirError } from '../../support/expectWeirError';
import { testBatchInfo } from '../../support/sinkContract';
import { tempDirs } from '../../formats/support';

const SCHEMA = 'id BIGINT, word STRING';
const bufferMaxLength = bufferConstants.MAX_LENGTH;
const rowsOf = (batch: number, n = 4): Row[] => Array.from({ length: n }, (_, i) => ({ id: batch * 100 + i, word: `w${batch}-${i}` }));

function putJson(dir: string, name: string, ids: number[], mtimeSec: number): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(file, ids.map((id) => JSON.stringify({ id })).join('\n') + '\n');
  utimesSync(file, mtimeSec, mtimeSec);
  return file;
}

/** An output folder of `batches` batches written by the file sink (compactInterval 3: 2.compact, 5.compact, ...). */
async function writeOutput(out: string, format: 'json' | 'parquet', batches: number): Promise<void> {
  const sink = fileSink({ path: out, format, schema: SCHEMA, compactInterval: 3 });
  for (let b = 0; b < batches; b++) await sink.addBatch(b, rowsOf(b), testBatchInfo(b));
}

/** The data files batch `b` committed (from its own entry file). */
function partFilesOf(out: string, entry: string): string[] {
  return readFileSync(path.join(out, '_spark_metadata', entry), 'utf8')
    .split('\n')
    .slice(1)
    .map((l) => (JSON.parse(l) as { path: string }).path.replace(/^file:/, ''));
}

async function failureOf(run: () => Promise<unknown>): Promise<WeirError> {
  try {
    await run();
  } catch (e) {
    let cause: unknown = e;
    // A failed query wraps its error (STREAMING_QUERY_EXCEPTION with the cause).
    while (isWeirError(cause) && cause.code === 'STREAMING_QUERY_EXCEPTION' && (cause as { cause?: unknown }).cause) cause = (cause as { cause?: unknown }).cause;
    if (isWeirError(cause)) return cause;
    throw e;
  }
  throw new Error('expected a failure');
}

describe('damaged file outputs and logs', () => {
  const temp = tempDirs('file-damage');

  describe('committed data files', () => {
    it('a JSON-lines part file truncated to half: DATA_FILE_DAMAGED at listing, with both sizes, not fewer rows', async () => {
      const out = path.join(temp(), 'out');
      await writeOutput(out, 'json', 2);
      const [part] = partFilesOf(out, '1') as [string];
      const size = readFileSync(part).length;
      truncateSync(part, Math.floor(size / 2));
      const e = await expectWeirError(() => listInputFiles(out), 'DATA_FILE_DAMAGED');
      expect(e.context).toMatchObject({ path: part, size: Math.floor(size / 2), committedSize: size });
      expect(e.message).toContain('truncated or replaced');
      const session = Session.builder().appName('damage').getOrCreate();
      try {
        await expectWeirError(() => session.read.schema(SCHEMA).json(out), 'DATA_FILE_DAMAGED');
      } finally {
        await session.stop();
      }
    });

    it("a truncated Parquet part file: DATA_FILE_DAMAGED from the sink log's size, and Spark's CANNOT_READ_FILE_FOOTER outside one", async () => {
      const out = path.join(temp(), 'out');
      await writeOutput(out, 'parquet', 1);
      const [part] = partFilesOf(out, '0') as [string];
      truncateSync(part, Math.floor(readFileSync(part).length / 2));
      expect((await expectWeirError(() => listInputFiles(out), 'DATA_FILE_DAMAGED')).context.path).toBe(part);
      // The same file without a sink log (copied out): the footer check names it.
      const loose = path.join(temp(), 'loose');
      mkdirSync(loose);
      writeFileSync(path.join(loose, 'a.parquet'), readFileSync(part));
      const session = Session.builder().appName('damage').getOrCreate();
      try {
        const e = await expectWeirError(() => session.read.schema(SCHEMA).parquet(loose).collect(), 'DATA_FILE_DAMAGED');
        expect(e.message).toContain(`[FAILED_READ_FILE.CANNOT_READ_FILE_FOOTER] Encountered error while reading file ${path.join(loose, 'a.parquet')}. Could not read footer.`);
      } finally {
        await session.stop();
      }
    });

    it('a committed part file deleted: DATA_FILE_MISSING at listing (load), naming the file and ignoreMissingFiles; the option skips it', async () => {
      const out = path.join(temp(), 'out');
      await writeOutput(out, 'json', 3);
      const [part] = partFilesOf(out, '1') as [string];
      rmSync(part);
      const e = await expectWeirError(() => listInputFiles(out), 'DATA_FILE_MISSING');
      expect(e.context.path).toBe(part);
      expect(e.message).toContain('[FAILED_READ_FILE.FILE_NOT_EXIST]');
      expect(e.message).toContain('ignoreMissingFiles');
      const session = Session.builder().appName('damage').getOrCreate();
      const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
      try {
        expect(() => session.read.schema(SCHEMA).json(out)).toThrow(expect.objectContaining({ code: 'DATA_FILE_MISSING' }));
        const ids = (await session.read.schema(SCHEMA).option('ignoreMissingFiles', 'true').json(out).collect()).map((r) => r.id);
        expect(ids.sort((a, b) => Number(a) - Number(b))).toEqual([0, 1, 2, 3, 200, 201, 202, 203]);
        expect(warn).toHaveBeenCalledWith(expect.stringContaining(`Skipped missing file: file:${part}`));
      } finally {
        warn.mockRestore();
        await session.stop();
      }
    });
  });

  describe('_spark_metadata entries (checksum sidecars)', () => {
    it('writes a hidden sidecar per entry that Spark never lists, and the entry stays byte for byte Spark\'s', async () => {
      const out = path.join(temp(), 'out');
      await writeOutput(out, 'json', 3);
      const names = readdirSync(path.join(out, '_spark_metadata')).sort();
      expect(names).toEqual(['.0.crc32', '.1.crc32', '.2.compact.crc32', '0', '1', '2.compact']);
      expect(readFileSync(path.join(out, '_spark_metadata', '1'), 'utf8')).toMatch(/^v1\n\{"path":"file:[^\n]*"action":"add"\}$/);
      expect(readFileSync(path.join(out, '_spark_metadata', '.1.crc32'), 'utf8')).toMatch(/^weir-sink-log-checksum v1\nsize:\d+\ncrc32:[0-9a-f]{8}\n$/);
    });

    it('the newest entry after a compaction reduced to its header: CHECKPOINT_CORRUPT naming it and its sidecar', async () => {
      const out = path.join(temp(), 'out');
      await writeOutput(out, 'json', 4); // 2.compact, then 3
      const entry = path.join(out, '_spark_metadata', '3');
      writeFileSync(entry, 'v1');
      const e = await expectWeirError(() => new FileStreamSinkLog(out).allFiles(), 'CHECKPOINT_CORRUPT');
      expect(e.context).toMatchObject({ path: entry, checksumFile: path.join(out, '_spark_metadata', '.3.crc32'), reason: 'checksum-mismatch', batchId: 3 });
      expect(e.message).toContain('new checkpoint into a new folder');
    });

    it('the newest compaction file cut by a line: CHECKPOINT_CORRUPT (the framing alone reads it as a shorter entry)', async () => {
      const out = path.join(temp(), 'out');
      await writeOutput(out, 'json', 6); // 5.compact holds batches 0..5
      const entry = path.join(out, '_spark_metadata', '5.compact');
      const lines = readFileSync(entry, 'utf8').split('\n');
      writeFileSync(entry, lines.slice(0, -1).join('\n'));
      expect((await expectWeirError(() => listInputFiles(out), 'CHECKPOINT_CORRUPT')).context.path).toBe(entry);
      // The sink's own (asynchronous) reads check it too: the next compaction refuses to carry the damage on.
      const sink = fileSink({ path: out, format: 'json', schema: SCHEMA, compactInterval: 3 });
      await sink.addBatch(6, rowsOf(6), testBatchInfo(6));
      await sink.addBatch(7, rowsOf(7), testBatchInfo(7));
      const write = await expectWeirError(() => sink.addBatch(8, rowsOf(8), testBatchInfo(8)), 'CHECKPOINT_CORRUPT');
      expect(write.context.path).toBe(entry);
    });

    it('an entry rewritten to point at another committed file: CHECKPOINT_CORRUPT by its sidecar, and by the duplicate without one', async () => {
      const out = path.join(temp(), 'out');
      await writeOutput(out, 'json', 2);
      const entry = path.join(out, '_spark_metadata', '1');
      const [file0] = partFilesOf(out, '0') as [string];
      const [file1] = partFilesOf(out, '1') as [string];
      writeFileSync(entry, readFileSync(entry, 'utf8').replace(path.basename(file1), path.basename(file0)).replace(/"size":\d+/, `"size":${readFileSync(file0).length}`));
      expect((await expectWeirError(() => listInputFiles(out), 'CHECKPOINT_CORRUPT')).context.reason).toBe('checksum-mismatch');
      // A folder Spark (or an older weir) wrote has no sidecars: a file committed twice still tells.
      rmSync(path.join(out, '_spark_metadata', '.1.crc32'));
      const e = await expectWeirError(() => listInputFiles(out), 'CHECKPOINT_CORRUPT');
      expect(e.context).toMatchObject({ path: entry, reason: 'file-listed-twice', listedIn: path.join(out, '_spark_metadata', '0') });
    });
  });

  describe('queries', () => {
    let session: Session;
    beforeEach(() => {
      session = Session.builder().appName('damage').getOrCreate();
    });
    afterEach(async () => {
      await session.stop();
    });

    const startCopy = (input: string, out: string, checkpoint: string, options: Record<string, string> = {}, sinkOptions: Record<string, string> = {}) => {
      let reader = session.readStream.schema('id BIGINT');
      for (const [k, v] of Object.entries(options)) reader = reader.option(k, v);
      let writer = reader.json(input).writeStream.format('json').outputMode('append').option('checkpointLocation', checkpoint);
      for (const [k, v] of Object.entries(sinkOptions)) writer = writer.option(k, v);
      return writer.start(out);
    };
    const runOnce = async (...args: Parameters<typeof startCopy>) => {
      const query = await startCopy(...args);
      try {
        await query.processAllAvailable();
      } finally {
        await query.stop();
      }
    };
    const ids = async (out: string) => (await session.read.schema('id BIGINT').json(out).collect()).map((r) => Number(r.id)).sort((a, b) => a - b);

    for (const damage of ['the newest entry sources/0/<N>', 'the whole sources/0 folder'] as const) {
      it(`the seen-files log behind offsets/ and commits/ (${damage} deleted): CHECKPOINT_MISSING_BATCH at restart, no re-read`, async () => {
        const root = temp();
        const [input, out, checkpoint] = ['in', 'out', 'cp'].map((d) => path.join(root, d)) as [string, string, string];
        putJson(input, 'a.json', [1, 2], 1_700_000_001);
        await runOnce(input, out, checkpoint);
        putJson(input, 'b.json', [3, 4], 1_700_000_002);
        await runOnce(input, out, checkpoint);
        expect(await ids(out)).toEqual([1, 2, 3, 4]);
        const sourceLog = path.join(checkpoint, 'sources', '0');
        if (damage === 'the whole sources/0 folder') rmSync(sourceLog, { recursive: true });
        else rmSync(path.join(sourceLog, '1'));
        putJson(input, 'c.json', [5], 1_700_000_003);
        const e = await failureOf(() => runOnce(input, out, checkpoint));
        expect(e.code).toBe('CHECKPOINT_MISSING_BATCH');
        expect(e.context.path).toBe(path.join(sourceLog, damage === 'the whole sources/0 folder' ? '0' : '1'));
        expect(e.message).toContain('new checkpoint');
        expect(await ids(out)).toEqual([1, 2, 3, 4]);
      });
    }

    it('a file deleted before its batch re-runs: DATA_FILE_MISSING naming it and the option; ignoreMissingFiles lets the restart go on', async () => {
      const root = temp();
      const [input, out, checkpoint] = ['in', 'out', 'cp'].map((d) => path.join(root, d)) as [string, string, string];
      putJson(input, 'a.json', [1, 2], 1_700_000_001);
      await runOnce(input, out, checkpoint);
      const b = putJson(input, 'b.json', [3, 4], 1_700_000_002);
      await runOnce(input, out, checkpoint);
      // A crash before commits/1: the restart re-runs batch 1, whose file is gone meanwhile.
      rmSync(path.join(checkpoint, 'commits', '1'));
      rmSync(b);
      for (let attempt = 0; attempt < 2; attempt++) {
        const e = await failureOf(() => runOnce(input, out, checkpoint));
        expect(e.code).toBe('DATA_FILE_MISSING');
        expect(e.context).toMatchObject({ path: b, batchId: 1 });
        expect(e.message).toContain('ignoreMissingFiles');
      }
      const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
      try {
        putJson(input, 'c.json', [5], 1_700_000_003);
        await runOnce(input, out, checkpoint, { ignoreMissingFiles: 'true' });
        expect(warn).toHaveBeenCalledWith(expect.stringContaining(`Skipped missing file: file:${b}`));
      } finally {
        warn.mockRestore();
      }
      expect(await ids(out)).toEqual([1, 2, 3, 4, 5]);
    });

    it('a streaming read of a sink folder with a committed file deleted: DATA_FILE_MISSING; ignoreMissingFiles reads the rest', async () => {
      const root = temp();
      const [upstream, out] = ['up', 'out'].map((d) => path.join(root, d)) as [string, string];
      await writeOutput(upstream, 'json', 2);
      const [part] = partFilesOf(upstream, '0') as [string];
      rmSync(part);
      const e = await failureOf(() => runOnce(upstream, out, path.join(root, 'cp1')));
      expect(e.code).toBe('DATA_FILE_MISSING');
      expect(e.context.path).toBe(part);
      const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
      try {
        await runOnce(upstream, out, path.join(root, 'cp2'), { ignoreMissingFiles: 'true' });
      } finally {
        warn.mockRestore();
      }
      expect(await ids(out)).toEqual([100, 101, 102, 103]);
    });

    for (const damage of ['deleted', 'rolled back to an older copy'] as const) {
      it(`_spark_metadata ${damage} while the checkpoint has committed batches: CHECKPOINT_MISSING_BATCH at start, nothing written`, async () => {
        const root = temp();
        const [input, out, checkpoint] = ['in', 'out', 'cp'].map((d) => path.join(root, d)) as [string, string, string];
        putJson(input, 'a.json', [1, 2], 1_700_000_001);
        await runOnce(input, out, checkpoint);
        const log = path.join(out, '_spark_metadata');
        const older = path.join(root, 'older');
        if (damage === 'rolled back to an older copy') cpSync(log, older, { recursive: true });
        putJson(input, 'b.json', [3], 1_700_000_002);
        await runOnce(input, out, checkpoint);
        rmSync(log, { recursive: true });
        if (damage === 'rolled back to an older copy') cpSync(older, log, { recursive: true });
        putJson(input, 'c.json', [4], 1_700_000_003);
        const e = await failureOf(() => runOnce(input, out, checkpoint));
        expect(e.code).toBe('CHECKPOINT_MISSING_BATCH');
        expect(e.context).toMatchObject({ path: path.join(log, '1'), batchId: 1 });
        expect(e.message).toContain('new output folder');
        expect(readdirSync(path.join(checkpoint, 'commits')).filter((n) => !n.startsWith('.'))).toEqual(['0', '1']);
      });
    }

    it('a new checkpoint on an output folder another checkpoint wrote: FILE_SINK_OUTPUT_IN_USE; allowExistingOutput starts with a warning', async () => {
      const root = temp();
      const [input, out] = ['in', 'out'].map((d) => path.join(root, d)) as [string, string];
      putJson(input, 'a.json', [1, 2], 1_700_000_001);
      await runOnce(input, out, path.join(root, 'cp1'));
      const other = path.join(root, 'in2');
      putJson(other, 'x.json', [10, 11, 12], 1_700_000_005);
      const e = await failureOf(() => runOnce(other, out, path.join(root, 'cp2')));
      expect(e.code).toBe('FILE_SINK_OUTPUT_IN_USE');
      expect(e.context.path).toBe(path.join(out, '_spark_metadata'));
      expect(e.message).toContain('allowExistingOutput');
      expect(await ids(out)).toEqual([1, 2]);
      // The same checkpoint restarts on its own folder as before.
      putJson(input, 'b.json', [3], 1_700_000_002);
      await runOnce(input, out, path.join(root, 'cp1'));
      expect(await ids(out)).toEqual([1, 2, 3]);
      // Reuse on request: Spark's rule then skips the batch ids the folder has (the warning says so).
      const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
      try {
        await runOnce(other, out, path.join(root, 'cp3'), {}, { allowExistingOutput: 'true' });
        expect(warn).toHaveBeenCalledWith(expect.stringContaining('would be skipped as already committed'));
      } finally {
        warn.mockRestore();
      }
      expect(await ids(out)).toEqual([1, 2, 3]);
    });
  });

  it('reads a file in ranges when it is larger than one read (files of 2 GiB and more: fs.readFile refuses them)', async () => {
    const dir = temp();
    const file = path.join(dir, 'big.bin');
    const bytes = Buffer.from(Array.from({ length: 10_000 }, (_, i) => i % 251));
    writeFileSync(file, bytes);
    expect((await readWholeFile(file, 4096)).equals(bytes)).toBe(true);
    expect((await readWholeFile(file)).equals(bytes)).toBe(true);
    // Past the largest buffer of this Node.js (4 GiB on Node 20): named, nothing allocated (a sparse file).
    const huge = path.join(dir, 'huge.bin');
    writeFileSync(huge, '');
    truncateSync(huge, bufferMaxLength + 1);
    try {
      const e = await expectWeirError(() => readWholeFile(huge), 'SOURCE_ERROR');
      expect(e.context).toMatchObject({ path: huge, size: bufferMaxLength + 1, reason: 'file-too-large' });
    } finally {
      rmSync(huge);
    }
  });

  it('parses a big JSON-lines or text file range by range, cut at newlines, to the rows one read gives (no 2^29-character string)', async () => {
    const dir = temp();
    const file = path.join(dir, 'big.json');
    const lines = Array.from({ length: 500 }, (_, i) => JSON.stringify({ id: i, s: 'x'.repeat(i % 37), u: 'é€' }));
    lines[250] = JSON.stringify({ id: 250, s: 'y'.repeat(5000), u: 'long line' }); // longer than a range
    writeFileSync(file, lines.join('\n')); // no newline at the end
    const input = { path: file, relative: 'big.json', size: 0, mtimeMs: 0 };
    expect(lineRanges(readFileSync(file), 1000).map((r) => r.toString('utf8')).join('')).toBe(readFileSync(file, 'utf8'));
    expect(lineRanges(readFileSync(file), 1000).length).toBeGreaterThan(10);
    for (const format of ['json', 'text'] as const) {
      const scan = resolveFileScan({ format, options: new FormatOptions(), userSchema: toSchema(format === 'json' ? 'id BIGINT, s STRING, u STRING' : 'value STRING'), files: [] });
      const whole = await readFile(scan, input);
      expect(whole).toHaveLength(500);
      expect(await readFile(scan, input, undefined, 1000)).toEqual(whole);
    }
  });
});
