/**
 * The `csv` file format (Spark's CSV data source): options `sep` (`delimiter`), `header`, `quote`, `escape`,
 * `comment`, `nullValue`, `emptyValue`, `nanValue`, `positiveInf`, `negativeInf`, `ignoreLeadingWhiteSpace`,
 * `ignoreTrailingWhiteSpace`, `lineSep`, `encoding` (`charset`), `quoteAll`, `escapeQuotes` (write),
 * `charToEscapeQuoteEscaping` (write; on read only its default), `maxColumns`, `maxCharsPerColumn` (read),
 * `timestampFormat`, `dateFormat`, `inferSchema`, `mode`, `columnNameOfCorruptRecord`.
 * Parsing is csv-parse's; writing follows Spark's (univocity's) quoting rules.
 *
 * Invariant: tokens map to the schema's fields by position (Spark's `enforceSchema`), the corrupt-record column
 * excluded; a record with another number of tokens, a token that does not convert, or a syntax error (an
 * unclosed quote) is malformed and goes to the parse mode; an unquoted empty token is null and a quoted one is
 * `emptyValue`, then a token equal to `nullValue` is null (univocity's and Spark's order); `write` then `read` with
 * the same options and schema gives the rows back (strings keep inner whitespace; Spark trims leading and
 * trailing whitespace on write unless told not to).
 */
import type * as CsvParse from 'csv-parse/sync';
import type { Row } from '../contracts';
import { ErrorCodes, WeirError } from '../errors';
import { DataType, StringType, StructField, StructType } from '../values/types';
import { charsetOf, decodeText, encodeText, type Charset } from './charset';
import { BadValue, csvToValue, valueToText, type ConversionOptions } from './convertValue';
import type { FileFormat, FormatReadContext } from './FileFormat';
import type { FormatOptions } from './FormatOptions';
import { conversionOptionsOf } from './jsonFormat';
import { compileTimestampFormat, DEFAULT_DATE_FORMAT, DEFAULT_TIMESTAMP_WRITE_FORMAT } from './timestampFormat';
import { inferTokenType, mergeTokenTypes } from './inferTokenType';

interface CsvSettings {
  readonly sep: string;
  readonly quote: string;
  readonly escape: string;
  /** `\u0000` = no comments (Spark's default). */
  readonly comment: string;
  readonly header: boolean;
  readonly nullValue: string;
  /** What a quoted empty token reads as / what an empty string is written as. */
  readonly emptyValue: string;
  readonly ignoreLeadingWhiteSpace: boolean;
  readonly ignoreTrailingWhiteSpace: boolean;
  /** undefined = any of `\r`, `\r\n`, `\n` on read; `\n` on write. */
  readonly lineSep: string | undefined;
  readonly charset: Charset;
  /** Write every non-null value in quotes (Spark's `quoteAll`, write only). */
  readonly quoteAll: boolean;
  /** Write values containing the quote character in quotes (Spark's `escapeQuotes`, write only); else only those starting with it. */
  readonly escapeQuotes: boolean;
  /** What escapes the escape character inside quotes; `\u0000` = nothing (Spark's `charToEscapeQuoteEscaping`). */
  readonly charToEscapeQuoteEscaping: string;
  /** Most tokens in a record (Spark's `maxColumns`, read only). */
  readonly maxColumns: number;
  /** Most characters in a token, -1 = no limit (Spark's `maxCharsPerColumn`, read only). */
  readonly maxCharsPerColumn: number;
}

/** Spark's CSVOptions.lineSeparator checks. */
function lineSepOf(options: FormatOptions): string | undefined {
  const sep = options.get('lineSep');
  if (sep === undefined) return undefined;
  const fail = (why: string) =>
    new WeirError(ErrorCodes.INVALID_ARGUMENT, `requirement failed: 'lineSep' ${why}.`, { context: { option: 'lineSep', value: sep } });
  if (sep === '') throw fail('cannot be an empty string');
  // Spark allows two characters (for CRLF), though it documents one.
  if (sep.length > 2) throw fail('can contain only 1 character');
  return sep;
}

