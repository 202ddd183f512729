/** The loop both streaming runners share: one addData per batch, processAllAvailable, read the table. */
import type { OutputMode, Row } from '../../contracts';
import type { StreamingQuery } from '../../query/StreamingQuery';
import type { MemoryStream } from '../../../connectors/memory/MemoryStream';
import type { StreamRun } from '../StreamRun';
import { watermarkOf } from './watermarkOf';

/**
 * Feeds `batches` (then `flush`, when non-empty) to `input` one at a time, waiting for the query after each, and
 * collects a StreamRun from `table()` (the sink's rows). Stops the query at the end, also on failure.
 */
export async function feedBatches<O>(
  query: StreamingQuery,
  input: MemoryStream<Row>,
  batches: ReadonlyArray<readonly Row[]>,
  flush: readonly Row[] | undefined,
  outputMode: OutputMode,
  table: () => O[] | Promise<O[]>,
): Promise<StreamRun<O>> {
  const flushed = flush !== undefined && flush.length > 0;
  const inputs = flushed ? [...batches, flush] : batches;
  const emitted: O[][] = [];
  const watermarksMs: Array<number | undefined> = [];
  try {
    let seen = 0;
    for (const batch of inputs) {
      input.addData([...batch]);
      await query.processAllAvailable();
      const rows = await table();
      if (outputMode === 'complete') emitted.push(rows);
      else emitted.push(rows.slice(seen));
      seen = rows.length;
      watermarksMs.push(watermarkOf(query));
    }
    return {
      outputMode,
      rows: await table(),
      emitted,
      watermarksMs,
      watermarkMs: watermarkOf(query),
      batchCount: inputs.length,
      flushed,
    };
  } finally {
    await query.stop();
  }
}
