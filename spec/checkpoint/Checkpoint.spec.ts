/**
 * Checkpoint.open on real files: every way a checkpoint can be damaged, and what open makes of it.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Checkpoint, type CheckpointOpenOptions } from '../../lib/checkpoint/Checkpoint';
import { encodeLogFile } from '../../lib/checkpoint/logFile';
import type { OffsetSeq } from '../../lib/checkpoint/OffsetSeqLog';
import { ErrorCodes, isWeirError, type ErrorCode, type WeirError } from '../../lib/errors';
import { rejectionOf, useTempDir } from './tempDir';

const tempDir = useTempDir();
const options: CheckpointOpenOptions = { numSources: 2, runId: 'test-run' };

const offsetSeq = (b: number, queryId: string): OffsetSeq => ({
  metadata: { batchWatermarkMs: 100 * b, batchTimestampMs: 1_700_000_000_000 + b, conf: { 'weir.sql.shuffle.partitions': '4' }, queryId },
  offsets: [{ rows: 10 * (b + 1) }, b === 0 ? null : `file-${b}`],
});

/**
 * Writes batches 0..batches-1 as the engine would (offsets, commit, purge); the last batch's commit is left out
 * when `commitLast` is false. Returns the query id.
 */
async function writeBatches(
  root: string,
  batches: number,
  { commitLast = true, minBatchesToRetain }: { commitLast?: boolean; minBatchesToRetain?: number } = {},
): Promise<string> {
  const checkpoint = await Checkpoint.open(root, { ...options, ...(minBatchesToRetain ? { minBatchesToRetain } : {}) });
  const { plan } = checkpoint;
  const start = plan.kind === 'resume' ? plan.nextBatchId : plan.kind === 'rerun' ? plan.batchId : 0;
  for (let b = start; b < batches; b++) {
    // A re-run reuses the logged entry, as the engine does.
    if (!(plan.kind === 'rerun' && b === plan.batchId)) {
      expect(await checkpoint.offsetLog.add(b, offsetSeq(b, checkpoint.queryId))).toBe(true);
    }
    if (b === batches - 1 && !commitLast) break;
    expect(await checkpoint.commitLog.add(b, { nextBatchWatermarkMs: 100 * b + 50, queryId: checkpoint.queryId })).toBe(true);
    await checkpoint.purgeAfterCommit(b);
  }
  await checkpoint.close();
  return checkpoint.queryId;
}

const file = (...parts: string[]): string => path.join(tempDir(), ...parts);

/** Opens, returns the plan (or the error code), closes. */
async function openPlan(): Promise<Checkpoint['plan'] | { error: ErrorCode; context: WeirError['context'] }> {
  try {
    const checkpoint = await Checkpoint.open(tempDir(), options);
    await checkpoint.close();
    return checkpoint.plan;
  } catch (e) {
    if (!isWeirError(e)) throw e;
    return { error: e.code, context: e.context };
  }
}

async function expectOpenError(code: ErrorCode, context: Record<string, unknown> = {}): Promise<WeirError> {
  const error = (await rejectionOf(Checkpoint.open(tempDir(), options))) as WeirError;
  expect(isWeirError(error, code)).toBe(true);
  expect(error.context).toMatchObject(context);
  // A failed open releases the lock: the next attempt meets the same damage, not CONCURRENT_QUERY.
  expect(isWeirError(await rejectionOf(Checkpoint.open(tempDir(), options)), code)).toBe(true);
  return error;
}

