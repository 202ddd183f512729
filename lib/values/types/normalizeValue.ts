/**
 * User rows into weir's in-memory form (what `createDataFrame(rows, schema)`, `MemoryStream.addData` and
 * sources with a declared schema hand to the engine).
 *
 * Invariant: the output of `normalizeValue(v, t)` is always of `t`'s in-memory form (see `DataType.ts`), or
 * the call throws WeirError INVALID_ARGUMENT whose `context.field` names the offending field by path
 * (`s.a`, `tags[2]`, `m["k"]`). Conversions are the unambiguous ones only (an epoch-ms number or an ISO string
 * for a TIMESTAMP, a bigint for a BIGINT when exact, a scalar for a STRING); anything else is rejected, as
 * PySpark's schema verification rejects it, never cast.
 */
import { ErrorCodes, WeirError } from '../../errors';
import { ArrayType } from './ArrayType';
import { castToString } from './castValue';
import {
  BinaryType,
  BooleanType,
  DataType,
  DateType,
  DecimalType,
  DoubleType,
  FloatType,
  IntegralType,
  NullType,
  StringType,
  TimestampNTZType,
  TimestampType,
} from './DataType';
import { stringToDate, stringToTimestamp, truncateToDay } from './datetime';
import { MapType } from './MapType';
import { bigDecimalOfNumber, bigDecimalToNumber, parseBigDecimal, toDecimalPrecision, type BigDecimal } from './numbers';
import { StructType } from './StructType';
import { describeValue, isPlainObject } from './values';

const MAX_DATE_MS = 8.64e15;

/**
 * Converts one user-supplied value to weir's in-memory form for `type`: TIMESTAMP → `Date` (from a `Date`, epoch
 * milliseconds, or an ISO-8601 / Spark timestamp string read in UTC), DATE → `Date` at UTC midnight (same
 * inputs, the time of day dropped), integral types → number (an integral number in range, or a bigint that
 * converts exactly), FLOAT/DOUBLE → number, DECIMAL → number rounded half up to the scale, STRING → string (a
 * number, boolean, bigint or Date is stored as CAST(v AS STRING) prints it, as PySpark 4 stores `str(v)`),
 * BOOLEAN → boolean, BINARY → `Uint8Array`/`Buffer`, ARRAY → array, MAP → `Map` (from a Map or a plain object),
 * STRUCT → plain object (from an object, or an array read positionally), recursively. null and undefined
 * give null; nullability is checked where a type says so (`containsNull`, `valueContainsNull`, struct fields).
 *
 * @param field the field's name or path, used in errors.
 * @throws WeirError INVALID_ARGUMENT naming the field when the value cannot be of `type`.
 * @example
 * ```ts
 * normalizeValue('2020-01-02T03:04:05Z', new TimestampType(), 'ts')   // new Date('2020-01-02T03:04:05Z')
 * normalizeValue('x', new IntegerType(), 'age')                        // throws: field age: IntegerType() can not accept ...
 * ```
 */
export function normalizeValue(value: unknown, type: DataType, field?: string): unknown {
  return normalize(value, type, field);
}

/**
 * Normalizes a row to `schema`: a new object with exactly the schema's fields, in schema order; a missing field
 * is null, an extra field is dropped, each value goes through `normalizeValue` and a null in a NOT NULL field
 * is an error.
 *
 * @throws WeirError INVALID_ARGUMENT naming the field.
 * @example
 * ```ts
 * normalizeRow({ word: 'a', ts: 10_000, extra: 1 }, toSchema('word STRING, ts TIMESTAMP, n INT'))
 * // { word: 'a', ts: new Date(10_000), n: null }
 * ```
 */
export function normalizeRow(row: Record<string, unknown>, schema: StructType): Record<string, unknown> {
  if (!isPlainObject(row)) {
    throw new WeirError(
      ErrorCodes.INVALID_ARGUMENT,
      `[CANNOT_ACCEPT_OBJECT_IN_TYPE] ${schema.toString()} can not accept object ${describeValue(row)}.`,
      { context: { dataType: schema.simpleString() } },
    );
  }
  return normalizeStruct(row, schema, undefined);
}

