/**
 * The errors of the state stores, built in one place.
 *
 * Invariant: every state-store failure is a `WeirError` carrying `operatorId` (and `batchId` where there is one)
 * as context fields, with the codes STATE_VERSION_MISMATCH, STATE_STORE_CLOSED and STATE_STORE_IO.
 */
import { ErrorCodes, WeirError } from '../errors';

/**
 * Opening an operator's state for `batchId` when the last committed version is neither `batchId - 1` (the normal
 * case) nor `batchId` with its undo at hand (a re-run, rolled back). No crash produces this: state and checkpoint
 * disagree.
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

/** A LevelDB operation failed (disk full, I/O error): retrying the batch may succeed. */
export function stateStoreIo(
  operation: string,
  cause: unknown,
  context: { operatorId?: string; batchId?: number; path?: string },
): WeirError {
  return new WeirError(ErrorCodes.STATE_STORE_IO, `State store ${operation} failed: ${(cause as Error)?.message ?? String(cause)}`, {
    context: { ...context, operation },
    cause,
    retriable: true,
  });
}

/** The state on disk cannot be parsed or contradicts itself (a missing undo record, say). */
export function stateCorrupt(
  message: string,
  context: { operatorId?: string; batchId?: number; path?: string },
  cause?: unknown,
): WeirError {
  return new WeirError(ErrorCodes.CHECKPOINT_CORRUPT, message, { context, cause });
}