describe('Checkpoint.open on a new folder', () => {
  it("creates Spark's layout and a durable query id, stable across restarts", async () => {
    const root = file('nested', 'ckpt');
    const checkpoint = await Checkpoint.open(root, options);
    expect(checkpoint.plan).toEqual({ kind: 'fresh', discard: [] });
    expect(checkpoint.queryId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(checkpoint.root).toBe(root);
    expect(checkpoint.store.root).toBe(root);
    expect(checkpoint.runId).toBe('test-run');
    expect(checkpoint.sourcePath(1)).toBe(path.join(root, 'sources', '1'));
    expect(checkpoint.statePath).toBe(path.join(root, 'state'));
    expect(isWeirError((() => { try { checkpoint.sourcePath(2); } catch (e) { return e; } })(), ErrorCodes.INVALID_ARGUMENT)).toBe(true);
    expect((await fs.readdir(root)).sort()).toEqual(['.lock', 'commits', 'metadata', 'offsets', 'sources', 'state']);
    expect((await fs.readdir(path.join(root, 'sources'))).sort()).toEqual(['0', '1']);
    expect((await fs.readFile(path.join(root, 'metadata'), 'utf8')).split('\n').slice(0, 2)).toEqual([
      'v1',
      `{"id":"${checkpoint.queryId}"}`,
    ]);
    await checkpoint.close();
    const again = await Checkpoint.open(root, options);
    expect(again.queryId).toBe(checkpoint.queryId);
    expect(again.plan.kind).toBe('fresh');
    await again.close();
  });

  it('refuses bad options: INVALID_ARGUMENT', async () => {
    for (const bad of [
      { ...options, numSources: -1 },
      { ...options, numSources: 1.5 },
      { ...options, minBatchesToRetain: 0 },
      { ...options, runId: '' },
    ]) {
      expect(isWeirError(await rejectionOf(Checkpoint.open(tempDir(), bad)), ErrorCodes.INVALID_ARGUMENT)).toBe(true);
    }
  });
});

describe('Checkpoint.open after a clean stop or a crash between writes', () => {
  it('resumes after the last commit, from its end offsets, with max(offsets, commit) watermark', async () => {
    const queryId = await writeBatches(tempDir(), 3);
    const checkpoint = await Checkpoint.open(tempDir(), options);
    expect(checkpoint.queryId).toBe(queryId);
    expect(checkpoint.plan).toEqual({
      kind: 'resume',
      nextBatchId: 3,
      lastCommitted: { batchId: 2, offsets: offsetSeq(2, queryId) },
      commit: { nextBatchWatermarkMs: 250, queryId },
      watermarkMs: 250,
      discard: [],
    });
    await checkpoint.close();
  });

  it('re-runs a logged but uncommitted batch with exactly its logged offsets, watermark and time', async () => {
    const queryId = await writeBatches(tempDir(), 3, { commitLast: false });
    expect(await openPlan()).toEqual({
      kind: 'rerun',
      batchId: 2,
      offsets: offsetSeq(2, queryId),
      previous: offsetSeq(1, queryId),
      watermarkMs: 200,
      batchTimestampMs: 1_700_000_000_002,
      discard: [],
    });
  });

  it('re-runs batch 0 from the initial offsets', async () => {
    await writeBatches(tempDir(), 1, { commitLast: false });
    expect(await openPlan()).toMatchObject({ kind: 'rerun', batchId: 0, previous: null });
  });
});

describe('Checkpoint.open on torn files', () => {
  it('a torn last offsets file, cut at every byte length: resume after the last commit, never an error', async () => {
    const queryId = await writeBatches(tempDir(), 3, { commitLast: false });
    const intact = await fs.readFile(file('offsets', '2'));
    for (let length = 0; length <= intact.length; length++) {
      await fs.writeFile(file('offsets', '2'), intact.subarray(0, length));
      const plan = await openPlan();
      if (length === intact.length) {
        expect(plan).toMatchObject({ kind: 'rerun', batchId: 2, offsets: offsetSeq(2, queryId), discard: [] });
      } else {
        expect(plan).toMatchObject({ kind: 'resume', nextBatchId: 2, discard: ['offsets/2'] });
        // The torn file is gone from disk.
        await expect(fs.access(file('offsets', '2'))).rejects.toThrow();
      }
    }
  });

  it('a torn last commits file, cut at every byte length: re-run that batch, never an error', async () => {
    const queryId = await writeBatches(tempDir(), 3);
    const intact = await fs.readFile(file('commits', '2'));
    for (let length = 0; length <= intact.length; length++) {
      await fs.writeFile(file('commits', '2'), intact.subarray(0, length));
      const plan = await openPlan();
      if (length === intact.length) {
        expect(plan).toMatchObject({ kind: 'resume', nextBatchId: 3 });
      } else {
        expect(plan).toMatchObject({
          kind: 'rerun',
          batchId: 2,
          offsets: offsetSeq(2, queryId),
          previous: offsetSeq(1, queryId),
          discard: ['commits/2'],
        });
        await expect(fs.access(file('commits', '2'))).rejects.toThrow();
      }
    }
  });

  it('a torn file that is not the last write: CHECKPOINT_CORRUPT', async () => {
    await writeBatches(tempDir(), 3);
    const intact = await fs.readFile(file('offsets', '2'));
    await fs.writeFile(file('offsets', '2'), intact.subarray(0, 20));
    await expectOpenError(ErrorCodes.CHECKPOINT_CORRUPT, { path: file('offsets', '2'), batchId: 2 });
  });

  it('a torn metadata file with no logs is a crash at the very first write: start fresh with a new id', async () => {
    await fs.writeFile(file('metadata'), 'v1\n{"id":"abc');
    const checkpoint = await Checkpoint.open(tempDir(), options);
    expect(checkpoint.plan).toEqual({ kind: 'fresh', discard: ['metadata'] });
    expect(checkpoint.queryId).not.toBe('abc');
    await checkpoint.close();
  });
});

describe('Checkpoint.open on flipped bits', () => {
  /** Flips every bit of `relative` in turn; each open must fail CHECKPOINT_CORRUPT or plan exactly `correct`. */
  async function flipEveryBit(relative: string[], correct: unknown): Promise<Record<string, number>> {
    const intact = await fs.readFile(file(...relative));
    const outcomes: Record<string, number> = {};
    for (let i = 0; i < intact.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const flipped = Buffer.from(intact);
        flipped[i] = (flipped[i] as number) ^ (1 << bit);
        await fs.writeFile(file(...relative), flipped);
        const plan = await openPlan();
        const outcome = 'error' in plan ? plan.error : 'plan';
        if ('error' in plan) {
          if (plan.error !== ErrorCodes.CHECKPOINT_CORRUPT) throw new Error(`bit ${bit} of byte ${i}: ${plan.error}`);
          expect(plan.context.path).toBe(file(...relative));
        } else {
          expect(plan).toEqual(correct);
        }
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      }
    }
    await fs.writeFile(file(...relative), intact);
    expect(await openPlan()).toEqual(correct);
    return outcomes;
  }

  it('every bit of the newest offsets file: CHECKPOINT_CORRUPT, never a silent wrong parse', async () => {
    const queryId = await writeBatches(tempDir(), 3, { commitLast: false });
    const size = (await fs.stat(file('offsets', '2'))).size;
    const outcomes = await flipEveryBit(['offsets', '2'], {
      kind: 'rerun',
      batchId: 2,
      offsets: offsetSeq(2, queryId),
      previous: offsetSeq(1, queryId),
      watermarkMs: 200,
      batchTimestampMs: 1_700_000_000_002,
      discard: [],
    });
    expect(outcomes).toEqual({ [ErrorCodes.CHECKPOINT_CORRUPT]: size * 8 });
  });

  it('every bit of the newest commits file: CHECKPOINT_CORRUPT', async () => {
    const queryId = await writeBatches(tempDir(), 2);
    const size = (await fs.stat(file('commits', '1'))).size;
    const outcomes = await flipEveryBit(['commits', '1'], {
      kind: 'resume',
      nextBatchId: 2,
      lastCommitted: { batchId: 1, offsets: offsetSeq(1, queryId) },
      commit: { nextBatchWatermarkMs: 150, queryId },
      watermarkMs: 150,
      discard: [],
    });
    expect(outcomes).toEqual({ [ErrorCodes.CHECKPOINT_CORRUPT]: size * 8 });
  });
});

