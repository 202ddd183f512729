/**
 * The checkpoint of one streaming query, as the engine uses it: lock, query id, offsets and commits logs,
 * the recovery plan, source and state folders, retention.
 *
 * Invariant: an open `Checkpoint` holds the checkpoint's lock, its `plan` is `planRecovery` of what was on
 * disk when it opened, and the torn files that plan discards are gone from disk; a checkpoint that cannot be
 * recovered never opens (a WeirError naming the file and batch is thrown and the lock is released). While it is
 * open, {@link Checkpoint.verifyIntact} tells whether the folder, its `metadata` and the lock are still the ones it
 * opened (the engine asks before every batch), and no write of its store re-creates a deleted folder. Every failed
 * filesystem call is a named `IO_*` error with the path and the operation.
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { CheckpointStore } from '../contracts';
import { ErrorCodes, WeirError, type WeirErrorContext } from '../errors';
import { isMissingFileError } from '../util/readFileIfExists';
import { withIoErrors } from '../util/ioError';
import { checkpointDeleted } from './checkpointDeleted';
import { CheckpointLock } from './CheckpointLock';
import { readCheckpointMetadata, writeCheckpointMetadata } from './CheckpointMetadata';
import { CommitLog, type CommitEntry } from './CommitLog';
import { mkdirsDurably } from './durableWrite';
import { FileCheckpointStore } from './FileCheckpointStore';
import type { FileStatus } from './FileStatus';
import { COMMITS_DIR, METADATA_FILE, OFFSETS_DIR, SOURCES_DIR, STATE_DIR } from './layout';
import type { MetadataLog } from './MetadataLog';
import { OffsetSeqLog, type OffsetSeq } from './OffsetSeqLog';
import { planRecovery, type CheckpointSnapshot, type RecoveryPlan } from './recoveryPlanner';

/** Options of {@link Checkpoint.open}. */
export interface CheckpointOpenOptions {
  /** How many sources the query reads; must match every logged offsets entry. */
  readonly numSources: number;
  /** Batches kept in offsets/ and commits/ (Spark's `spark.sql.streaming.minBatchesToRetain`); default 100. */
  readonly minBatchesToRetain?: number;
  /** This run's id (new on every start). */
  readonly runId: string;
}

/**
 * What identifies a file on its filesystem: a folder deleted and made again, or a file replaced, has another
 * (the inode number, which a filesystem may reuse at once, and the creation time where the filesystem has one).
 */
interface FileIdentity {
  readonly dev: number;
  readonly ino: number;
  readonly birthtimeMs: number;
}

/** What {@link Checkpoint.verifyIntact} found: all as opened, or the lock file written again after a deletion. */
export type CheckpointCheck = 'intact' | 'lockRestored';

/** Spark's default of `spark.sql.streaming.minBatchesToRetain`. */
export const DEFAULT_MIN_BATCHES_TO_RETAIN = 100;

/**
 * An opened checkpoint folder (Spark's layout: `metadata`, `offsets/N`, `commits/N`, `sources/<i>/`, `state/`).
 *
 * @example
 * const checkpoint = await Checkpoint.open('/data/ckpt', { numSources: 1, runId: randomUUID() });
 * try {
 *   switch (checkpoint.plan.kind) { case 'fresh': ...; case 'resume': ...; case 'rerun': ... }
 *   await checkpoint.offsetLog.add(n, offsets); ...; await checkpoint.commitLog.add(n, commit);
 *   await checkpoint.purgeAfterCommit(n);
 * } finally {
 *   await checkpoint.close();
 * }
 */
export class Checkpoint {
  private closed = false;

