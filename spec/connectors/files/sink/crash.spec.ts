/**
 * Crash test of the file source and the exactly-once Parquet file sink: a child process streams FILES JSON files
 * through a windowed count into a Parquet sink and is SIGKILLed at random moments and at the named points of a
 * sink batch (data file written but not renamed; renamed but not logged; logged but not committed) and of the
 * engine; after the restarts, the committed sink content equals an uninterrupted run: no duplicate, no loss.
 *
 * WEIR_FILE_CRASH_FILES (default 2000, to stay well under a minute; the 10000 passes as well, about 30 s
 * alone on 2 cores), WEIR_FILE_CRASH_KILLS (default 8) and WEIR_FILE_CRASH_SEED make a run reproducible.
 */
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Row } from '../../../../lib/contracts';
import { FileStreamSinkLog } from '../../../../lib/formats/FileStreamSinkLog';
import { Session } from '../../../../lib/sql/dataframe/Session';
import { tempDirs } from '../../../formats/support';
import { rng, runChild, type RunResult } from '../../../support/crashChild';

/** The file sink's child logs Node's ExperimentalWarning (require of an ES module); its assertions ignore it. */
const QUIET = { quietNodeWarnings: true };
const CHILD = path.join(__dirname, 'crash', 'fileCrashChild.ts');
const FILES = Number(process.env.WEIR_FILE_CRASH_FILES ?? 2000);
const KILLS = Number(process.env.WEIR_FILE_CRASH_KILLS ?? 8);
const SEED = Number(process.env.WEIR_FILE_CRASH_SEED ?? Date.now() % 100000);
const MAX_FILES = Math.max(1, Math.floor(FILES / 25));
const BATCHES = Math.ceil(FILES / MAX_FILES);
const POINTS = ['afterDataFilesWritten', 'afterDataFilesRenamed', 'afterLogWritten', 'afterSinkWrite', 'afterOffsetsWritten', 'afterCommitWritten'];

/** FILES JSON-lines files, event time rising with the file number, written in modification-time order. */
function writeInput(dir: string): number {
  mkdirSync(dir, { recursive: true });
  const t0 = Date.UTC(2024, 0, 1);
  let lines = 0;
  for (let i = 0; i < FILES; i++) {
    let text = '';
    for (let j = 0; j < 5; j++) {
      text += `${JSON.stringify({ ts: new Date(t0 + i * 7_000 + j * 1000).toISOString(), key: (i + j) % 3, level: 'info' })}\n`;
      lines += 1;
    }
    const file = path.join(dir, `f${String(i).padStart(6, '0')}.json`);
    writeFileSync(file, text);
    utimesSync(file, 1_700_000_000 + i, 1_700_000_000 + i);
  }
  return lines;
}

describe(`file crash test (${FILES} files, ${KILLS} kills, seed ${SEED})`, () => {
  const temp = tempDirs('file-crash');
  let session: Session;
  beforeAll(() => {
    session = Session.builder().appName('file-crash').getOrCreate();
  });
  afterAll(() => session.stop());

  const committed = async (out: string): Promise<string[]> =>
    (await session.read.parquet(out).collect()).map((r: Row) => `${(r.start as Date).toISOString()} ${r.key as number} ${r.count as number}`).sort();

  it('leaves the Parquet sink equal to an uninterrupted run after SIGKILLs at random points and at every named point', async () => {
    const root = temp();
    const input = path.join(root, 'in');
    const lines = writeInput(input);
    const common = { INPUT: input, MAX_FILES: String(MAX_FILES) };

    const reference = await runChild(CHILD, { ...common, OUT: path.join(root, 'ref-out'), CHECKPOINT: path.join(root, 'ref-cp') }, undefined, QUIET);
    expect(reference.stderr).toBe('');
    expect(reference.code).toBe(0);
    const expected = await committed(path.join(root, 'ref-out'));
    expect(expected.length).toBeGreaterThan(10);
    // Every line is counted once, except those in windows the final watermark has not closed.
    const counted = expected.reduce((n, line) => n + Number(line.split(' ')[2]), 0);
    expect(counted).toBeGreaterThan(lines - 100);
    expect(counted).toBeLessThanOrEqual(lines);

    const random = rng(SEED);
    const out = path.join(root, 'out');
    const env = { ...common, OUT: out, CHECKPOINT: path.join(root, 'cp') };
    const kills: string[] = [];
    let killed = 0;
    for (let k = 0; k < KILLS; k++) {
      const progress = (new FileStreamSinkLog(out).latestBatchId() ?? -1) + 1;
      const aim = Math.max(progress + 1, Math.floor(((k + 1) * (BATCHES - 1)) / (KILLS + 1)));
      let result: RunResult;
      if (k < POINTS.length) {
        const point = POINTS[k] as string;
        const batch = Math.min(BATCHES - 1, aim);
        kills.push(`${point}@${batch}`);
        result = await runChild(CHILD, { ...env, KILL_POINT: point, KILL_BATCH: String(batch) }, undefined, QUIET);
      } else {
        const delay = Math.floor(random() * 400);
        kills.push(`random@${delay}ms`);
        result = await runChild(CHILD, env, delay, QUIET);
      }
      if (result.signal === 'SIGKILL') killed += 1;
      else expect({ kill: kills.at(-1), code: result.code, stderr: result.stderr }).toEqual({ kill: kills.at(-1), code: 0, stderr: '' });
    }
    const final = await runChild(CHILD, env, undefined, QUIET);
    expect(final.stderr).toBe('');
    expect(final.code).toBe(0);

    const actual = await committed(out);
    expect(actual).toEqual(expected);
    const keys = actual.map((l) => l.split(' ').slice(0, 2).join(' '));
    expect(new Set(keys).size).toBe(keys.length); // no (window, key) twice
    expect(killed).toBeGreaterThanOrEqual(Math.min(POINTS.length, KILLS));
    process.stdout.write(`file crash test: ${killed} of ${kills.length} kills hit: ${kills.join(', ')}\n`);
  }, 300_000);
});
