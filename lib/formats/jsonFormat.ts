/**
 * The `json` file format: JSON lines (one object per line), or with `multiLine` one JSON value per file (an
 * object, or an array of objects), as Spark's JSON data source reads and writes them.
 *
 * Options as Spark's: `multiLine`, `lineSep`, `encoding` (`charset`), `timestampFormat`, `dateFormat`, `mode`,
 * `columnNameOfCorruptRecord`, `allowComments`, `allowSingleQuotes`, `allowUnquotedFieldNames` (reading),
 * `allowNonNumericNumbers`, `primitivesAsString`, `prefersDecimal`, `dropFieldIfAllNull` (inference),
 * `ignoreNullFields` (writing). Inference types numbers by their literal text, as Spark (jsonNumberTypes.ts).
 *
 * Invariant: every non-blank line (every file, with multiLine) is exactly one record or one malformed record
 * handed to the parse mode: JSON that does not parse, invalid UTF-8, a value not of its field's type, a record
 * that is not an object. Writing follows Spark: null fields omitted (unless `ignoreNullFields` is false), null
 * map values and array elements written as null, timestamps as `yyyy-MM-dd'T'HH:mm:ss.SSSXXX`, doubles as Java
 * prints them.
 */
import { isAscii, isUtf8 } from 'node:buffer';
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
} from '../values/types';
import { mergeTypes } from '../values/types/inferSchema';
import { ErrorCodes, WeirError } from '../errors';
import { charsetOf, encodeText, toUtf8 } from './charset';
import { BadValue, compileJsonRow, type ConversionOptions, type JsonRowConverter } from './convertValue';
import type { FileFormat, FormatReadContext } from './FileFormat';
import type { FormatOptions } from './FormatOptions';
import { compileJsonLineReader } from './jsonLineReader';
import { splitLines, stripBom } from './lines';
import { collectNumberTypes, withNumberTypes } from './jsonNumberTypes';
import { isRelaxed, jsonFeaturesOf, toStrictJson } from './relaxedJson';
import { JSON_READ_LIMITS, jsonConstraintViolation } from '../values/jsonReadLimits';
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

/** Spark's JSONOptions.lineSeparator check: any non-empty string. */
function lineSepOf(options: FormatOptions): string | undefined {
  const sep = options.get('lineSep');
  if (sep === '') {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, "requirement failed: 'lineSep' cannot be an empty string.", {
      context: { option: 'lineSep', value: sep },
    });
  }
  return sep;
}

/** Parses one record's text; BLANK when the text holds no value (only comments). */
type RecordParser = (text: string) => unknown;
const BLANK = Symbol('blank');

/**
 * The parser of `options`' features. Every relaxation only admits text `JSON.parse` rejects (comments, single
 * quotes, unquoted names, leading zeros, other escapes, raw control characters, non-numeric numbers), so strict
 * JSON means the same under any of them: a record is rewritten (relaxedJson) only when `JSON.parse` fails, and the
 * fast path stays on whatever the options.
 */
