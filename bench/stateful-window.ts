/**
 * Stateful windowed count benchmark (issue #3).
 *
 * Query: rateMicroBatch({ rowsPerBatch: ROWS, advanceMillisPerBatch: 1000 }) → withWatermark('timestamp', '10 seconds')
 * → withColumn('key', r => r.value % KEYS) → 10 s tumbling window → groupByKey('window', 'key') → count(), state in LevelDB (the default
 * LevelStateStoreProvider under a real checkpoint folder, committed every batch), output mode MODE (update by
 * default) into noopSink().
 *
 * Baseline: a hand-written loop over the same rows built the same way (one object per row and one Date per batch, as
 * rate-micro-batch does) that keeps a Map of counts per (window, key), applies the same watermark (max event
 * time - 10 s, from the previous batch) and drops windows it closes; no engine, no persistence.
 *
 * Reported (median of RUNS runs, the two alternating so both see the same machine noise):
 * - wall-clock events/s of both over BATCHES batches (the engine's includes start, checkpoint and LevelDB open);
 * - the engine's steady-state events/s from its progress, measured like the Spark side: sum numInputRows / sum
 *   batchDuration over the batches after the first WARMUP;
 * - per-batch ms (p50 / p90 of batchDuration in steady state) and the state size: LevelDB folder bytes /
 *   numRowsTotal (as the query left it, and after a compaction), and the average key and msgpack value bytes of
 *   the stored rows.
 *
 * A correctness check runs first: the last count the sink saw for every (window, key) equals the loop's count.
 *
 * Run: node -r @swc-node/register bench/stateful-window.ts
 *      (env: RUNS=5 BATCHES=60 ROWS=100000 KEYS=1000 WARMUP=5 MODE=update|append VERIFY=1)
 * With the Spark side, pinned to one core: npm run bench:stateful (bench/run-stateful.sh).
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Level } from 'level';
import type { Row, Sink } from '../lib/contracts';
import { startQuery } from '../lib/query/startQuery';
import type { StreamingQueryProgress } from '../lib/engine/StreamingQueryProgress';
import { count, groupByKey, window, withColumn, withWatermark } from '../operators';
import { foreachBatchSink, noopSink } from '../sinks';
import { rateMicroBatch } from '../sources';
import { operatorKeys } from '../lib/state/levelLayout';
import { median } from './support/stats';

const RUNS = Number(process.env.RUNS ?? 5);
const BATCHES = Number(process.env.BATCHES ?? 60);
const ROWS = Number(process.env.ROWS ?? 100_000);
const KEYS = Number(process.env.KEYS ?? 1000);
const WARMUP = Number(process.env.WARMUP ?? 5);
const MODE = (process.env.MODE ?? 'update') as 'update' | 'append';
const VERIFY = process.env.VERIFY !== '0';

const WINDOW_MS = 10_000;
const DELAY_MS = 10_000;
const ADVANCE_MS = 1000;

const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

type RateRow = { timestamp: Date; value: number };

function pipeline() {
  return [
    withWatermark('timestamp', '10 seconds'),
    withColumn('key', (r: RateRow) => r.value % KEYS),
    window('timestamp', '10 seconds'),
    groupByKey('window', 'key'),
    count(),
  ];
}

/**
 * The baseline: the same rows, a Map of counts per (window start, key) (a Map of windows holding a Map of keys),
 * the same watermark rule (rows of windows already closed are dropped, windows the watermark passes are removed).
 * Returns elapsed ms and, with `keepAll`, the final count of every window it saw.
 */
function handWritten(keepAll = false): { ms: number; all: Map<number, Map<number, number>> } {
  const t0 = process.hrtime.bigint();
  const counts = new Map<number, Map<number, number>>(); // window start → key → count
  const all = new Map<number, Map<number, number>>();
  let maxEventTime = -Infinity;
  let watermark = 0; // the watermark this batch uses (from the batches before it)
  let lateWatermark = 0; // the previous batch's, for late rows (as Spark 3.4+)
  for (let b = 0; b < BATCHES; b += 1) {
    const start = b * ROWS;
    const tsMs = b * ADVANCE_MS;
    const input: RateRow[] = [];
    // rate-micro-batch gives every row its own object, the rows of a batch sharing one Date; so does the baseline
    const timestamp = new Date(tsMs);
    for (let v = start; v < start + ROWS; v += 1) input.push({ timestamp, value: v });
    for (let i = 0; i < input.length; i += 1) {
      const r = input[i]!;
      const ts = r.timestamp.getTime();
      if (ts > maxEventTime) maxEventTime = ts;
      const ws = ts - (((ts % WINDOW_MS) + WINDOW_MS) % WINDOW_MS);
      if (ws + WINDOW_MS <= lateWatermark) continue; // late
      let perKey = counts.get(ws);
      if (perKey === undefined) {
        perKey = new Map();
        counts.set(ws, perKey);
      }
      const key = r.value % KEYS;
      perKey.set(key, (perKey.get(key) ?? 0) + 1);
    }
    for (const [ws, perKey] of counts) {
      if (ws + WINDOW_MS <= watermark) {
        if (keepAll) all.set(ws, perKey);
        counts.delete(ws);
      }
    }
    lateWatermark = watermark;
    watermark = Math.max(watermark, maxEventTime - DELAY_MS);
  }
  if (keepAll) for (const [ws, perKey] of counts) all.set(ws, perKey);
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, all };
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    const st = statSync(p);
    total += st.isDirectory() ? folderBytes(p) : st.size;
  }
  return total;
}

