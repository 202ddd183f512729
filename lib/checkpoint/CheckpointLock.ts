/**
 * One live query per checkpoint: a lock file `<root>/.lock` across processes, and a registry within this one.
 *
 * Invariant: while a `CheckpointLock` is held, no other `acquire` on the same checkpoint (same real path)
 * succeeds, in this process or in another one on this host; a lock left by a dead process (kill -9) is taken
 * over; `release` removes only a lock file that still holds this lock's runId.
 *
 * The file is created exclusively (hard link of a complete temp file: O_EXCL's exclusivity without an empty
 * file visible in between), holding `{"pid","hostname","runId","startedAt"}`. Liveness is `kill(pid, 0)`,
 * which only means something on the same host: a lock from another host is never taken over. The pid of a
 * dead holder may be reused by an unrelated live process; that lock then looks live, and the message names
 * the pid and the file so a person can remove it.
 *
 * Handing a checkpoint over from another host: stop the query there (its lock file goes with it). When that host
 * is gone for good, a person deletes `<checkpoint>/.lock` after making sure no query of that host still runs;
 * weir never decides this itself (no lease: a paused process, a network partition or clock skew would let two
 * hosts write one checkpoint). A holder checks its lock at every batch (`verify`): a lock file deleted under it
 * is written again, a lock file another run took over stops it with CONCURRENT_QUERY. Failed filesystem calls are
 * named `IO_*` errors (`ioError`) with the lock file's path.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ErrorCodes, WeirError } from '../errors';
import { ioError, withIoErrors } from '../util/ioError';
import { readFileIfExists } from '../util/readFileIfExists';
import { fsyncDirectory, writeFileDurably } from './durableWrite';
import { LOCK_FILE } from './layout';

/** What the lock file holds. */
export interface LockHolder {
  readonly pid: number;
  readonly hostname: string;
  readonly runId: string;
  /** ISO-8601 time the lock was taken. */
  readonly startedAt: string;
}

/** Options of {@link CheckpointLock.acquire}. */
export interface CheckpointLockOptions {
  /** The run taking the lock; `release` checks the file still holds it. */
  readonly runId: string;
  /** The query id, for Spark's message when the checkpoint is busy (defaults to the checkpoint path). */
  readonly queryId?: string;
}

/** Attempts at the create / take-over dance before giving up (only concurrent take-overs need more than 2). */
const MAX_ATTEMPTS = 5;

/**
 * The lock of a checkpoint folder held by one query run.
 *
 * @example
 * const lock = await CheckpointLock.acquire('/data/ckpt', { runId, queryId });
 * try { ... } finally { await lock.release(); }
 */
export class CheckpointLock {
  /**
   * The one in-process registry of held checkpoints: real path of the root → runId of the holder. The lock
   * file alone cannot refuse a second query of this process, whose pid is alive by definition.
   */
  private static readonly heldInProcess = new Map<string, string>();

  private released = false;

  private constructor(
    /** The real path of the checkpoint root. */
    readonly root: string,
    /** The absolute path of the lock file. */
    readonly path: string,
    /** What this lock wrote into the file. */
    readonly holder: LockHolder,
    /** The query id named in CONCURRENT_QUERY messages. */
    private readonly queryId: string,
  ) {}

  /**
   * Takes the lock of the checkpoint folder `root` (which must exist). Throws CONCURRENT_QUERY when a live
   * query, of this process or another on this host (or any query on another host), holds it.
   */
  static async acquire(root: string, options: CheckpointLockOptions): Promise<CheckpointLock> {
    const { runId, queryId } = options;
    if (typeof runId !== 'string' || runId.length === 0) {
      throw new WeirError(ErrorCodes.INVALID_ARGUMENT, 'CheckpointLock.acquire needs a non-empty runId');
    }
    const realRoot = await withIoErrors('lock', path.resolve(root), () => fs.realpath(root));
    const lockPath = path.join(realRoot, LOCK_FILE);
    const holder: LockHolder = { pid: process.pid, hostname: os.hostname(), runId, startedAt: new Date().toISOString() };
    // Check and register with no await in between, so two opens racing in this process cannot both pass.
    const registered = CheckpointLock.heldInProcess.get(realRoot);
    if (registered !== undefined) {
      throw busy(queryId ?? realRoot, lockPath, { ...holder, runId: registered }, 'in this process');
    }
    CheckpointLock.heldInProcess.set(realRoot, runId);
    try {
      await takeLockFile(lockPath, holder, queryId ?? realRoot);
    } catch (e) {
      CheckpointLock.heldInProcess.delete(realRoot);
      throw ioError(e, 'lock', lockPath);
    }
    return new CheckpointLock(realRoot, lockPath, holder, queryId ?? realRoot);
  }

  /** Whether some query of this process holds the checkpoint at `root` (by real path). */
  static async isHeldInProcess(root: string): Promise<boolean> {
    return CheckpointLock.heldInProcess.has(await fs.realpath(root));
  }

