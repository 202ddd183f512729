/**
 * The `json` file format: JSON lines (one object per line), or with `multiLine` one JSON value per file (an
 * object, or an array of objects), as Spark's JSON data source reads and writes them.
 *
 * Invariant: every non-blank line (every file, with multiLine) is exactly one record or one malformed record
 * handed to the parse mode: JSON that does not parse, invalid UTF-8, a value not of its field's type, a record
 * that is not an object. Writing follows Spark: null fields omitted, timestamps as
 * `yyyy-MM-dd'T'HH:mm:ss.SSSXXX`, doubles as Java prints them.
 */
import type { Row } from '../contracts';
import {
  ArrayType,
  DataType,
  DateType,
  DoubleType,
  FloatType,
  MapType,
  NullType,
  StringType,
  StructField,
  StructType,
  formatDate,
  inferSchema,
  javaDoubleToString,
  javaFloatToString,
} from '../sql/types';
import { mergeTypes } from '../sql/types/inferSchema';
import { BadValue, compileJsonRow, type ConversionOptions, type JsonRowConverter } from './convertValue';
import type { FileFormat, FormatReadContext } from './FileFormat';
import type { FormatOptions } from './FormatOptions';
import { compileJsonLineReader } from './jsonLineReader';
import { splitLines, stripBom } from './lines';
import { compileTimestampFormat, DEFAULT_TIMESTAMP_WRITE_FORMAT } from './timestampFormat';

