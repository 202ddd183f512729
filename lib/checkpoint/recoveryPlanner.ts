/**
 * Recovery planning: what a restarted query does, decided from what is on disk alone.
 *
 * Invariant: `planRecovery` is pure and total. It accepts exactly the checkpoints an uninterrupted writer,
 * stopped at any instant, can leave behind (a crash may tear the one write in flight, retention may have
 * purged the oldest entries, partly); everything else is an error plan naming the file and the batch. It
 * never resumes or re-runs past a damaged file, and it re-runs a batch with exactly the logged entry.
 *
 * The writer this inverts (the engine, through {@link Checkpoint}): `metadata` once; then per batch N:
 * `offsets/N`, run N, `commits/N`, then purge entries below N - minBatchesToRetain + 1 (offsets first, oldest
 * first, then commits). Hence the accepted shapes, with C = the newest commit (-1 if none):
 *
 * - each log holds a contiguous id range (leading ids may be purged, in either log, by any amount);
 * - the newest offsets id is C or C + 1 (at most one uncommitted batch);
 * - the one file a crash can tear is the last write: `offsets/C+1` if it exists, else `commits/C`. A torn
 *   last write is listed in `discard` and treated as absent (it never completed, so nothing ran on it, or
 *   its batch is re-run, which sinks make idempotent). Any other torn file is damage: CHECKPOINT_CORRUPT;
 * - resuming after C reads `offsets/C`; re-running N reads `offsets/N` and, for N > 0, `offsets/N-1` and
 *   `commits/N-1` (both always retained by the writer: Spark's "batch N-1 doesn't exist" otherwise).
 *
 * Checks run in this order, the first failure wins: metadata; log id structure (gaps, commits ahead of
 * offsets, more than one uncommitted batch); damage of any file given (offsets ascending, then commits
 * ascending); query ids; source counts; files the plan needs. Every file in the snapshot is checked, not only
 * the ones the plan reads: a checkpoint with damage anywhere is reported, never half-trusted. (Callers that
 * read only the newest entries pass only those; leading ids missing are indistinguishable from a purge.)
 */
import { ErrorCodes, type ErrorCode } from '../errors';
import type { CheckpointMetadata } from './CheckpointMetadata';
import type { CommitEntry } from './CommitLog';
import type { FileStatus } from './FileStatus';
import { fileStatusMessage } from './FileStatus';
import { COMMITS_DIR, METADATA_FILE, OFFSETS_DIR } from './layout';
import type { OffsetSeq } from './OffsetSeqLog';

/** What is on disk, as read: every file of `metadata`, `offsets/` and `commits/` with its status. */
export interface CheckpointSnapshot {
  /** `undefined` when the file does not exist. */
  readonly metadata: FileStatus<CheckpointMetadata> | undefined;
  readonly offsets: ReadonlyMap<number, FileStatus<OffsetSeq>>;
  readonly commits: ReadonlyMap<number, FileStatus<CommitEntry>>;
}

/** Options of {@link planRecovery}. */
export interface RecoveryOptions {
  /** How many sources the query has now; every offsets entry must hold that many offsets. */
  readonly numSources: number;
}

/**
 * What to do on start. `discard` lists checkpoint-relative paths of torn files to delete before going on.
 */
export type RecoveryPlan =
  /** Nothing committed: batch 0 starts from the sources' initial offsets. */
  | { readonly kind: 'fresh'; readonly discard: readonly string[] }
  /** Batch `lastCommitted.batchId` is committed: batch `nextBatchId` starts at its end offsets. */
  | {
      readonly kind: 'resume';
      readonly nextBatchId: number;
      readonly lastCommitted: { readonly batchId: number; readonly offsets: OffsetSeq };
      /** The commit entry of `lastCommitted.batchId`. */
      readonly commit: CommitEntry;
      /** max(offsets watermark of the last batch, its commit's nextBatchWatermarkMs). */
      readonly watermarkMs: number;
      readonly discard: readonly string[];
    }
  /**
   * Batch `batchId` was logged but not committed: run it again with exactly `offsets` (the logged entry), from
   * `previous` (the end offsets of batch `batchId - 1`; null for batch 0), with the logged watermark and time.
   */
  | {
      readonly kind: 'rerun';
      readonly batchId: number;
      readonly offsets: OffsetSeq;
      readonly previous: OffsetSeq | null;
      readonly watermarkMs: number;
      readonly batchTimestampMs: number;
      readonly discard: readonly string[];
    }
  /** The checkpoint cannot be recovered as is; `path` is checkpoint-relative. */
  | {
      readonly kind: 'error';
      readonly code: ErrorCode;
      readonly message: string;
      readonly path?: string;
      readonly batchId?: number;
    };

