/**
 * `from_json` and `to_json` with Spark's conversions (JacksonParser / JacksonGenerator, PERMISSIVE mode).
 *
 * Invariants: decoded JSON never reaches a prototype: `JSON.parse` creates own properties only (a `"__proto__"`
 * key is an own property of the parsed object, not its prototype), fields are read with `getOwn` by the names
 * the schema asks for, and every result object is built with `setOwn` (an own data property even for
 * `__proto__`), MAP values are JS `Map`s; so hostile input can at worst produce nulls. Malformed JSON is a
 * struct of nulls (Spark 3+'s PERMISSIVE), never an error, and so is input past Jackson's read limits
 * (`lib/values/jsonReadLimits.ts`: nesting deeper than 1,000, ...); a field whose JSON value does not fit its type is
 * null while the other fields keep their values.
 */
import type { DataType } from '../../values/types';
import { castValue } from '../../values/types';
import { getOwn, setOwn } from './values';
import { decimalString, javaDoubleToString, javaFloatToString } from './outputName';
import {
  isArray,
  isBinary,
  isBoolean,
  isDate,
  isDecimal,
  isFloating,
  isIntegral,
  isMap,
  isString,
  isStruct,
  isTimestamp,
  sqlTypes,
} from './typeSupport';
import { parseDatetime } from '../../values/datetimePattern';
import { jsonConstraintViolation } from '../../values/jsonReadLimits';
import { roundHalfUp } from './values';

/** Marks a JSON value that does not fit its type (the field becomes null). */
const MISMATCH = Symbol('mismatch');

/** Options of `from_json` that weir reads (Spark's JSON options; others are accepted and ignored). */
export interface FromJsonOptions {
  readonly timestampFormat?: string;
  readonly dateFormat?: string;
}

/**
 * Parses `text` as JSON of `type` (a STRUCT, ARRAY or MAP). null input → null; malformed input → for a struct,
 * an object with every field null; for an array or map, null.
 */
export function fromJson(text: unknown, type: DataType, options: FromJsonOptions = {}): unknown {
  if (text === null || text === undefined) return null;
  let parsed: unknown;
  try {
    const s = String(text);
    // Past Jackson's read limits (nesting 1000, ...) the input is malformed, as in Spark (and is never walked deep).
    if (jsonConstraintViolation(s) !== undefined) return isStruct(type) ? nullStruct(type) : null;
    parsed = JSON.parse(s);
  } catch {
    return isStruct(type) ? nullStruct(type) : null;
  }
  const v = convert(parsed, type, options);
  if (v === MISMATCH) return isStruct(type) ? nullStruct(type) : null;
  return v;
}

function nullStruct(type: DataType): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (isStruct(type)) for (const f of type.fields) setOwn(out, f.name, null);
  return out;
}

