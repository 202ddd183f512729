/**
 * Trigger.AvailableNow for every source.
 *
 * Invariant: after `wrapForAvailableNow`, a source never admits data past what was available when the query
 * started. Sources with `prepareForTriggerAvailableNow` honour their read limits (many batches); the rest are
 * capped at their latest offset under no limit, so they finish in one batch (Spark's fallback wrapper).
 */
import type { Offset, ReadLimit, Row, Source } from '../contracts';
import { jsonEqual } from '../util/jsonEqual';

/** Prepares `source` for AvailableNow; `start` is where the query resumes. */
export async function wrapForAvailableNow(source: Source<Row>, start: Offset): Promise<Source<Row>> {
  if (source.prepareForTriggerAvailableNow) {
    await source.prepareForTriggerAvailableNow();
    return source;
  }
  const cap = await source.latestOffset(start, { kind: 'all' });
  return {
    description: source.description,
    open: (context) => source.open(context),
    initialOffset: () => source.initialOffset(),
    latestOffset: async (from: Offset, _limit: ReadLimit): Promise<Offset> => (jsonEqual(from, cap) ? from : cap),
    read: (from, to) => source.read(from, to),
    ...(source.readAll ? { readAll: (from: Offset, to: Offset) => source.readAll!(from, to) } : {}),
    ...(source.readChunks ? { readChunks: (from: Offset, to: Offset) => source.readChunks!(from, to) } : {}),
    commit: (end) => source.commit(end),
    stop: () => source.stop(),
    ...(source.metrics ? { metrics: (o: Offset) => source.metrics!(o) } : {}),
  };
}
