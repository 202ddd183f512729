/**
 * Crash test of the LevelDB state store: a child process (crash/stateCrashChild.ts) commits batches of two
 * operators in a loop, engine-style, and is SIGKILLed at random moments. After each kill a fresh provider in this
 * process opens every operator for the batch after the last "commits" file c (marker c, or c+1 rolled back) and,
 * where the marker is c+1, also for c+2; each must show exactly the model state of c (or c+1): no torn batch, no
 * lost commit, row counts right. Then the child resumes on the same folder (sometimes doing the rollback itself).
 *
 * WEIR_STATE_CRASH_KILLS (default 8) and WEIR_STATE_CRASH_SEED make a run reproducible.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { StateStore } from '../../lib/contracts';
import { ErrorCodes, isWeirError } from '../../lib/errors';
import { decodeKey, keyRange } from '../../lib/state/keyEncoding';
import { LevelStateStoreProvider } from '../../lib/state/LevelStateStoreProvider';
import { modelAfter, OPERATORS, SUM_KEY, sumAfter, type CrashValue } from './crash/stateCrashModel';
import { rng, runChild } from '../support/crashChild';

const CHILD = path.join(__dirname, 'crash', 'stateCrashChild.ts');
const KILLS = Number(process.env.WEIR_STATE_CRASH_KILLS ?? 8);
const SEED = Number(process.env.WEIR_STATE_CRASH_SEED ?? Date.now() % 100000);

function lastCommitted(file: string): number {
  try {
    return Number(readFileSync(file, 'utf8'));
  } catch {
    return -1;
  }
}

/** Asserts that `store` shows exactly the model of `operator` after `batch`. */
async function expectModel(store: StateStore, operator: string, batch: number): Promise<void> {
  const model = modelAfter(operator, batch);
  const rows = (await store.range(keyRange(['k']))).map(([key, value]) => [decodeKey(key)[1], value] as const);
  const expected = [...model.entries()].sort(([a], [b]) => a - b);
  expect({ operator, batch, rows }).toEqual({ operator, batch, rows: expected });
  for (const [, value] of rows) expect((value as CrashValue).at).toBeInstanceOf(Date);
  expect(await store.get(SUM_KEY)).toBe(batch < 0 ? undefined : sumAfter(batch));
  expect(store.metrics().numRowsTotal).toBe(model.size + (batch < 0 ? 0 : 1));
}

describe(`state store crash test (${KILLS} kills, seed ${SEED})`, () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

  it('shows a whole committed version after every SIGKILL, never a torn batch', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'weir-state-crash-'));
    roots.push(root);
    const statePath = path.join(root, 'state');
    const commitsFile = path.join(root, 'commits');
    const random = rng(SEED);
    const log: string[] = [];
    let rolledBackHere = 0;
    let markerAhead = 0;
    let previous = -1;

    for (let kill = 0; kill < KILLS; kill += 1) {
      const delay = 50 + Math.floor(random() * 400);
      const result = await runChild(CHILD, { STATE_PATH: statePath, COMMITS_FILE: commitsFile, SEED: String(SEED + kill) }, delay);
      expect({ signal: result.signal, stderr: result.stderr }).toEqual({ signal: 'SIGKILL', stderr: '' });

      const c = lastCommitted(commitsFile);
      expect(c).toBeGreaterThanOrEqual(previous);
      previous = c;
      const provider = new LevelStateStoreProvider(statePath);
      const markers: string[] = [];
      try {
        for (const op of OPERATORS) {
          // The marker is c (the last batch fully committed) or c+1 (state committed, "commits" file not yet).
          let ahead = false;
          try {
            const next = await provider.open(op, c + 2);
            ahead = true;
            await expectModel(next, op, c + 1);
            await next.abort();
          } catch (e) {
            if (ahead || !isWeirError(e, ErrorCodes.STATE_VERSION_MISMATCH)) throw e;
            expect(e.context.foundVersion).toBe(c);
          }
          markers.push(`${op}=${ahead ? c + 1 : c}`);
          if (ahead) markerAhead += 1;
          // Leave every other rollback to the child, which then re-runs the batch on rolled-back state.
          if (!ahead || kill % 2 === 0) {
            const rerun = await provider.open(op, c + 1);
            await expectModel(rerun, op, c);
            await rerun.abort();
            if (ahead) rolledBackHere += 1;
          }
        }
      } finally {
        await provider.close();
      }
      log.push(`kill@${delay}ms → commits=${c} [${markers.join(' ')}]`);
    }
    expect(previous).toBeGreaterThan(0); // the child made progress
    process.stdout.write(
      `state crash test: ${KILLS} kills, last batch ${previous}, ${markerAhead} markers ahead of commits ` +
        `(${rolledBackHere} rolled back here, the rest by the child):\n  ${log.join('\n  ')}\n`,
    );
  }, 300_000);
});
