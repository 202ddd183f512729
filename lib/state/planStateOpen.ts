/**
 * The versioning rule of every state store, as a pure function.
 *
 * Invariant: a store opened for batch N shows version N-1. Committed version N-1 → open as is; committed version
 * N (batch N committed its state, then the process died before `commits/N`) → roll back exactly one version;
 * anything else → `stateVersionMismatch`. Version -1 means "nothing committed".
 */
import { ErrorCodes, WeirError } from '../errors';
import { stateVersionMismatch } from './stateErrors';

/** What opening for a batch requires: nothing, or rolling the committed version back by one. */
export type StateOpenPlan = 'current' | 'rollback';

/**
 * Decides how to open `operatorId` for `batchId` given its last committed version.
 *
 * @throws the {@link stateVersionMismatch} error when `committedVersion` is neither `batchId - 1` nor `batchId`.
 *
 * @example
 * ```ts
 * planStateOpen('agg', 5, 4); // 'current'
 * planStateOpen('agg', 5, 5); // 'rollback' (re-run of batch 5)
 * planStateOpen('agg', 5, 2); // throws
 * ```
 */
export function planStateOpen(operatorId: string, batchId: number, committedVersion: number): StateOpenPlan {
  if (committedVersion === batchId - 1) return 'current';
  if (committedVersion === batchId) return 'rollback';
  throw stateVersionMismatch(operatorId, batchId, committedVersion);
}

/** Rejects an empty operator id or a batch id that is not a non-negative safe integer. */
export function assertOpenArguments(operatorId: string, batchId: number): void {
  if (typeof operatorId !== 'string' || operatorId.length === 0) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, 'A state store needs a non-empty operator id', {
      context: { operatorId, batchId },
    });
  }
  if (!Number.isSafeInteger(batchId) || batchId < 0) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `Batch id ${batchId} is not a non-negative integer`, {
      context: { operatorId, batchId },
    });
  }
}
