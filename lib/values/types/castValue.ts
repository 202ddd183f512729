/**
 * Spark's CAST with `spark.sql.ansi.enabled=false` (weir's default): a value that does not convert becomes
 * null ('abc' AS INT), integral overflow wraps (3000000000L AS INT = -1294967296), FLOAT/DOUBLE to an integral
 * type saturates (1e20 AS INT = 2147483647, NaN → 0). Date-times are read and printed in weir's session time
 * zone, UTC.
 *
 * Invariant: `castValue` never throws for a value of a castable type; it throws WeirError INVALID_ARGUMENT only
 * when the cast is one Spark rejects at analysis (`canCast(from, to)` is false, e.g. INT → DATE), which the
 * DataFrame layer should check before running anything.
 */
import { ErrorCodes, WeirError } from '../../errors';
import { ArrayType } from './ArrayType';
import {
  BinaryType,
  BooleanType,
  ByteType,
  DataType,
  DateType,
  DecimalType,
  DoubleType,
  FloatType,
  FractionalType,
  IntegerType,
  IntegralType,
  LongType,
  NullType,
  NumericType,
  ShortType,
  StringType,
  TimestampNTZType,
  TimestampType,
} from './DataType';
import { formatDate, formatTimestamp, stringToDate, stringToTimestamp, truncateToDay } from './datetime';
import { MapType } from './MapType';
import {
  type BigDecimal,
  bigDecimalOfNumber,
  bigDecimalToNumber,
  decimalToString,
  fractionalToIntegral,
  integralToString,
  javaDoubleToString,
  javaFloatToString,
  parseBigDecimal,
  parseIntegral,
  parseJavaDouble,
  toDecimalPrecision,
  trimAll,
  wrapIntegral,
} from './numbers';
import { StructType } from './StructType';
import { runtimeTypeOf } from './typeOfValue';
import { isPlainObject } from './values';

const MAX_DATE_MS = 8.64e15;
const TRUE_STRINGS = new Set(['t', 'true', 'y', 'yes', '1']);
const FALSE_STRINGS = new Set(['f', 'false', 'n', 'no', '0']);

/**
 * Spark's `Cast.canCast` (non-ANSI): whether CAST(x AS to) is allowed for an x of type `from`.
 *
 * @example
 * ```ts
 * canCast(new StringType(), new IntegerType())   // true
 * canCast(new IntegerType(), new DateType())     // false: Spark rejects it at analysis
 * ```
 */
export function canCast(from: DataType, to: DataType): boolean {
  if (from.equals(to) || from instanceof NullType) return true;
  if (to instanceof StringType) return true;
  if (to instanceof BinaryType) return from instanceof StringType || from instanceof IntegralType;
  if (to instanceof BooleanType) {
    return (
      from instanceof StringType || from instanceof DateType || from instanceof TimestampType || from instanceof NumericType
    );
  }
  if (to instanceof TimestampType) {
    return (
      from instanceof StringType ||
      from instanceof BooleanType ||
      from instanceof DateType ||
      from instanceof NumericType ||
      from instanceof TimestampNTZType
    );
  }
  if (to instanceof TimestampNTZType) {
    return from instanceof StringType || from instanceof DateType || from instanceof TimestampType;
  }
  if (to instanceof DateType) {
    return from instanceof StringType || from instanceof TimestampType || from instanceof TimestampNTZType;
  }
  if (to instanceof NumericType) {
    return (
      from instanceof StringType ||
      from instanceof BooleanType ||
      from instanceof DateType ||
      from instanceof TimestampType ||
      from instanceof NumericType
    );
  }
  if (to instanceof ArrayType && from instanceof ArrayType) {
    return (
      canCast(from.elementType, to.elementType) &&
      resolvableNullability(from.containsNull || forceNullable(from.elementType, to.elementType), to.containsNull)
    );
  }
  if (to instanceof MapType && from instanceof MapType) {
    return (
      canCast(from.keyType, to.keyType) &&
      !forceNullable(from.keyType, to.keyType) &&
      canCast(from.valueType, to.valueType) &&
      resolvableNullability(from.valueContainsNull || forceNullable(from.valueType, to.valueType), to.valueContainsNull)
    );
  }
  if (to instanceof StructType && from instanceof StructType) {
    return (
      from.fields.length === to.fields.length &&
      from.fields.every((f, i) => {
        const t = to.fields[i];
        return (
          canCast(f.dataType, t.dataType) &&
          resolvableNullability(f.nullable || forceNullable(f.dataType, t.dataType), t.nullable)
        );
      })
    );
  }
  return false;
}