/** Conversion options from `timestampFormat` / `dateFormat`. */
export function conversionOptionsOf(options: FormatOptions): ConversionOptions {
  const ts = options.get('timestampFormat');
  const date = options.get('dateFormat');
  return {
    ...(ts !== undefined ? { timestampFormat: compileTimestampFormat(ts) } : {}),
    ...(date !== undefined ? { dateFormat: compileTimestampFormat(date) } : {}),
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The records of one parsed JSON value: an object, or an array of objects (Spark reads both). */
function recordsOf(value: unknown): Array<Record<string, unknown>> | undefined {
  if (isObject(value)) return [value];
  if (Array.isArray(value) && value.every(isObject)) return value as Array<Record<string, unknown>>;
  return undefined;
}

function readRecord(
  text: string,
  line: number,
  invalidUtf8: boolean,
  context: FormatReadContext,
  convert: JsonRowConverter,
  out: Row[],
): void {
  const where = { path: context.path, line };
  const keep = (row: Row | undefined) => {
    if (row !== undefined) out.push(row);
  };
  if (invalidUtf8) {
    keep(context.malformed.malformed(undefined, text, where, 'invalid UTF-8'));
    return;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    keep(context.malformed.malformed(undefined, text, where, (e as Error).message));
    return;
  }
  const records = recordsOf(parsed);
  if (records === undefined) {
    keep(context.malformed.malformed(undefined, text, where, 'a record must be a JSON object'));
    return;
  }
  for (const record of records) {
    try {
      out.push(convert(record));
    } catch (e) {
      if (!(e instanceof BadValue)) throw e;
      keep(context.malformed.malformed((e as BadValue & { partial?: Row }).partial, text, where, e.message));
    }
  }
}

function writeValue(v: unknown, type: DataType | undefined, ts: (ms: number) => string): string {
  if (v instanceof Date) {
    return JSON.stringify(type instanceof DateType ? formatDate(v.getTime()) : ts(v.getTime()));
  }
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return JSON.stringify(Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity');
    if (type instanceof DoubleType) return javaDoubleToString(v);
    if (type instanceof FloatType) return javaFloatToString(v);
    return String(v);
  }
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) return JSON.stringify(Buffer.from(v).toString('base64'));
  if (v instanceof Map) {
    const valueType = type instanceof MapType ? type.valueType : undefined;
    const parts: string[] = [];
    for (const [k, e] of v) if (e !== null && e !== undefined) parts.push(`${JSON.stringify(String(k))}:${writeValue(e, valueType, ts)}`);
    return `{${parts.join(',')}}`;
  }
  if (Array.isArray(v)) {
    const elementType = type instanceof ArrayType ? type.elementType : undefined;
    return `[${v.map((e) => (e === null || e === undefined ? 'null' : writeValue(e, elementType, ts))).join(',')}]`;
  }
  if (typeof v === 'object' && v !== null) {
    return writeObject(v as Row, type instanceof StructType ? type : undefined, ts);
  }
  return JSON.stringify(v);
}

function writeObject(row: Row, schema: StructType | undefined, ts: (ms: number) => string): string {
  const parts: string[] = [];
  if (schema) {
    for (const f of schema.fields) {
      const v = row[f.name];
      if (v !== null && v !== undefined) parts.push(`${JSON.stringify(f.name)}:${writeValue(v, f.dataType, ts)}`);
    }
  } else {
    for (const [k, v] of Object.entries(row)) if (v !== null && v !== undefined) parts.push(`${JSON.stringify(k)}:${writeValue(v, undefined, ts)}`);
  }
  return `{${parts.join(',')}}`;
}

/** The JSON format. */
export const jsonFormat: FileFormat = {
  name: 'json',
  extension: () => '.json',

  read(bytes: Buffer, context: FormatReadContext): Row[] {
    const conversions = conversionOptionsOf(context.options);
    const convert = compileJsonRow(context.schema, conversions);
    const out: Row[] = [];
    const body = stripBom(bytes);
    if (context.options.boolean('multiLine', false)) {
      const lines = [...splitLines(body)];
      const text = lines.map((l) => l.text).join('\n');
      if (text.trim() === '') return out;
      readRecord(text, 1, lines.some((l) => l.invalidUtf8), context, convert, out);
      return out;
    }
    const lineSep = context.options.get('lineSep');
    const text = body.toString('utf8');
    if (lineSep === undefined && !text.includes('\r') && !text.includes('\uFFFD')) {
      // The fast path (LF endings, valid UTF-8): flat records are read in place into rows (jsonLineReader.ts);
      // other lines take JSON.parse, and the parsed object becomes the row when it can.
      // An ASCII file's bytes are its characters: long strings are copied from them (see CopyText).
      const copy = text.length === body.length ? (from: number, to: number) => body.toString('latin1', from, to) : undefined;
      const reader = compileJsonLineReader(context.schema, conversions, copy);
      let lineNumber = 0;
      for (let start = 0; start < text.length; ) {
        let end = text.indexOf('\n', start);
        if (end < 0) end = text.length;
        lineNumber += 1;
        const lineStart = start;
        start = end + 1;
        if (reader !== undefined) {
          const row = reader(text, lineStart, end);
          if (row !== undefined) {
            out.push(row);
            continue;
          }
        }
        const line = text.slice(lineStart, end);
        if (line.charCodeAt(0) === 123 /* { */) {
          let parsed: unknown;
          try {
            parsed = JSON.parse(line);
          } catch {
            parsed = undefined;
          }
          if (isObject(parsed)) {
            try {
              out.push(convert(parsed));
            } catch (e) {
              if (!(e instanceof BadValue)) throw e;
              const kept = context.malformed.malformed((e as BadValue & { partial?: Row }).partial, line, { path: context.path, line: lineNumber }, e.message);
              if (kept !== undefined) out.push(kept);
            }
            continue;
          }
        }
        if (line.trim() === '') continue;
        readRecord(line, lineNumber, false, context, convert, out);
      }
      return out;
    }
    for (const line of splitLines(body, lineSep)) {
      // Blank lines are not records (Spark's JSON reader skips them).
      if (line.text.trim() === '') continue;
      readRecord(line.text, line.number, line.invalidUtf8, context, convert, out);
    }
    return out;
  },

  write(rows: readonly Row[], schema: StructType, options: FormatOptions): Uint8Array {
    const fmt = compileTimestampFormat(options.get('timestampFormat') ?? DEFAULT_TIMESTAMP_WRITE_FORMAT);
    const ts = (ms: number) => fmt.format(ms);
    let out = '';
    for (const row of rows) out += `${writeObject(row, schema, ts)}\n`;
    return Buffer.from(out, 'utf8');
  },

  inferSchema(files, options): StructType {
    const multiLine = options.boolean('multiLine', false);
    const samples: Array<Record<string, unknown>> = [];
    for (const file of files) {
      const body = stripBom(file.bytes);
      const texts = multiLine ? [body.toString('utf8')] : [...splitLines(body)].map((l) => l.text);
      for (const t of texts) {
        if (t.trim() === '') continue;
        try {
          const records = recordsOf(JSON.parse(t));
          if (records) samples.push(...records);
        } catch {
          // Malformed records do not take part in inference (Spark adds _corrupt_record; weir leaves it out).
        }
      }
    }
    if (samples.length === 0) return new StructType();
    return withoutNullTypes(inferJsonSchema(samples));
  },
};

/**
 * PySpark's inference, except that a field whose types cannot merge (an object in one record, a number in another)
 * becomes STRING, as Spark's JSON inference does, instead of failing.
 */
function inferJsonSchema(samples: ReadonlyArray<Record<string, unknown>>): StructType {
  try {
    return inferSchema(samples);
  } catch {
    const fields = new Map<string, DataType>();
    for (const record of samples) {
      for (const f of inferSchema([record]).fields) {
        const seen = fields.get(f.name);
        if (seen === undefined) {
          fields.set(f.name, f.dataType);
          continue;
        }
        try {
          fields.set(f.name, mergeTypes(seen, f.dataType, f.name));
        } catch {
          fields.set(f.name, new StringType());
        }
      }
    }
    return new StructType([...fields].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, type]) => new StructField(name, type, true)));
  }
}

/** Spark's JSON inference gives STRING to a field that is null in every record (PySpark gives VOID). */
function withoutNullTypes(t: StructType): StructType {
  const fix = (d: DataType): DataType => {
    if (d instanceof NullType) return new StringType();
    if (d instanceof StructType) return withoutNullTypes(d);
    if (d instanceof ArrayType) return new ArrayType(fix(d.elementType), d.containsNull);
    if (d instanceof MapType) return new MapType(d.keyType, fix(d.valueType), d.valueContainsNull);
    return d;
  };
  return new StructType(t.fields.map((f) => new StructField(f.name, fix(f.dataType), f.nullable)));
}
