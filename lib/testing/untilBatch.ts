/**
 * Waiting for a query to reach a batch: for sources with no end to wait for (rate, rate-micro-batch), where
 * `processAllAvailable()` would never return.
 */
import type { StreamingQuery } from '../query/StreamingQuery';

/**
 * Resolves once `query` reported progress for batch `batchId` (polling every `pollMs`); rejects with the query's
 * exception if it fails first.
 *
 * @example
 * await untilBatch(query, 9); // ten batches of a rate-micro-batch query ran
 */
export function untilBatch(query: StreamingQuery, batchId: number, pollMs = 5): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (query.exception) {
        clearInterval(timer);
        reject(query.exception);
      } else if ((query.lastProgress?.batchId ?? -1) >= batchId) {
        clearInterval(timer);
        resolve();
      }
    }, pollMs);
  });
}