function resolvableNullability(from: boolean, to: boolean): boolean {
  return !from || to;
}

const NUMERIC_PRECEDENCE = [ByteType, ShortType, IntegerType, LongType, FloatType, DoubleType];

function precedence(t: DataType): number {
  return NUMERIC_PRECEDENCE.findIndex((c) => t instanceof c);
}

/** Spark's `Cast.forceNullable`: whether the cast can turn a non-null value into null. */
function forceNullable(from: DataType, to: DataType): boolean {
  if (from instanceof NullType) return false;
  const pf = precedence(from);
  const pt = precedence(to);
  if (pt > 0 && pf > pt) return true;
  if (from instanceof StringType && to instanceof BinaryType) return false;
  if (from instanceof StringType) return true;
  if (to instanceof StringType) return false;
  if (from instanceof TimestampType && (to instanceof ByteType || to instanceof ShortType || to instanceof IntegerType)) {
    return true;
  }
  if ((from instanceof FloatType || from instanceof DoubleType) && to instanceof TimestampType) return true;
  if (from instanceof TimestampType && to instanceof DateType) return false;
  if (to instanceof DateType) return true;
  if (from instanceof DateType && (to instanceof NumericType || to instanceof BooleanType)) return true;
  if ((from instanceof DoubleType || from instanceof FloatType) && to instanceof DecimalType) return true;
  if (to instanceof DecimalType && !canNullSafeCastToDecimal(from, to)) return true;
  if (from instanceof FractionalType && !(from instanceof DecimalType) && to instanceof IntegralType) return true;
  return false;
}

const INTEGRAL_AS_DECIMAL: Array<[new () => DataType, number]> = [
  [ByteType, 3],
  [ShortType, 5],
  [IntegerType, 10],
  [LongType, 20],
];

function canNullSafeCastToDecimal(from: DataType, to: DecimalType): boolean {
  if (from instanceof BooleanType) return to.isWiderThan(new DecimalType(1, 0));
  if (from instanceof DecimalType) return to.isWiderThan(from);
  for (const [c, p] of INTEGRAL_AS_DECIMAL) if (from instanceof c) return to.isWiderThan(new DecimalType(p, 0));
  return false;
}

/**
 * Spark's analysis error for a cast `canCast` rejects. `sqlText` is the expression as SQL, for the
 * `Cannot resolve "CAST(x AS DATE)"` part.
 */
export function cannotCastMessage(from: DataType, to: DataType, sqlText?: string): string {
  const expr = sqlText ?? `CAST(value AS ${to.sql()})`;
  return `[DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION] Cannot resolve "${expr}" due to data type mismatch: cannot cast "${from.sql()}" to "${to.sql()}".`;
}

