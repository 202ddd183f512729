/**
 * File benchmark (issue #5): JSON-lines files → filter → 1-minute window count (watermark, append) → Parquet file
 * sink, through the DataFrame face, with Trigger.AvailableNow.
 *
 * Input: FILES files of LINES lines each (`{"ts": ISO-8601, "level": "info"|"warn"|"error", "user": "u<n>",
 * "bytes": n}`), event time rising by 1 ms per line, written once into INPUT (kept, so the Spark side reads the
 * same files) unless INPUT already holds them.
 * Query: `level != 'info'` (2/3 of the rows pass), withWatermark('ts', '1 minute'), groupBy(window(ts, '1 minute'))
 * .count(), writeStream parquet, maxFilesPerTrigger MAX_FILES.
 *
 * Reported (median of RUNS runs, fresh checkpoint and output each): input rows/s over the wall time of the query
 * (start to termination) and steady-state rows/s from progress (sum numInputRows / sum batchDuration after the
 * first WARMUP batches, as the Spark side measures), plus JSON parsing alone (JSON.parse of every line) as the
 * ceiling. A correctness check: the counts in the sink add up to the rows of the closed windows.
 *
 * Run: node -r @swc-node/register bench/file-window-parquet.ts
 *      (env: FILES=100 LINES=20000 MAX_FILES=10 RUNS=3 WARMUP=2 INPUT=/tmp/weir-bench-files-input)
 * With the Spark side, pinned to one core: bash bench/file-window-parquet.sh
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Session } from '../lib/sql/dataframe/Session';
import { col, window } from '../lib/sql/functions';
import type { StreamingQueryProgress } from '../lib/engine/StreamingQueryProgress';
import { median } from './support/stats';

const FILES = Number(process.env.FILES ?? 100);
const LINES = Number(process.env.LINES ?? 20_000);
const MAX_FILES = Number(process.env.MAX_FILES ?? 10);
const RUNS = Number(process.env.RUNS ?? 3);
const WARMUP = Number(process.env.WARMUP ?? 2);
const INPUT = process.env.INPUT ?? path.join(tmpdir(), `weir-bench-files-input-${FILES}x${LINES}`);
const T0 = Date.UTC(2024, 0, 1);
const LEVELS = ['info', 'warn', 'error'];


function writeInput(): void {
  if (existsSync(INPUT) && readdirSync(INPUT).filter((f) => f.endsWith('.json')).length === FILES) return;
  rmSync(INPUT, { recursive: true, force: true });
  mkdirSync(INPUT, { recursive: true });
  for (let f = 0; f < FILES; f++) {
    const parts: string[] = [];
    for (let i = 0; i < LINES; i++) {
      const n = f * LINES + i;
      parts.push(`{"ts":"${new Date(T0 + n).toISOString()}","level":"${LEVELS[n % 3]}","user":"u${n % 1000}","bytes":${n % 5000}}\n`);
    }
    const file = path.join(INPUT, `part-${String(f).padStart(5, '0')}.json`);
    writeFileSync(file, parts.join(''));
    utimesSync(file, 1_700_000_000 + f, 1_700_000_000 + f);
  }
}

/** The ceiling: JSON.parse of every line of the input, nothing else. */
function parseOnly(): number {
  const t = process.hrtime.bigint();
  let n = 0;
  for (const name of readdirSync(INPUT).sort()) {
    const text = readFileSync(path.join(INPUT, name), 'utf8');
    for (const line of text.split('\n')) {
      if (line.length === 0) continue;
      JSON.parse(line);
      n++;
    }
  }
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  return (n / ms) * 1000;
}

async function runOnce(session: Session): Promise<{ wall: number; steady: number; batches: number; sinkCount: number }> {
  const work = mkdtempSync(path.join(tmpdir(), 'weir-bench-files-run-'));
  try {
    const progress: StreamingQueryProgress[] = [];
    const t = process.hrtime.bigint();
    const query = await session.readStream
      .schema('ts TIMESTAMP, level STRING, user STRING, bytes BIGINT')
      .option('maxFilesPerTrigger', MAX_FILES)
      .json(INPUT)
      .filter("level != 'info'")
      .withWatermark('ts', '1 minute')
      .groupBy(window(col('ts'), '1 minute'))
      .count()
      .writeStream.format('parquet')
      .outputMode('append')
      .trigger({ availableNow: true })
      .option('checkpointLocation', path.join(work, 'cp'))
      .start(path.join(work, 'out'));
    await query.awaitTermination();
    const wallMs = Number(process.hrtime.bigint() - t) / 1e6;
    progress.push(...query.recentProgress);
    const data = progress.filter((p) => p.numInputRows > 0);
    const steady = data.slice(WARMUP);
    const rows = steady.reduce((s, p) => s + p.numInputRows, 0);
    const ms = steady.reduce((s, p) => s + (p.durationMs.triggerExecution ?? 0), 0);
    const out = await session.read.schema('window STRUCT<start: TIMESTAMP, end: TIMESTAMP>, count BIGINT').parquet(path.join(work, 'out')).collect();
    const sinkCount = out.reduce((s, r) => s + (r.count as number), 0);
    return { wall: ((FILES * LINES) / wallMs) * 1000, steady: (rows / ms) * 1000, batches: data.length, sinkCount };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  writeInput();
  const session = Session.builder().appName('bench-files').getOrCreate();
  const walls: number[] = [];
  const steadies: number[] = [];
  const parses: number[] = [];
  let last: Awaited<ReturnType<typeof runOnce>> | undefined;
  for (let r = 0; r < RUNS; r++) {
    last = await runOnce(session);
    walls.push(last.wall);
    steadies.push(last.steady);
    parses.push(parseOnly());
  }
  await session.stop();
  // Rows passing the filter in windows the final watermark closed (max event time - 1 minute).
  const total = FILES * LINES;
  const closedBefore = Math.floor((T0 + total - 1 - 60_000 - T0) / 60_000) * 60_000;
  let expected = 0;
  for (let n = 0; n < Math.min(total, closedBefore); n++) if (n % 3 !== 0) expected++;
  process.stdout.write(
    `${JSON.stringify(
      {
        query: "json files -> filter(level != 'info') -> 1-minute window count -> parquet (append, availableNow)",
        files: FILES,
        linesPerFile: LINES,
        maxFilesPerTrigger: MAX_FILES,
        runs: RUNS,
        batches: last?.batches,
        weirWallRowsPerSec: Math.round(median(walls)),
        weirSteadyRowsPerSec: Math.round(median(steadies)),
        jsonParseOnlyLinesPerSec: Math.round(median(parses)),
        sinkCountMatches: last?.sinkCount === expected,
        sinkCount: last?.sinkCount,
        expectedSinkCount: expected,
        input: INPUT,
      },
      null,
      2,
    )}\n`,
  );
}

main().catch((e) => {
  process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(1);
});