  private constructor(
    /** The absolute checkpoint folder. */
    readonly root: string,
    /** The file edge every log of this checkpoint writes through. */
    readonly store: CheckpointStore,
    /** The query id from `metadata` (stable across restarts). */
    readonly queryId: string,
    /** This run's id. */
    readonly runId: string,
    /** How to start, decided from the disk at open. Never of kind 'error' (open throws those instead). */
    readonly plan: RecoveryPlan,
    /** `offsets/`: the write-ahead log. */
    readonly offsetLog: MetadataLog<OffsetSeq>,
    /** `commits/`. */
    readonly commitLog: MetadataLog<CommitEntry>,
    /** How many sources the query reads (`sourcePath` accepts 0..numSources-1). */
    readonly numSources: number,
    /** Batches kept by {@link purgeAfterCommit}. */
    readonly minBatchesToRetain: number,
    private readonly lock: CheckpointLock,
    private readonly identity: { readonly root: FileIdentity; readonly metadata: FileIdentity },
  ) {}

  /**
   * Opens (creating if needed) the checkpoint at `location`: takes the lock, reads or creates the query id,
   * plans recovery and deletes the torn files the plan discards. Throws CONCURRENT_QUERY when another live
   * query holds it, INVALID_ARGUMENT for bad options, and the plan's code (CHECKPOINT_*) with `path`
   * (absolute) and `batchId` in the context when it cannot be recovered.
   */
  static async open(location: string, options: CheckpointOpenOptions): Promise<Checkpoint> {
    const { numSources, minBatchesToRetain = DEFAULT_MIN_BATCHES_TO_RETAIN, runId } = options;
    if (!Number.isSafeInteger(numSources) || numSources < 0) {
      throw invalid(`numSources must be a non-negative integer, got ${numSources}`);
    }
    if (!Number.isSafeInteger(minBatchesToRetain) || minBatchesToRetain < 1) {
      throw invalid(`minBatchesToRetain must be an integer >= 1, got ${minBatchesToRetain}`);
    }
    if (typeof runId !== 'string' || runId.length === 0) throw invalid('runId must be a non-empty string');

    const root = path.resolve(location);
    await withIoErrors('mkdir', root, () => mkdirsDurably(root));
    const store = new FileCheckpointStore(root, { createRoot: false });
    // Read before locking only to name the query in a CONCURRENT_QUERY message; re-read under the lock.
    const before = await readCheckpointMetadata(store).catch(() => undefined);
    const lock = await CheckpointLock.acquire(root, {
      runId,
      ...(before?.kind === 'ok' ? { queryId: before.value.id } : {}),
    });
    try {
      const offsetLog = new OffsetSeqLog(store, OFFSETS_DIR);
      const commitLog = new CommitLog(store, COMMITS_DIR);
      const snapshot: CheckpointSnapshot = {
        metadata: await readCheckpointMetadata(store),
        offsets: await readAll(offsetLog),
        commits: await readAll(commitLog),
      };
      const plan = planRecovery(snapshot, { numSources });
      if (plan.kind === 'error') {
        throw new WeirError(plan.code, `${plan.message} (checkpoint ${root})`, {
          context: {
            ...(plan.path === undefined ? {} : { path: path.join(root, plan.path) }),
            ...(plan.batchId === undefined ? {} : { batchId: plan.batchId }),
            ...(snapshot.metadata?.kind === 'ok' ? { queryId: snapshot.metadata.value.id } : {}),
            runId,
          },
        });
      }
      for (const discarded of plan.discard) await store.delete(discarded);
      let queryId: string;
      if (snapshot.metadata?.kind === 'ok') {
        queryId = snapshot.metadata.value.id;
      } else {
        // Only a fresh plan gets here (any other plan needs intact metadata); a torn one was just discarded.
        queryId = randomUUID();
        await writeCheckpointMetadata(store, { id: queryId }, { overwrite: true });
      }
      await store.mkdirs(OFFSETS_DIR);
      await store.mkdirs(COMMITS_DIR);
      await store.mkdirs(STATE_DIR);
      for (let i = 0; i < numSources; i++) await store.mkdirs(`${SOURCES_DIR}/${i}`);
      const identity = {
        root: await identityOf(root),
        metadata: await identityOf(path.join(root, METADATA_FILE)),
      };
      return new Checkpoint(root, store, queryId, runId, plan, offsetLog, commitLog, numSources, minBatchesToRetain, lock, identity);
    } catch (e) {
      await lock.release();
      throw e;
    }
  }