/** The settings of a read (`write` false) or a write: the whitespace and empty-value defaults differ, as in Spark. */
function settingsOf(options: FormatOptions, write: boolean): CsvSettings {
  const quote = options.char('quote', '"');
  const escape = options.char('escape', '\\');
  // Spark's default: the escape character when it differs from the quote character, else none.
  const charToEscapeQuoteEscaping = options.char('charToEscapeQuoteEscaping', escape !== quote ? escape : '\u0000');
  if (!write && charToEscapeQuoteEscaping !== escape && charToEscapeQuoteEscaping !== '\u0000') {
    throw new WeirError(
      ErrorCodes.INVALID_ARGUMENT,
      `Reading CSV with charToEscapeQuoteEscaping '${charToEscapeQuoteEscaping}' other than the escape character ` +
        `'${escape}' is not supported by weir (writing is)`,
      { context: { option: 'charToEscapeQuoteEscaping', value: charToEscapeQuoteEscaping } },
    );
  }
  return {
    sep: options.has('sep') ? options.char('sep', ',') : options.char('delimiter', ','),
    quote,
    escape,
    // On write, univocity's own default '#' stays when the option is absent (Spark 4.0.1 quotes a first value
    // starting with '#').
    comment: options.char('comment', write ? '#' : '\u0000'),
    header: options.boolean('header', false),
    nullValue: options.string('nullValue', ''),
    // Spark writes `""` whatever the quote character; weir writes two quote characters, which read back as empty.
    emptyValue: options.string('emptyValue', write ? `${quote}${quote}` : ''),
    ignoreLeadingWhiteSpace: options.boolean('ignoreLeadingWhiteSpace', write),
    ignoreTrailingWhiteSpace: options.boolean('ignoreTrailingWhiteSpace', write),
    lineSep: lineSepOf(options),
    charset: charsetOf(options),
    quoteAll: write && options.boolean('quoteAll', false),
    escapeQuotes: options.boolean('escapeQuotes', true),
    charToEscapeQuoteEscaping,
    maxColumns: limitOption(options, 'maxColumns', 20480),
    maxCharsPerColumn: limitOption(options, 'maxCharsPerColumn', -1, true),
  };
}

/** A positive integer option (`fallback` when absent); with `unlimited`, -1 too (no limit). */
function limitOption(options: FormatOptions, key: string, fallback: number, unlimited = false): number {
  if (unlimited && options.get(key)?.trim() === '-1') return -1;
  const n = options.integer(key) ?? fallback;
  if (n === 0) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `Invalid value '0' for option '${key}', must be a positive integer`, {
      context: { option: key, value: '0' },
    });
  }
  return n;
}

/**
 * Spark fails the whole read (FAILED_READ_FILE, from univocity's TextParsingException) in every parse mode when a
 * record passes `maxColumns` or a token `maxCharsPerColumn`: they are limits, not malformed records.
 */
function checkLimits(tokens: readonly Token[], s: CsvSettings, path: string, line: number): void {
  if (tokens.length > s.maxColumns) {
    throw new WeirError(
      ErrorCodes.MALFORMED_RECORD,
      `[FAILED_READ_FILE.NO_HINT] Encountered error while reading file ${path}: the record at line ${line} has ` +
        `${tokens.length} columns, more than maxColumns (${s.maxColumns})`,
      { context: { path, line, option: 'maxColumns', limit: s.maxColumns } },
    );
  }
  if (s.maxCharsPerColumn < 0) return;
  for (const token of tokens) {
    if (token !== null && token.length > s.maxCharsPerColumn) {
      throw new WeirError(
        ErrorCodes.MALFORMED_RECORD,
        `[FAILED_READ_FILE.NO_HINT] Encountered error while reading file ${path}: Length of parsed input ` +
          `(${token.length}) at line ${line} exceeds the maximum number of characters defined in your parser ` +
          `settings (${s.maxCharsPerColumn}) (maxCharsPerColumn)`,
        { context: { path, line, option: 'maxCharsPerColumn', limit: s.maxCharsPerColumn } },
      );
    }
  }
}

/** Spark's `nanValue`, `positiveInf`, `negativeInf` (read by FLOAT and DOUBLE fields). */
function nonNumberTokensOf(options: FormatOptions): Pick<ConversionOptions, 'nanValue' | 'positiveInf' | 'negativeInf'> {
  return {
    nanValue: options.string('nanValue', 'NaN'),
    positiveInf: options.string('positiveInf', 'Inf'),
    negativeInf: options.string('negativeInf', '-Inf'),
  };
}