function recordParserOf(options: FormatOptions): RecordParser {
  const features = jsonFeaturesOf(options);
  if (!isRelaxed(features) && !features.allowNonNumericNumbers) return JSON.parse;
  return (text) => {
    try {
      return JSON.parse(text);
    } catch (e) {
      const rewritten = toStrictJson(text, features);
      if (rewritten === text) throw e;
      return rewritten.trim() === '' ? BLANK : JSON.parse(rewritten);
    }
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
  parse: RecordParser = JSON.parse,
): void {
  const where = { path: context.path, line };
  const keep = (row: Row | undefined) => {
    if (row !== undefined) out.push(row);
  };
  if (invalidUtf8) {
    keep(context.malformed.malformed(undefined, text, where, 'invalid UTF-8'));
    return;
  }
  // Jackson's read limits (nesting depth, number and string length): past one the record is malformed.
  const violation = jsonConstraintViolation(text);
  if (violation !== undefined) {
    keep(context.malformed.malformed(undefined, text, where, violation));
    return;
  }
  let parsed: unknown;
  try {
    parsed = parse(text);
  } catch (e) {
    keep(context.malformed.malformed(undefined, text, where, (e as Error).message));
    return;
  }
  if (parsed === BLANK) return;
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

/** How values are written: the timestamp and date printers, and whether null struct fields are written. */
interface JsonWriteContext {
  readonly ts: (ms: number) => string;
  readonly date: (ms: number) => string;
  readonly keepNulls: boolean;
}

function writeValue(v: unknown, type: DataType | undefined, w: JsonWriteContext): string {
  if (v instanceof Date) {
    return JSON.stringify(type instanceof DateType ? w.date(v.getTime()) : w.ts(v.getTime()));
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
    // Spark's JacksonGenerator writes a null map value as null (only struct fields follow ignoreNullFields).
    for (const [k, e] of v) parts.push(`${JSON.stringify(String(k))}:${e === null || e === undefined ? 'null' : writeValue(e, valueType, w)}`);
    return `{${parts.join(',')}}`;
  }
  if (Array.isArray(v)) {
    const elementType = type instanceof ArrayType ? type.elementType : undefined;
    return `[${v.map((e) => (e === null || e === undefined ? 'null' : writeValue(e, elementType, w))).join(',')}]`;
  }
  if (typeof v === 'object' && v !== null) {
    return writeObject(v as Row, type instanceof StructType ? type : undefined, w);
  }
  return JSON.stringify(v);
}

function writeObject(row: Row, schema: StructType | undefined, w: JsonWriteContext): string {
  const parts: string[] = [];
  const entries: Array<[string, unknown, DataType | undefined]> = schema
    ? schema.fields.map((f) => [f.name, row[f.name], f.dataType])
    : Object.entries(row).map(([k, v]) => [k, v, undefined]);
  for (const [k, v, t] of entries) {
    if (v !== null && v !== undefined) parts.push(`${JSON.stringify(k)}:${writeValue(v, t, w)}`);
    else if (w.keepNulls) parts.push(`${JSON.stringify(k)}:null`);
  }
  return `{${parts.join(',')}}`;
}

/** The JSON format. */
export const jsonFormat: FileFormat = {
  name: 'json',
  extension: () => '.json',

  readsSynchronously: true,
  read(bytes: Buffer, context: FormatReadContext): Row[] {
    const conversions = conversionOptionsOf(context.options);
    const convert = compileJsonRow(context.schema, conversions);
    const parse = recordParserOf(context.options);
    const out: Row[] = [];
    const body = stripBom(toUtf8(bytes, charsetOf(context.options)));
    if (context.options.boolean('multiLine', false)) {
      const lines = [...splitLines(body)];
      const text = lines.map((l) => l.text).join('\n');
      if (text.trim() === '') return out;
      readRecord(text, 1, lines.some((l) => l.invalidUtf8), context, convert, out, parse);
      return out;
    }
    const lineSep = lineSepOf(context.options);
    if (lineSep === undefined && body.indexOf(13 /* \r */) < 0 && isUtf8(body)) {
      // The fast path (LF endings, valid UTF-8): flat records are read in place from the bytes into rows
      // (jsonLineReader.ts); other lines take JSON.parse, and the parsed object becomes the row when it can.
      // An ASCII file's bytes are its characters: the reader slices short strings from its text.
      const text = isAscii(body) ? body.toString('latin1') : undefined;
      const reader = compileJsonLineReader(context.schema, conversions);
      const length = body.length;
      let lineNumber = 0;
      for (let start = 0; start < length; ) {
        lineNumber += 1;
        if (reader !== undefined) {
          const row = reader.read(body, text, start);
          // A flat record of more bytes than a string may have characters could hold a string past Jackson's limit.
          if (row !== undefined && reader.end - start <= JSON_READ_LIMITS.maxStringLength) {
            out.push(row);
            start = reader.end + 1;
            continue;
          }
        }
        let end = body.indexOf(10 /* \n */, start);
        if (end < 0) end = length;
        const lineStart = start;
        start = end + 1;
        // A string of its own (not a slice of the file's text, which a kept corrupt record would keep alive).
        const line = body.toString('utf8', lineStart, end);
        if (line.charCodeAt(0) === 123 /* { */ && jsonConstraintViolation(line) === undefined) {
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
        readRecord(line, lineNumber, false, context, convert, out, parse);
      }
      return out;
    }
    for (const line of splitLines(body, lineSep)) {
      // Blank lines are not records (Spark's JSON reader skips them).
      if (line.text.trim() === '') continue;
      readRecord(line.text, line.number, line.invalidUtf8, context, convert, out, parse);
    }
    return out;
  },

  write(rows: readonly Row[], schema: StructType, options: FormatOptions): Uint8Array {
    const fmt = compileTimestampFormat(options.get('timestampFormat') ?? DEFAULT_TIMESTAMP_WRITE_FORMAT);
    const dateOption = options.get('dateFormat');
    const dateFmt = dateOption === undefined ? undefined : compileTimestampFormat(dateOption);
    const w: JsonWriteContext = {
      ts: (ms) => fmt.format(ms),
      date: dateFmt === undefined ? formatDate : (ms) => dateFmt.format(ms),
      keepNulls: !options.boolean('ignoreNullFields', true),
    };
    const eol = lineSepOf(options) ?? '\n';
    let out = '';
    for (const row of rows) out += `${writeObject(row, schema, w)}${eol}`;
    return encodeText(out, charsetOf(options));
  },

  inferSchema(files, options): StructType {
    const multiLine = options.boolean('multiLine', false);
    const lineSep = lineSepOf(options);
    const charset = charsetOf(options);
    const parse = recordParserOf(options);
    const features = jsonFeaturesOf(options);
    const prefersDecimal = options.boolean('prefersDecimal', false);
    const numberTypes = new Map<string, DataType>();
    const samples: Array<Record<string, unknown>> = [];
    for (const file of files) {
      const body = stripBom(toUtf8(file.bytes, charset));
      const texts = multiLine ? [body.toString('utf8')] : [...splitLines(body, lineSep)].map((l) => l.text);
      for (const t of texts) {
        if (t.trim() === '') continue;
        try {
          // A record past Jackson's limits is malformed: left out like the others (and never walked deep).
          if (jsonConstraintViolation(t) !== undefined) continue;
          const records = recordsOf(parse(t));
          if (records) {
            samples.push(...records);
            collectNumberTypes(toStrictJson(t, features), prefersDecimal, numberTypes);
          }
        } catch {
          // Malformed records do not take part in inference (Spark adds _corrupt_record; weir leaves it out).
        }
      }
    }
    if (samples.length === 0) return new StructType();
    const inferred = withNumberTypes(inferJsonSchema(samples), numberTypes);
    return canonicalSchema(options.boolean('primitivesAsString', false) ? primitivesAsString(inferred) : inferred, options.boolean('dropFieldIfAllNull', false));
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

/** `primitivesAsString`: every inferred atomic type (numbers, booleans) becomes STRING. */
function primitivesAsString(t: StructType): StructType {
  const fix = (d: DataType): DataType => {
    if (d instanceof StructType) return primitivesAsString(d);
    if (d instanceof ArrayType) return new ArrayType(fix(d.elementType), d.containsNull);
    if (d instanceof MapType) return new MapType(d.keyType, fix(d.valueType), d.valueContainsNull);
    if (d instanceof NullType) return d;
    return new StringType();
  };
  return new StructType(t.fields.map((f) => new StructField(f.name, fix(f.dataType), f.nullable)));
}

/**
 * Spark's `JsonInferSchema.canonicalizeType`: a field null in every record is STRING (PySpark would give VOID),
 * or dropped with `dropFieldIfAllNull` (with the arrays of such elements); a struct left without fields is
 * dropped (SPARK-8093).
 */
function canonicalSchema(t: StructType, dropFieldIfAllNull: boolean): StructType {
  const canonical = (d: DataType): DataType | undefined => {
    if (d instanceof NullType) return dropFieldIfAllNull ? undefined : new StringType();
    if (d instanceof ArrayType) {
      const e = canonical(d.elementType);
      return e === undefined ? undefined : new ArrayType(e, d.containsNull);
    }
    if (d instanceof MapType) {
      const v = canonical(d.valueType);
      return v === undefined ? undefined : new MapType(d.keyType, v, d.valueContainsNull);
    }
    if (d instanceof StructType) {
      const fields = d.fields.flatMap((f) => {
        const c = canonical(f.dataType);
        return c === undefined ? [] : [new StructField(f.name, c, f.nullable)];
      });
      return fields.length === 0 ? undefined : new StructType(fields);
    }
    return d;
  };
  const root = canonical(t);
  return root instanceof StructType ? root : new StructType();
}
