/**
 * Engine overhead benchmark (issue #2).
 *
 * 1. Throughput: rate-micro-batch → rows(map) → noop sink, against a hand-written loop that generates the same
 *    rows and applies the same map. Reported as events/s and the engine's overhead ratio, measured in the same
 *    process, median of RUNS runs.
 * 2. Per-batch overhead: batches with no rows (a source whose offset moves but yields nothing), so the time per
 *    batch is the engine's own: offsets/N write (fsync), plan, sink call, commits/N write (fsync), progress.
 *
 * Run: npm run bench            (env: RUNS=5 BATCHES=50 ROWS=100000 EMPTY_BATCHES=300)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { EMPTY, map } from 'rxjs';
import { startQuery, type Row, type Source } from '../index';
import { rows } from '../operators';
import { noopSink } from '../sinks';
import { rateMicroBatch } from '../sources';
import { median } from './support/stats';

const RUNS = Number(process.env.RUNS ?? 5);
const BATCHES = Number(process.env.BATCHES ?? 50);
const ROWS = Number(process.env.ROWS ?? 100_000);
const EMPTY_BATCHES = Number(process.env.EMPTY_BATCHES ?? 300);

const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

const transform = (r: { value: number; timestamp: Date }) => ({ value: r.value, doubled: r.value * 2, ts: r.timestamp });

/** The baseline: the same rows as rate-micro-batch (numPartitions 1), the same map, no engine. */
function handWritten(): number {
  const t0 = process.hrtime.bigint();
  let sink = 0;
  for (let b = 0; b < BATCHES; b += 1) {
    const start = b * ROWS;
    const tsMs = b * 1000;
    const input: { value: number; timestamp: Date }[] = [];
    // rate-micro-batch gives every row its own Date (rows are independent objects); so does the baseline
    for (let v = start; v < start + ROWS; v += 1) input.push({ value: v, timestamp: new Date(tsMs) });
    const out = input.map(transform);
    sink += out.length;
  }
  if (sink !== BATCHES * ROWS) throw new Error('baseline lost rows');
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

async function engine(): Promise<number> {
  const dir = mkdtempSync(path.join(tmpdir(), 'weir-bench-'));
  const sink = noopSink();
  const t0 = process.hrtime.bigint();
  const query = await startQuery({
    source: rateMicroBatch({ rowsPerBatch: ROWS }),
    pipeline: rows(map(transform)),
    sink,
    checkpointLocation: dir,
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (query.exception) reject(query.exception);
      if (sink.numBatches >= BATCHES) {
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

/** A source whose offset advances every trigger but which yields no rows: every batch is empty. */
function tickSource(): Source<Row> {
  return {
    description: 'TickSource',
    open: async () => undefined,
    initialOffset: async () => 0,
    latestOffset: async (start) => Number(start) + 1,
    read: () => EMPTY,
    commit: async () => undefined,
    stop: async () => undefined,
  };
}

async function emptyBatches(): Promise<{ progressMs: number[]; meanMs: number }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'weir-bench-empty-'));
  const sink = noopSink();
  const t0 = process.hrtime.bigint();
  const query = await startQuery({ source: tickSource(), sink, checkpointLocation: dir, numRecentProgressUpdates: EMPTY_BATCHES + 10 });
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      if (sink.numBatches >= EMPTY_BATCHES) {
        clearInterval(timer);
        resolve();
      }
    }, 1);
  });
  const meanMs = Number(process.hrtime.bigint() - t0) / 1e6 / sink.numBatches;
  await query.stop();
  rmSync(dir, { recursive: true, force: true });
  return { progressMs: query.recentProgress.slice(1, EMPTY_BATCHES).map((p) => p.durationMs.triggerExecution), meanMs };
}

async function main(): Promise<void> {
  const base: number[] = [];
  const eng: number[] = [];
  handWritten(); // warm-up
  await engine();
  for (let r = 0; r < RUNS; r += 1) {
    // Interleave so both see the same machine noise.
    base.push(handWritten());
    eng.push(await engine());
  }
  const events = BATCHES * ROWS;
  const baseMs = median(base);
  const engMs = median(eng);
  const { progressMs: perBatch, meanMs } = await emptyBatches();
  const result = {
    node: process.version,
    runs: RUNS,
    batches: BATCHES,
    rowsPerBatch: ROWS,
    handWrittenEventsPerSec: Math.round(events / (baseMs / 1000)),
    engineEventsPerSec: Math.round(events / (engMs / 1000)),
    engineOverheadPct: Number((((engMs - baseMs) / baseMs) * 100).toFixed(1)),
    handWrittenMsRuns: base.map((x) => Math.round(x)),
    engineMsRuns: eng.map((x) => Math.round(x)),
    emptyBatchMeanMs: Number(meanMs.toFixed(3)),
    emptyBatchMs: { p50: percentile(perBatch, 50), p90: percentile(perBatch, 90), p99: percentile(perBatch, 99), n: perBatch.length },
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
