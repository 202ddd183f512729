/**
 * A fast-check arbitrary cutting events into micro-batches: any cutting of the input is a valid run of a
 * streaming query, and a split-invariant query gives the same final result for each.
 *
 * Invariant: every generated cutting is consecutive, non-empty batches that concatenate to the events, and
 * holds at most `maxBatches` batches; it shrinks towards fewer batches (one batch is the batch query).
 */
import type { Arbitrary } from 'fast-check';
import { cutAt } from './cutAt';
import { loadFastCheck } from './internal/loadFastCheck';
import { maxBatchesOf } from './internal/maxBatchesOf';

/** Options of {@link microBatches} and `batchedEvents`. */
export interface MicroBatchesOptions {
  /** The most batches a cutting has. Default 10. */
  readonly maxBatches?: number;
}

/**
 * An arbitrary of the cuttings of `events` into consecutive, non-empty micro-batches (`[]` for no events).
 *
 * @throws WeirError `INVALID_ARGUMENT` for an invalid `maxBatches`, or when fast-check is not installed.
 *
 * @example
 * ```ts
 * fc.sample(microBatches([1, 2, 3, 4]), 3); // e.g. [[[1, 2, 3, 4]], [[1], [2, 3], [4]], [[1, 2], [3, 4]]]
 * ```
 */
export function microBatches<T>(events: readonly T[], options: MicroBatchesOptions = {}): Arbitrary<T[][]> {
  const fc = loadFastCheck('microBatches');
  const max = maxBatchesOf('microBatches', options);
  const n = events.length;
  if (n < 2 || max === 1) return fc.constant(null).map(() => cutAt(events, []));
  return fc.uniqueArray(fc.integer({ min: 1, max: n - 1 }), { maxLength: Math.min(n - 1, max - 1) }).map((points) => cutAt(events, points));
}
