/**
 * Typed values from parsed text: a JSON value (Spark's JacksonParser rules) or a CSV token (UnivocityParser
 * rules) converted to a schema's data type.
 *
 * Invariant: a conversion either returns a value of the type's in-memory form (see lib/values/types/DataType.ts)
 * or throws {@link BadValue}; it never casts loosely (a JSON string "5" is not an INT, a CSV "1.5" is not an
 * INT), because a value that does not fit makes the record malformed in Spark, and the parse mode decides.
 */
import {
  ArrayType,
  BinaryType,
  BooleanType,
  DataType,
  DateType,
  DecimalType,
  DoubleType,
  FloatType,
  IntegralType,
  MapType,
  NullType,
  StringType,
  StructType,
  TimestampNTZType,
  TimestampType,
  castToString,
  stringToDate,
  stringToTimestamp,
} from '../values/types';
import type { TimestampFormat } from './timestampFormat';

/** Thrown when a value does not fit its field's type (the record is then malformed). */
export class BadValue extends Error {
  constructor(readonly field: string, readonly reason: string) {
    super(`field ${field}: ${reason}`);
    this.name = new.target.name;
  }
}

/** Options shared by JSON and CSV conversions. */
export interface ConversionOptions {
  readonly timestampFormat?: TimestampFormat;
  readonly dateFormat?: TimestampFormat;
  /** CSV tokens read as NaN / +Infinity / -Infinity by FLOAT and DOUBLE fields (Spark's `nanValue`, `positiveInf`, `negativeInf`). */
  readonly nanValue?: string;
  readonly positiveInf?: string;
  readonly negativeInf?: string;
}

export const INT_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  byte: [-128, 127],
  short: [-32768, 32767],
  integer: [-2147483648, 2147483647],
  long: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/** The value of `count` ASCII digits of `s` from `at`, or -1 when one is not a digit. */
function digits(s: string, at: number, count: number): number {
  let v = 0;
  for (let i = at; i < at + count; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The fast path of JSON and CSV input: an ISO-8601 instant `yyyy-MM-ddTHH:mm:ss[.fraction](Z|±HH:mm)` read by hand
 * (what `stringToTimestamp` gives for it); undefined for any other shape, which then takes the general parser.
 */
function isoInstant(s: string, cache: IsoMinuteCache = { prefix: '', ms: 0 }): number | undefined {
  return isoInstantAt(s, 0, s.length, cache);
}

/** The last minute prefix (`yyyy-MM-ddTHH:mm`) read and its UTC ms (one per read): rows mostly share their minute. */
export interface IsoMinuteCache {
  prefix: string;
  ms: number;
}

/** Whether `s` holds `part` at `from` (by hand: `startsWith` with a position costs more for short parts). */
export function sameAt(s: string, from: number, part: string): boolean {
  // From the end: the minute (or a value's last characters) changes first.
  for (let k = part.length - 1; k >= 0; k--) if (s.charCodeAt(from + k) !== part.charCodeAt(k)) return false;
  return true;
}


/**
 * Epoch ms of a UTC minute given as digits (`digits` answers -1 for a non-digit), or undefined when a field is
 * out of range or the date does not exist; years below 1000 too (`Date.UTC` reads 0..99 as 19xx: early years take
 * the general parser). Shared by the string and byte ISO-timestamp readers.
 */
export function utcMinuteMs(year: number, month: number, day: number, hour: number, minute: number): number | undefined {
  if (year < 1000 || month < 1 || month > 12 || day < 1) return undefined;
  if (day > (DAYS_IN_MONTH[month - 1] as number) || (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)))) {
    return undefined;
  }
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return undefined;
  return Date.UTC(year, month - 1, day) + (hour * 60 + minute) * 60_000;
}

/**
 * {@link isoInstant} of `s.slice(from, to)`, without the slice. The JSON-lines reader's byte parser
 * (`isoInstantBytes`) is a second implementation of the same grammar, kept apart for speed and tested against
 * this one.
 */
