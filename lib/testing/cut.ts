/**
 * Cutting rows into micro-batches by batch sizes, deterministically (the counterpart of the `microBatches`
 * arbitrary for hand-written cases).
 *
 * Invariant: the batches are consecutive and, concatenated, are exactly `events`; none is empty.
 */
import { ErrorCodes, WeirError } from '../errors';

/**
 * Splits `events` into consecutive batches of the given sizes; events left after the last size form one more
 * batch, and sizes past the end of `events` are ignored (so the last batch may be shorter than its size).
 *
 * @throws WeirError `INVALID_ARGUMENT` when a size is not a positive integer.
 *
 * @example
 * ```ts
 * cut([1, 2, 3, 4, 5], [2, 2]);    // [[1, 2], [3, 4], [5]]
 * cut([1, 2, 3], [1, 5, 5]);       // [[1], [2, 3]]
 * cut([], [3]);                    // []
 * ```
 */
export function cut<T>(events: readonly T[], sizes: readonly number[]): T[][] {
  for (const size of sizes) {
    if (!Number.isSafeInteger(size) || size < 1) {
      throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `cut: batch sizes must be positive integers, got ${String(size)}`, {
        context: { size },
      });
    }
  }
  const batches: T[][] = [];
  let from = 0;
  for (const size of sizes) {
    if (from >= events.length) break;
    batches.push(events.slice(from, from + size));
    from += size;
  }
  if (from < events.length) batches.push(events.slice(from));
  return batches;
}
