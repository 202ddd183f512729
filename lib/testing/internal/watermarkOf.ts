/** The watermark a query's last micro-batch ran with, from its progress. */
import type { StreamingQuery } from '../../query/StreamingQuery';

/** Epoch ms, or `undefined` when the query has no watermark or ran no batch yet. */
export function watermarkOf(query: StreamingQuery): number | undefined {
  const text = query.lastProgress?.eventTime.watermark;
  return text === undefined ? undefined : Date.parse(text);
}