  /**
   * Checks that the lock file still holds this lock (cheap: one small read), as the engine does before every
   * batch. A lock file deleted meanwhile is written again (resolves `'restored'`); one that another run took over,
   * or that something overwrote, throws CONCURRENT_QUERY naming the holder found, so this run stops before it
   * writes again. Resolves `'held'` when all is as it was.
   */
  async verify(): Promise<'held' | 'restored'> {
    if (this.released) {
      throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `The checkpoint lock ${this.path} was released`, { context: { path: this.path } });
    }
    for (let attempt = 0; attempt < 2; attempt++) {
      const current = await withIoErrors('lock', this.path, () => readHolder(this.path));
      if (current === undefined) {
        const data = `${JSON.stringify(this.holder)}\n`;
        if (await withIoErrors('lock', this.path, () => writeFileDurably(this.path, data, { overwrite: false }))) return 'restored';
        continue; // someone created it between the read and the write: look at whose it is
      }
      if (current !== 'unreadable' && current.runId === this.holder.runId && current.pid === this.holder.pid) return 'held';
      throw new WeirError(
        ErrorCodes.CONCURRENT_QUERY,
        `The checkpoint lock ${this.path} of the running query with id ${this.queryId} (runId ${this.holder.runId}) ` +
          (current === 'unreadable'
            ? 'was overwritten with content no weir writes'
            : `now belongs to another run: pid ${current.pid} on ${current.hostname}, runId ${current.runId}`) +
          ' (was the lock file deleted while the query ran?). This run stops so that two runs never write one ' +
          'checkpoint; stop the other run before restarting this one.',
        {
          context: {
            path: this.path,
            queryId: this.queryId,
            runId: this.holder.runId,
            ...(current === 'unreadable'
              ? {}
              : { holderPid: current.pid, holderHostname: current.hostname, holderRunId: current.runId }),
          },
        },
      );
    }
    throw new WeirError(ErrorCodes.CONCURRENT_QUERY, `The checkpoint lock ${this.path} keeps changing: another query is taking it`, {
      context: { path: this.path, queryId: this.queryId, runId: this.holder.runId },
    });
  }

  /** Releases the lock: the file is removed only if it still holds this runId. Idempotent. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    try {
      await withIoErrors('unlock', this.path, async () => {
        const current = await readHolder(this.path);
        if (current !== undefined && current !== 'unreadable' && current.runId === this.holder.runId && current.pid === this.holder.pid) {
          await fs.rm(this.path, { force: true });
          await fsyncDirectory(path.dirname(this.path));
        }
      });
    } finally {
      // Only after the file is gone: a query of this process acquiring meanwhile must not take over a file
      // that this release is about to delete.
      if (CheckpointLock.heldInProcess.get(this.root) === this.holder.runId) CheckpointLock.heldInProcess.delete(this.root);
    }
  }
}

async function takeLockFile(lockPath: string, holder: LockHolder, queryId: string): Promise<void> {
  const data = `${JSON.stringify(holder)}\n`;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (await writeFileDurably(lockPath, data, { overwrite: false })) return;
    const existingBytes = await readBytes(lockPath);
    if (existingBytes === undefined) continue; // released meanwhile: try to create again
    const existing = parseHolder(existingBytes);
    if (existing !== 'unreadable' && isLive(existing)) throw busy(queryId, lockPath, existing, 'in another process');
    // Stale (dead holder, or a lock file no weir wrote completely). Move it aside atomically, so that of two
    // processes taking over at once only one removes it; then check it is the file judged stale.
    const aside = `${lockPath}.stale-${randomBytes(6).toString('hex')}`;
    try {
      await fs.rename(lockPath, aside);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw e;
    }
    const moved = await readBytes(aside);
    if (moved !== undefined && !moved.equals(existingBytes)) {
      // Another process took over between our read and our rename: that lock is live; put it back.
      await fs.link(aside, lockPath).catch(() => undefined);
    }
    await fs.rm(aside, { force: true });
    await fsyncDirectory(path.dirname(lockPath));
  }
  throw new WeirError(ErrorCodes.CONCURRENT_QUERY, `Could not take the checkpoint lock ${lockPath}: other queries keep taking it`, {
    context: { path: lockPath, queryId },
  });
}

function isLive(holder: LockHolder): boolean {
  if (holder.hostname !== os.hostname()) return true; // cannot tell: never steal another host's lock
  if (holder.pid === process.pid) return false; // not in the registry, so a leftover of this process (or pid reuse)
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function busy(queryId: string, lockPath: string, holder: LockHolder, where: string): WeirError {
  const otherHost = holder.hostname !== os.hostname();
  return new WeirError(
    ErrorCodes.CONCURRENT_QUERY,
    `Cannot start query with id ${queryId} as another query with same id is already active. Perhaps you are ` +
      `attempting to restart a query from checkpoint that is already active. (The checkpoint is held ${where}: ` +
      `pid ${holder.pid} on ${holder.hostname}, runId ${holder.runId}; lock file ${lockPath})` +
      (otherHost
        ? ` The lock was written on another host, whose processes weir cannot see, so it is never taken over: stop ` +
          `the query on ${holder.hostname}, or, if that host is gone for good and no query of it runs, delete ${lockPath}.`
        : ''),
    {
      context: {
        path: lockPath,
        queryId,
        holderPid: holder.pid,
        holderHostname: holder.hostname,
        holderRunId: holder.runId,
        ...(otherHost ? { otherHost: true } : {}),
      },
    },
  );
}

const readBytes = (file: string): Promise<Buffer | undefined> => readFileIfExists(file);

async function readHolder(file: string): Promise<LockHolder | 'unreadable' | undefined> {
  const bytes = await readBytes(file);
  return bytes === undefined ? undefined : parseHolder(bytes);
}

function parseHolder(bytes: Buffer): LockHolder | 'unreadable' {
  try {
    const value = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
    const { pid, hostname, runId, startedAt } = value;
    if (!Number.isSafeInteger(pid) || (pid as number) <= 0 || typeof hostname !== 'string' || typeof runId !== 'string') {
      return 'unreadable';
    }
    return { pid: pid as number, hostname, runId, startedAt: typeof startedAt === 'string' ? startedAt : '' };
  } catch {
    return 'unreadable';
  }
}