/**
 * Spark's CAST of a value to `to`, with ANSI mode off: a value that does not convert gives null, as Spark does
 * with `spark.sql.ansi.enabled=false`. `from` is the value's SQL type (the expression's type); without it (or
 * when the value does not fit it) the type is read off the value as `lit()` would (`typeOfValue`), so an
 * integral number counts as INT/BIGINT and `castValue(1, new StringType())` is `'1'`, while
 * `castValue(1, new StringType(), new DoubleType())` is `'1.0'`.
 *
 * Rules (Spark 4.0, non-ANSI): string → integral trims and truncates a fraction (`'1.9'` → 1, `'1e3'` → null);
 * string → double reads Java's syntax plus `inf`/`nan`; string → boolean reads `t/true/y/yes/1` and
 * `f/false/n/no/0`; string → timestamp reads ISO-8601 and `yyyy-MM-dd HH:mm:ss[.SSSSSS][zone]` in UTC; string →
 * date reads `yyyy-MM-dd` (anything after a space or `T` ignored); numbers print as Java does (`1.0`, `1.0E21`);
 * timestamps print `yyyy-MM-dd HH:mm:ss[.fraction]`; timestamp ↔ numeric is epoch seconds (floored); integral
 * narrowing wraps; FLOAT/DOUBLE → integral saturates; DECIMAL rounds half up and overflows to null; DATE →
 * numeric/boolean is null; arrays, maps and structs cast element-wise and print as `[1, 2]`, `{a -> 1}`,
 * `{1, a}`. Sub-millisecond parts of timestamps are lost (true AS TIMESTAMP is 1 µs in Spark, 0 ms here).
 *
 * @throws WeirError INVALID_ARGUMENT when Spark would reject the cast at analysis (`canCast` is false).
 * @example
 * ```ts
 * castValue(' 42 ', new IntegerType())                         // 42
 * castValue('abc', new IntegerType())                          // null
 * castValue('2020-01-02 03:04:05', new TimestampType())        // new Date('2020-01-02T03:04:05Z')
 * castValue(new Date(1500), new StringType())                  // '1970-01-01 00:00:01.5'
 * ```
 */
export function castValue(value: unknown, to: DataType, from?: DataType): unknown {
  if (value === null || value === undefined) return null;
  const source = from !== undefined && fits(value, from) ? from : runtimeTypeOf(value);
  if (!canCast(source, to)) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, cannotCastMessage(source, to), {
      context: { from: source.simpleString(), to: to.simpleString() },
    });
  }
  return castNonNull(value, source, to);
}

/**
 * A value as CAST(x AS STRING) prints it (null stays null). The form `show()` builds its cells from.
 *
 * @example
 * ```ts
 * castToString([1, null], new ArrayType(new IntegerType()))   // '[1, null]'
 * castToString(1, new DoubleType())                           // '1.0'
 * ```
 */
export function castToString(value: unknown, from?: DataType): string | null {
  if (value === null || value === undefined) return null;
  return toStringNonNull(value, from !== undefined && fits(value, from) ? from : runtimeTypeOf(value));
}

/** Whether a JS value has the shape of `type`'s in-memory values. */
function fits(v: unknown, type: DataType): boolean {
  if (type instanceof StringType) return typeof v === 'string';
  if (type instanceof BooleanType) return typeof v === 'boolean';
  if (type instanceof IntegralType) return typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v));
  if (type instanceof NumericType) return typeof v === 'number' || typeof v === 'bigint';
  if (type instanceof TimestampType || type instanceof TimestampNTZType || type instanceof DateType) {
    return v instanceof Date;
  }
  if (type instanceof BinaryType) return v instanceof Uint8Array;
  if (type instanceof ArrayType) return Array.isArray(v);
  if (type instanceof MapType) return v instanceof Map || isPlainObject(v);
  if (type instanceof StructType) return isPlainObject(v) || Array.isArray(v);
  return type instanceof NullType;
}

function castNonNull(v: unknown, from: DataType, to: DataType): unknown {
  if (!fits(v, from)) from = runtimeTypeOf(v);
  if (to instanceof StringType) return toStringNonNull(v, from);
  if (to instanceof IntegralType) return toIntegral(v, from, to.bits);
  if (to instanceof DoubleType) return toDouble(v, from);
  if (to instanceof FloatType) {
    const d = toDouble(v, from);
    return d === null ? null : Math.fround(d);
  }
  if (to instanceof DecimalType) return toDecimal(v, from, to);
  if (to instanceof BooleanType) return toBoolean(v, from);
  if (to instanceof TimestampType) return toTimestamp(v, from, false);
  if (to instanceof TimestampNTZType) return toTimestamp(v, from, true);
  if (to instanceof DateType) return toDate(v, from);
  if (to instanceof BinaryType) return toBinary(v, from);
  if (to instanceof ArrayType) return toArray(v, from, to);
  if (to instanceof MapType) return toMap(v, from, to);
  if (to instanceof StructType) return toStruct(v, from, to);
  if (to instanceof NullType) return null;
  throw new WeirError(ErrorCodes.INVALID_ARGUMENT, cannotCastMessage(from, to));
}

function num(v: unknown): number {
  return typeof v === 'bigint' ? Number(v) : (v as number);
}

