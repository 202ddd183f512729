/**
 * A fast-check arbitrary of events and a cutting of them into micro-batches, for split-invariance properties.
 *
 * Invariant: the batches are consecutive, non-empty, at most `maxBatches`, and concatenate to the events.
 */
import type { Arbitrary } from 'fast-check';
import { cutAt } from './cutAt';
import { loadFastCheck } from './internal/loadFastCheck';
import { maxBatchesOf } from './internal/maxBatchesOf';
import type { MicroBatchesOptions } from './microBatches';

/**
 * An arbitrary of events together with a cutting of them into micro-batches. The events and the cut points
 * shrink independently (no `chain`), so a failure shrinks to few events and few batches.
 *
 * @throws WeirError `INVALID_ARGUMENT` for an invalid `maxBatches`, or when fast-check is not installed.
 *
 * @example
 * ```ts
 * fc.asyncProperty(batchedEvents(keyedEvents({ lateness: 5_000 })), async ({ events, batches }) => { ... });
 * ```
 */
export function batchedEvents<T>(
  events: Arbitrary<T[]>,
  options: MicroBatchesOptions = {},
): Arbitrary<{ events: T[]; batches: T[][] }> {
  const fc = loadFastCheck('batchedEvents');
  const max = maxBatchesOf('batchedEvents', options);
  return fc.tuple(events, fc.array(fc.nat(), { maxLength: max - 1 })).map(([evs, picks]) => ({
    events: evs,
    // A pick p cuts before event 1 + p mod (n - 1): always inside the array, so each pick cuts (repeats merge).
    batches: cutAt(evs, evs.length < 2 ? [] : picks.map((p) => 1 + (p % (evs.length - 1)))),
  }));
}
