/**
 * How much of the available data the next Kafka batch admits (Spark's `KafkaMicroBatchStream.latestOffset` with a
 * `ReadLimit`: `rateLimit` for `maxOffsetsPerTrigger`, the `minOffsetsPerTrigger` + `maxTriggerDelay` wait).
 *
 * Invariant: pure functions of their arguments; the caller keeps the time of the last batch that moved.
 */
import type { ReadLimit } from '../../../lib/contracts';

/**
 * Spark's `KafkaMicroBatchStream.rateLimit`: `limit` offsets split across partitions in proportion to their
 * backlog; a partition whose share is below 1 still gets 1 (ceil), others floor. Exported for tests.
 *
 * @example
 * ```ts
 * rateLimit(8, new Map([['a', 0], ['b', 0]]), new Map([['a', 30], ['b', 10]])); // → a: 6, b: 2
 * ```
 */
export function rateLimit(
  limit: number,
  from: ReadonlyMap<string, number>,
  until: ReadonlyMap<string, number>,
): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const [k, end] of until) {
    const begin = from.get(k);
    if (begin !== undefined && end - begin > 0) sizes.set(k, end - begin);
  }
  let total = 0;
  for (const s of sizes.values()) total += s;
  if (total < 1) return new Map(until);
  const out = new Map<string, number>();
  for (const [k, end] of until) {
    const size = sizes.get(k);
    if (size === undefined) {
      out.set(k, end);
      continue;
    }
    const begin = from.get(k)!;
    const prorate = limit * (size / total);
    const prorateLong = prorate < 1 ? Math.ceil(prorate) : Math.floor(prorate);
    out.set(k, Math.min(end, begin + prorateLong));
  }
  return out;
}

/** What {@link admit} needs besides the offsets. */
export interface AdmissionState {
  readonly nowMs: number;
  /** When the last batch that moved an offset was admitted (0 = never: the first batch never waits). */
  readonly lastTriggerMs: number;
  /** Trigger.AvailableNow keeps `maxRows` (several batches up to the fixed end) and drops the `minRows` wait. */
  readonly availableNow: boolean;
}

/**
 * Per partition (tpKey), the end of the next batch from `from` towards `until` under `limit`, or `'wait'` when
 * `minRows` holds the batch back (fewer new records than it asks, and less than `maxDelayMs` since the last batch).
 */
export function admit(
  limit: ReadLimit,
  from: ReadonlyMap<string, number>,
  until: ReadonlyMap<string, number>,
  state: AdmissionState,
): Map<string, number> | 'wait' {
  const limits = limit.kind === 'composite' ? limit.limits : [limit];
  const min = limits.find((l) => l.kind === 'minRows') as Extract<ReadLimit, { kind: 'minRows' }> | undefined;
  const max = limits.find((l) => l.kind === 'maxRows') as Extract<ReadLimit, { kind: 'maxRows' }> | undefined;
  if (min && !state.availableNow) {
    let newRecords = 0;
    for (const [k, end] of until) newRecords += Math.max(0, end - from.get(k)!);
    if (state.nowMs - state.lastTriggerMs < min.maxDelayMs && newRecords < min.minRows) return 'wait';
  }
  return max ? rateLimit(max.maxRows, from, until) : new Map(until);
}
