/**
 * Crash test: a child process runs rate-micro-batch → map → durable test sink for BATCHES batches and is killed
 * with SIGKILL at WEIR_CRASH_KILLS points (random moments and the named failpoints of the batch protocol);
 * after the restarts the sink must equal an uninterrupted run: 0 duplicates, 0 missing, no conflicting re-run.
 *
 * WEIR_CRASH_KILLS (default 12 in CI) and WEIR_CRASH_SEED make a run reproducible; the full run uses 1000.
 *
 * Every kill lands, so the count of kills is a check of its own: kill k is aimed at batch t_k (planned from k alone,
 * spread over the run, and at least one batch after kill k-1's), and the child never runs past its aim. A failpoint
 * kill fires in batch t_k itself; a random kill (a SIGKILL from here a random 0-25 ms after the child started)
 * lands anywhere from recovery to the end of batch t_k, where the child waits to be killed. So the run after kill k
 * has at most t_k + 1 batches in its sink, kill k+1 still has its batch ahead of it, and every aim is below
 * BATCHES (which is therefore at least WEIR_CRASH_KILLS + 1; its default grows with the kills).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readDurableTestSink } from '../support/durableTestSink';
import { rng, runChild, type RunResult } from '../support/crashChild';

const CHILD = path.join(__dirname, 'crash', 'crashChild.ts');
const KILLS = Number(process.env.WEIR_CRASH_KILLS ?? 12);
const BATCHES = Number(process.env.WEIR_CRASH_BATCHES ?? Math.max(200, KILLS + 1));
const SEED = Number(process.env.WEIR_CRASH_SEED ?? Date.now() % 100000);
const FAILPOINTS = ['afterOffsetsWritten', 'afterSinkWrite', 'afterStateCommit', 'afterCommitWritten'] as const;
if (!(BATCHES >= KILLS + 1)) {
  throw new Error(`WEIR_CRASH_BATCHES (${BATCHES}) must be at least WEIR_CRASH_KILLS + 1 (${KILLS + 1}): each kill needs a batch of its own`);
}

/** Each kill restarts a child (about 2-3 s on a loaded 2-core machine): the timeout grows with the kills. */
const TIMEOUT_MS = Math.max(600_000, (KILLS + 20) * 10_000);

/** The batch kill `k` aims at: k plus an even share of the slack, so aims rise by at least 1 and stay below BATCHES - 1. */
function killAim(k: number, kills: number, batches: number): number {
  const slack = batches - 1 - kills;
  return k + Math.floor((k * slack) / kills);
}

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
      const aim = killAim(k, KILLS, BATCHES);
      // The invariant that makes every kill land (see the header): the run is never past the batch aimed at.
      expect({ kill: k, progress: Math.min(progress, aim) }).toEqual({ kill: k, progress });
      const useFailpoint = k < FAILPOINTS.length * 2 || random() < 0.5;
      const env: Record<string, string> = { CHECKPOINT: checkpoint, OUT: out, BATCHES: String(BATCHES) };
      let result: RunResult;
      if (useFailpoint) {
        const point = FAILPOINTS[k % FAILPOINTS.length]!;
        // offsets/N is written only for a new batch: when offsets/<aim> exists, batch <aim> is a re-run, so the
        // kill goes to the next batch's offsets (which the run writes right after batch <aim>).
        const batch = point === 'afterOffsetsWritten' && existsSync(path.join(checkpoint, 'offsets', String(aim))) ? aim + 1 : aim;
        kills.push(`${point}@${batch}`);
        result = await runChild(CHILD, { MODE: mode, ...env, KILL_POINT: point, KILL_BATCH: String(batch) });
      } else {
        const delay = Math.floor(random() * 25);
        kills.push(`random@${delay}ms(<=${aim})`);
        result = await runChild(CHILD, { ...env, MODE: mode, HOLD_BATCH: String(aim) }, delay);
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
    // Every kill is aimed at a batch the run reaches, so every one lands.
    expect(killed).toBe(KILLS);
    process.stdout.write(`crash test (${mode}): ${killed} of ${kills.length} kill points hit: ${kills.join(', ')}\n`);
  }, TIMEOUT_MS);
});