function normalize(v: unknown, type: DataType, path: string | undefined): unknown {
  if (v === null || v === undefined) return null;
  if (type instanceof StringType) {
    if (typeof v === 'string') return v;
    // PySpark 4 stores str(value) for a non-string in a STRING field; weir prints it as CAST(v AS STRING).
    if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' || v instanceof Date) {
      return castToString(v);
    }
  } else if (type instanceof IntegralType) {
    return normalizeIntegral(v, type, path);
  } else if (type instanceof DoubleType) {
    if (typeof v === 'number') return v;
    if (typeof v === 'bigint') return Number(v);
  } else if (type instanceof FloatType) {
    if (typeof v === 'number') return Math.fround(v);
    if (typeof v === 'bigint') return Math.fround(Number(v));
  } else if (type instanceof DecimalType) {
    return normalizeDecimal(v, type, path);
  } else if (type instanceof BooleanType) {
    if (typeof v === 'boolean') return v;
  } else if (type instanceof TimestampType || type instanceof TimestampNTZType) {
    const ms = instantOf(v, type instanceof TimestampNTZType);
    if (ms !== null) return new Date(ms);
  } else if (type instanceof DateType) {
    const ms = v instanceof Date || typeof v === 'number' || typeof v === 'bigint' ? instantOf(v, false) : null;
    if (ms !== null) return new Date(truncateToDay(ms));
    if (typeof v === 'string') {
      const day = stringToDate(v);
      if (day !== null) return new Date(day);
    }
  } else if (type instanceof BinaryType) {
    if (v instanceof Uint8Array) return v;
    if (v instanceof ArrayBuffer) return new Uint8Array(v);
  } else if (type instanceof ArrayType) {
    if (Array.isArray(v)) {
      const base = path ?? 'element';
      return v.map((e, i) => {
        const p = `${base}[${i}]`;
        if ((e === null || e === undefined) && !type.containsNull) throw notNullable(p);
        return normalize(e, type.elementType, p);
      });
    }
  } else if (type instanceof MapType) {
    if (v instanceof Map || isPlainObject(v)) return normalizeMap(v, type, path);
  } else if (type instanceof StructType) {
    if (Array.isArray(v)) {
      if (v.length !== type.length) {
        throw new WeirError(
          ErrorCodes.INVALID_ARGUMENT,
          `[FIELD_STRUCT_LENGTH_MISMATCH${path === undefined ? '' : '_WITH_NAME'}] ${prefix(path)}Length of object (${v.length}) does not match with length of fields (${type.length}).`,
          { context: { field: path, dataType: type.simpleString() } },
        );
      }
      const o: Record<string, unknown> = {};
      type.fields.forEach((f, i) => (o[f.name] = v[i]));
      return normalizeStruct(o, type, path);
    }
    if (isPlainObject(v)) return normalizeStruct(v, type, path);
  } else if (type instanceof NullType) {
    // only null, handled above
  }
  throw unacceptable(v, type, path);
}

function normalizeStruct(o: Record<string, unknown>, type: StructType, path: string | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of type.fields) {
    const p = path === undefined ? f.name : `${path}.${f.name}`;
    const x = o[f.name];
    if ((x === null || x === undefined) && !f.nullable) throw notNullable(p);
    out[f.name] = normalize(x, f.dataType, p);
  }
  return out;
}

function normalizeMap(v: Map<unknown, unknown> | Record<string, unknown>, type: MapType, path: string | undefined): Map<unknown, unknown> {
  const base = path ?? 'map';
  const out = new Map<unknown, unknown>();
  const entries: Array<[unknown, unknown]> = v instanceof Map ? [...v.entries()] : Object.entries(v);
  const fromObject = !(v instanceof Map);
  for (const [rawKey, value] of entries) {
    const keyPath = `${base} key ${JSON.stringify(String(rawKey))}`;
    if (rawKey === null || rawKey === undefined) {
      throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `[NULL_MAP_KEY] field ${keyPath}: Cannot use null as map key.`, {
        context: { field: base },
      });
    }
    let key = rawKey;
    // Object keys are strings; an integral key type reads them as the integers they spell.
    if (fromObject && type.keyType instanceof IntegralType && /^-?\d+$/.test(rawKey as string)) key = Number(rawKey);
    const k = normalize(key, type.keyType, keyPath);
    const p = `${base}[${JSON.stringify(typeof rawKey === 'string' ? rawKey : String(rawKey))}]`;
    if ((value === null || value === undefined) && !type.valueContainsNull) throw notNullable(p);
    out.set(k, normalize(value, type.valueType, p));
  }
  return out;
}

