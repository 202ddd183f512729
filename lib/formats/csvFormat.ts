/**
 * The `csv` file format (Spark's CSV data source): options `sep` (`delimiter`), `header`, `quote`, `escape`,
 * `nullValue`, `timestampFormat`, `dateFormat`, `inferSchema`, `mode`, `columnNameOfCorruptRecord`. Parsing is
 * csv-parse's; writing follows Spark's (univocity's) quoting rules.
 *
 * Invariant: tokens map to the schema's fields by position (Spark's `enforceSchema`), the corrupt-record column
 * excluded; a record with another number of tokens, a token that does not convert, or a syntax error (an
 * unclosed quote) is malformed and goes to the parse mode; `write` then `read` with the same options and schema
 * gives the rows back (strings keep inner whitespace; Spark trims leading and trailing whitespace on write).
 */
import { parse } from 'csv-parse/sync';
import type { Row } from '../contracts';
import { DataType, StringType, StructField, StructType } from '../sql/types';
import { BadValue, csvToValue, valueToText, type ConversionOptions } from './convertValue';
import type { FileFormat, FormatReadContext } from './FileFormat';
import type { FormatOptions } from './FormatOptions';
import { conversionOptionsOf } from './jsonFormat';
import { stripBom } from './lines';
import { compileTimestampFormat, DEFAULT_DATE_FORMAT, DEFAULT_TIMESTAMP_WRITE_FORMAT } from './timestampFormat';
import { inferTokenType, mergeTokenTypes } from './inferTokenType';

interface CsvSettings {
  readonly sep: string;
  readonly quote: string;
  readonly escape: string;
  readonly header: boolean;
  readonly nullValue: string;
}

function settingsOf(options: FormatOptions): CsvSettings {
  return {
    sep: options.has('sep') ? options.char('sep', ',') : options.char('delimiter', ','),
    quote: options.char('quote', '"'),
    escape: options.char('escape', '\\'),
    header: options.boolean('header', false),
    nullValue: options.string('nullValue', ''),
  };
}

interface Record_ {
  tokens: string[];
  line: number;
  raw: string;
}

/** The records of a CSV file, syntax errors reported as `malformed` entries. */
function records(bytes: Buffer, s: CsvSettings): Array<Record_ | { malformed: string; line: number; reason: string }> {
  const out: Array<Record_ | { malformed: string; line: number; reason: string }> = [];
  const text = stripBom(bytes).toString('utf8');
  const parsed = parse(text, {
    delimiter: s.sep,
    quote: s.quote === '\u0000' ? false : s.quote,
    escape: s.escape,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    info: true,
    raw: true,
    skip_records_with_error: true,
    on_skip: (err: Error & { lines?: number } | undefined, chunk?: string) => {
      out.push({ malformed: chunk ?? '', line: err?.lines ?? 0, reason: err?.message ?? 'CSV syntax error' });
    },
  }) as unknown as Array<{ record: string[]; info: { lines: number }; raw: string }>;
  for (const r of parsed) out.push({ tokens: r.record, line: r.info.lines, raw: r.raw.replace(/\r?\n$/, '') });
  return out.sort((a, b) => a.line - b.line);
}

/** Java's `String.trim`: strips characters <= U+0020 at both ends (univocity's whitespace). */
function trimControlAndSpace(v: string): string {
  let start = 0;
  let end = v.length;
  while (start < end && v.charCodeAt(start) <= 0x20) start++;
  while (end > start && v.charCodeAt(end - 1) <= 0x20) end--;
  return v.slice(start, end);
}

function needsQuotes(v: string, s: CsvSettings): boolean {
  return v.includes(s.sep) || v.includes(s.quote) || v.includes(s.escape) || v.includes('\n') || v.includes('\r');
}

function writeToken(v: string | null, s: CsvSettings): string {
  if (v === null) return s.nullValue;
  // Spark (univocity) trims leading and trailing whitespace on write by default (ignoreLeading/TrailingWhiteSpace).
  const t = trimControlAndSpace(v);
  if (t === '') return `${s.quote}${s.quote}`;
  if (!needsQuotes(t, s)) return t;
  // Inside quotes the escape character escapes the quote and itself (Spark's escapeQuotes and
  // charToEscapeQuoteEscaping, both defaulting to the escape character).
  let out = s.quote;
  for (const c of t) out += c === s.quote || c === s.escape ? `${s.escape}${c}` : c;
  return `${out}${s.quote}`;
}

/** The CSV format. */
export const csvFormat: FileFormat = {
  name: 'csv',
  extension: () => '.csv',

  read(bytes: Buffer, context: FormatReadContext): Row[] {
    const s = settingsOf(context.options);
    const conversion: ConversionOptions = conversionOptionsOf(context.options);
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
      if (first && s.header) {
        first = false;
        continue;
      }
      first = false;
      const row: Row = {};
      let failure: string | undefined;
      dataFields.forEach((f, i) => {
        const token = r.tokens[i];
        if (token === undefined || token === s.nullValue) {
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
    const s = settingsOf(options);
    const conversion: ConversionOptions = {
      timestampFormat: compileTimestampFormat(options.get('timestampFormat') ?? DEFAULT_TIMESTAMP_WRITE_FORMAT),
      dateFormat: compileTimestampFormat(options.get('dateFormat') ?? DEFAULT_DATE_FORMAT),
    };
    const fields = schema.fields;
    let out = '';
    if (s.header) out += `${fields.map((f) => writeToken(f.name, s)).join(s.sep)}\n`;
    for (const row of rows) {
      out += `${fields.map((f) => writeToken(valueToText(row[f.name], f.dataType, conversion), s)).join(s.sep)}\n`;
    }
    return Buffer.from(out, 'utf8');
  },

  inferSchema(files, options): StructType {
    const s = settingsOf(options);
    const infer = options.boolean('inferSchema', false);
    let names: string[] | undefined;
    let types: DataType[] = [];
    for (const file of files) {
      let first = true;
      for (const r of records(file.bytes, s)) {
        if ('malformed' in r) continue;
        if (first && s.header) {
          names ??= r.tokens;
          first = false;
          continue;
        }
        first = false;
        r.tokens.forEach((t, i) => {
          const type = !infer ? new StringType() : t === s.nullValue ? undefined : inferTokenType(t);
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
