/**
 * The DataFrame face must not cost throughput (issue #4): the same query written with DataFrames and with the
 * RxJS face, run alternately in one process, median of RUNS runs.
 *
 * Queries, each in both faces:
 * - `project`: rate-micro-batch (ROWS rows per batch) → keep even values → (value, value * 2 AS doubled) → noop sink;
 * - `window`: rate-micro-batch → withWatermark('timestamp', '10 seconds') → groupBy(window(timestamp, '10 seconds'),
 *   value % 1000 AS key).count() in update mode → noop sink (state in LevelDB under the checkpoint).
 *
 * Run: npm run bench:dataframe   (env RUNS=5 BATCHES=30 ROWS=100000 QUERIES=project,window)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { filter, map } from 'rxjs';
import { Session, startQuery, type StreamingQuery } from '../index';
import { count, groupByKey, rows, window as windowOp, withColumn, withWatermark } from '../operators';
import { noopSink } from '../sinks';
import { rateMicroBatch } from '../sources';
import { col, window } from '../lib/sql/functions';

const RUNS = Number(process.env.RUNS ?? 5);
const BATCHES = Number(process.env.BATCHES ?? 30);
const ROWS = Number(process.env.ROWS ?? 100_000);
const QUERIES = (process.env.QUERIES ?? 'project,window').split(',');

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function timed(start: (checkpoint: string) => Promise<StreamingQuery>): Promise<number> {
  const dir = mkdtempSync(path.join(tmpdir(), 'weir-bench-df-'));
  const t0 = process.hrtime.bigint();
  const query = await start(dir);
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (query.exception) reject(query.exception);
      if ((query.lastProgress?.batchId ?? -1) >= BATCHES - 1) {
        clearInterval(timer);
        resolve();
      }
    }, 1);
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  await query.stop();
  rmSync(dir, { recursive: true, force: true });
  return ms;
}

const spark = Session.builder().appName('bench').getOrCreate();

const projectDataFrame = (checkpoint: string) =>
  spark.readStream
    .format('rate-micro-batch')
    .option('rowsPerBatch', ROWS)
    .load()
    .filter(col('value').mod(2).eq(0))
    .select(col('value'), col('value').multiply(2).alias('doubled'))
    .writeStream.format('noop')
    .option('checkpointLocation', checkpoint)
    .start();

const projectRxjs = (checkpoint: string) =>
  startQuery({
    source: rateMicroBatch({ rowsPerBatch: ROWS }),
    pipeline: [
      rows(filter((r: { value: number }) => r.value % 2 === 0)),
      rows(map((r: { value: number }) => ({ value: r.value, doubled: r.value * 2 }))),
    ],
    sink: noopSink(),
    checkpointLocation: checkpoint,
  });

const windowDataFrame = (checkpoint: string) =>
  spark.readStream
    .format('rate-micro-batch')
    .option('rowsPerBatch', ROWS)
    .option('advanceMillisPerBatch', 1000)
    .load()
    .withWatermark('timestamp', '10 seconds')
    .groupBy(window(col('timestamp'), '10 seconds'), col('value').mod(1000).alias('key'))
    .count()
    .writeStream.format('noop')
    .outputMode('update')
    .option('checkpointLocation', checkpoint)
    .start();

const windowRxjs = (checkpoint: string) =>
  startQuery({
    source: rateMicroBatch({ rowsPerBatch: ROWS, advanceMillisPerBatch: 1000 }),
    pipeline: [
      withWatermark('timestamp', '10 seconds'),
      withColumn('key', (r: { value: number }) => r.value % 1000),
      windowOp('timestamp', '10 seconds'),
      groupByKey('window', 'key'),
      count(),
    ],
    sink: noopSink(),
    outputMode: 'update',
    checkpointLocation: checkpoint,
  });

type Start = (checkpoint: string) => Promise<StreamingQuery>;
const pairs: Record<string, readonly [Start, Start]> = {
  project: [projectDataFrame, projectRxjs],
  window: [windowDataFrame, windowRxjs],
};

async function main(): Promise<void> {
  const results: Record<string, unknown> = {};
  for (const name of QUERIES) {
    const [dataFrameQuery, rxjsQuery] = pairs[name]!;
    await timed(dataFrameQuery); // warm-up
    await timed(rxjsQuery);
    const df: number[] = [];
    const rx: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      df.push(await timed(dataFrameQuery));
      rx.push(await timed(rxjsQuery));
    }
    const events = BATCHES * ROWS;
    results[name] = {
      dataFrameEventsPerSec: Math.round(events / (median(df) / 1000)),
      rxjsEventsPerSec: Math.round(events / (median(rx) / 1000)),
      dataFrameOverRxjsTimeRatio: Number((median(df) / median(rx)).toFixed(3)),
      dataFrameMsRuns: df.map(Math.round),
      rxjsMsRuns: rx.map(Math.round),
    };
  }
  process.stdout.write(`${JSON.stringify({ node: process.version, runs: RUNS, batches: BATCHES, rowsPerBatch: ROWS, ...results }, null, 2)}\n`);
  await spark.stop();
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