export function isoInstantAt(s: string, from: number, to: number, cache: IsoMinuteCache): number | undefined {
  const n = to - from;
  if (
    n < 20 ||
    n > 35 ||
    s.charCodeAt(from + 4) !== 45 ||
    s.charCodeAt(from + 7) !== 45 ||
    s.charCodeAt(from + 10) !== 84 ||
    s.charCodeAt(from + 13) !== 58 ||
    s.charCodeAt(from + 16) !== 58
  ) {
    return undefined;
  }
  let minuteMs: number;
  if (cache.prefix !== '' && sameAt(s, from, cache.prefix)) {
    minuteMs = cache.ms;
  } else {
    const ms = utcMinuteMs(digits(s, from, 4), digits(s, from + 5, 2), digits(s, from + 8, 2), digits(s, from + 11, 2), digits(s, from + 14, 2));
    if (ms === undefined) return undefined;
    minuteMs = ms;
    cache.prefix = s.slice(from, from + 16);
    cache.ms = minuteMs;
  }
  const second = digits(s, from + 17, 2);
  if (second < 0 || second > 59) return undefined;
  let i = from + 19;
  let ms = 0;
  const d1 = s.charCodeAt(i + 1) - 48;
  const d2 = s.charCodeAt(i + 2) - 48;
  const d3 = s.charCodeAt(i + 3) - 48;
  const d4 = i + 4 < to ? s.charCodeAt(i + 4) - 48 : -1;
  if (s.charCodeAt(i) === 46 && i + 3 < to && d1 >= 0 && d1 <= 9 && d2 >= 0 && d2 <= 9 && d3 >= 0 && d3 <= 9 && !(d4 >= 0 && d4 <= 9)) {
    // Exactly milliseconds (the common shape): the same value as the general loop below, in integers.
    ms = d1 * 100 + d2 * 10 + d3;
    i += 4;
  } else if (s.charCodeAt(i) === 46) {
    i += 1;
    let scale = 100;
    const start = i;
    while (i < to) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      ms += d * scale;
      scale /= 10;
      i += 1;
    }
    if (i === start || i - start > 9) return undefined;
    ms = Math.floor(ms + 1e-9);
  }
  let offsetMin = 0;
  const z = s.charCodeAt(i);
  if (z === 90 && i === to - 1) {
    // UTC
  } else if ((z === 43 || z === 45) && i === to - 6 && s.charCodeAt(i + 3) === 58) {
    const oh = digits(s, i + 1, 2);
    const om = digits(s, i + 4, 2);
    if (oh < 0 || om < 0 || oh > 18 || om > 59) return undefined;
    offsetMin = (z === 45 ? -1 : 1) * (oh * 60 + om);
  } else {
    return undefined;
  }
  return minuteMs + (second - offsetMin * 60) * 1000 + ms;
}

function parseTimestampText(s: string, options: ConversionOptions): number | null {
  if (options.timestampFormat) return options.timestampFormat.parse(s);
  return isoInstant(s) ?? stringToTimestamp(s);
}

function parseDateText(s: string, options: ConversionOptions): number | null {
  if (options.dateFormat) {
    const ms = options.dateFormat.parse(s);
    return ms === null ? null : ms - (((ms % 86_400_000) + 86_400_000) % 86_400_000);
  }
  return stringToDate(s);
}

/**
 * A value from `JSON.parse` as Spark's JSON reader converts it to `type`: numbers for numeric types (an
 * integral type needs an integral number in range), any JSON value for STRING (non-strings as their JSON text),
 * true/false for BOOLEAN, a string (or a number of seconds) for TIMESTAMP, objects for STRUCT and MAP, arrays
 * for ARRAY. null stays null.
 *
 * @throws BadValue when the value does not fit.
 * @example
 * ```ts
 * jsonToValue(5, new IntegerType(), 'id', {})     // 5
 * jsonToValue('5', new IntegerType(), 'id', {})   // throws BadValue
 * ```
 */
