/**
 * Stream-stream join benchmark (issue #7): impressions ⋈ clicks with a 1-hour range, the weir side.
 *
 * Query (RxJS face, inner join, LevelDB state under a real checkpoint, noop sink):
 *   impressions: rateMicroBatch(rowsPerBatch = IMPRESSIONS / BATCHES) → impressionAdId = value,
 *                impressionTime = value * SPACING_MS (default 10 ms: 100 impressions per second of event time)
 *                → withWatermark 10 minutes
 *   clicks:      rateMicroBatch(rowsPerBatch = CLICKS / BATCHES) → clickAdId = value * R (R = IMPRESSIONS / CLICKS:
 *                every R-th impression is clicked), clickTime = its impression's time + (value % 60) minutes
 *                → withWatermark 10 minutes
 *   join on impressionAdId = clickAdId AND impressionTime BETWEEN clickTime - 1 hour AND clickTime
 *
 * Every click matches exactly one impression, so the output has CLICKS rows (checked). Reported: events/s
 * (impressions + clicks) wall-clock over the whole run and steady-state from progress (sum numInputRows / sum
 * batchDuration after WARMUP batches), the process's CPU time (user + system, all threads: a comparison figure
 * that machine noise disturbs less than wall time; steadyCpuMs and steadyEventsPerCpuSec the same over the batches after
 * WARMUP, from the sink write of batch WARMUP - 1 to that of the last batch), the number of joined rows, and the peak state size (numRowsTotal of the join,
 * rows buffered on both sides, and its memoryUsedBytes).
 *
 * Run: node -r @swc-node/register bench/join-impressions-clicks.ts
 *      (env: IMPRESSIONS=10000000 CLICKS=1000000 BATCHES=100 WARMUP=5 SPACING_MS=10 STORE=level|memory CACHE=<entries>)
 * Prints one JSON object.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { map } from 'rxjs';
import type { Row, Sink } from '../lib/contracts';
import { startQuery } from '../lib/query/startQuery';
import type { StreamingQueryProgress } from '../lib/engine/StreamingQueryProgress';
import { joinStream } from '../operators/joinStream';
import { rows } from '../operators/rows';
import { withWatermark } from '../operators/withWatermark';
import { rateMicroBatch } from '../connectors/rate/rateMicroBatch';
import { LevelStateStoreProvider } from '../lib/state/LevelStateStoreProvider';
import { MemoryStateStoreProvider } from '../lib/state/MemoryStateStoreProvider';
import { untilBatch } from './support/stats';

const IMPRESSIONS = Number(process.env.IMPRESSIONS ?? 10_000_000);
const CLICKS = Number(process.env.CLICKS ?? 1_000_000);
const BATCHES = Number(process.env.BATCHES ?? 100);
const WARMUP = Number(process.env.WARMUP ?? 5);
const RATIO = IMPRESSIONS / CLICKS;
/** Event-time spacing of impressions (ms): 10 = 100 impressions per second of event time. */
const SPACING = Number(process.env.SPACING_MS ?? 10);
const START = 1_700_000_000_000;
/** `level` (default: LevelDB under the checkpoint, as a real query) or `memory` (the in-memory store). */
const STORE = process.env.STORE ?? 'level';
const CACHE = process.env.CACHE === undefined ? undefined : Number(process.env.CACHE);

