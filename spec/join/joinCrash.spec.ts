/**
 * Crash test of a stream-stream left outer join (impressions ⋈ clicks, LevelDB state): a child process is
 * SIGKILLed at the named failpoints of the batch protocol and at random moments; after the restarts the sink
 * must equal an uninterrupted run, batch by batch: same inner rows, same null-padded rows, no duplicates.
 *
 * WEIR_JOIN_CRASH_KILLS (default 5) and WEIR_CRASH_SEED make a run reproducible.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readDurableTestSink } from '../support/durableTestSink';
import { rng, runChild, type RunResult } from '../support/crashChild';

const CHILD = path.join(__dirname, 'crash', 'joinCrashChild.ts');
const BATCHES = 40;
const KILLS = Number(process.env.WEIR_JOIN_CRASH_KILLS ?? 5);
const SEED = Number(process.env.WEIR_CRASH_SEED ?? Date.now() % 100000);
const FAILPOINTS = ['afterOffsetsWritten', 'afterSinkWrite', 'afterStateCommit', 'afterCommitWritten'] as const;

describe(`stream-stream left outer join crash test (${KILLS} kills, ${BATCHES} batches, seed ${SEED})`, () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

  it('leaves the sink equal to an uninterrupted run after SIGKILLs at failpoints and random moments', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'weir-join-crash-'));
    roots.push(root);
    const reference = await runChild(CHILD, { CHECKPOINT: path.join(root, 'ref-checkpoint'), OUT: path.join(root, 'ref-out'), BATCHES: String(BATCHES) });
    expect(reference.stderr).toBe('');
    expect(reference.code).toBe(0);
    const expected = readDurableTestSink(path.join(root, 'ref-out'));
    expect(expected.batches.size).toBe(BATCHES);
    const expectedRows = [...expected.batches.values()].flat();
    // The reference has both kinds of rows: matched pairs and null-padded impressions.
    expect(expectedRows.some((r) => r.clickAdId !== null)).toBe(true);
    expect(expectedRows.some((r) => r.clickAdId === null)).toBe(true);

    const random = rng(SEED);
    const checkpoint = path.join(root, 'checkpoint');
    const out = path.join(root, 'out');
    const kills: string[] = [];
    let killed = 0;
    for (let k = 0; k < KILLS; k += 1) {
      const progress = readDurableTestSink(out).batches.size;
      const aim = Math.max(progress, Math.floor(((k + 1) * (BATCHES - 1)) / (KILLS + 1)));
      const env: Record<string, string> = { CHECKPOINT: checkpoint, OUT: out, BATCHES: String(BATCHES) };
      let result: RunResult;
      if (k < FAILPOINTS.length) {
        const point = FAILPOINTS[k]!;
        const batch = Math.min(BATCHES - 1, point === 'afterOffsetsWritten' ? Math.max(aim, progress + 1) : aim);
        kills.push(`${point}@${batch}`);
        result = await runChild(CHILD, { ...env, KILL_POINT: point, KILL_BATCH: String(batch) });
      } else {
        const delay = Math.floor(random() * 40);
        kills.push(`random@${delay}ms`);
        result = await runChild(CHILD, env, delay);
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
    const final = await runChild(CHILD, { CHECKPOINT: checkpoint, OUT: out, BATCHES: String(BATCHES) });
    expect(final.stderr).toBe('');
    expect(final.code).toBe(0);

    const actual = readDurableTestSink(out);
    expect(actual.conflicts).toEqual([]);
    expect([...actual.batches.keys()]).toEqual([...expected.batches.keys()]);
    for (const [id, rowsOfBatch] of expected.batches) expect({ id, rows: actual.batches.get(id) }).toEqual({ id, rows: rowsOfBatch });
    const keys = [...actual.batches.values()].flat().map((r) => `${String(r.impressionAdId)}/${String(r.clickAdId)}`);
    expect(new Set(keys).size).toBe(keys.length); // no duplicates
    expect(killed).toBeGreaterThanOrEqual(Math.ceil(KILLS * 0.6));
    process.stdout.write(`join crash test: ${killed} of ${kills.length} kill points hit: ${kills.join(', ')}\n`);
  }, 300_000);
});