/** The error variant of {@link RecoveryPlan}. */
export type RecoveryErrorPlan = Extract<RecoveryPlan, { kind: 'error' }>;

/** The checkpoint-relative path of an offsets entry. */
export function offsetsPath(batchId: number): string {
  return `${OFFSETS_DIR}/${batchId}`;
}

/** The checkpoint-relative path of a commits entry. */
export function commitsPath(batchId: number): string {
  return `${COMMITS_DIR}/${batchId}`;
}

/** Decides how a query restarts from `snapshot`. Pure: no I/O, no clock, same input → same plan. */
export function planRecovery(snapshot: CheckpointSnapshot, options: RecoveryOptions): RecoveryPlan {
  const offsets = new Map(snapshot.offsets);
  const commits = new Map(snapshot.commits);
  const metadata = snapshot.metadata;

  // 1. metadata: written before anything else, so with logs present it must be intact.
  if (offsets.size === 0 && commits.size === 0) {
    if (metadata === undefined || metadata.kind === 'ok') return { kind: 'fresh', discard: [] };
    if (metadata.kind === 'torn') return { kind: 'fresh', discard: [METADATA_FILE] };
    return damaged(metadata, METADATA_FILE);
  }
  if (metadata === undefined) {
    return error(
      ErrorCodes.CHECKPOINT_METADATA_MISSING,
      `The checkpoint has offsets or commits but no ${METADATA_FILE} file (the query id is lost); ` +
        'restore it, or start the query with a new checkpoint location',
      { path: METADATA_FILE },
    );
  }
  if (metadata.kind !== 'ok') return damaged(metadata, METADATA_FILE);
  const queryId = metadata.value.id;

  // 2. structure, from ids alone (torn files count: they prove a write was attempted).
  const offsetIds = sortedIds(offsets);
  const commitIds = sortedIds(commits);
  const offsetGap = firstGap(offsetIds);
  if (offsetGap !== undefined) return missingBatch(offsetsPath(offsetGap), offsetGap);
  const commitGap = firstGap(commitIds);
  if (commitGap !== undefined) return missingBatch(commitsPath(commitGap), commitGap);
  const latestOffsets = offsetIds[offsetIds.length - 1] ?? -1;
  const latestCommit = commitIds[commitIds.length - 1] ?? -1;
  if (latestCommit > latestOffsets) {
    return error(
      ErrorCodes.CHECKPOINT_INCONSISTENT,
      `${commitsPath(latestCommit)} exists but ${offsetsPath(latestCommit)} does not: a batch was committed ` +
        'without being logged, which no crash can cause',
      { path: commitsPath(latestCommit), batchId: latestCommit },
    );
  }
  if (latestOffsets > latestCommit + 1) {
    return error(
      ErrorCodes.CHECKPOINT_INCONSISTENT,
      `${offsetsPath(latestOffsets)} exists but the latest commit is ${latestCommit < 0 ? 'none' : commitsPath(latestCommit)}: ` +
        'more than one batch is uncommitted, which no crash can cause',
      { path: offsetsPath(latestOffsets), batchId: latestOffsets },
    );
  }

  // 3. the last write, if torn, never completed: discard it.
  const discard: string[] = [];
  let discardedOffsets = false;
  let discardedCommit = false;
  if (latestOffsets === latestCommit + 1) {
    if (offsets.get(latestOffsets)?.kind === 'torn') {
      offsets.delete(latestOffsets);
      discard.push(offsetsPath(latestOffsets));
      discardedOffsets = true;
    }
  } else if (commits.get(latestCommit)?.kind === 'torn') {
    commits.delete(latestCommit);
    discard.push(commitsPath(latestCommit));
    discardedCommit = true;
  }

  // 4. content of every remaining file.
  const okOffsets = new Map<number, OffsetSeq>();
  const okCommits = new Map<number, CommitEntry>();
  for (const [batchId, status] of sortedEntries(offsets)) {
    if (status.kind !== 'ok') return damaged(status, offsetsPath(batchId), batchId);
    okOffsets.set(batchId, status.value);
  }
  for (const [batchId, status] of sortedEntries(commits)) {
    if (status.kind !== 'ok') return damaged(status, commitsPath(batchId), batchId);
    okCommits.set(batchId, status.value);
  }
  for (const [batchId, entry] of okOffsets) {
    if (entry.metadata.queryId !== queryId) return queryIdMismatch(offsetsPath(batchId), batchId, entry.metadata.queryId, queryId);
  }
  for (const [batchId, entry] of okCommits) {
    if (entry.queryId !== queryId) return queryIdMismatch(commitsPath(batchId), batchId, entry.queryId, queryId);
  }
  for (const [batchId, entry] of okOffsets) {
    if (entry.offsets.length !== options.numSources) {
      return error(
        ErrorCodes.CHECKPOINT_SOURCES_CHANGED,
        `There are [${entry.offsets.length}] sources in the checkpoint offsets and now there are ` +
          `[${options.numSources}] sources requested by the query. Cannot continue. (${offsetsPath(batchId)})`,
        { path: offsetsPath(batchId), batchId },
      );
    }
  }

  // 5. the plan, and the files it needs.
  if (discardedOffsets || (latestOffsets === latestCommit && !discardedCommit)) {
    if (latestCommit < 0) return { kind: 'fresh', discard };
    const last = okOffsets.get(latestCommit);
    const commit = okCommits.get(latestCommit);
    if (last === undefined) return missingBatch(offsetsPath(latestCommit), latestCommit);
    if (commit === undefined) return missingBatch(commitsPath(latestCommit), latestCommit);
    return {
      kind: 'resume',
      nextBatchId: latestCommit + 1,
      lastCommitted: { batchId: latestCommit, offsets: last },
      commit,
      watermarkMs: Math.max(last.metadata.batchWatermarkMs, commit.nextBatchWatermarkMs),
      discard,
    };
  }
  const batchId = latestOffsets;
  const logged = okOffsets.get(batchId);
  if (logged === undefined) return missingBatch(offsetsPath(batchId), batchId);
  let previous: OffsetSeq | null = null;
  if (batchId > 0) {
    const previousOffsets = okOffsets.get(batchId - 1);
    if (previousOffsets === undefined) return missingBatch(offsetsPath(batchId - 1), batchId - 1);
    if (!okCommits.has(batchId - 1)) return missingBatch(commitsPath(batchId - 1), batchId - 1);
    previous = previousOffsets;
  }
  return {
    kind: 'rerun',
    batchId,
    offsets: logged,
    previous,
    watermarkMs: logged.metadata.batchWatermarkMs,
    batchTimestampMs: logged.metadata.batchTimestampMs,
    discard,
  };
}

