/**
 * How the expression layer raises errors.
 *
 * Invariant: every error the expression layer raises is a `WeirError` with a code of `lib/errors.ts`'s closed
 * catalogue (`PARSE_ERROR`, `UNRESOLVED_COLUMN`, `AMBIGUOUS_REFERENCE`, `UNRESOLVED_ROUTINE`, `WRONG_NUM_ARGS`,
 * `DATATYPE_MISMATCH`, `INVALID_ARGUMENT`, `UNSUPPORTED_OPERATION`, ...), and whose message starts with the Spark
 * error class in brackets (`[PARSE_SYNTAX_ERROR] ...`) where Spark has one. Context (position, column name,
 * function name) is on `error.context`, never only in the message.
 */
import { ErrorCodes, WeirError, type ErrorCode, type WeirErrorContext } from '../../errors';

/** The expression layer's codes: the catalogue's (kept as a name for the layer's existing imports). */
export const ExprErrorCodes = ErrorCodes;

/** A `WeirError` with a catalogue code, its context and an optional cause. */
export function exprError(code: ErrorCode, message: string, context: WeirErrorContext = {}, cause?: unknown): WeirError {
  return new WeirError(code, message, cause === undefined ? { context } : { context, cause });
}

/** A code the expression layer raises: any catalogue code. */
export type ExprErrorCode = ErrorCode;