function normalizeIntegral(v: unknown, type: IntegralType, path: string | undefined): number {
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw unacceptable(v, type, path);
    if (v < type.minValue || v > type.maxValue || (type.bits === 64 && v >= 2 ** 63)) throw outOfBounds(v, type, path);
    return v === 0 ? 0 : v;
  }
  if (typeof v === 'bigint') {
    const limit = 1n << BigInt(type.bits - 1);
    if (v < -limit || v >= limit) throw outOfBounds(v, type, path);
    const n = Number(v);
    if (BigInt(n) !== v) {
      throw new WeirError(
        ErrorCodes.INVALID_ARGUMENT,
        `[VALUE_OUT_OF_BOUNDS] ${prefix(path)}${v}n has no exact JS number; weir holds BIGINT values as numbers (exact up to 2^53).`,
        { context: { field: path, dataType: type.simpleString() } },
      );
    }
    return n;
  }
  throw unacceptable(v, type, path);
}

function normalizeDecimal(v: unknown, type: DecimalType, path: string | undefined): number {
  let d: BigDecimal | null = null;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw unacceptable(v, type, path);
    d = bigDecimalOfNumber(v);
  } else if (typeof v === 'bigint') {
    d = { unscaled: v, scale: 0 };
  } else if (typeof v === 'string') {
    d = parseBigDecimal(v);
  }
  if (d === null) throw unacceptable(v, type, path);
  const r = toDecimalPrecision(d, type.precision, type.scale);
  if (r === null) {
    throw new WeirError(
      ErrorCodes.INVALID_ARGUMENT,
      `[VALUE_OUT_OF_BOUNDS] ${prefix(path)}${describeValue(v)} does not fit ${type.toString()}.`,
      { context: { field: path, dataType: type.simpleString() } },
    );
  }
  return bigDecimalToNumber(r);
}

/** Epoch ms of a TIMESTAMP input (Date, epoch-ms number or bigint, timestamp string), or null. */
function instantOf(v: unknown, withoutTimeZone: boolean): number | null {
  let ms: number | null = null;
  if (v instanceof Date) ms = v.getTime();
  else if (typeof v === 'number') ms = v;
  else if (typeof v === 'bigint') ms = Number(v);
  else if (typeof v === 'string') ms = stringToTimestamp(v, { withoutTimeZone });
  return ms !== null && Number.isFinite(ms) && Math.abs(ms) <= MAX_DATE_MS ? ms : null;
}

function prefix(path: string | undefined): string {
  return path === undefined ? '' : `field ${path}: `;
}

function unacceptable(v: unknown, type: DataType, path: string | undefined): WeirError {
  return new WeirError(
    ErrorCodes.INVALID_ARGUMENT,
    `[FIELD_DATA_TYPE_UNACCEPTABLE${path === undefined ? '' : '_WITH_NAME'}] ${prefix(path)}${type.toString()} can not accept object ${describeValue(v)}.`,
    { context: { field: path, dataType: type.simpleString() } },
  );
}

function notNullable(path: string): WeirError {
  return new WeirError(
    ErrorCodes.INVALID_ARGUMENT,
    `[FIELD_NOT_NULLABLE_WITH_NAME] field ${path}: This field is not nullable, but got null.`,
    { context: { field: path } },
  );
}

function outOfBounds(v: number | bigint, type: IntegralType, path: string | undefined): WeirError {
  const min = type.bits === 64 ? '-9223372036854775808' : String(type.minValue);
  const max = type.bits === 64 ? '9223372036854775807' : String(type.maxValue);
  return new WeirError(
    ErrorCodes.INVALID_ARGUMENT,
    `[VALUE_OUT_OF_BOUNDS] ${prefix(path)}${type.toString()} value must be between ${min} and ${max} (inclusive), got ${v}.`,
    { context: { field: path, dataType: type.simpleString() } },
  );
}
