/**
 * Committing to a Delta table with optimistic concurrency (PROTOCOL.md "Optimistic Concurrency Control";
 * Delta's `OptimisticTransaction` and `ConflictChecker`, reduced to what weir's writes need).
 *
 * Invariant: a commit is the put-if-absent of `<readVersion + 1 + k>.json` for the smallest k at which no
 * other writer's commit is already there; before each attempt past the first, every commit won by another writer
 * since the transaction's read version is checked against what this transaction read and changed, and a conflict
 * fails the commit with Delta's exception name (ConcurrentAppendException, ConcurrentDeleteReadException,
 * ConcurrentDeleteDeleteException, MetadataChangedException, ProtocolChangedException,
 * ConcurrentTransactionException) before anything is written. So no version is ever written twice and no commit
 * is lost; a blind append (reads nothing) only conflicts with metadata, protocol or same-appId txn changes.
 * Every `delta.checkpointInterval` (10) versions the committer writes a checkpoint (best effort: a failure to
 * write it never undoes the commit, it is reported in the result).
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../lib/contracts';
import { fileKey, encodeCommit, type Action, type CommitInfoAction } from './actions';
import { writeCheckpoint } from './checkpoint';
import { concurrentModification } from './deltaErrors';
import { commitFileName, putIfAbsent } from './deltaLog';
import { loadSnapshot, readCommits, type Snapshot } from './snapshot';

/** What the transaction read of the table (decides which concurrent commits conflict). */
export type ReadSet =
  /** A blind append: nothing read. */
  | { readonly kind: 'none' }
  /** The whole table was read (an overwrite, a complete-mode rewrite). */
  | { readonly kind: 'all' };

/** Options of {@link commit}. */
export interface CommitOptions {
  /** Spark's operation name in commitInfo (`WRITE`, `STREAMING UPDATE`, `CREATE TABLE`). */
  readonly operation: string;
  readonly operationParameters?: Readonly<Record<string, string>>;
  readonly readSet: ReadSet;
  /** The clock of commitInfo.timestamp and txn.lastUpdated (the system clock by default). */
  readonly clock?: Pick<Clock, 'now'>;
  /** Attempts before giving up on a table under constant contention (default 10,000). */
  readonly maxAttempts?: number;
  /** Write checkpoints (default true). */
  readonly checkpoints?: boolean;
}

/** The result of a commit. */
export interface CommitResult {
  readonly version: number;
  /** Versions other writers won between the read version and ours. */
  readonly conflictsResolved: number;
  readonly checkpointWritten: boolean;
  /** Set when writing the checkpoint failed (the commit stands). */
  readonly checkpointError?: unknown;
}

/** `delta.checkpointInterval` of a snapshot's configuration (10 by default). */
export function checkpointInterval(s: Snapshot | undefined, actions: readonly Action[]): number {
  const m = actions.find((a) => a.kind === 'metaData');
  const conf = m && m.kind === 'metaData' ? m.metaData.configuration : s?.metadata.configuration;
  const n = Number(conf?.['delta.checkpointInterval'] ?? 10);
  return Number.isInteger(n) && n > 0 ? n : 10;
}

