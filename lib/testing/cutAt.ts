/**
 * Cutting rows into micro-batches at given positions, deterministically.
 *
 * Invariant: the batches are consecutive and, concatenated, are exactly `events`; none is empty.
 */
import { ErrorCodes, WeirError } from '../errors';

/**
 * Splits `events` into consecutive batches, a new batch starting at each cut point (an index into `events`).
 * Points are taken in any order and repeats count once; points `<= 0` or `>= events.length` cut nothing.
 *
 * @throws WeirError `INVALID_ARGUMENT` when a point is not an integer.
 *
 * @example
 * ```ts
 * cutAt([1, 2, 3, 4, 5], [3, 1]);  // [[1], [2, 3], [4, 5]]
 * cutAt([1, 2, 3], [0, 3, 3]);     // [[1, 2, 3]]
 * cutAt([], [1]);                  // []
 * ```
 */
export function cutAt<T>(events: readonly T[], cutPoints: readonly number[]): T[][] {
  for (const point of cutPoints) {
    if (!Number.isSafeInteger(point)) {
      throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `cutAt: cut points must be integers, got ${String(point)}`, {
        context: { point },
      });
    }
  }
  if (events.length === 0) return [];
  const points = [...new Set(cutPoints.filter((p) => p > 0 && p < events.length))].sort((a, b) => a - b);
  const batches: T[][] = [];
  let from = 0;
  for (const point of [...points, events.length]) {
    batches.push(events.slice(from, point));
    from = point;
  }
  return batches;
}