function convert(v: unknown, type: DataType, options: FromJsonOptions): unknown {
  if (v === null) return null;
  if (isStruct(type)) {
    if (typeof v !== 'object' || Array.isArray(v)) return MISMATCH;
    const out: Record<string, unknown> = {};
    for (const f of type.fields) {
      const raw = getOwn(v, f.name);
      const c = raw === undefined ? null : convert(raw, f.dataType, options);
      setOwn(out, f.name, c === MISMATCH ? null : c);
    }
    return out;
  }
  if (isArray(type)) {
    if (!Array.isArray(v)) return MISMATCH;
    return v.map((e) => {
      const c = convert(e, type.elementType, options);
      return c === MISMATCH ? null : c;
    });
  }
  if (isMap(type)) {
    if (typeof v !== 'object' || Array.isArray(v)) return MISMATCH;
    const out = new Map<unknown, unknown>();
    for (const k of Object.keys(v as object)) {
      const key = isString(type.keyType) ? k : castValue(k, type.keyType);
      if (key === null || key === undefined) return MISMATCH;
      const c = convert(getOwn(v, k), type.valueType, options);
      out.set(key, c === MISMATCH ? null : c);
    }
    return out;
  }
  if (isString(type)) {
    if (typeof v === 'string') return v;
    return JSON.stringify(v);
  }
  if (isIntegral(type)) {
    if (typeof v !== 'number' || !Number.isInteger(v)) return MISMATCH;
    const bits = (type as unknown as { bits: number }).bits;
    const limit = 2 ** (bits - 1);
    return v >= -limit && v < limit ? v : MISMATCH;
  }
  if (isFloating(type)) {
    let n: number;
    if (typeof v === 'number') n = v;
    else if (typeof v === 'string' && /^[+-]?(NaN|Infinity|INF)$/.test(v)) n = v.includes('NaN') ? NaN : v.startsWith('-') ? -Infinity : Infinity;
    else return MISMATCH;
    return type.typeName === 'float' ? Math.fround(n) : n;
  }
  if (isDecimal(type)) {
    if (typeof v !== 'number') return MISMATCH;
    const r = roundHalfUp(v, type.scale);
    return Math.abs(r) >= 10 ** (type.precision - type.scale) ? MISMATCH : r;
  }
  if (isBoolean(type)) return typeof v === 'boolean' ? v : MISMATCH;
  if (isTimestamp(type)) {
    if (typeof v === 'number') return Number.isFinite(v) ? new Date(Math.trunc(v * 1000)) : MISMATCH;
    if (typeof v !== 'string') return MISMATCH;
    if (options.timestampFormat !== undefined) {
      const ms = parseDatetime(v, options.timestampFormat);
      return ms === null ? MISMATCH : new Date(ms);
    }
    const t = castValue(v, sqlTypes.timestamp());
    return t === null || t === undefined ? MISMATCH : t;
  }
  if (isDate(type)) {
    if (typeof v !== 'string') return MISMATCH;
    if (options.dateFormat !== undefined) {
      const ms = parseDatetime(v, options.dateFormat);
      return ms === null ? MISMATCH : new Date(ms);
    }
    const d = castValue(v, sqlTypes.date());
    return d === null || d === undefined ? MISMATCH : d;
  }
  if (isBinary(type)) {
    if (typeof v !== 'string') return MISMATCH;
    return new Uint8Array(Buffer.from(v, 'base64'));
  }
  return MISMATCH;
}

/**
 * Spark's JSON text of a value of `type`: struct fields in order with null fields left out, doubles as Java
 * prints them (`1.0`), timestamps `yyyy-MM-dd'T'HH:mm:ss.SSSXXX` in UTC (`2024-01-01T00:00:00.000Z`), dates
 * `yyyy-MM-dd`, binaries base64, maps as objects.
 */
export function toJson(value: unknown, type: DataType): string | null {
  if (value === null || value === undefined) return null;
  return write(value, type);
}

function write(v: unknown, type: DataType): string {
  if (v === null || v === undefined) return 'null';
  if (isStruct(type)) {
    const parts: string[] = [];
    for (const f of type.fields) {
      const fv = getOwn(v, f.name);
      if (fv === null || fv === undefined) continue;
      parts.push(`${JSON.stringify(f.name)}:${write(fv, f.dataType)}`);
    }
    return `{${parts.join(',')}}`;
  }
  if (isArray(type)) {
    if (!Array.isArray(v)) return 'null';
    return `[${v.map((e) => write(e, type.elementType)).join(',')}]`;
  }
  if (isMap(type)) {
    const entries: Array<[unknown, unknown]> = v instanceof Map ? [...v.entries()] : typeof v === 'object' ? Object.keys(v as object).map((k) => [k, getOwn(v, k)]) : [];
    return `{${entries.map(([k, val]) => `${JSON.stringify(keyText(k))}:${write(val, type.valueType)}`).join(',')}}`;
  }
  if (typeof v === 'number') {
    if (Number.isNaN(v) || !Number.isFinite(v)) return JSON.stringify(javaDoubleToString(v));
    if (isDecimal(type)) return decimalString(v, type.scale);
    if (type.typeName === 'double') return javaDoubleToString(v);
    if (type.typeName === 'float') return javaFloatToString(v);
    return String(v);
  }
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return 'null';
    return JSON.stringify(isDate(type) ? v.toISOString().slice(0, 10) : v.toISOString().replace(/\.(\d{3})Z$/, '.$1Z'));
  }
  if (v instanceof Uint8Array) return JSON.stringify(Buffer.from(v).toString('base64'));
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'string') return JSON.stringify(v);
  return JSON.stringify(String(v));
}

function keyText(k: unknown): string {
  if (k instanceof Date) return k.toISOString();
  return String(k);
}