describe('Checkpoint.open on inconsistent checkpoints', () => {
  it('a missing offsets file inside the log: CHECKPOINT_MISSING_BATCH', async () => {
    await writeBatches(tempDir(), 4);
    await fs.rm(file('offsets', '1'));
    await expectOpenError(ErrorCodes.CHECKPOINT_MISSING_BATCH, { path: file('offsets', '1'), batchId: 1 });
  });

  it("re-running N without offsets/N-1: CHECKPOINT_MISSING_BATCH (Spark's \"batch N-1 doesn't exist\")", async () => {
    await writeBatches(tempDir(), 3, { commitLast: false });
    await fs.rm(file('offsets', '0'));
    await fs.rm(file('offsets', '1'));
    const error = await expectOpenError(ErrorCodes.CHECKPOINT_MISSING_BATCH, { path: file('offsets', '1'), batchId: 1 });
    expect(error.message).toContain("batch 1 doesn't exist");
  });

  it('an entry of an unknown version v9: CHECKPOINT_UNSUPPORTED_VERSION', async () => {
    const queryId = await writeBatches(tempDir(), 2);
    await fs.writeFile(file('offsets', '2'), encodeLogFile(9, [JSON.stringify({ queryId }), '{"future":true}']));
    const error = await expectOpenError(ErrorCodes.CHECKPOINT_UNSUPPORTED_VERSION, { path: file('offsets', '2'), batchId: 2 });
    expect(error.message).toContain(
      'UnsupportedLogVersion: maximum supported log version is v1, but encountered v9. The log file was produced by a ' +
        'newer version of weir and cannot be read by this version. Please upgrade.',
    );
  });

  it("an entry written by another query: CHECKPOINT_QUERY_ID_MISMATCH", async () => {
    const queryId = await writeBatches(tempDir(), 2);
    const other = 'ffffffff-ffff-4fff-8fff-ffffffffffff';
    await fs.writeFile(file('commits', '1'), encodeLogFile(1, [JSON.stringify({ nextBatchWatermarkMs: 0, queryId: other })]));
    await expectOpenError(ErrorCodes.CHECKPOINT_QUERY_ID_MISMATCH, { path: file('commits', '1'), batchId: 1, queryId });
  });

  it('logs without the metadata file: CHECKPOINT_METADATA_MISSING', async () => {
    await writeBatches(tempDir(), 2);
    await fs.rm(file('metadata'));
    await expectOpenError(ErrorCodes.CHECKPOINT_METADATA_MISSING, { path: file('metadata') });
  });

  it('a query with another number of sources: CHECKPOINT_SOURCES_CHANGED', async () => {
    await writeBatches(tempDir(), 2);
    const error = (await rejectionOf(Checkpoint.open(tempDir(), { ...options, numSources: 3 }))) as WeirError;
    expect(isWeirError(error, ErrorCodes.CHECKPOINT_SOURCES_CHANGED)).toBe(true);
  });

  it('a commit for a batch never logged: CHECKPOINT_INCONSISTENT', async () => {
    const queryId = await writeBatches(tempDir(), 2);
    await fs.writeFile(file('commits', '2'), encodeLogFile(1, [JSON.stringify({ nextBatchWatermarkMs: 0, queryId })]));
    await expectOpenError(ErrorCodes.CHECKPOINT_INCONSISTENT, { path: file('commits', '2'), batchId: 2 });
  });
});

