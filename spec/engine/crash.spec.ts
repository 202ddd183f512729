/**
 * Crash test: a child process runs rate-micro-batch → map → durable test sink for BATCHES batches and is killed
 * with SIGKILL at WEIR_CRASH_KILLS points (random moments and the named failpoints of the batch protocol);
 * after the restarts the sink must equal an uninterrupted run: 0 duplicates, 0 missing, no conflicting re-run.
 *
 * WEIR_CRASH_KILLS (default 12 in CI) and WEIR_CRASH_SEED make a run reproducible; the full run uses 100.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readDurableTestSink } from '../support/durableTestSink';
import { rng, runChild, type RunResult } from '../support/crashChild';

const CHILD = path.join(__dirname, 'crash', 'crashChild.ts');
const BATCHES = Number(process.env.WEIR_CRASH_BATCHES ?? 200);
const KILLS = Number(process.env.WEIR_CRASH_KILLS ?? 12);
const SEED = Number(process.env.WEIR_CRASH_SEED ?? Date.now() % 100000);
const FAILPOINTS = ['afterOffsetsWritten', 'afterSinkWrite', 'afterStateCommit', 'afterCommitWritten'] as const;

describe.each(['map', 'window'])(`crash test (%s, ${KILLS} kills, ${BATCHES} batches, seed ${SEED})`, (mode) => {
  const roots: string[] = [];
  afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

  it(`${mode}: leaves the sink equal to an uninterrupted run after SIGKILLs at random points and at every failpoint`, async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'weir-crash-'));
    roots.push(root);

    // The uninterrupted reference run.
    const reference = await runChild(CHILD, {
      MODE: mode,
      CHECKPOINT: path.join(root, 'ref-checkpoint'),
      OUT: path.join(root, 'ref-out'),
      BATCHES: String(BATCHES),
    });
    expect(reference.stderr).toBe('');
    expect(reference.code).toBe(0);
    const expected = readDurableTestSink(path.join(root, 'ref-out'));
    expect(expected.batches.size).toBe(BATCHES);
    const expectedRows = [...expected.batches.values()].flat().length;
    expect(expectedRows).toBeGreaterThan(0);

    const random = rng(SEED);
    const checkpoint = path.join(root, 'checkpoint');
    const out = path.join(root, 'out');
    const kills: string[] = [];
    let killed = 0;
    for (let k = 0; k < KILLS; k += 1) {
      const progress = readDurableTestSink(out).batches.size;
      // Kill points are spread over the whole run so that every one of them lands before the end.
      const aim = Math.max(progress, Math.floor(((k + 1) * (BATCHES - 1)) / (KILLS + 1)));
      const useFailpoint = k < FAILPOINTS.length * 2 || random() < 0.5;
      const env: Record<string, string> = { CHECKPOINT: checkpoint, OUT: out, BATCHES: String(BATCHES) };
      let result: RunResult;
      if (useFailpoint) {
        const point = FAILPOINTS[k % FAILPOINTS.length]!;
        // offsets are written only for new batches, so that failpoint aims past a possible re-run batch
        const first = point === 'afterOffsetsWritten' ? Math.max(aim, progress + 1) : aim;
        const batch = Math.min(BATCHES - 1, first + Math.floor(random() * 2));
        kills.push(`${point}@${batch}`);
        result = await runChild(CHILD, { MODE: mode, ...env, KILL_POINT: point, KILL_BATCH: String(batch) });
      } else {
        const delay = Math.floor(random() * 25);
        kills.push(`random@${delay}ms`);
        result = await runChild(CHILD, { ...env, MODE: mode }, delay);
      }
      if (result.signal === 'SIGKILL') killed += 1;
      if (result.code !== 0 || result.signal !== null) {
        expect({ kill: kills[kills.length - 1], signal: result.signal, stderr: result.stderr }).toEqual({
          kill: kills[kills.length - 1],
          signal: 'SIGKILL',
          stderr: '',
        });
      }
    }
    // The final run goes to the end.
    const final = await runChild(CHILD, { MODE: mode, CHECKPOINT: checkpoint, OUT: out, BATCHES: String(BATCHES) });
    expect(final.stderr).toBe('');
    expect(final.code).toBe(0);

    const actual = readDurableTestSink(out);
    expect(actual.conflicts).toEqual([]);
    expect([...actual.batches.keys()]).toEqual([...expected.batches.keys()]);
    for (const [id, rowsOfBatch] of expected.batches) expect(actual.batches.get(id)).toEqual(rowsOfBatch);
    const values = [...actual.batches.values()].flat().map((r) => r.value as number);
    expect(new Set(values).size).toBe(values.length); // 0 duplicates
    expect(values.length).toBe(expectedRows); // 0 missing
    if (mode === 'map') expect(values.length).toBe(BATCHES * 10);
    else expect(values.length).toBeGreaterThan(BATCHES / 5); // one row per closed (window, key)
    // A kill aimed at a point the run never reached (the child finished first) is not a kill.
    expect(killed).toBeGreaterThanOrEqual(Math.ceil(KILLS * 0.8));
    process.stdout.write(`crash test (${mode}): ${killed} of ${kills.length} kill points hit: ${kills.join(', ')}\n`);
  }, 600_000);
});