/** Throws Delta's conflict for a winning commit that this transaction cannot be reordered after. */
function checkConflicts(tablePath: string, winner: readonly Action[], winnerVersion: number, ours: readonly Action[], readSet: ReadSet): void {
  const ctx = { conflictingVersion: winnerVersion };
  const ourTxns = new Set(ours.flatMap((a) => (a.kind === 'txn' ? [a.txn.appId] : [])));
  const ourRemoves = new Set(ours.flatMap((a) => (a.kind === 'remove' ? [fileKey(a.remove)] : [])));
  for (const a of winner) {
    if (a.kind === 'protocol') {
      throw concurrentModification('ProtocolChangedException', tablePath, `The protocol version of the Delta table has been changed by a concurrent update (version ${winnerVersion}). Please try the operation again.`, ctx);
    }
    if (a.kind === 'metaData') {
      throw concurrentModification('MetadataChangedException', tablePath, `The metadata of the Delta table has been changed by a concurrent update (version ${winnerVersion}). Please try the operation again.`, ctx);
    }
    if (a.kind === 'txn' && ourTxns.has(a.txn.appId)) {
      throw concurrentModification('ConcurrentTransactionException', tablePath, `A concurrent transaction of application ${a.txn.appId} committed version ${winnerVersion}. This error occurs when multiple streaming queries use the same checkpoint to write into this table.`, { ...ctx, appId: a.txn.appId });
    }
  }
  for (const a of winner) {
    if (a.kind === 'remove' && ourRemoves.has(fileKey(a.remove))) {
      throw concurrentModification('ConcurrentDeleteDeleteException', tablePath, `This transaction attempted to delete one or more files that were deleted (for example ${a.remove.path}) by a concurrent update (version ${winnerVersion}). Please try the operation again.`, { ...ctx, file: a.remove.path });
    }
    if (readSet.kind === 'all' && a.kind === 'remove' && a.remove.dataChange) {
      throw concurrentModification('ConcurrentDeleteReadException', tablePath, `This transaction attempted to read one or more files that were deleted (for example ${a.remove.path}) by a concurrent update (version ${winnerVersion}). Please try the operation again.`, { ...ctx, file: a.remove.path });
    }
    if (readSet.kind === 'all' && a.kind === 'add' && a.add.dataChange) {
      throw concurrentModification('ConcurrentAppendException', tablePath, `Files were added to the root of the table (for example ${a.add.path}) by a concurrent update (version ${winnerVersion}). Please try the operation again.`, { ...ctx, file: a.add.path });
    }
  }
}

/**
 * Commits `actions` (without commitInfo: it is added) on top of `read` (the snapshot the transaction read;
 * undefined when it creates the table, then `actions` must hold protocol and metaData).
 *
 * @throws WeirError SINK_ERROR with Delta's exception in `context.deltaError` on an unresolvable conflict.
 */
export async function commit(tablePath: string, read: Snapshot | undefined, actions: readonly Action[], o: CommitOptions): Promise<CommitResult> {
  const clock = o.clock ?? { now: () => Date.now() };
  const readVersion = read ? read.version : -1;
  const maxAttempts = o.maxAttempts ?? 10_000;
  const txnId = randomUUID();
  const isBlindAppend = o.readSet.kind === 'none' && actions.every((a) => a.kind !== 'remove');
  let version = readVersion + 1;
  let checkedUpTo = readVersion;
  for (let attempt = 1; ; attempt++) {
    if (version > checkedUpTo + 1) {
      const winners = await readCommits(tablePath, checkedUpTo + 1, version - 1);
      winners.forEach((w, i) => checkConflicts(tablePath, w, checkedUpTo + 1 + i, actions, o.readSet));
      checkedUpTo = version - 1;
    }
    if (read === undefined && version > 0) {
      throw concurrentModification('ProtocolChangedException', tablePath, 'The protocol version of the Delta table has been changed by a concurrent update: the table was created concurrently. This happens when multiple writers write to an empty directory.', { conflictingVersion: 0 });
    }
    const info: CommitInfoAction = {
      timestamp: clock.now(),
      operation: o.operation,
      operationParameters: o.operationParameters ?? {},
      ...(readVersion >= 0 ? { readVersion } : {}),
      isolationLevel: 'Serializable',
      isBlindAppend,
      engineInfo: 'weir-streams',
      txnId,
    };
    const text = encodeCommit([{ kind: 'commitInfo', commitInfo: info }, ...actions]);
    if (await putIfAbsent(tablePath, commitFileName(version), text)) {
      let checkpointWritten = false;
      let checkpointError: unknown;
      if (o.checkpoints !== false && version > 0 && version % checkpointInterval(read, actions) === 0) {
        try {
          checkpointWritten = await writeCheckpoint(await loadSnapshot(tablePath, version), clock.now());
        } catch (e) {
          checkpointError = e;
        }
      }
      return { version, conflictsResolved: version - readVersion - 1, checkpointWritten, ...(checkpointError === undefined ? {} : { checkpointError }) };
    }
    if (attempt >= maxAttempts) {
      throw concurrentModification('ConcurrentTransactionException', tablePath, `Gave up committing to ${tablePath} after ${attempt} attempts under contention.`, { attempts: attempt });
    }
    version += 1; // lost the race for this version: check what won it, then try the next one
  }
}