describe('Checkpoint housekeeping', () => {
  it('ignores leftover temp files of interrupted writes', async () => {
    await writeBatches(tempDir(), 2, { commitLast: false });
    await fs.writeFile(file('offsets', '.tmp-2-0123456789ab'), 'v1\n{"batchWat');
    await fs.writeFile(file('commits', '.tmp-1-0123456789ab'), '');
    await fs.writeFile(file('.tmp-metadata-0123456789ab'), 'v1');
    expect(await openPlan()).toMatchObject({ kind: 'rerun', batchId: 1, discard: [] });
  });

  it('retention keeps exactly the last 100 batches of offsets and commits by default', async () => {
    await writeBatches(tempDir(), 150);
    const ids = async (dir: string): Promise<number[]> => (await fs.readdir(file(dir))).map(Number).sort((a, b) => a - b);
    const expected = Array.from({ length: 100 }, (_, i) => 50 + i);
    expect(await ids('offsets')).toEqual(expected);
    expect(await ids('commits')).toEqual(expected);
    expect(await openPlan()).toMatchObject({ kind: 'resume', nextBatchId: 150 });
  });

  it('retention follows minBatchesToRetain, and a purged checkpoint still recovers both ways', async () => {
    await writeBatches(tempDir(), 6, { minBatchesToRetain: 2 });
    expect((await fs.readdir(file('offsets'))).sort()).toEqual(['4', '5']);
    expect((await fs.readdir(file('commits'))).sort()).toEqual(['4', '5']);
    const checkpoint = await Checkpoint.open(tempDir(), { ...options, minBatchesToRetain: 1 });
    await checkpoint.offsetLog.add(6, offsetSeq(6, checkpoint.queryId));
    await checkpoint.close();
    expect(await openPlan()).toMatchObject({ kind: 'rerun', batchId: 6, previous: { offsets: offsetSeq(5, '').offsets } });
    await writeBatches(tempDir(), 8, { minBatchesToRetain: 1 });
    expect((await fs.readdir(file('offsets'))).sort()).toEqual(['7']);
    expect(await openPlan()).toMatchObject({ kind: 'resume', nextBatchId: 8 });
  });
});