async function waitForBatches(query: { exception: unknown }, sink: { numBatches: number }, n: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (query.exception) {
        clearInterval(timer);
        reject(query.exception);
      }
      if (sink.numBatches >= n) {
        clearInterval(timer);
        resolve();
      }
    }, 1);
  });
}

interface EngineRun {
  ms: number;
  progress: StreamingQueryProgress[];
  stateBytes?: StateBytes;
}

interface StateBytes {
  leveldbFolderBytes: number;
  numRowsTotal: number;
  folderBytesPerKey: number;
  avgKeyBytes: number;
  avgValueBytes: number;
  storedRows: number;
  leveldbFolderBytesCompacted: number;
  compactedFolderBytesPerKey: number;
}

/**
 * Average stored key and value bytes of the aggregation's rows, read back from LevelDB after stop, then the
 * folder size once LevelDB has flushed its log and compacted away overwritten versions (what the state costs at
 * rest; the folder as the query left it also holds the write-ahead log and not yet compacted older versions).
 */
async function storedSizes(
  leveldb: string,
): Promise<{ avgKeyBytes: number; avgValueBytes: number; storedRows: number; leveldbFolderBytesCompacted: number }> {
  const db = new Level<Uint8Array, Uint8Array>(leveldb, { keyEncoding: 'view', valueEncoding: 'view' });
  await db.open();
  const keys = operatorKeys('aggregate-0');
  let n = 0;
  let k = 0;
  let v = 0;
  for await (const [key, value] of db.iterator({ gte: keys.dataPrefix, lt: keys.dataEnd })) {
    n += 1;
    k += key.length - keys.dataPrefix.length;
    v += value.length;
  }
  // `level` is classic-level in Node, which has compactRange (its browser half does not, hence the cast).
  const compactable = db as unknown as { compactRange(start: Uint8Array, end: Uint8Array): Promise<void> };
  await compactable.compactRange(Uint8Array.of(0x00), Uint8Array.of(0xff, 0xff, 0xff, 0xff));
  await db.close();
  return {
    avgKeyBytes: Number((n ? k / n : 0).toFixed(1)),
    avgValueBytes: Number((n ? v / n : 0).toFixed(1)),
    storedRows: n,
    leveldbFolderBytesCompacted: folderBytes(leveldb),
  };
}

async function engine(measureState = false): Promise<EngineRun> {
  const dir = mkdtempSync(path.join(tmpdir(), 'weir-bench-stateful-'));
  const sink = noopSink();
  const t0 = process.hrtime.bigint();
  const query = await startQuery({
    source: rateMicroBatch({ rowsPerBatch: ROWS, advanceMillisPerBatch: ADVANCE_MS }),
    pipeline: pipeline(),
    sink,
    outputMode: MODE,
    checkpointLocation: dir,
    numRecentProgressUpdates: BATCHES + 50,
  });
  await waitForBatches(query, sink, BATCHES);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  await query.stop();
  const progress = [...query.recentProgress];
  let stateBytes: StateBytes | undefined;
  if (measureState) {
    const leveldb = path.join(dir, 'state', 'leveldb');
    const last = progress.filter((p) => p.stateOperators.length > 0).at(-1)!;
    const numRowsTotal = last.stateOperators[0]!.numRowsTotal;
    const bytes = folderBytes(leveldb);
    const sizes = await storedSizes(leveldb);
    stateBytes = {
      leveldbFolderBytes: bytes,
      numRowsTotal,
      folderBytesPerKey: Math.round(bytes / numRowsTotal),
      ...sizes,
      compactedFolderBytesPerKey: Math.round(sizes.leveldbFolderBytesCompacted / numRowsTotal),
    };
  }
  rmSync(dir, { recursive: true, force: true });
  return { ms, progress, ...(stateBytes ? { stateBytes } : {}) };
}

/** Steady state as on the Spark side: sum numInputRows / sum batchDuration over data batches after WARMUP. */
function steadyState(progress: readonly StreamingQueryProgress[]): { eventsPerSec: number; batchMs: number[] } {
  const steady = progress.filter((p) => p.batchId >= WARMUP && p.sources[0]!.numInputRows > 0);
  const rowsIn = steady.reduce((n, p) => n + p.sources[0]!.numInputRows, 0);
  const ms = steady.reduce((n, p) => n + p.batchDuration, 0);
  return { eventsPerSec: rowsIn / (ms / 1000), batchMs: steady.map((p) => p.batchDuration) };
}

