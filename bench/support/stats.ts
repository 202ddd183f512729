/** Helpers the benchmarks share. */
import type { StreamingQuery } from '../../lib/query/StreamingQuery';

/** The median of `xs` (the mean of the two middle values for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** Resolves once `query` reported progress for batch `batchId`; rejects with the query's exception. */
export function untilBatch(query: StreamingQuery, batchId: number, pollMs: number): Promise<void> {
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
