/**
 * The error of a checkpoint folder that disappeared under its running query.
 *
 * Invariant: it names the folder (`path`), what was found (`reason`) and what to do; the query's progress went with
 * the folder, so the message says that a restart on the same location starts the query anew.
 */
import { ErrorCodes, WeirError, type WeirErrorContext } from '../errors';

/**
 * CHECKPOINT_DELETED for the checkpoint at `root`; `reason` says what was found ("the folder was deleted",
 * "the folder was replaced by another one", "its metadata file was deleted", ...).
 */
export function checkpointDeleted(root: string, reason: string, context: WeirErrorContext = {}): WeirError {
  return new WeirError(
    ErrorCodes.CHECKPOINT_DELETED,
    `The checkpoint ${root} of this running query is gone: ${reason}. The query stopped instead of writing into a ` +
      `folder no restart would read. Restore the folder from a backup and restart the query, or restart it on a new ` +
      `(or the same, now empty) location, where it starts from its sources' starting offsets.`,
    { context: { ...context, path: root, reason } },
  );
}
