/**
 * The errors of the state stores, built in one place.
 *
 * Invariant: every state-store failure is a `WeirError` carrying `operatorId` (and `batchId` where there is one)
 * as context fields, with the codes STATE_VERSION_MISMATCH, STATE_STORE_CLOSED, STATE_STORE_IO and STATE_CORRUPT.
 */
import { ErrorCodes, WeirError } from '../errors';

/**
 * Opening an operator's state for `batchId` when the last committed version is neither `batchId - 1` (the normal
 * case) nor `batchId` with its undo at hand (a re-run, rolled back). No process crash produces this: state and
 * checkpoint disagree. State that is behind (a power loss with `sync: false`, an older copy restored, the state
 * folder moved away) is rebuilt by the engine from the offsets log (lib/engine/stateReplay.ts); state ahead of
 * the checkpoint is not.
 */
export function stateVersionMismatch(operatorId: string, batchId: number, foundVersion: number): WeirError {
  const expected = batchId === 0 ? 'no state or version 0' : `version ${batchId - 1} or ${batchId}`;
  const message =
    foundVersion === batchId
      ? `State of operator ${operatorId} is at version ${foundVersion} with no undo left: only one version can be rolled back`
      : `State of operator ${operatorId} is at version ${foundVersion}, batch ${batchId} needs ${expected}`;
  return new WeirError(ErrorCodes.STATE_VERSION_MISMATCH, message, { context: { operatorId, batchId, foundVersion } });
}

/** Using a store after it was committed or aborted, after a newer store of its operator was opened, or after close. */
export function stateStoreClosed(operatorId: string, batchId: number, operation: string, phase: string): WeirError {
  return new WeirError(
    ErrorCodes.STATE_STORE_CLOSED,
    `State store of operator ${operatorId} for batch ${batchId} is ${phase}: cannot ${operation}`,
    { context: { operatorId, batchId, operation, phase } },
  );
}

/**
 * A LevelDB operation failed (disk full, I/O error): retrying the batch may succeed. A failure LevelDB names
 * corruption (`LEVEL_CORRUPTION`: a table block or log record fails its checksum) is {@link stateCorrupt} instead.
 */
export function stateStoreIo(
  operation: string,
  cause: unknown,
  context: { operatorId?: string; batchId?: number; path?: string },
): WeirError {
  if (levelErrorCode(cause) === 'LEVEL_CORRUPTION' || (cause as { code?: string })?.code === 'LEVEL_CORRUPTION') {
    return stateCorrupt(
      `State database ${context.path ?? ''} is damaged: LevelDB reports corruption in a ${operation}: ${(cause as Error)?.message ?? String(cause)}. ${REBUILD_HINT}`,
      context,
      cause,
    );
  }
  return new WeirError(ErrorCodes.STATE_STORE_IO, `State store ${operation} failed: ${(cause as Error)?.message ?? String(cause)}`, {
    context: { ...context, operation },
    cause,
    retriable: true,
  });
}

/**
 * What to do about damaged state, appended to every STATE_CORRUPT message about the database (docs/errors.md,
 * "Damaged state", has the steps).
 */
export const REBUILD_HINT =
  'Restore the state folder from a backup, or rebuild the state: stop the query, move the checkpoint\'s state/ ' +
  'folder away and restart; weir then re-runs the batches from offsets/0 into new state when the checkpoint and ' +
  'the source still hold them (see "Damaged state" in docs/errors.md)';

/** The state on disk is damaged, cannot be parsed or contradicts itself (a missing undo record, say). */
export function stateCorrupt(
  message: string,
  context: { operatorId?: string; batchId?: number; path?: string; file?: string; reason?: string },
  cause?: unknown,
): WeirError {
  return new WeirError(ErrorCodes.STATE_CORRUPT, message, { context, cause });
}

/** The `code` of a level / classic-level error: its cause's (LEVEL_LOCKED under LEVEL_DATABASE_NOT_OPEN), else its own. */
export function levelErrorCode(e: unknown): string | undefined {
  return (e as { cause?: { code?: string } })?.cause?.code ?? (e as { code?: string })?.code;
}
