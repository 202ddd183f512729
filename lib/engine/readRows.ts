/**
 * The rows of one source range, as the engine reads them.
 *
 * Invariant: the same rows in the same order as `source.read(start, end)`; a source with the bulk form
 * (`readAll`) hands over its array without a per-row Observable delivery.
 */
import type { Offset, Row, Source } from '../contracts';
import { collectRows } from '../util/collectRows';

/** All rows of `(start, end]` of `source`. */
export async function readRows(source: Source<Row>, start: Offset, end: Offset): Promise<Row[]> {
  if (source.readAll) return (await source.readAll(start, end)) as Row[];
  return collectRows(source.read(start, end));
}