/** The last count the sink saw for every (window start, key) must equal the loop's. */
async function verify(): Promise<{ ok: boolean; groups: number }> {
  const seen = new Map<string, number>();
  const sink = foreachBatchSink((batchRows: readonly Row[], batchId: number) => {
    if (batchId >= BATCHES) return; // the query may run past BATCHES before it stops
    for (const r of batchRows) {
      const w = r.window as { start: Date; end: Date };
      seen.set(`${w.start.getTime()}|${r.key as number}`, r.count as number);
    }
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'weir-bench-stateful-verify-'));
  const query = await startQuery({
    source: rateMicroBatch({ rowsPerBatch: ROWS, advanceMillisPerBatch: ADVANCE_MS }),
    pipeline: pipeline(),
    sink: sink as unknown as Sink<Row>,
    outputMode: MODE,
    checkpointLocation: dir,
  });
  const counter = { get numBatches() { return query.lastProgress ? query.lastProgress.batchId + 1 : 0; } };
  await waitForBatches(query, counter, BATCHES);
  await query.stop();
  rmSync(dir, { recursive: true, force: true });
  const { all } = handWritten(true);
  let ok = true;
  let groups = 0;
  // append emits a window once the watermark passes its end: by the last batch, those ending at or before the
  // watermark that batch uses (the max event time of the batches before it, minus the delay).
  const lastWatermark = (BATCHES - 2) * ADVANCE_MS - DELAY_MS;
  for (const [ws, perKey] of all) {
    if (MODE === 'append' && ws + WINDOW_MS > lastWatermark) {
      if (seen.has(`${ws}|0`)) ok = false; // emitted before it closed
      continue;
    }
    for (const [key, c] of perKey) {
      groups += 1;
      if (seen.get(`${ws}|${key}`) !== c) {
        if (ok) process.stderr.write(`window ${ws} key ${key}: loop ${c}, engine ${seen.get(`${ws}|${key}`)}\n`);
        ok = false;
      }
    }
  }
  if (groups !== seen.size) {
    process.stderr.write(`groups: loop ${groups}, engine ${seen.size}\n`);
    ok = false;
  }
  return { ok, groups };
}

async function main(): Promise<void> {
  const check = VERIFY ? await verify() : undefined;
  if (check && !check.ok) throw new Error('the engine and the loop disagree');
  handWritten(); // warm-up
  await engine();
  const base: number[] = [];
  const eng: EngineRun[] = [];
  for (let r = 0; r < RUNS; r += 1) {
    // Interleave so both see the same machine noise.
    base.push(handWritten().ms);
    eng.push(await engine(r === RUNS - 1));
  }
  const events = BATCHES * ROWS;
  const baseMs = median(base);
  const engMs = median(eng.map((e) => e.ms));
  const steady = eng.map((e) => steadyState(e.progress));
  const steadyEps = median(steady.map((s) => s.eventsPerSec));
  const batchMs = steady.flatMap((s) => s.batchMs);
  const lastRun = eng.at(-1)!;
  const lastSteady = lastRun.progress.filter((p) => p.batchId >= WARMUP && p.stateOperators.length > 0);
  const op = (p: StreamingQueryProgress) => p.stateOperators[0]!;
  const result = {
    node: process.version,
    mode: MODE,
    runs: RUNS,
    batches: BATCHES,
    rowsPerBatch: ROWS,
    keys: KEYS,
    warmupBatches: WARMUP,
    verified: check ? { ok: check.ok, groups: check.groups } : 'skipped',
    handWrittenEventsPerSec: Math.round(events / (baseMs / 1000)),
    engineEventsPerSec: Math.round(events / (engMs / 1000)),
    engineSteadyEventsPerSec: Math.round(steadyEps),
    loopOverEngine: Number((engMs / baseMs).toFixed(2)),
    handWrittenMsRuns: base.map((x) => Math.round(x)),
    engineMsRuns: eng.map((e) => Math.round(e.ms)),
    engineSteadyEventsPerSecRuns: steady.map((s) => Math.round(s.eventsPerSec)),
    batchMs: { p50: percentile(batchMs, 50), p90: percentile(batchMs, 90), max: Math.max(...batchMs), n: batchMs.length },
    // Where a steady batch's time goes (medians of progress.durationMs over the last run's steady batches).
    durationMsMedian: Object.fromEntries(
      ['latestOffset', 'walCommit', 'getBatch', 'addBatch', 'commitOffsets', 'triggerExecution'].map((k) => [
        k,
        median(lastSteady.map((p) => (p.durationMs as Record<string, number>)[k] ?? 0)),
      ]),
    ),
    stateOperator: {
      numRowsTotalMedian: median(lastSteady.map((p) => op(p).numRowsTotal)),
      numRowsUpdatedMedian: median(lastSteady.map((p) => op(p).numRowsUpdated)),
      numRowsRemovedMedian: median(lastSteady.map((p) => op(p).numRowsRemoved)),
      commitTimeMsMedian: median(lastSteady.map((p) => op(p).commitTimeMs)),
      outputRowsPerBatchMedian: median(lastSteady.map((p) => p.sink.numOutputRows)),
    },
    state: lastRun.stateBytes,
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
