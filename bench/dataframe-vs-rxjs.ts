/**
 * The DataFrame face must not cost throughput (issue #4): the same query written with DataFrames and with the
 * RxJS face, run alternately in one process, median of RUNS runs.
 *
 * Queries, each in both faces:
 * - `project`: rate-micro-batch (ROWS rows per batch) → keep even values → (value, value * 2 AS doubled) → noop sink;
 * - `window`: rate-micro-batch → withWatermark('timestamp', '10 seconds') → groupBy(window(timestamp, '10 seconds'),
 *   value % 1000 AS key).count() in update mode → noop sink (state in LevelDB under the checkpoint).
 *
 * Every run is a child process of its own, running one face (after a warm-up run of the same query): in one
 * process the faces share the engine's and the source's code, whose inline caches then see both faces' row shapes
 * and slow one of them down (measured 2026-11-22: the projection query 1.26–1.40x slower through the DataFrame in
 * a shared process, 0.7–0.8x in processes of their own), which is not what a user of either face sees.
 *
 * Reported per query (medians of RUNS runs, the faces alternating): events/s over the wall time from `start()` to
 * the last batch (includes planning, checkpoint creation and the first batches) and steady events/s from progress
 * (sum numInputRows / sum batchDuration after WARMUP batches, as the other benchmarks); the ratio that compares
 * the faces' per-batch cost is the steady one.
 *
 * Run: npm run bench:dataframe   (env RUNS=5 BATCHES=30 WARMUP=5 ROWS=100000 QUERIES=project,window)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { filter, map } from 'rxjs';
import { Session, startQuery, type StreamingQuery } from '../index';
import { count, groupByKey, rows, window as windowOp, withColumn, withWatermark } from '../operators';
import { noopSink } from '../sinks';
import { rateMicroBatch } from '../sources';
import { col, window } from '../lib/sql/functions';
import { median, untilBatch } from './support/stats';

const RUNS = Number(process.env.RUNS ?? 5);
const BATCHES = Number(process.env.BATCHES ?? 30);
const ROWS = Number(process.env.ROWS ?? 100_000);
const QUERIES = (process.env.QUERIES ?? 'project,window').split(',');
const WARMUP = Number(process.env.WARMUP ?? 5);


/** One run: wall ms from start() to the last batch, and steady ms per batch (sum batchDuration / batches after WARMUP). */
async function timed(start: (checkpoint: string) => Promise<StreamingQuery>): Promise<{ wallMs: number; steadyMsPerBatch: number }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'weir-bench-df-'));
  const t0 = process.hrtime.bigint();
  const query = await start(dir);
  await untilBatch(query, BATCHES - 1, 1);
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const steady = query.recentProgress.filter((p) => p.batchId >= WARMUP && p.batchId < BATCHES);
  await query.stop();
  rmSync(dir, { recursive: true, force: true });
  return { wallMs, steadyMsPerBatch: steady.reduce((n, p) => n + p.batchDuration, 0) / steady.length };
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

type Run = { wallMs: number; steadyMsPerBatch: number };

/** One run in a child process of its own (see the header: JIT state must not leak between the faces). */
function runChild(name: string, face: 'dataFrame' | 'rxjs'): Run {
  const child = spawnSync(process.execPath, [...process.execArgv, __filename, 'child', name, face], {
    encoding: 'utf8',
    env: process.env,
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) throw new Error(`child ${name}/${face} failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as Run;
}

async function main(): Promise<void> {
  if (process.argv[2] === 'child') {
    const [dataFrameQuery, rxjsQuery] = pairs[process.argv[3]!]!;
    await timed(process.argv[4] === 'dataFrame' ? dataFrameQuery : rxjsQuery); // warm-up in the same process
    const run = await timed(process.argv[4] === 'dataFrame' ? dataFrameQuery : rxjsQuery);
    process.stdout.write(JSON.stringify(run));
    await spark.stop();
    return;
  }
  const results: Record<string, unknown> = {};
  for (const name of QUERIES) {
    const df: Run[] = [];
    const rx: Run[] = [];
    // Alternating, each face first in half of the pairs.
    for (let i = 0; i < RUNS; i += 1) {
      if (i % 2 === 0) {
        df.push(runChild(name, 'dataFrame'));
        rx.push(runChild(name, 'rxjs'));
      } else {
        rx.push(runChild(name, 'rxjs'));
        df.push(runChild(name, 'dataFrame'));
      }
    }
    const events = BATCHES * ROWS;
    const wall = (runs: Run[]) => median(runs.map((r) => r.wallMs));
    const steady = (runs: Run[]) => median(runs.map((r) => r.steadyMsPerBatch));
    results[name] = {
      dataFrameSteadyEventsPerSec: Math.round(ROWS / (steady(df) / 1000)),
      rxjsSteadyEventsPerSec: Math.round(ROWS / (steady(rx) / 1000)),
      dataFrameOverRxjsSteadyTimeRatio: Number((steady(df) / steady(rx)).toFixed(3)),
      dataFrameWallEventsPerSec: Math.round(events / (wall(df) / 1000)),
      rxjsWallEventsPerSec: Math.round(events / (wall(rx) / 1000)),
      dataFrameOverRxjsWallTimeRatio: Number((wall(df) / wall(rx)).toFixed(3)),
      dataFrameSteadyMsPerBatchRuns: df.map((r) => Number(r.steadyMsPerBatch.toFixed(2))),
      rxjsSteadyMsPerBatchRuns: rx.map((r) => Number(r.steadyMsPerBatch.toFixed(2))),
    };
  }
  process.stdout.write(`${JSON.stringify({ node: process.version, runs: RUNS, batches: BATCHES, rowsPerBatch: ROWS, ...results }, null, 2)}\n`);
  await spark.stop();
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
