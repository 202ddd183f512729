/**
 * The error codes of the expression layer, to be merged into `lib/errors.ts`'s closed catalogue.
 *
 * Invariant: every error the expression layer raises is a `WeirError` whose `code` is one of `ExprErrorCodes`
 * or an existing catalogue code (`INVALID_ARGUMENT`, `UNSUPPORTED_OPERATION`), and whose message starts with the
 * Spark error class in brackets (`[PARSE_SYNTAX_ERROR] ...`) where Spark has one. Context (position, column
 * name, function name) is on `error.context`, never only in the message.
 */
import { WeirError, type ErrorCode, type WeirErrorContext } from '../../errors';

/** Codes this layer needs beyond `ErrorCodes` (until they are merged into `lib/errors.ts`). */
export const ExprErrorCodes = {
  /** A SQL expression or data type string does not parse (Spark's `ParseException`, `PARSE_SYNTAX_ERROR`). */
  PARSE_ERROR: 'PARSE_ERROR',
  /** A column name does not resolve against the input schema (Spark's `UNRESOLVED_COLUMN`). */
  UNRESOLVED_COLUMN: 'UNRESOLVED_COLUMN',
  /** A column name matches several input columns (Spark's `AMBIGUOUS_REFERENCE`). */
  AMBIGUOUS_REFERENCE: 'AMBIGUOUS_REFERENCE',
  /** A function name is not a known function (Spark's `UNRESOLVED_ROUTINE`). */
  UNRESOLVED_ROUTINE: 'UNRESOLVED_ROUTINE',
  /** A function got the wrong number of arguments (Spark's `WRONG_NUM_ARGS`). */
  WRONG_NUM_ARGS: 'WRONG_NUM_ARGS',
  /** Argument or operand types do not fit the operator or function (Spark's `DATATYPE_MISMATCH`). */
  DATATYPE_MISMATCH: 'DATATYPE_MISMATCH',
} as const;

/** One of the expression layer's own codes. */
export type ExprErrorCode = (typeof ExprErrorCodes)[keyof typeof ExprErrorCodes];

/**
 * A `WeirError` with one of this layer's codes or a catalogue code. The cast is the only place that knows the
 * expression codes are not in the catalogue yet; it goes away when they are merged.
 */
export function exprError(
  code: ExprErrorCode | ErrorCode,
  message: string,
  context: WeirErrorContext = {},
  cause?: unknown,
): WeirError {
  return new WeirError(code as ErrorCode, message, cause === undefined ? { context } : { context, cause });
}
