/**
 * Damage to the LevelDB state of a query, end to end (issue #16 items 4, 7, 8): a JSON file source feeds a
 * complete-mode count per key through the default LevelDB state store, one file per batch (Trigger.AvailableNow),
 * and the state folder is damaged between runs the way a disk or a power loss would.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Row } from '../../lib/contracts';
import { ErrorCodes, isWeirError, type WeirError } from '../../lib/errors';
import type { Failpoint } from '../../lib/engine/MicroBatchExecution';
import { startQuery } from '../../lib/query/startQuery';
import { count, groupByKey } from '../../operators';
import { foreachBatchSink } from '../../sinks';
import { files } from '../../sources';

const KEYS = 270;

/** Keys of file `i`: 30 consecutive keys from i * 30, modulo KEYS, and key i, so counts differ. */
function keysOf(i: number): number[] {
  const keys = [i % KEYS];
  for (let j = 0; j < 30; j += 1) keys.push((i * 30 + j) % KEYS);
  return keys;
}

function writeFile(input: string, i: number): void {
  const lines = keysOf(i).map((key) => JSON.stringify({ key }));
  writeFileSync(path.join(input, `part-${String(i).padStart(4, '0')}.json`), `${lines.join('\n')}\n`);
}

function expectedCounts(fileCount: number): Map<number, number> {
  const out = new Map<number, number>();
  for (let i = 0; i < fileCount; i += 1) {
    for (const key of keysOf(i)) out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

/** Runs the query until the input folder is processed; resolves with the last complete-mode output as key → count. */
async function runToEnd(
  input: string,
  checkpoint: string,
  options: {
    failpoint?: (point: Failpoint, batchId: number) => void;
    conf?: Record<string, string>;
    batches?: number[];
    warnings?: string[];
    minBatchesToRetain?: number;
  } = {},
): Promise<Map<number, number>> {
  let last: readonly Row[] = [];
  const query = await startQuery({
    ...(options.failpoint ? { failpoint: options.failpoint } : {}),
    ...(options.conf ? { conf: options.conf } : {}),
    logger: { warn: (message: string) => (options.warnings ?? []).push(message) },
    ...(options.minBatchesToRetain ? { minBatchesToRetain: options.minBatchesToRetain } : {}),
    source: files({ path: input, format: 'json', schema: 'key INT', maxFilesPerTrigger: 1 }),
    pipeline: [groupByKey('key'), count()],
    outputMode: 'complete',
    sink: foreachBatchSink((rows: readonly Row[], batchId: number) => {
      last = rows;
      options.batches?.push(batchId);
    }),
    checkpointLocation: checkpoint,
    trigger: { availableNow: true },
  });
  await query.awaitTermination();
  return new Map(last.map((r) => [r.key as number, r.count as number]));
}

async function failureOf(run: Promise<unknown>): Promise<unknown> {
  try {
    await run;
  } catch (e) {
    return (e as { cause?: unknown }).cause ?? e;
  }
  return undefined;
}

describe('damaged LevelDB state', () => {
  let dir: string;
  let input: string;
  let checkpoint: string;
  let leveldb: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'weir-state-damage-'));
    input = path.join(dir, 'in');
    checkpoint = path.join(dir, 'cp');
    leveldb = path.join(checkpoint, 'state', 'leveldb');
    mkdirSync(input);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Three runs of 3 files each: every restart flushes LevelDB's log into a table file. */
  async function runThreeTimes(): Promise<void> {
    for (let run = 0; run < 3; run += 1) {
      for (let i = run * 3; i < run * 3 + 3; i += 1) writeFile(input, i);
      expect(await runToEnd(input, checkpoint)).toEqual(expectedCounts(run * 3 + 3));
    }
  }

  it.each([['CURRENT'], ['CURRENT and MANIFEST']])(
    'item 8: %s deleted fails with STATE_CORRUPT naming the folder, not a new database that drops the table files',
    async (what) => {
      await runThreeTimes();
      expect(readdirSync(leveldb).some((f) => f.endsWith('.ldb'))).toBe(true);
      for (const name of readdirSync(leveldb)) {
        if (name === 'CURRENT' || (what !== 'CURRENT' && name.startsWith('MANIFEST-'))) rmSync(path.join(leveldb, name));
      }
      writeFile(input, 9);
      const error = await failureOf(runToEnd(input, checkpoint));
      expect(isWeirError(error, ErrorCodes.STATE_CORRUPT)).toBe(true);
      const weirError = error as WeirError;
      expect(weirError.context).toMatchObject({ path: leveldb, file: path.join(leveldb, 'CURRENT'), reason: 'current-missing' });
      expect(weirError.message).toContain('move the checkpoint\'s state/ folder away');
      // Nothing was created: the next start fails the same way.
      expect(existsSync(path.join(leveldb, 'CURRENT'))).toBe(false);
    },
  );

  it('item 8: a state database from another checkpoint copied in is refused (its identity differs)', async () => {
    await runThreeTimes();
    const other = path.join(dir, 'other');
    mkdirSync(other);
    const otherInput = path.join(dir, 'in2');
    mkdirSync(otherInput);
    writeFile(otherInput, 0);
    await runToEnd(otherInput, other);
    rmSync(leveldb, { recursive: true });
    cpSync(path.join(other, 'state', 'leveldb'), leveldb, { recursive: true });
    writeFile(input, 9);
    const error = await failureOf(runToEnd(input, checkpoint));
    expect(isWeirError(error, ErrorCodes.STATE_CORRUPT)).toBe(true);
    expect((error as WeirError).context).toMatchObject({ path: leveldb, reason: 'identity-mismatch' });
  });

  /** The newest LevelDB log file: after a run, it holds that run's commits (each open flushes the older log). */
  function newestLog(): string {
    const logs = readdirSync(leveldb).filter((f) => /^\d+\.log$/.test(f)).sort();
    return path.join(leveldb, logs[logs.length - 1]!);
  }

  it('item 4: a flipped bit in the LevelDB log fails with STATE_CORRUPT naming the log file, at every restart', async () => {
    await runThreeTimes();
    const log = newestLog();
    const bytes = readFileSync(log);
    expect(bytes.length).toBeGreaterThan(1000);
    bytes[Math.floor(bytes.length / 2)] ^= 0x10;
    writeFileSync(log, bytes);
    writeFile(input, 9);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const error = await failureOf(runToEnd(input, checkpoint));
      expect(isWeirError(error, ErrorCodes.STATE_CORRUPT)).toBe(true);
      expect((error as WeirError).context).toMatchObject({ path: leveldb, file: log, reason: 'log-records-dropped' });
      expect((error as WeirError).message).toContain('checksum mismatch');
    }
  });

  /**
   * What a power loss leaves when the state's last writes were not on disk yet: commits/ and offsets/ up to the
   * last batch, the state folder as it was before batch 4 committed its state (copied at that moment).
   */
  async function loseStateWritesFromBatch4(): Promise<string> {
    const saved = path.join(dir, 'state-before-batch-4');
    for (let i = 0; i < 6; i += 1) writeFile(input, i);
    const failpoint = (point: Failpoint, batchId: number): void => {
      if (point === 'afterSinkWrite' && batchId === 4) cpSync(path.join(checkpoint, 'state'), saved, { recursive: true });
    };
    expect(await runToEnd(input, checkpoint, { failpoint })).toEqual(expectedCounts(6));
    rmSync(path.join(checkpoint, 'state'), { recursive: true });
    cpSync(saved, path.join(checkpoint, 'state'), { recursive: true });
    rmSync(path.join(checkpoint, 'state', 'leveldb', 'LOCK'), { force: true });
    return saved;
  }

  it('item 7: state that lost its last committed versions (a power loss) is rebuilt from the offsets log: the uninterrupted result', async () => {
    await loseStateWritesFromBatch4();
    writeFile(input, 6);
    const batches: number[] = [];
    const warnings: string[] = [];
    expect(await runToEnd(input, checkpoint, { batches, warnings })).toEqual(expectedCounts(7));
    expect(batches).toEqual([6]); // batches 4 and 5 re-ran into the state only, not into the sink
    expect(warnings).toEqual([
      'State of operator aggregate-0 is at version 3, batch 6 needs version 5 or 6: re-running batches 4 to 5 from the offsets log into the state',
    ]);
    writeFile(input, 7);
    expect(await runToEnd(input, checkpoint)).toEqual(expectedCounts(8));
  });

  it('item 7: with weir.sql.streaming.stateRebuild=false the lost versions stay a STATE_VERSION_MISMATCH', async () => {
    await loseStateWritesFromBatch4();
    writeFile(input, 6);
    const error = await failureOf(runToEnd(input, checkpoint, { conf: { 'weir.sql.streaming.stateRebuild': 'false' } }));
    expect(isWeirError(error, ErrorCodes.STATE_VERSION_MISMATCH)).toBe(true);
    expect((error as WeirError).context).toMatchObject({ operatorId: 'aggregate-0', batchId: 6, foundVersion: 3 });
  });

  it('item 4: the documented way out of damaged state: move state/ away and restart, and the batches re-run from offsets/0', async () => {
    await runThreeTimes();
    const log = newestLog();
    const bytes = readFileSync(log);
    bytes[Math.floor(bytes.length / 2)] ^= 0x10;
    writeFileSync(log, bytes);
    writeFile(input, 9);
    expect(isWeirError(await failureOf(runToEnd(input, checkpoint)), ErrorCodes.STATE_CORRUPT)).toBe(true);
    renameSync(path.join(checkpoint, 'state'), path.join(dir, 'state-damaged'));
    const warnings: string[] = [];
    expect(await runToEnd(input, checkpoint, { warnings })).toEqual(expectedCounts(10));
    expect(warnings).toEqual([expect.stringContaining('re-running batches 0 to 8 from the offsets log')]);
  });

  it('item 4: flipped bits in a LevelDB table file fail with STATE_CORRUPT at the start, never a count from damaged state', async () => {
    await runThreeTimes();
    const tables = readdirSync(leveldb).filter((f) => f.endsWith('.ldb'));
    expect(tables.length).toBeGreaterThan(0);
    for (const name of tables) {
      const file = path.join(leveldb, name);
      const bytes = readFileSync(file);
      for (const at of [0.2, 0.3, 0.4, 0.6]) bytes[Math.floor(bytes.length * at)] ^= 0x04;
      writeFileSync(file, bytes);
    }
    writeFile(input, 9);
    const error = await failureOf(runToEnd(input, checkpoint));
    expect(isWeirError(error, ErrorCodes.STATE_CORRUPT)).toBe(true);
    expect((error as WeirError).context).toMatchObject({ path: leveldb });
    expect((error as WeirError).retriable).toBe(false);
  });

  it('item 4: without offsets/0 in the checkpoint the state cannot be rebuilt: STATE_VERSION_MISMATCH names the missing entry', async () => {
    for (let i = 0; i < 6; i += 1) writeFile(input, i);
    expect(await runToEnd(input, checkpoint, { minBatchesToRetain: 3 })).toEqual(expectedCounts(6));
    expect(existsSync(path.join(checkpoint, 'offsets', '0'))).toBe(false);
    renameSync(path.join(checkpoint, 'state'), path.join(dir, 'state-damaged'));
    writeFile(input, 6);
    const error = await failureOf(runToEnd(input, checkpoint, { minBatchesToRetain: 3 }));
    expect(isWeirError(error, ErrorCodes.STATE_VERSION_MISMATCH)).toBe(true);
    expect((error as WeirError).context).toMatchObject({ operatorId: 'aggregate-0', batchId: 6, foundVersion: -1, path: 'offsets/0' });
    expect((error as WeirError).message).toBe(
      'State of operator aggregate-0 is at version -1, batch 6 needs version 5 or 6. The state cannot be rebuilt by ' +
        're-running batch 0: offsets/0 is no longer in the checkpoint (raise minBatchesToRetain to keep more batches)',
    );
  });
});
