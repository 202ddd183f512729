/**
 * A streaming source read once, as a batch (Spark's batch read of a format that also streams, such as
 * `spark.read.format("kafka")`: from the starting offsets to the ending ones).
 *
 * Invariant: open → initialOffset → (prepareForTriggerAvailableNow) → latestOffset(start, all) → rows of
 * (start, end] → stop. The source is stopped, and its metadata folder (a fresh temporary one: a batch read keeps
 * no checkpoint) removed, also when a step fails. Nothing is committed to the source.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Clock, Row, Source } from '../contracts';
import { SystemClock } from '../time/SystemClock';
import { readRows } from './readRows';

/** Every row `source` has available now, read in one pass. */
export async function readSourceOnce(source: Source<Row>, clock: Clock = new SystemClock()): Promise<Row[]> {
  const metadataPath = mkdtempSync(path.join(tmpdir(), 'weir-batch-read-'));
  try {
    await source.open({ metadataPath, sourceIndex: 0, clock, notifyDataAvailable: () => undefined });
    try {
      const start = await source.initialOffset();
      if (source.prepareForTriggerAvailableNow) await source.prepareForTriggerAvailableNow();
      const end = await source.latestOffset(start, { kind: 'all' });
      return await readRows(source, start, end);
    } finally {
      await source.stop();
    }
  } finally {
    rmSync(metadataPath, { recursive: true, force: true });
  }
}
