/**
 * A streaming file source of a format that parses synchronously hands the engine its files unparsed
 * (`readChunks`): each file is parsed when the batch's operators reach it, so a lazy pipeline (filter, withColumn,
 * withWatermark, window, count) holds one file's rows at a time, and the batch's rows are never all alive. The
 * results, progress counts and FAILFAST errors stay those of the eager read.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { map, type OperatorFunction } from 'rxjs';
import type { MicroBatch, Row, Sink } from '../../../../lib/contracts';
import type { StreamingQuery } from '../../../../lib/query/StreamingQuery';
import { startQuery } from '../../../../lib/query/startQuery';
import { agg, aggregate as A, count, groupByKey, window, withColumn, withWatermark } from '../../../../operators';
import { files } from '../../../../connectors/files/fileSource';
import { memorySink } from '../../../../sinks';
import { expectWeirError } from '../../../support/expectWeirError';
import type { WeirError } from '../../../../lib/errors';

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

/** Starts an AvailableNow query over `root`/in with its checkpoint in `root`/cp, into `sink`. */
function runOver(
  root: string,
  source: { format: 'text' } | { format: 'json'; formatOptions?: Record<string, string> },
  pipeline: Array<OperatorFunction<any, any>>,
  sink: Sink<Row>,
  outputMode: 'append' | 'update',
): Promise<StreamingQuery> {
  const options = source.format === 'text' ? { format: 'text' as const } : { ...source, schema: 'f INT, ts TIMESTAMP, k STRING' };
  return startQuery({
    source: files({ path: path.join(root, 'in'), ...options }),
    pipeline,
    sink,
    outputMode,
    checkpointLocation: path.join(root, 'cp'),
    trigger: { availableNow: true },
  });
}

describe('file source chunks: one file of rows alive at a time', () => {
  const pipelines = {
    'withColumn → groupByKey → count': (probe: (row: Row) => number) => [withColumn('file', probe), groupByKey('file'), count()],
    // A sum is not count(*): the aggregation visits plain rows (forEachLazyRow), through withWatermark's plain visit.
    'withColumn → withWatermark → groupByKey → sum': (probe: (row: Row) => number) => [
      withColumn('file', probe),
      withColumn('ts', () => new Date(0)),
      withWatermark('ts', '1 second'),
      groupByKey('file'),
      agg({ count: A.sum('file') }),
    ],
  };

  it.each(Object.keys(pipelines))('rows of earlier files of the batch are garbage while a later one is visited: %s', async (name) => {
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
    const query = await runOver(root, { format: 'text' }, pipelines[name as keyof typeof pipelines](probe), sink, 'update');
    await query.awaitTermination();
    const oneFile = lines * width;
    expect(heldAtLastFile).toBeDefined();
    expect(heldAtLastFile!).toBeLessThan(2 * oneFile);
    expect(query.recentProgress[0]!.sources[0]!.numInputRows).toBe(3 * lines);
    const expected = name.endsWith('count') ? [[0, lines], [1, lines], [2, lines]] : [[0, 0], [1, lines], [2, 2 * lines]];
    expect((sink.rows() as Row[]).map((r) => [r.file, r.count])).toEqual(expected);
  });

  /** An operator that drops the batch's rows without reading them (no spread: that reads `rows`). */
  const dropRowsUnread = map((b: MicroBatch<Row>): MicroBatch<Row> => ({
    batchId: b.batchId,
    watermarkMs: b.watermarkMs,
    lateEventsWatermarkMs: b.lateEventsWatermarkMs,
    batchTimestampMs: b.batchTimestampMs,
    outputMode: b.outputMode,
    context: b.context,
    rows: [],
  }));

  it('counts the input rows when no operator visits them (the engine visits the chunks to count)', async () => {
    const root = input(2, 10);
    const sink = memorySink({ name: 'chunks' });
    const query = await runOver(root, { format: 'json' }, [dropRowsUnread], sink, 'append');
    await query.awaitTermination();
    expect(query.recentProgress[0]!.sources[0]!.numInputRows).toBe(20);
    expect(sink.rows()).toEqual([]);
  });

  it('FAILFAST found by that count fails the batch as the eager read did, committing nothing', async () => {
    const root = input(2, 5, { file: 1, line: 2 });
    const sink = memorySink({ name: 'chunks' });
    const query = await runOver(root, { format: 'json', formatOptions: { mode: 'FAILFAST' } }, [dropRowsUnread], sink, 'append');
    const e = await expectWeirError(() => query.awaitTermination(), 'STREAMING_QUERY_EXCEPTION');
    expect((e.cause as WeirError).code).toBe('MALFORMED_RECORD');
    expect((e.cause as WeirError).context).toMatchObject({ path: path.join(root, 'in', 'part-1.json'), line: 2, batchId: 0 });
    expect(query.recentProgress).toHaveLength(0);
    expect(existsSync(path.join(root, 'cp', 'commits', '0'))).toBe(false);
  });

  it('FAILFAST in a later file fails the batch naming file and line, and commits nothing', async () => {
    const root = input(3, 5, { file: 1, line: 4 });
    const sink = memorySink({ name: 'chunks' });
    const pipeline = [withWatermark('ts', '0 seconds'), window('ts', '1 hour'), groupByKey('window', 'k'), count()];
    const query = await runOver(root, { format: 'json', formatOptions: { mode: 'FAILFAST' } }, pipeline, sink, 'update');
    const e = await expectWeirError(() => query.awaitTermination(), 'STREAMING_QUERY_EXCEPTION');
    expect((e.cause as WeirError).code).toBe('MALFORMED_RECORD');
    expect((e.cause as WeirError).context).toMatchObject({ path: path.join(root, 'in', 'part-1.json'), line: 4, batchId: 0 });
    expect(sink.rows()).toEqual([]);
    expect(query.recentProgress).toHaveLength(0);
  });
});