export function jsonToValue(v: unknown, type: DataType, field: string, options: ConversionOptions): unknown {
  if (v === null || v === undefined) return null;
  if (type instanceof StringType) return typeof v === 'string' ? v : JSON.stringify(v);
  if (type instanceof IntegralType) {
    const range = INT_RANGES[type.typeName];
    if (typeof v === 'number' && Number.isInteger(v) && range && v >= range[0] && v <= range[1]) return v;
    throw new BadValue(field, `${JSON.stringify(v)} is not a ${type.simpleString()}`);
  }
  if (type instanceof DoubleType || type instanceof FloatType) {
    if (typeof v === 'number') return type instanceof FloatType ? Math.fround(v) : v;
    if (v === 'NaN') return NaN;
    if (v === 'Infinity' || v === '+Infinity') return Infinity;
    if (v === '-Infinity') return -Infinity;
    throw new BadValue(field, `${JSON.stringify(v)} is not a ${type.simpleString()}`);
  }
  if (type instanceof DecimalType) {
    if (typeof v === 'number') return v;
    throw new BadValue(field, `${JSON.stringify(v)} is not a ${type.simpleString()}`);
  }
  if (type instanceof BooleanType) {
    if (typeof v === 'boolean') return v;
    throw new BadValue(field, `${JSON.stringify(v)} is not a boolean`);
  }
  if (type instanceof TimestampType || type instanceof TimestampNTZType) {
    if (typeof v === 'number') return new Date(v * 1000);
    if (typeof v === 'string') {
      const ms = parseTimestampText(v, options);
      if (ms !== null) return new Date(ms);
    }
    throw new BadValue(field, `${JSON.stringify(v)} is not a timestamp`);
  }
  if (type instanceof DateType) {
    if (typeof v === 'string') {
      const ms = parseDateText(v, options);
      if (ms !== null) return new Date(ms);
    }
    throw new BadValue(field, `${JSON.stringify(v)} is not a date`);
  }
  if (type instanceof BinaryType) {
    if (typeof v === 'string') return Buffer.from(v, 'base64');
    throw new BadValue(field, 'binary values are base64 strings');
  }
  if (type instanceof ArrayType) {
    if (!Array.isArray(v)) throw new BadValue(field, 'an array is expected');
    return v.map((e, i) => jsonToValue(e, type.elementType, `${field}[${i}]`, options));
  }
  if (type instanceof StructType) {
    if (typeof v !== 'object' || Array.isArray(v)) throw new BadValue(field, 'an object is expected');
    return jsonToRow(v as Record<string, unknown>, type, options, `${field}.`);
  }
  if (type instanceof MapType) {
    if (typeof v !== 'object' || Array.isArray(v)) throw new BadValue(field, 'an object is expected');
    const m = new Map<unknown, unknown>();
    for (const [k, e] of Object.entries(v as Record<string, unknown>)) {
      m.set(k, jsonToValue(e, type.valueType, `${field}["${k}"]`, options));
    }
    return m;
  }
  if (type instanceof NullType) return null;
  throw new BadValue(field, `type ${type.simpleString()} is not supported by the JSON reader`);
}

/** A converter of JSON objects to rows of one schema, compiled once per read (see {@link compileJsonRow}). */
export type JsonRowConverter = (obj: Record<string, unknown>) => Record<string, unknown>;

/**
 * {@link jsonToRow} for one schema, with the type dispatch done once: the hot path of JSON input (strings, numbers
 * and ISO timestamps are converted without going through the generic dispatch).
 *
 * @throws BadValue like jsonToRow.
 */
export function compileJsonRow(schema: StructType, options: ConversionOptions): JsonRowConverter {
  const names = schema.fields.map((f) => f.name);
  const converters = schema.fields.map((f): ((v: unknown) => unknown) => {
    const t = f.dataType;
    const generic = (v: unknown) => jsonToValue(v, t, f.name, options);
    if (t instanceof StringType) return (v) => (typeof v === 'string' ? v : generic(v));
    if (t instanceof DoubleType) return (v) => (typeof v === 'number' ? v : generic(v));
    const range = t instanceof IntegralType ? INT_RANGES[t.typeName] : undefined;
    if (range) {
      const [lo, hi] = range;
      return (v) => (typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi ? v : generic(v));
    }
    if ((t instanceof TimestampType || t instanceof TimestampNTZType) && !options.timestampFormat) {
      const cache: IsoMinuteCache = { prefix: '', ms: 0 };
      return (v) => {
        if (typeof v === 'string') {
          const ms = isoInstant(v, cache);
          if (ms !== undefined) return new Date(ms);
        }
        return generic(v);
      };
    }
    return generic;
  });
  const n = names.length;
  const hasOwn = Object.prototype.hasOwnProperty;
  const convertInto = (obj: Record<string, unknown>, row: Record<string, unknown>): Record<string, unknown> => {
    let failure: BadValue | undefined;
    for (let i = 0; i < n; i++) {
      const name = names[i] as string;
      const v = row === obj || hasOwn.call(obj, name) ? obj[name] : null;
      if (v === null || v === undefined) {
        row[name] = null;
        continue;
      }
      try {
        row[name] = (converters[i] as (v: unknown) => unknown)(v);
      } catch (e) {
        if (!(e instanceof BadValue)) throw e;
        row[name] = null;
        failure ??= e;
      }
    }
    if (failure) throw Object.assign(failure, { partial: row });
    return row;
  };
  return (obj) => {
    // The parsed object becomes the row when it has exactly the schema's keys in order (the common case): one
    // object per record instead of two.
    let k = 0;
    for (const key in obj) {
      if (key !== names[k]) {
        k = -1;
        break;
      }
      k++;
    }
    return convertInto(obj, k === n ? obj : {});
  };
}

