/** A row as one line of a failure message. */
import { inspect } from 'node:util';

/** One line per row: JSON-like, Dates as ISO strings, nested values in full. */
export function showRow(row: unknown): string {
  return inspect(row, { depth: Infinity, breakLength: Infinity, compact: true });
}