  /** The absolute folder of source `index`'s private metadata (`<root>/sources/<index>`, created at open). */
  sourcePath(index: number): string {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.numSources) {
      throw invalid(`source index must be in [0, ${this.numSources}), got ${index}`);
    }
    return path.join(this.root, SOURCES_DIR, String(index));
  }

  /** The absolute folder of operator state (`<root>/state`, created at open). */
  get statePath(): string {
    return path.join(this.root, STATE_DIR);
  }

  /**
   * Retention after `commits/<batchId>` is durable: keeps the last `minBatchesToRetain` batches of offsets/
   * and commits/ (deletes ids below `batchId - minBatchesToRetain + 1`), offsets first, oldest first.
   */
  async purgeAfterCommit(batchId: number): Promise<void> {
    const threshold = batchId - this.minBatchesToRetain + 1;
    if (threshold <= 0) return;
    await this.offsetLog.purge(threshold);
    await this.commitLog.purge(threshold);
  }

  /**
   * Whether the checkpoint is still the one this run opened, checked cheaply (two stats and the lock file's read):
   * throws CHECKPOINT_DELETED when the folder was deleted or replaced by another one (another inode) or its
   * `metadata` file was deleted or replaced, and CONCURRENT_QUERY when another run holds the lock now. A lock file
   * deleted while everything else is intact is written again (`'lockRestored'`), so that a query started next on
   * this checkpoint gets CONCURRENT_QUERY. `context` (the batch id) is added to the errors.
   */
  async verifyIntact(context: WeirErrorContext = {}): Promise<CheckpointCheck> {
    const extra = { ...context, queryId: this.queryId, runId: this.runId };
    const metadataPath = path.join(this.root, METADATA_FILE);
    const [root, metadata] = await Promise.all([identityOrUndefined(this.root), identityOrUndefined(metadataPath)]);
    if (root === undefined) throw checkpointDeleted(this.root, 'the folder was deleted', extra);
    if (!sameFile(root, this.identity.root)) {
      throw checkpointDeleted(this.root, 'the folder was deleted and another one made in its place', extra);
    }
    if (metadata === undefined) throw checkpointDeleted(this.root, `its metadata file ${metadataPath} was deleted`, extra);
    if (!sameFile(metadata, this.identity.metadata)) {
      throw checkpointDeleted(this.root, `its metadata file ${metadataPath} was replaced`, extra);
    }
    return (await this.lock.verify()) === 'restored' ? 'lockRestored' : 'intact';
  }

  /** Whether {@link close} has been called. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Releases the lock. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.lock.release();
  }
}

async function readAll<T>(log: MetadataLog<T>): Promise<Map<number, FileStatus<T>>> {
  const entries = new Map<number, FileStatus<T>>();
  for (const batchId of await log.listBatchIds()) {
    const status = await log.inspect(batchId);
    // Gone between listing and reading: only possible with a writer we do not know of; absent is the truth.
    if (status !== undefined) entries.set(batchId, status);
  }
  return entries;
}

async function identityOf(file: string): Promise<FileIdentity> {
  const st = await withIoErrors('stat', file, () => fs.stat(file));
  return { dev: st.dev, ino: st.ino, birthtimeMs: st.birthtimeMs };
}

async function identityOrUndefined(file: string): Promise<FileIdentity | undefined> {
  return withIoErrors('stat', file, async () => {
    try {
      const st = await fs.stat(file);
      return { dev: st.dev, ino: st.ino, birthtimeMs: st.birthtimeMs };
    } catch (e) {
      if (isMissingFileError(e)) return undefined;
      throw e;
    }
  });
}

function sameFile(a: FileIdentity, b: FileIdentity): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.birthtimeMs === b.birthtimeMs;
}

function invalid(message: string): WeirError {
  return new WeirError(ErrorCodes.INVALID_ARGUMENT, message);
}