/**
 * A JSON object as a row of `schema` (fields missing from the object are null, extra keys ignored).
 *
 * @throws BadValue naming the first field that does not fit; `partial` on it holds what did.
 */
export function jsonToRow(obj: Record<string, unknown>, schema: StructType, options: ConversionOptions, prefix = ''): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  let failure: BadValue | undefined;
  for (const f of schema.fields) {
    const v = Object.prototype.hasOwnProperty.call(obj, f.name) ? obj[f.name] : null;
    try {
      row[f.name] = jsonToValue(v, f.dataType, `${prefix}${f.name}`, options);
    } catch (e) {
      if (!(e instanceof BadValue)) throw e;
      row[f.name] = null;
      failure ??= e;
    }
  }
  if (failure) throw Object.assign(failure, { partial: row });
  return row;
}

const INTEGRAL = /^[+-]?\d+$/;
const DECIMAL_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A CSV token as Spark's CSV reader converts it to `type` (the token is non-null: the caller maps `nullValue`).
 *
 * @throws BadValue when the token does not fit.
 * @example
 * ```ts
 * csvToValue('42', new IntegerType(), 'n', {})   // 42
 * csvToValue('4.2', new IntegerType(), 'n', {})  // throws BadValue
 * ```
 */
export function csvToValue(token: string, type: DataType, field: string, options: ConversionOptions): unknown {
  if (type instanceof StringType) return token;
  const t = token.trim();
  if (type instanceof IntegralType) {
    const range = INT_RANGES[type.typeName];
    const n = INTEGRAL.test(t) ? Number(t) : NaN;
    if (range && Number.isInteger(n) && n >= range[0] && n <= range[1]) return n;
    throw new BadValue(field, `'${token}' is not a ${type.simpleString()}`);
  }
  if (type instanceof DoubleType || type instanceof FloatType) {
    // Spark's UnivocityParser: the three options first, then Java's parseDouble (which reads NaN and Infinity).
    if (token === (options.nanValue ?? 'NaN')) return NaN;
    if (token === (options.positiveInf ?? 'Inf')) return Infinity;
    if (token === (options.negativeInf ?? '-Inf')) return -Infinity;
  }
  if (type instanceof DoubleType || type instanceof FloatType || type instanceof DecimalType) {
    if (t === 'NaN') return NaN;
    if (t === 'Inf' || t === '+Inf' || t === 'Infinity' || t === '+Infinity') return Infinity;
    if (t === '-Inf' || t === '-Infinity') return -Infinity;
    if (DECIMAL_TEXT.test(t)) return type instanceof FloatType ? Math.fround(Number(t)) : Number(t);
    throw new BadValue(field, `'${token}' is not a ${type.simpleString()}`);
  }
  if (type instanceof BooleanType) {
    const l = t.toLowerCase();
    if (l === 'true') return true;
    if (l === 'false') return false;
    throw new BadValue(field, `'${token}' is not a boolean`);
  }
  if (type instanceof TimestampType || type instanceof TimestampNTZType) {
    const ms = parseTimestampText(t, options);
    if (ms === null) throw new BadValue(field, `'${token}' is not a timestamp`);
    return new Date(ms);
  }
  if (type instanceof DateType) {
    const ms = parseDateText(t, options);
    if (ms === null) throw new BadValue(field, `'${token}' is not a date`);
    return new Date(ms);
  }
  if (type instanceof BinaryType) return Buffer.from(token, 'utf8');
  throw new BadValue(field, `type ${type.simpleString()} is not supported by the CSV reader`);
}

/**
 * A value as text for CSV and partition folders: Spark's CAST(v AS STRING), with timestamps and dates printed in
 * the given formats.
 */
export function valueToText(v: unknown, type: DataType | undefined, options: ConversionOptions): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date && type instanceof DateType && options.dateFormat) return options.dateFormat.format(v.getTime());
  if (v instanceof Date && !(type instanceof DateType) && options.timestampFormat) return options.timestampFormat.format(v.getTime());
  return castToString(v, type);
}