function dateMs(v: unknown): number {
  return (v as Date).getTime();
}

function toIntegral(v: unknown, from: DataType, bits: number): number | null {
  if (from instanceof StringType) return parseIntegral(v as string, bits);
  if (from instanceof BooleanType) return v ? 1 : 0;
  if (from instanceof TimestampType) {
    // Epoch seconds; Spark gives null (not a wrapped value) when they do not fit INT/SMALLINT/TINYINT.
    const ms = dateMs(v);
    if (Number.isNaN(ms)) return null;
    const seconds = Math.floor(ms / 1000);
    return bits === 64 || wrapIntegral(seconds, bits) === seconds ? seconds : null;
  }
  if (from instanceof DateType) return null;
  if (typeof v === 'bigint') return Number(BigInt.asIntN(bits, v));
  if (from instanceof FloatType || from instanceof DoubleType) return fractionalToIntegral(v as number, bits);
  if (from instanceof DecimalType) return wrapIntegral(Math.trunc(v as number) || 0, bits);
  if (from instanceof IntegralType) return wrapIntegral(Math.trunc(v as number) || 0, bits);
  return null;
}

function toDouble(v: unknown, from: DataType): number | null {
  if (from instanceof StringType) return parseJavaDouble(v as string);
  if (from instanceof BooleanType) return v ? 1 : 0;
  if (from instanceof TimestampType) {
    const ms = dateMs(v);
    return Number.isNaN(ms) ? null : ms / 1000;
  }
  if (from instanceof DateType) return null;
  if (from instanceof NumericType) return num(v);
  return null;
}

function toDecimal(v: unknown, from: DataType, to: DecimalType): number | null {
  let d: BigDecimal | null;
  if (from instanceof StringType) d = parseBigDecimal(v as string);
  else if (from instanceof BooleanType) d = { unscaled: v ? 1n : 0n, scale: 0 };
  else if (from instanceof TimestampType) {
    const ms = dateMs(v);
    d = Number.isNaN(ms) ? null : { unscaled: BigInt(ms), scale: 3 };
  } else if (from instanceof DateType) d = null;
  else if (typeof v === 'bigint') d = { unscaled: v, scale: 0 };
  else if (from instanceof NumericType) d = bigDecimalOfNumber(v as number);
  else d = null;
  if (d === null) return null;
  const r = toDecimalPrecision(d, to.precision, to.scale);
  return r === null ? null : bigDecimalToNumber(r);
}

function toBoolean(v: unknown, from: DataType): boolean | null {
  if (from instanceof StringType) {
    const s = trimAll(v as string).toLowerCase();
    if (TRUE_STRINGS.has(s)) return true;
    if (FALSE_STRINGS.has(s)) return false;
    return null;
  }
  if (from instanceof TimestampType) return dateMs(v) !== 0;
  if (from instanceof DateType) return null;
  if (typeof v === 'bigint') return v !== 0n;
  if (from instanceof NumericType) return (v as number) !== 0;
  return null;
}

function toTimestamp(v: unknown, from: DataType, withoutTimeZone: boolean): Date | null {
  let ms: number | null;
  if (from instanceof StringType) ms = stringToTimestamp(v as string, { withoutTimeZone });
  else if (from instanceof TimestampType || from instanceof TimestampNTZType || from instanceof DateType) {
    ms = dateMs(v);
  } else if (from instanceof BooleanType) ms = 0; // 1 µs for true in Spark: below a millisecond
  else if (from instanceof IntegralType) ms = num(v) * 1000;
  else if (from instanceof NumericType) {
    const d = num(v);
    ms = Number.isFinite(d) ? Math.floor(Math.trunc(d * 1e6) / 1000) : null;
  } else ms = null;
  return ms === null || !(Math.abs(ms) <= MAX_DATE_MS) ? null : new Date(ms);
}

function toDate(v: unknown, from: DataType): Date | null {
  let ms: number | null;
  if (from instanceof StringType) ms = stringToDate(v as string);
  else if (from instanceof TimestampType || from instanceof TimestampNTZType || from instanceof DateType) {
    ms = truncateToDay(dateMs(v));
  } else ms = null;
  return ms === null || Number.isNaN(ms) ? null : new Date(ms);
}

