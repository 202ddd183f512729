/**
 * A streaming file source of a format that parses synchronously hands the engine its files unparsed
 * (`readChunks`): each file is parsed when the batch's operators reach it, so a lazy pipeline (filter, withColumn,
 * withWatermark, window, count) holds one file's rows at a time, and the batch's rows are never all alive. The
 * results, progress counts and FAILFAST errors stay those of the eager read.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Row } from '../../../lib/contracts';
import { startQuery } from '../../../lib/query/startQuery';
import { count, groupByKey, window, withColumn, withWatermark } from '../../../operators';
import { files } from '../../../sources/file/fileSource';
import { memorySink } from '../../../sinks';
import { expectWeirError } from '../../support/expectWeirError';
import type { WeirError } from '../../../lib/errors';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const T0 = Date.UTC(2024, 0, 1);
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** FILES JSON-lines files of LINES rows each (`f` = file index, one event per second). */
function input(nFiles: number, lines: number, bad?: { file: number; line: number }, pad = 0): string {
  const root = mkdtempSync(path.join(tmpdir(), 'weir-file-chunks-'));
  dirs.push(root);
  const dir = path.join(root, 'in');
  mkdirSync(dir);
  for (let f = 0; f < nFiles; f += 1) {
    const text: string[] = [];
    for (let i = 0; i < lines; i += 1) {
      const n = f * lines + i;
      const padding = pad > 0 ? `,"pad":"${String(n).padStart(pad, 'x')}"` : '';
      text.push(bad && bad.file === f && bad.line === i + 1 ? '{"f":' : `{"f":${f},"ts":"${new Date(T0 + n * 1000).toISOString()}","k":"k${n % 3}"${padding}}`);
    }
    const file = path.join(dir, `part-${f}.json`);
    writeFileSync(file, `${text.join('\n')}\n`);
    utimesSync(file, 1_700_000_000 + f, 1_700_000_000 + f);
  }
  return root;
}

describe('file source chunks: one file of rows alive at a time', () => {
  it('rows of earlier files of the batch are garbage while a later one is visited; counts as the eager read', async () => {
    // Text files whose lines are ~8 MB of strings per file: an eager read would hold all three files' at once.
    const lines = 4000;
    const width = 2000;
    const root = mkdtempSync(path.join(tmpdir(), 'weir-file-chunks-'));
    dirs.push(root);
    mkdirSync(path.join(root, 'in'));
    for (let f = 0; f < 3; f += 1) {
      const text = Array.from({ length: lines }, (_, i) => `${f}:${String(i).padStart(width, 'x')}`);
      const file = path.join(root, 'in', `part-${f}.txt`);
      writeFileSync(file, `${text.join('\n')}\n`);
      utimesSync(file, 1_700_000_000 + f, 1_700_000_000 + f);
    }
    let baseline = 0;
    let heldAtLastFile: number | undefined;
    const probe = (row: Row): number => {
      const f = Number((row.value as string)[0]);
      if (f === 2 && heldAtLastFile === undefined) {
        gc();
        heldAtLastFile = getHeapStatistics().used_heap_size - baseline;
      }
      return f;
    };
    const sink = memorySink({ name: 'chunks' });
    gc();
    baseline = getHeapStatistics().used_heap_size;
    const query = await startQuery({
      source: files({ path: path.join(root, 'in'), format: 'text' }),
      pipeline: [withColumn('file', probe), groupByKey('file'), count()],
      sink,
      outputMode: 'update',
      checkpointLocation: path.join(root, 'cp'),
      trigger: { availableNow: true },
    });
    await query.awaitTermination();
    const oneFile = lines * width;
    expect(heldAtLastFile).toBeDefined();
    expect(heldAtLastFile!).toBeLessThan(2 * oneFile);
    expect(query.recentProgress[0]!.sources[0]!.numInputRows).toBe(3 * lines);
    expect((sink.rows() as Row[]).map((r) => [r.file, r.count])).toEqual([[0, lines], [1, lines], [2, lines]]);
  });

  it('counts the input rows even when no operator visits them', async () => {
    const root = input(2, 10);
    const sink = memorySink({ name: 'chunks' });
    const query = await startQuery({
      source: files({ path: path.join(root, 'in'), format: 'json', schema: 'f INT, ts TIMESTAMP, k STRING' }),
      pipeline: [withColumn('x', () => 1)],
      sink,
      outputMode: 'append',
      checkpointLocation: path.join(root, 'cp'),
      trigger: { availableNow: true },
    });
    await query.awaitTermination();
    expect(query.recentProgress[0]!.sources[0]!.numInputRows).toBe(20);
  });

  it('FAILFAST in a later file fails the batch naming file and line, and commits nothing', async () => {
    const root = input(3, 5, { file: 1, line: 4 });
    const sink = memorySink({ name: 'chunks' });
    const query = await startQuery({
      source: files({ path: path.join(root, 'in'), format: 'json', schema: 'f INT, ts TIMESTAMP, k STRING', formatOptions: { mode: 'FAILFAST' } }),
      pipeline: [withWatermark('ts', '0 seconds'), window('ts', '1 hour'), groupByKey('window', 'k'), count()],
      sink,
      outputMode: 'update',
      checkpointLocation: path.join(root, 'cp'),
      trigger: { availableNow: true },
    });
    const e = await expectWeirError(() => query.awaitTermination(), 'STREAMING_QUERY_EXCEPTION');
    expect((e.cause as WeirError).code).toBe('MALFORMED_RECORD');
    expect((e.cause as WeirError).context).toMatchObject({ path: path.join(root, 'in', 'part-1.json'), line: 4, batchId: 0 });
    expect(sink.rows()).toEqual([]);
    expect(query.recentProgress).toHaveLength(0);
  });
});
