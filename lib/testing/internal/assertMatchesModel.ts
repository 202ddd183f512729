/** The comparison both split-invariance checks end with, and its failure message. */
import type { Row } from '../../contracts';
import type { StreamRun } from '../StreamRun';
import { diffRows } from './diffRows';
import { finalRows } from './finalRows';
import { showRow } from './showRow';

/** What the comparison needs besides the run and the model's rows. */
export interface ModelComparison {
  readonly check: string;
  /** The cut batches (sizes go into the message). */
  readonly batches: ReadonlyArray<readonly unknown[]>;
  readonly keys?: readonly string[];
  readonly windowColumn?: string;
  readonly normalize?: (row: Row) => unknown;
  /** Where the expected rows come from, for the message. */
  readonly model: string;
  /**
   * In append mode without a flush batch, expect only the model's windows that end by the final watermark.
   * Default true; false when the model is a streaming run that reached the same watermark.
   */
  readonly closedWindowsOnly?: boolean;
}

const SHOWN = 20;

function windowEnd(row: Row, column: string): number | undefined {
  const end = (row[column] as { end?: unknown } | null | undefined)?.end;
  return end instanceof Date ? end.getTime() : undefined;
}

function listing(title: string, rows: readonly unknown[]): string {
  if (rows.length === 0) return '';
  const shown = rows.slice(0, SHOWN).map(showRow);
  if (rows.length > SHOWN) shown.push(`... and ${rows.length - SHOWN} more`);
  return `\n== ${title} (${rows.length}) ==\n${shown.join('\n')}`;
}

/**
 * Throws unless the run's final rows equal `modelRows` as multisets (after `normalize`). In append mode without a
 * flush batch, only the model's windows that end by the run's final watermark are expected (append emits a
 * window once the watermark passed its end); rows without a window column are always expected.
 */
export function assertMatchesModel(run: StreamRun, modelRows: readonly Row[], c: ModelComparison): void {
  const windowColumn = c.windowColumn ?? 'window';
  const watermark = run.watermarkMs;
  const closedOnly = (c.closedWindowsOnly ?? true) && run.outputMode === 'append' && !run.flushed && watermark !== undefined;
  const expected = closedOnly ? modelRows.filter((r) => (windowEnd(r, windowColumn) ?? -Infinity) <= watermark) : modelRows;
  const actual = finalRows(run, c.keys, c.check);
  const normalize = c.normalize ?? ((r: Row) => r);
  const { missing, unexpected } = diffRows(actual.map(normalize), expected.map(normalize));
  if (missing.length === 0 && unexpected.length === 0) return;
  const sizes = c.batches.map((b) => b.length);
  const rows = sizes.reduce((a, b) => a + b, 0);
  const note = closedOnly
    ? `\n(append mode: expected are the model's rows whose ${windowColumn}.end <= the final watermark ${new Date(watermark).toISOString()}; pass flush rows to close every window)`
    : run.outputMode === 'append' && run.flushed && (c.closedWindowsOnly ?? true)
      ? `\n(append mode with a flush batch: every row of the model is expected; the final watermark is ${watermark === undefined ? 'none' : new Date(watermark).toISOString()})`
      : '';
  throw new Error(
    `${c.check}: streaming ${rows} rows in ${sizes.length} batches (sizes ${sizes.join(', ') || 'none'}) in ${run.outputMode} mode ` +
      `does not end with ${c.model}.${note}` +
      listing('Missing from the stream', missing) +
      listing('Unexpected in the stream', unexpected),
  );
}