function toBinary(v: unknown, from: DataType): Uint8Array | null {
  if (from instanceof StringType) return new TextEncoder().encode(v as string);
  if (from instanceof BinaryType) return v as Uint8Array;
  if (from instanceof IntegralType) {
    const bytes = from.bits / 8;
    let x = BigInt.asUintN(from.bits, typeof v === 'bigint' ? v : BigInt(Math.trunc(v as number)));
    const out = new Uint8Array(bytes);
    for (let i = bytes - 1; i >= 0; i--) {
      out[i] = Number(x & 0xffn);
      x >>= 8n;
    }
    return out;
  }
  return null;
}

function toArray(v: unknown, from: DataType, to: ArrayType): unknown[] | null {
  if (!(from instanceof ArrayType)) return null;
  return (v as unknown[]).map((e) => (e === null || e === undefined ? null : castNonNull(e, from.elementType, to.elementType)));
}

function mapEntries(v: unknown): Array<[unknown, unknown]> {
  return v instanceof Map ? [...v.entries()] : Object.entries(v as Record<string, unknown>);
}

function toMap(v: unknown, from: DataType, to: MapType): Map<unknown, unknown> | null {
  if (!(from instanceof MapType)) return null;
  const out = new Map<unknown, unknown>();
  for (const [k, val] of mapEntries(v)) {
    out.set(
      castNonNull(k, from.keyType, to.keyType),
      val === null || val === undefined ? null : castNonNull(val, from.valueType, to.valueType),
    );
  }
  return out;
}

function structValues(v: unknown, from: StructType): unknown[] {
  if (Array.isArray(v)) return from.fields.map((_f, i) => v[i]);
  const o = v as Record<string, unknown>;
  return from.fields.map((f) => o[f.name]);
}

function toStruct(v: unknown, from: DataType, to: StructType): Record<string, unknown> | null {
  if (!(from instanceof StructType)) return null;
  const values = structValues(v, from);
  const out: Record<string, unknown> = {};
  to.fields.forEach((f, i) => {
    const x = values[i];
    out[f.name] = x === null || x === undefined ? null : castNonNull(x, from.fields[i].dataType, f.dataType);
  });
  return out;
}

function toStringNonNull(v: unknown, from: DataType): string {
  if (!fits(v, from)) from = runtimeTypeOf(v);
  if (from instanceof StringType) return v as string;
  if (from instanceof BooleanType) return v ? 'true' : 'false';
  if (typeof v === 'bigint') return v.toString();
  if (from instanceof LongType && (v as number) >= 2 ** 63) return '9223372036854775807'; // Long.MaxValue, saturated
  if (from instanceof IntegralType) return integralToString(v as number);
  if (from instanceof DoubleType) return javaDoubleToString(v as number);
  if (from instanceof FloatType) return javaFloatToString(Math.fround(v as number));
  if (from instanceof DecimalType) return decimalToString(v as number, from.scale);
  if (from instanceof TimestampType || from instanceof TimestampNTZType) return formatDateTime(v as Date, formatTimestamp);
  if (from instanceof DateType) return formatDateTime(v as Date, formatDate);
  if (from instanceof BinaryType) return new TextDecoder().decode(v as Uint8Array);
  const inner = (x: unknown, t: DataType): string => (x === null || x === undefined ? 'null' : toStringNonNull(x, t));
  if (from instanceof ArrayType) return `[${(v as unknown[]).map((e) => inner(e, from.elementType)).join(', ')}]`;
  if (from instanceof MapType) {
    return `{${mapEntries(v)
      .map(([k, val]) => `${inner(k, from.keyType)} -> ${inner(val, from.valueType)}`)
      .join(', ')}}`;
  }
  if (from instanceof StructType) {
    const values = structValues(v, from);
    return `{${from.fields.map((f, i) => inner(values[i], f.dataType)).join(', ')}}`;
  }
  return String(v);
}

function formatDateTime(d: Date, format: (ms: number) => string): string {
  const ms = d.getTime();
  return Number.isNaN(ms) ? 'Invalid Date' : format(ms);
}
