/**
 * Spark's `Dataset.showString`: the `+---+` table that `df.show()` and the console sink print.
 *
 * Invariant: for the same rows and options the text is byte-for-byte what Spark prints for a DataFrame holding
 * those values (borders, header, padding by half-width, truncation, footer), and it never depends on anything
 * but its arguments (no ambient time zone, no locale).
 *
 * Where untyped JS rows cannot say what Spark's schema would, the choice is documented on {@link showString}.
 */
import type { Row } from '../../lib/contracts';
import { ErrorCodes, WeirError } from '../../lib/errors';

/**
 * Options of {@link showString}.
 *
 * @example
 * ```ts
 * const options: ShowStringOptions = { numRows: 5, truncate: false, timeZone: 'Europe/Paris' };
 * ```
 */
export interface ShowStringOptions {
  /** Rows to show (Spark's `numRows`, default 20). A non-negative integer. */
  readonly numRows?: number;
  /**
   * `true` (default) cuts cells longer than 20 characters to 17 + `...` and right-aligns cells; `false` shows
   * whole cells, left-aligned. A number `n > 0` cuts at `n` (Spark's `show(numRows, truncate: Int)`), `0` is
   * `false`.
   */
  readonly truncate?: boolean | number;
  /** IANA time zone `Date` values are printed in (Spark's session time zone), default `'UTC'`. */
  readonly timeZone?: string;
  /**
   * The columns, in order (a DataFrame passes its schema's field names). Without it the columns are the union of
   * the keys of the shown rows, in first-seen order.
   */
  readonly columns?: readonly string[] | null;
}

const MINIMUM_COL_WIDTH = 3;

/** Spark's `Utils.fullWidthRegex`: East Asian wide characters take two cells of a terminal. */
const FULL_WIDTH = /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE10-\uFE19\uFE30-\uFE6F\uFF00-\uFF60\uFFE0-\uFFE6]/g;

/**
 * Renders rows as Spark 4's `Dataset.showString(numRows, truncate)` does: the text `show()` prints, without the
 * final newline its `println` adds. Checked against Spark 4.0.1. Spark 3.x differed in two places: it printed
 * `null` where Spark 4 prints `NULL`, and it ended the `only showing top N rows` footer with a newline.
 *
 * Cell text follows Spark's `ToPrettyString`:
 * - `null` and `undefined` print `NULL`;
 * - strings as they are; `\n`, `\r`, `\t`, `\f`, `\b`, `\v`, `\a` are escaped (Spark's `escapeMetaCharacters`,
 *   also applied to column names);
 * - a `Date` is a TIMESTAMP: `yyyy-MM-dd HH:mm:ss` in `timeZone`, then `.` and the milliseconds without trailing
 *   zeros when they are not 0 (`.5`, `.12`, `.123`);
 * - booleans `true` / `false`; numbers and bigints with `String(n)`: rows are untyped, so a whole double prints
 *   `1` where Spark's DOUBLE prints `1.0`, and very large or small numbers use JS exponent notation (`1e+21`);
 * - `Uint8Array` / `Buffer` (BINARY) as upper-case hex bytes `[01 0A FF]`;
 * - arrays `[a, b]`, `Map`s `{k1 -> v1, k2 -> v2}`, plain objects (structs, e.g. a window
 *   `{ start, end }`) `{v1, v2}` (values only, like Spark), nested values formatted by the same rules;
 * - any other object with `String(value)`.
 *
 * Without `columns`, the columns are the union of the keys of the shown rows in first-seen order (of the first
 * row when `numRows` is 0); a missing key prints `NULL`. No rows and no `columns` prints the table of a frame
 * with no columns, `++\n||\n++\n++\n`: rows carry no schema to take column names from.
 *
 * Not matched: dates before the Gregorian switch (Spark prints them in the hybrid Julian calendar) or outside
 * years 0000-9999; Spark's `vertical` mode.
 *
 * @throws WeirError `INVALID_ARGUMENT` for a negative or fractional `numRows`, a negative `truncate`, an unknown
 * `timeZone` or `columns` that are not an array of strings.
 *
 * @example
 * ```ts
 * showString([{ value: 1, count: 2 }]);
 * // +-----+-----+
 * // |value|count|
 * // +-----+-----+
 * // |    1|    2|
 * // +-----+-----+
 * ```
 */
export function showString(rows: readonly Row[], options: ShowStringOptions = {}): string {
  const { numRows = 20, truncate = true, timeZone = 'UTC', columns = null } = options;
  validateNumRows(numRows);
  validateColumns(columns);
  const truncateAt = truncateWidth(truncate);
  const formatValue = cellFormatter(timeZone);

  const shown = rows.slice(0, numRows);
  const hasMoreData = rows.length > numRows;
  const fieldNames = columns === null ? columnsOf(rows.slice(0, Math.max(numRows, 1))) : [...columns];

  const header = fieldNames.map(escapeMetaCharacters);
  const body = shown.map((row) =>
    fieldNames.map((name) => {
      const text = escapeMetaCharacters(formatValue(row[name]));
      if (truncateAt > 0 && text.length > truncateAt) {
        // Spark shows no ellipsis when fewer than 4 characters are kept.
        return truncateAt < 4 ? text.substring(0, truncateAt) : `${text.substring(0, truncateAt - 3)}...`;
      }
      return text;
    }),
  );
  const table = [header, ...body];

  const colWidths = fieldNames.map(() => MINIMUM_COL_WIDTH);
  for (const line of table) {
    line.forEach((cell, i) => {
      colWidths[i] = Math.max(colWidths[i], stringHalfWidth(cell));
    });
  }
  const padded = table.map((line) =>
    line.map((cell, i) => {
      const width = colWidths[i] - stringHalfWidth(cell) + cell.length;
      return truncateAt > 0 ? cell.padStart(width) : cell.padEnd(width);
    }),
  );

  const sep = `+${colWidths.map((w) => '-'.repeat(w)).join('+')}+\n`;
  const renderLine = (cells: readonly string[]): string => `|${cells.join('|')}|\n`;
  let out = sep + renderLine(padded[0]) + sep;
  for (const line of padded.slice(1)) out += renderLine(line);
  out += sep;
  // Spark 4 ends the footer without a newline (3.x added one): `show()`'s println supplies it.
  if (hasMoreData) out += `only showing top ${numRows} ${numRows === 1 ? 'row' : 'rows'}`;
  return out;
}