/** A token: its text, or null for an unquoted empty field (univocity's null). */
type Token = string | null;

interface Record_ {
  tokens: Token[];
  line: number;
  raw: string;
}

/** The records of a CSV file, syntax errors reported as `malformed` entries. */
function records(bytes: Buffer, s: CsvSettings): Array<Record_ | { malformed: string; line: number; reason: string }> {
  const out: Array<Record_ | { malformed: string; line: number; reason: string }> = [];
  const text = decodeText(bytes, s.charset);
  // csv-parse loads on the first CSV read, not when weir is imported.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy load, see above
  const { parse } = require('csv-parse/sync') as typeof CsvParse;
  const parsed = parse(text, {
    delimiter: s.sep,
    quote: s.quote === '\u0000' ? false : s.quote,
    escape: s.escape,
    ...(s.comment !== '\u0000' ? { comment: s.comment, comment_no_infix: true } : {}),
    ...(s.lineSep !== undefined ? { record_delimiter: s.lineSep } : {}),
    ltrim: s.ignoreLeadingWhiteSpace,
    rtrim: s.ignoreTrailingWhiteSpace,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    info: true,
    raw: true,
    // Unquoted empty fields are null, quoted ones the empty value (univocity's nullValue / emptyValue).
    cast: (value: string, context: { quoting: boolean }) => (value === '' ? (context.quoting ? s.emptyValue : null) : value),
    skip_records_with_error: true,
    on_skip: (err: Error & { lines?: number } | undefined, chunk?: string) => {
      out.push({ malformed: chunk ?? '', line: err?.lines ?? 0, reason: err?.message ?? 'CSV syntax error' });
    },
  }) as unknown as Array<{ record: Token[]; info: { lines: number }; raw: string }>;
  for (const r of parsed) {
    let raw = r.raw;
    if (s.lineSep !== undefined && raw.endsWith(s.lineSep)) raw = raw.slice(0, -s.lineSep.length);
    else raw = raw.replace(/\r?\n$/, '');
    out.push({ tokens: r.record, line: r.info.lines, raw });
  }
  return out.sort((a, b) => a.line - b.line);
}

/** Java's `String.trim` at the start: characters <= U+0020 (univocity's whitespace). */
function trimStart(v: string): string {
  let start = 0;
  while (start < v.length && v.charCodeAt(start) <= 0x20) start++;
  return v.slice(start);
}

/** Java's `String.trim` at the end. */
function trimEnd(v: string): string {
  let end = v.length;
  while (end > 0 && v.charCodeAt(end - 1) <= 0x20) end--;
  return v.slice(0, end);
}

/** Univocity's rules as Spark configures its writer (checked against Spark 4.0.1's output). */
function needsQuotes(v: string, s: CsvSettings, first: boolean): boolean {
  return (
    v.includes(s.sep) ||
    (s.escapeQuotes ? v.includes(s.quote) : v.startsWith(s.quote)) ||
    v.includes('\n') ||
    v.includes('\r') ||
    (s.lineSep !== undefined && v.includes(s.lineSep)) ||
    // A first value starting with the comment character would read back as a comment line.
    (first && s.comment !== '\u0000' && v.startsWith(s.comment))
  );
}

function writeToken(v: string | null, s: CsvSettings, first: boolean): string {
  if (v === null) return s.nullValue;
  // Spark (univocity) trims leading and trailing whitespace on write by default (ignoreLeading/TrailingWhiteSpace).
  let t = v;
  if (s.ignoreLeadingWhiteSpace) t = trimStart(t);
  if (s.ignoreTrailingWhiteSpace) t = trimEnd(t);
  if (t === '') return s.emptyValue;
  if (!s.quoteAll && !needsQuotes(t, s, first)) return t;
  // Inside quotes the escape character escapes the quote, and charToEscapeQuoteEscaping (by default the escape
  // character itself) the escape character. Outside quotes nothing is escaped.
  const escapeEscape = s.charToEscapeQuoteEscaping;
  let out = s.quote;
  for (const c of t) {
    if (c === s.quote) out += `${s.escape}${c}`;
    else if (c === s.escape && escapeEscape !== '\u0000') out += `${escapeEscape}${c}`;
    else out += c;
  }
  return `${out}${s.quote}`;
}