async function main(): Promise<void> {
  const checkpoint = mkdtempSync(path.join(tmpdir(), 'weir-bench-join-'));
  let joined = 0;
  // CPU time at the sink write of the last warm-up batch and of the last batch: the steady batches' CPU time.
  let cpuAtWarmup: NodeJS.CpuUsage | undefined;
  let cpuAtEnd: NodeJS.CpuUsage | undefined;
  const sink: Sink<Row> = {
    description: 'CountingSink',
    addBatch: async (id, out) => {
      if (id < BATCHES) joined += out.length;
      if (id === WARMUP - 1) cpuAtWarmup = process.cpuUsage();
      if (id === BATCHES - 1) cpuAtEnd = process.cpuUsage();
    },
  };
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const query = await startQuery({
    inputs: [
      {
        source: rateMicroBatch({ rowsPerBatch: IMPRESSIONS / BATCHES, startTimestamp: START, advanceMillisPerBatch: 1000 }),
        pipeline: [
          rows(map((r: { value: number }) => ({ impressionAdId: r.value, impressionTime: new Date(START + r.value * SPACING) }))),
          withWatermark('impressionTime', '10 minutes'),
        ],
      },
      {
        source: rateMicroBatch({ rowsPerBatch: CLICKS / BATCHES, startTimestamp: START, advanceMillisPerBatch: 1000 }),
        pipeline: [
          rows(
            map((r: { value: number }) => ({
              clickAdId: r.value * RATIO,
              clickTime: new Date(START + r.value * RATIO * SPACING + (r.value % 60) * 60_000),
            })),
          ),
          withWatermark('clickTime', '10 minutes'),
        ],
      },
    ],
    pipeline: [
      joinStream({
        leftKeys: ['impressionAdId'],
        rightKeys: ['clickAdId'],
        between: { left: 'impressionTime', right: 'clickTime', lower: '-1 hour', upper: 0 },
      }),
    ],
    sink,
    checkpointLocation: checkpoint,
    numRecentProgressUpdates: BATCHES + 10,
    ...(STORE === 'memory' ? { stateStoreProvider: () => new MemoryStateStoreProvider() } : {}),
    ...(STORE === 'level' && CACHE !== undefined ? { stateStoreProvider: (p: string) => new LevelStateStoreProvider(p, { cacheMaxEntries: CACHE }) } : {}),
    logger: { warn: () => undefined },
  });
  const progress: StreamingQueryProgress[] = [];
  await untilBatch(query, BATCHES - 1, 2);
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  progress.push(...query.recentProgress.filter((p) => p.batchId < BATCHES));
  await query.stop();
  rmSync(checkpoint, { recursive: true, force: true });
  const steady = progress.filter((p) => p.batchId >= WARMUP && p.numInputRows > 0);
  const steadyRows = steady.reduce((n, p) => n + p.numInputRows, 0);
  const steadyMs = steady.reduce((n, p) => n + p.batchDuration, 0);
  const inputRows = progress.reduce((n, p) => n + p.numInputRows, 0);
  const peakRows = Math.max(...progress.map((p) => p.stateOperators[0]?.numRowsTotal ?? 0));
  const peakBytes = Math.max(...progress.map((p) => p.stateOperators[0]?.memoryUsedBytes ?? 0));
  const steadyCpuMs =
    cpuAtWarmup !== undefined && cpuAtEnd !== undefined
      ? (cpuAtEnd.user + cpuAtEnd.system - cpuAtWarmup.user - cpuAtWarmup.system) / 1000
      : undefined;
  const expectedJoined = progress.length >= BATCHES ? CLICKS : undefined;
  process.stdout.write(
    `${JSON.stringify({
      side: 'weir',
      store: STORE,
      spacingMs: SPACING,
      impressions: IMPRESSIONS,
      clicks: CLICKS,
      batches: BATCHES,
      inputRows,
      joinedRows: joined,
      joinedRowsExpected: expectedJoined,
      wallMs: Math.round(wallMs),
      wallEventsPerSec: Math.round(inputRows / (wallMs / 1000)),
      cpuMs: Math.round(cpuMs),
      steadyCpuMs: steadyCpuMs === undefined ? undefined : Math.round(steadyCpuMs),
      steadyEventsPerCpuSec: steadyCpuMs === undefined ? undefined : Math.round(steadyRows / (steadyCpuMs / 1000)),
      steadyEventsPerSec: Math.round(steadyRows / (steadyMs / 1000)),
      peakStateRows: peakRows,
      peakStateMemoryBytes: peakBytes,
    })}\n`,
  );
}

main().catch((e) => {
  process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(1);
});