function validateNumRows(numRows: number): void {
  if (!Number.isInteger(numRows) || numRows < 0) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `numRows must be a non-negative integer, got ${numRows}`, {
      context: { numRows },
    });
  }
}

function validateColumns(columns: readonly string[] | null): void {
  if (columns !== null && !(Array.isArray(columns) && columns.every((c) => typeof c === 'string'))) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, 'columns must be an array of column names', {
      context: { columns },
    });
  }
}

function truncateWidth(truncate: boolean | number): number {
  if (typeof truncate === 'boolean') return truncate ? 20 : 0;
  if (!Number.isInteger(truncate) || truncate < 0) {
    throw new WeirError(
      ErrorCodes.INVALID_ARGUMENT,
      `truncate must be a boolean or a non-negative integer, got ${String(truncate)}`,
      { context: { truncate } },
    );
  }
  return truncate;
}

/** The union of the rows' keys, in first-seen order. */
function columnsOf(rows: readonly Row[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) seen.add(key);
  return [...seen];
}

/** Spark's `Utils.stringHalfWidth`: the length in terminal cells. */
function stringHalfWidth(text: string): number {
  return text.length + (text.match(FULL_WIDTH)?.length ?? 0);
}

/** Spark's `SchemaUtils.escapeMetaCharacters`. */
function escapeMetaCharacters(text: string): string {
  return text
    .replaceAll('\n', '\\n')
    .replaceAll('\r', '\\r')
    .replaceAll('\t', '\\t')
    .replaceAll('\f', '\\f')
    .replaceAll('\b', '\\b') // in a string literal '\b' is the backspace
    .replaceAll('\v', '\\v')
    .replaceAll('\x07', '\\a');
}

/** A formatter of cell values for one time zone (the Intl formatter is built once per call). */
function cellFormatter(timeZone: string): (value: unknown) => string {
  const formatTimestamp = timestampFormatter(timeZone);
  const format = (value: unknown): string => {
    if (value === null || value === undefined) return 'NULL';
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
    if (value instanceof Date) return formatTimestamp(value);
    if (value instanceof Uint8Array) {
      return `[${Array.from(value, (b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ')}]`;
    }
    if (Array.isArray(value)) return `[${value.map((v) => format(v)).join(', ')}]`;
    if (value instanceof Map) {
      return `{${Array.from(value, ([k, v]) => `${format(k)} -> ${format(v)}`).join(', ')}}`;
    }
    if (isPlainObject(value)) return `{${Object.values(value).map((v) => format(v)).join(', ')}}`;
    return String(value);
  };
  return format;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** `yyyy-MM-dd HH:mm:ss[.fraction without trailing zeros]` in `timeZone` (Spark's FractionTimestampFormatter). */
function timestampFormatter(timeZone: string): (date: Date) => string {
  const fields = zonedFields(timeZone);
  return (date) => {
    const ms = date.getTime();
    if (Number.isNaN(ms)) return String(date);
    const f = fields(date);
    const millis = ((ms % 1000) + 1000) % 1000;
    const fraction = millis === 0 ? '' : `.${String(millis).padStart(3, '0').replace(/0+$/, '')}`;
    return (
      `${pad(f.year, 4)}-${pad(f.month, 2)}-${pad(f.day, 2)} ` +
      `${pad(f.hour, 2)}:${pad(f.minute, 2)}:${pad(f.second, 2)}${fraction}`
    );
  };
}

interface ZonedFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function zonedFields(timeZone: string): (date: Date) => ZonedFields {
  if (timeZone === 'UTC') {
    return (d) => ({
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
    });
  }
  let intl: Intl.DateTimeFormat;
  try {
    intl = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
  } catch (cause) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `Unknown time zone '${timeZone}'`, {
      context: { timeZone },
      cause,
    });
  }
  return (d) => {
    const parts: Record<string, string> = {};
    for (const part of intl.formatToParts(d)) parts[part.type] = part.value;
    const yearOfEra = Number(parts.year);
    return {
      // Intl gives the year of the era; proleptic years before 1 are 1 - yearOfEra.
      year: parts.era === 'BC' || parts.era === 'B' ? 1 - yearOfEra : yearOfEra,
      month: Number(parts.month),
      day: Number(parts.day),
      hour: Number(parts.hour),
      minute: Number(parts.minute),
      second: Number(parts.second),
    };
  };
}

function pad(n: number, width: number): string {
  return n < 0 ? `-${String(-n).padStart(width, '0')}` : String(n).padStart(width, '0');
}
