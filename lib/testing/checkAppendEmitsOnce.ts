/**
 * "Append emits once": in append mode a result row is final, so no row (or no key) reaches the sink twice
 * across batches, and a window is emitted only once the watermark passed its end.
 */
import type { Row } from '../contracts';
import { ErrorCodes, WeirError } from '../errors';
import { rowKey } from './internal/rowKey';
import { showRow } from './internal/showRow';
import type { StreamRun } from './StreamRun';

/** Options of {@link checkAppendEmitsOnce}. */
export interface AppendEmitsOnceOptions {
  /**
   * Columns identifying a result row (e.g. `['window', 'key']`): the same key emitted twice fails even when the
   * two rows differ (a count emitted early, then again). Default: the whole row.
   */
  readonly keys?: readonly string[];
  /**
   * Rows with this column (a `{ start, end }` struct) must be emitted in a batch whose watermark is at or past
   * the window's end. Default `'window'`; rows without it are not checked for this.
   */
  readonly windowColumn?: string;
}

/**
 * Throws, naming the row and the batches, when the run's sink received a row (or a key) twice, or a window
 * before the watermark passed its end. The run of an update-mode query fails it as soon as a key changes in two
 * batches, as it should.
 *
 * @throws WeirError `INVALID_ARGUMENT` for a complete-mode run (its table is replaced each batch).
 *
 * @example
 * ```ts
 * const run = await runStream(query, batches, { schema, outputMode: 'append' });
 * checkAppendEmitsOnce(run, { keys: ['window', 'key'] });
 * ```
 */
export function checkAppendEmitsOnce<O extends Row>(run: StreamRun<O>, options: AppendEmitsOnceOptions = {}): void {
  if (run.outputMode === 'complete') {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, 'checkAppendEmitsOnce: a complete-mode run re-emits its whole result every batch; run in append mode', {
      context: { outputMode: run.outputMode },
    });
  }
  const { keys, windowColumn = 'window' } = options;
  const firstSeen = new Map<string, number>();
  run.emitted.forEach((rows, batch) => {
    const watermark = run.watermarksMs[batch];
    for (const row of rows) {
      const key = rowKey(keys === undefined ? row : keys.map((k) => row[k]));
      const first = firstSeen.get(key);
      if (first !== undefined) {
        throw new Error(
          `Append emits once: ${keys === undefined ? 'the row' : `the key (${keys.join(', ')}) of`} ${showRow(row)} ` +
            `was emitted in batch ${first} and again in batch ${batch} of ${run.emitted.length} (${run.outputMode} mode)`,
        );
      }
      firstSeen.set(key, batch);
      const end = (row[windowColumn] as { end?: unknown } | null | undefined)?.end;
      if (watermark !== undefined && end instanceof Date && end.getTime() > watermark) {
        throw new Error(
          `Append emits once: ${showRow(row)} was emitted in batch ${batch} before the watermark passed its window's end ` +
            `(watermark ${new Date(watermark).toISOString()}, end ${end.toISOString()})`,
        );
      }
    }
  });
}