function sortedIds(map: ReadonlyMap<number, unknown>): number[] {
  return [...map.keys()].sort((a, b) => a - b);
}

function sortedEntries<T>(map: ReadonlyMap<number, T>): Array<[number, T]> {
  return [...map.entries()].sort(([a], [b]) => a - b);
}

/** The first id missing inside the range from the smallest to the largest id (leading ids may be purged). */
function firstGap(ids: readonly number[]): number | undefined {
  for (let i = 1; i < ids.length; i++) {
    const expected = (ids[i - 1] as number) + 1;
    if (ids[i] !== expected) return expected;
  }
  return undefined;
}

function error(code: ErrorCode, message: string, where: { path?: string; batchId?: number } = {}): RecoveryErrorPlan {
  return { kind: 'error', code, message, ...where };
}

function damaged(status: Exclude<FileStatus<unknown>, { kind: 'ok' }>, path: string, batchId?: number): RecoveryErrorPlan {
  const code = status.kind === 'unsupportedVersion' ? ErrorCodes.CHECKPOINT_UNSUPPORTED_VERSION : ErrorCodes.CHECKPOINT_CORRUPT;
  const why = status.kind === 'torn' ? ': only the last write of a checkpoint can be torn by a crash, and this is not it' : '';
  return error(code, `${fileStatusMessage(status, path)}${why}`, batchId === undefined ? { path } : { path, batchId });
}

function missingBatch(path: string, batchId: number): RecoveryErrorPlan {
  return error(ErrorCodes.CHECKPOINT_MISSING_BATCH, `batch ${batchId} doesn't exist (${path} is missing)`, { path, batchId });
}

function queryIdMismatch(path: string, batchId: number, found: string, expected: string): RecoveryErrorPlan {
  return error(
    ErrorCodes.CHECKPOINT_QUERY_ID_MISMATCH,
    `${path} was written by query ${found}, but this checkpoint belongs to query ${expected}`,
    { path, batchId },
  );
}
