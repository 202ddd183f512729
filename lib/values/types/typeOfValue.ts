/**
 * The SQL type of a JS value, as Spark's `lit()` types a literal.
 *
 * Invariant: the type returned always holds the value (`normalizeValue(v, typeOfValue(v))` succeeds); values
 * with no SQL type (functions, symbols, mixed arrays with no common type) are a WeirError INVALID_ARGUMENT.
 */
import { ErrorCodes, WeirError } from '../../errors';
import { ArrayType } from './ArrayType';
import {
  BinaryType,
  BooleanType,
  DataType,
  DateType,
  DecimalType,
  DoubleType,
  IntegerType,
  LongType,
  NullType,
  NumericType,
  StringType,
  TimestampType,
} from './DataType';
import { MapType } from './MapType';
import { StructField } from './StructField';
import { StructType } from './StructType';
import { describeValue, isPlainObject } from './values';

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;
const LONG_MIN_BIG = -(1n << 63n);
const LONG_MAX_BIG = (1n << 63n) - 1n;

/**
 * The type `lit(value)` gets: an integral number → INT in int32 range, BIGINT beyond (up to ±2^53, past which
 * a JS number is no longer exact); any other number (fractional, -0, NaN, ±Infinity, |n| > 2^53) → DOUBLE; bigint → BIGINT (DECIMAL(38,0) past 64 bits);
 * string → STRING; boolean → BOOLEAN; Date → TIMESTAMP; Uint8Array → BINARY; null/undefined → VOID; an array
 * → ARRAY of its elements' common type (`[1, 2.5]` → ARRAY<DOUBLE>, `[1, 'a']` → ARRAY<STRING>); a Map →
 * MAP; a plain object → STRUCT of its properties.
 *
 * @example
 * ```ts
 * typeOfValue(1).simpleString()            // 'int'
 * typeOfValue(2 ** 40).simpleString()      // 'bigint'
 * typeOfValue([1, null]).simpleString()    // 'array<int>'
 * ```
 */
export function typeOfValue(value: unknown): DataType {
  return literalType(value, false);
}

/**
 * Like `typeOfValue`, but an array or map whose elements share no type gets VOID elements instead of an
 * error (each element is then typed on its own). For `castValue` without a source type.
 *
 * @internal
 */
export function runtimeTypeOf(value: unknown): DataType {
  return literalType(value, true);
}

function literalType(v: unknown, lenient: boolean): DataType {
  if (v === null || v === undefined) return new NullType();
  switch (typeof v) {
    case 'boolean':
      return new BooleanType();
    case 'string':
      return new StringType();
    case 'number':
      // -0 is only ever a double (`-0.0`); integers past 2^53 are not exact, so they are doubles too.
      if (Number.isInteger(v) && !Object.is(v, -0)) {
        if (v >= INT_MIN && v <= INT_MAX) return new IntegerType();
        if (Number.isSafeInteger(v)) return new LongType();
      }
      return new DoubleType();
    case 'bigint':
      if (v >= LONG_MIN_BIG && v <= LONG_MAX_BIG) return new LongType();
      if ((v < 0n ? -v : v) < 10n ** 38n) return new DecimalType(38, 0);
      throw unsupported(v);
    default:
      break;
  }
  if (v instanceof Date) return new TimestampType();
  if (v instanceof Uint8Array || v instanceof ArrayBuffer) return new BinaryType();
  if (Array.isArray(v)) {
    return new ArrayType(
      commonType(v.map((e) => literalType(e, lenient)), v, lenient),
      v.some((e) => e === null || e === undefined),
    );
  }
  if (v instanceof Map) {
    const keys = [...v.keys()];
    const values = [...v.values()];
    return new MapType(
      commonType(keys.map((k) => literalType(k, lenient)), v, lenient),
      commonType(values.map((x) => literalType(x, lenient)), v, lenient),
      values.some((x) => x === null || x === undefined),
    );
  }
  if (isPlainObject(v)) {
    return new StructType(
      Object.entries(v).map(
        ([name, x]) => new StructField(name, literalType(x, lenient), x === null || x === undefined),
      ),
    );
  }
  throw unsupported(v);
}

function commonType(types: DataType[], whole: unknown, lenient: boolean): DataType {
  let acc: DataType = new NullType();
  for (const t of types) {
    const w = widerType(acc, t);
    if (w === null) {
      if (lenient) return new NullType();
      throw new WeirError(
        ErrorCodes.INVALID_ARGUMENT,
        `[DATATYPE_MISMATCH.DATA_DIFF_TYPES] The elements of ${describeValue(whole)} have no common type: ${acc.sql()} and ${t.sql()}.`,
        { context: { types: [acc.simpleString(), t.simpleString()] } },
      );
    }
    acc = w;
  }
  return acc;
}

const NUMERIC_ORDER = [IntegerType, LongType, DecimalType, DoubleType];

/**
 * The narrowest type both `a` and `b` fit (Spark's wider-type coercion for `array(...)` literals), or null
 * when there is none.
 *
 * @internal
 */
export function widerType(a: DataType, b: DataType): DataType | null {
  if (a instanceof NullType) return b;
  if (b instanceof NullType) return a;
  if (a.equals(b)) return a;
  if (a instanceof NumericType && b instanceof NumericType) {
    const ia = NUMERIC_ORDER.findIndex((c) => a instanceof c);
    const ib = NUMERIC_ORDER.findIndex((c) => b instanceof c);
    if (ia < 0 || ib < 0) return new DoubleType();
    return ia >= ib ? a : b;
  }
  if (a instanceof StringType && isAtomic(b)) return a;
  if (b instanceof StringType && isAtomic(a)) return b;
  if ((a instanceof TimestampType && b instanceof DateType) || (a instanceof DateType && b instanceof TimestampType)) {
    return new TimestampType();
  }
  if (a instanceof ArrayType && b instanceof ArrayType) {
    const e = widerType(a.elementType, b.elementType);
    return e === null ? null : new ArrayType(e, a.containsNull || b.containsNull);
  }
  if (a instanceof MapType && b instanceof MapType) {
    const k = widerType(a.keyType, b.keyType);
    const v = widerType(a.valueType, b.valueType);
    return k === null || v === null ? null : new MapType(k, v, a.valueContainsNull || b.valueContainsNull);
  }
  if (a instanceof StructType && b instanceof StructType && a.length === b.length) {
    const fields: StructField[] = [];
    for (let i = 0; i < a.length; i++) {
      const fa = a.fields[i];
      const fb = b.fields[i];
      if (fa.name.toLowerCase() !== fb.name.toLowerCase()) return null;
      const t = widerType(fa.dataType, fb.dataType);
      if (t === null) return null;
      fields.push(new StructField(fa.name, t, fa.nullable || fb.nullable));
    }
    return new StructType(fields);
  }
  return null;
}

function isAtomic(t: DataType): boolean {
  return !(t instanceof ArrayType || t instanceof MapType || t instanceof StructType || t instanceof NullType);
}

function unsupported(v: unknown): WeirError {
  return new WeirError(
    ErrorCodes.INVALID_ARGUMENT,
    `[UNSUPPORTED_FEATURE.LITERAL_TYPE] The feature is not supported: Literal for ${describeValue(v)}.`,
    { context: { value: String(v) } },
  );
}
