/**
 * Transient broker answers and how long each is retried. A group or transaction coordinator loads its partition
 * of `__consumer_offsets` / `__transaction_state` after a broker start, which on a loaded machine takes longer
 * than metadata settling: those are retried for Kafka's `default.api.timeout.ms` (60 s), the rest for ~10 s (so a
 * topic that does not exist still fails soon).
 */
export const TRANSIENT_RETRY_MS = new Map<string, number>([
  // kafkajs's names for Kafka's COORDINATOR_LOAD_IN_PROGRESS (14), COORDINATOR_NOT_AVAILABLE (15) and
  // NOT_COORDINATOR (16); the same codes answer for transaction coordinators.
  ['GROUP_LOAD_IN_PROGRESS', 60_000],
  ['GROUP_COORDINATOR_NOT_AVAILABLE', 60_000],
  ['NOT_COORDINATOR_FOR_GROUP', 60_000],
  ['UNKNOWN_TOPIC_OR_PARTITION', 10_000],
  ['LEADER_NOT_AVAILABLE', 10_000],
  ['NOT_LEADER_FOR_PARTITION', 10_000],
  ['REQUEST_TIMED_OUT', 10_000],
]);

/** Retries `f` on transient broker answers (see TRANSIENT_RETRY_MS), backing off up to 200 ms. */
export async function retryTransient<T>(f: () => Promise<T>): Promise<T> {
  const started = Date.now();
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await f();
    } catch (e) {
      const type = (e as { type?: string })?.type ?? (e as { originalError?: { type?: string } })?.originalError?.type;
      const budget = type === undefined ? undefined : TRANSIENT_RETRY_MS.get(type);
      if (budget === undefined || Date.now() - started >= budget) throw e;
      await new Promise((r) => setTimeout(r, Math.min(200, 20 * (attempt + 1))));
    }
  }
}
