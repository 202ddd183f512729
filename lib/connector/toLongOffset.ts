/**
 * Reads a `LongOffset` (Spark's offset made of one integer) back from the JSON the engine hands a source.
 *
 * Invariant: a value is accepted only if it is a safe integer >= `min` (or `null`, which means the source's
 * initial offset); anything else is an `INVALID_ARGUMENT` naming the source and the offset, never a NaN that
 * would silently select no rows.
 */
import type { Offset } from '../contracts';
import { ErrorCodes, WeirError } from '../errors';

/**
 * Returns `offset` as a number; `null` ("before everything") maps to `initial`.
 *
 * @example
 * ```ts
 * const startSeconds = toLongOffset(start, 'rate', 0, 0);
 * ```
 */
export function toLongOffset(offset: Offset, source: string, initial: number, min: number): number {
  if (offset === null) return initial;
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < min) {
    throw new WeirError(
      ErrorCodes.INVALID_ARGUMENT,
      `${source}: ${JSON.stringify(offset)} is not an offset of this source (an integer >= ${min})`,
      { context: { source, offset, hint: 'offsets come from this source: initialOffset() or latestOffset()' } },
    );
  }
  return offset;
}