/** The CSV format. */
export const csvFormat: FileFormat = {
  name: 'csv',
  extension: () => '.csv',

  readsSynchronously: true,
  read(bytes: Buffer, context: FormatReadContext): Row[] {
    const s = settingsOf(context.options, false);
    const conversion: ConversionOptions = { ...conversionOptionsOf(context.options), ...nonNumberTokensOf(context.options) };
    const corrupt = context.malformed.corruptColumn;
    const dataFields = context.schema.fields.filter((f) => f.name !== corrupt);
    const out: Row[] = [];
    let first = true;
    for (const r of records(bytes, s)) {
      const where = { path: context.path, line: r.line };
      if ('malformed' in r) {
        const kept = context.malformed.malformed(undefined, r.malformed, where, r.reason);
        if (kept) out.push(kept);
        continue;
      }
      checkLimits(r.tokens, s, context.path, r.line);
      if (first && s.header) {
        first = false;
        continue;
      }
      first = false;
      const row: Row = {};
      let failure: string | undefined;
      dataFields.forEach((f, i) => {
        const token = r.tokens[i];
        if (token === undefined || token === null || token === s.nullValue) {
          row[f.name] = null;
          return;
        }
        try {
          row[f.name] = csvToValue(token, f.dataType, f.name, conversion);
        } catch (e) {
          if (!(e instanceof BadValue)) throw e;
          row[f.name] = null;
          failure ??= e.message;
        }
      });
      if (failure === undefined && r.tokens.length !== dataFields.length) {
        failure = `${r.tokens.length} tokens for ${dataFields.length} columns`;
      }
      if (failure !== undefined) {
        const kept = context.malformed.malformed(row, r.raw, where, failure);
        if (kept) out.push(kept);
        continue;
      }
      if (corrupt !== undefined) row[corrupt] = null;
      out.push(row);
    }
    return out;
  },

  write(rows: readonly Row[], schema: StructType, options: FormatOptions): Uint8Array {
    const s = settingsOf(options, true);
    const conversion: ConversionOptions = {
      timestampFormat: compileTimestampFormat(options.get('timestampFormat') ?? DEFAULT_TIMESTAMP_WRITE_FORMAT),
      dateFormat: compileTimestampFormat(options.get('dateFormat') ?? DEFAULT_DATE_FORMAT),
    };
    const fields = schema.fields;
    const eol = s.lineSep ?? '\n';
    let out = '';
    if (s.header) out += `${fields.map((f, i) => writeToken(f.name, s, i === 0)).join(s.sep)}${eol}`;
    for (const row of rows) {
      out += `${fields.map((f, i) => writeToken(valueToText(row[f.name], f.dataType, conversion), s, i === 0)).join(s.sep)}${eol}`;
    }
    return encodeText(out, s.charset);
  },

  inferSchema(files, options): StructType {
    const s = settingsOf(options, false);
    const infer = options.boolean('inferSchema', false);
    let names: string[] | undefined;
    let types: DataType[] = [];
    for (const file of files) {
      let first = true;
      for (const r of records(file.bytes, s)) {
        if ('malformed' in r) continue;
        checkLimits(r.tokens, s, file.path, r.line);
        if (first && s.header) {
          names ??= r.tokens.map((t, i) => t ?? `_c${i}`);
          first = false;
          continue;
        }
        first = false;
        r.tokens.forEach((t, i) => {
          const type = !infer ? new StringType() : t === null || t === s.nullValue ? undefined : inferTokenType(t);
          if (type !== undefined) types[i] = types[i] === undefined ? type : mergeTokenTypes(types[i] as DataType, type);
        });
        if (names === undefined) names = r.tokens.map((_, i) => `_c${i}`);
      }
    }
    names ??= [];
    types = names.map((_, i) => types[i] ?? new StringType());
    return new StructType(names.map((n, i) => new StructField(n, types[i] as DataType, true)));
  },
};
