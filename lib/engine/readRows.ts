/**
 * The rows of one source range, as the engine reads them.
 *
 * Invariant: the same rows in the same order as `source.read(start, end)`; a source with the bulk form
 * (`readAll`) hands over its array without a per-row Observable delivery, and one with chunks (`readChunks`)
 * hands them over unproduced to a batch (see {@link readBatchInput}).
 */
import type { Offset, Row, RowChunks, Source } from '../contracts';
import { collectRows } from '../util/collectRows';

/** One source's rows for a batch: an array, or chunks produced when the batch's operators visit them. */
export type SourceRows = readonly Row[] | RowChunks;

/** All rows of `(start, end]` of `source`, as one array. */
export async function readRows(source: Source<Row>, start: Offset, end: Offset): Promise<Row[]> {
  if (source.readAll) return (await source.readAll(start, end)) as Row[];
  if (source.readChunks) {
    const rows: Row[] = [];
    (await source.readChunks(start, end)).forEachChunk((chunk) => {
      for (let i = 0; i < chunk.length; i += 1) rows.push(chunk[i]!);
    });
    return rows;
  }
  return collectRows(source.read(start, end));
}

/** The input of a batch from `source`: its chunks when it has them (rows made as they are visited), else its rows. */
export async function readBatchInput(source: Source<Row>, start: Offset, end: Offset): Promise<SourceRows> {
  if (source.readChunks) return new CountedChunks(await source.readChunks(start, end));
  return readRows(source, start, end);
}

/** True for chunked input. */
export function isRowChunks(rows: SourceRows): rows is RowChunks {
  return !Array.isArray(rows);
}

/** The number of rows of a batch input (for progress); chunks that were never visited whole are visited to count. */
export function inputRowCount(rows: SourceRows): number {
  if (!isRowChunks(rows)) return rows.length;
  return (rows instanceof CountedChunks ? rows : new CountedChunks(rows)).count();
}

/** Chunks that count their rows on the first complete visit. */
class CountedChunks implements RowChunks {
  private counted: number | undefined;

  constructor(private readonly chunks: RowChunks) {}

  forEachChunk(visit: (rows: readonly Row[]) => void): void {
    let n = 0;
    this.chunks.forEachChunk((rows) => {
      n += rows.length;
      visit(rows);
    });
    this.counted ??= n;
  }

  count(): number {
    if (this.counted === undefined) this.forEachChunk(() => undefined);
    return this.counted!;
  }
}
