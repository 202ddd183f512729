/**
 * What the expression layer needs from `lib/values/types`: type factories, literal typing, Spark's implicit type
 * coercion (non-ANSI `TypeCoercion`), and the interval types that have no row representation.
 *
 * Invariants: every type decision of the analyzer goes through here, so the coercion rules live in one place;
 * functions are pure. Interval types exist only for interval literals (`ts + INTERVAL 10 SECONDS`): rows never
 * hold interval values.
 */
import { exprError, ExprErrorCodes } from './errorCodes';
import type { Expr, LiteralExpr } from './Expr';
import {
  ArrayType,
  BinaryType,
  BooleanType,
  ByteType,
  DataType,
  DateType,
  DecimalType,
  DoubleType,
  FloatType,
  IntegerType,
  LongType,
  MapType,
  NullType,
  ShortType,
  StringType,
  StructField,
  StructType,
  TimestampNTZType,
  TimestampType,
  castValue,
  canCast,
  cannotCastMessage,
  parseDataType,
} from '../../values/types';
import { fragmentBlock } from './lexer';

/** Factories of the types the analyzer builds (fresh instances: DataTypes compare structurally). */
export const sqlTypes = {
  string: (): DataType => new StringType(),
  boolean: (): DataType => new BooleanType(),
  byte: (): DataType => new ByteType(),
  short: (): DataType => new ShortType(),
  int: (): DataType => new IntegerType(),
  long: (): DataType => new LongType(),
  float: (): DataType => new FloatType(),
  double: (): DataType => new DoubleType(),
  decimal: (precision: number, scale: number): DataType => new DecimalType(precision, scale),
  date: (): DataType => new DateType(),
  timestamp: (): DataType => new TimestampType(),
  binary: (): DataType => new BinaryType(),
  null: (): DataType => new NullType(),
  array: (element: DataType, containsNull = true): DataType => new ArrayType(element, containsNull),
  map: (key: DataType, value: DataType, valueContainsNull = true): DataType => new MapType(key, value, valueContainsNull),
  struct: (fields: ReadonlyArray<{ name: string; dataType: DataType; nullable?: boolean }>): StructType =>
    new StructType(fields.map((f) => new StructField(f.name, f.dataType, f.nullable ?? true))),
  window: (): StructType =>
    new StructType([new StructField('start', new TimestampType(), true), new StructField('end', new TimestampType(), true)]),
};

/** Spark 3.2+'s ANSI day-time interval type (`interval second`, `interval hour to minute`). */
export class DayTimeIntervalType extends DataType {
  override readonly typeName = 'interval';
  constructor(
    readonly startField: string = 'DAY',
    readonly endField: string = 'SECOND',
  ) {
    super();
  }
  override simpleString(): string {
    const s = this.startField.toLowerCase();
    const e = this.endField.toLowerCase();
    return s === e ? `interval ${s}` : `interval ${s} to ${e}`;
  }
  override equals(other: DataType): boolean {
    return other instanceof DayTimeIntervalType;
  }
  override toString(): string {
    return 'DayTimeIntervalType()';
  }
}

/** Spark 3.2+'s ANSI year-month interval type (`interval year to month`). */
export class YearMonthIntervalType extends DataType {
  override readonly typeName = 'interval';
  constructor(
    readonly startField: string = 'YEAR',
    readonly endField: string = 'MONTH',
  ) {
    super();
  }
  override simpleString(): string {
    const s = this.startField.toLowerCase();
    const e = this.endField.toLowerCase();
    return s === e ? `interval ${s}` : `interval ${s} to ${e}`;
  }
  override equals(other: DataType): boolean {
    return other instanceof YearMonthIntervalType;
  }
  override toString(): string {
    return 'YearMonthIntervalType()';
  }
}

/** The type of an interval literal node. */
export function intervalType(display: string, months: number): DataType {
  const m = /' ([A-Z]+)(?: TO ([A-Z]+))?$/.exec(display);
  const from = m?.[1] ?? (months !== 0 ? 'YEAR' : 'DAY');
  const to = m?.[2] ?? from;
  return months !== 0 || from === 'YEAR' || from === 'MONTH' ? new YearMonthIntervalType(from, to) : new DayTimeIntervalType(from, to);
}

/**
 * The literal node for a JS value, typed as `lit()` types it: integers in int range INT, other integers BIGINT,
 * other numbers DOUBLE, strings STRING, booleans BOOLEAN, `Date` TIMESTAMP, bigint BIGINT, `Uint8Array` BINARY,
 * null/undefined VOID.
 */
export function literalOf(value: unknown): LiteralExpr {
  if (value === null || value === undefined) return { kind: 'literal', value: null, dataType: sqlTypes.null() };
  switch (typeof value) {
    case 'string':
      return { kind: 'literal', value, dataType: sqlTypes.string() };
    case 'boolean':
      return { kind: 'literal', value, dataType: sqlTypes.boolean() };
    case 'number':
      if (Number.isInteger(value) && value >= -2147483648 && value <= 2147483647 && !Object.is(value, -0)) {
        return { kind: 'literal', value, dataType: sqlTypes.int() };
      }
      if (Number.isSafeInteger(value)) return { kind: 'literal', value, dataType: sqlTypes.long() };
      return { kind: 'literal', value, dataType: sqlTypes.double() };
    case 'bigint':
      if (value < -(2n ** 63n) || value >= 2n ** 63n) {
        throw exprError('INVALID_ARGUMENT', `The bigint literal ${value} is outside the range of BIGINT.`, { value: String(value) });
      }
      return { kind: 'literal', value: Number(value), dataType: sqlTypes.long() };
    default:
      break;
  }
  if (value instanceof Date) return { kind: 'literal', value: new Date(value.getTime()), dataType: sqlTypes.timestamp() };
  if (value instanceof Uint8Array) return { kind: 'literal', value: new Uint8Array(value), dataType: sqlTypes.binary() };
  throw exprError('INVALID_ARGUMENT', `Unsupported literal ${describeValue(value)}; use array(...), struct(...) or create_map(...) for nested values.`, {
    value: describeValue(value),
  });
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Map) return 'a Map';
  return `a ${typeof value}`;
}

/** Parses the type text of `CAST(x AS <type>)` / `x::<type>`, reporting errors at `position` of `fullText`. */
export function parseTypeText(source: string, fullText: string, position: number, end = position + source.length): DataType {
  try {
    return parseDataType(source);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const spark = /^\[UNSUPPORTED_DATATYPE\]/.test(message) || !/^\[[A-Z_.]+\]/.test(message)
      ? `[UNSUPPORTED_DATATYPE] Unsupported data type "${source.toUpperCase()}". SQLSTATE: 0A000`
      : message.split('\n')[0]!;
    throw exprError(ExprErrorCodes.PARSE_ERROR, `${spark}${fragmentBlock(fullText, position, end)}`, {
      position,
      text: fullText,
      type: source,
    }, e);
  }
}

/** `DATE '...'` / `TIMESTAMP '...'`: the literal, or null when the text is not a valid value. */
export function castLiteralText(text: string, to: 'date' | 'timestamp'): LiteralExpr | null {
  const type = to === 'date' ? sqlTypes.date() : sqlTypes.timestamp();
  const value = castValue(text, type);
  if (value === null || value === undefined) return null;
  return { kind: 'literal', value, dataType: type };
}

// ---- type predicates -------------------------------------------------------------------------------------

export const isString = (t: DataType): boolean => t instanceof StringType;
export const isBoolean = (t: DataType): boolean => t instanceof BooleanType;
export const isNull = (t: DataType): boolean => t instanceof NullType;
export const isIntegral = (t: DataType): boolean =>
  t instanceof ByteType || t instanceof ShortType || t instanceof IntegerType || t instanceof LongType;
export const isDecimal = (t: DataType): t is DecimalType => t instanceof DecimalType;
export const isFloating = (t: DataType): boolean => t instanceof FloatType || t instanceof DoubleType;
export const isNumeric = (t: DataType): boolean => isIntegral(t) || isDecimal(t) || isFloating(t);
export const isTimestamp = (t: DataType): boolean => t instanceof TimestampType || t instanceof TimestampNTZType;
export const isDate = (t: DataType): boolean => t instanceof DateType;
export const isBinary = (t: DataType): boolean => t instanceof BinaryType;
export const isInterval = (t: DataType): boolean => t instanceof DayTimeIntervalType || t instanceof YearMonthIntervalType;
export const isArray = (t: DataType): t is ArrayType => t instanceof ArrayType;
export const isMap = (t: DataType): t is MapType => t instanceof MapType;
export const isStruct = (t: DataType): t is StructType => t instanceof StructType;
export const isAtomic = (t: DataType): boolean =>
  isString(t) || isBoolean(t) || isNumeric(t) || isTimestamp(t) || isDate(t) || isBinary(t);

/** Spark's numeric precedence for widening: byte < short < int < long < decimal < float < double. */
function numericRank(t: DataType): number {
  if (t instanceof ByteType) return 1;
  if (t instanceof ShortType) return 2;
  if (t instanceof IntegerType) return 3;
  if (t instanceof LongType) return 4;
  if (t instanceof DecimalType) return 5;
  if (t instanceof FloatType) return 6;
  if (t instanceof DoubleType) return 7;
  return 0;
}

/** The DECIMAL an integral type widens to (Spark's `DecimalType.forType`). */
export function decimalForIntegral(t: DataType): DecimalType {
  if (t instanceof ByteType) return new DecimalType(3, 0);
  if (t instanceof ShortType) return new DecimalType(5, 0);
  if (t instanceof IntegerType) return new DecimalType(10, 0);
  return new DecimalType(20, 0);
}

/** The exact DECIMAL of an integral literal (Spark's `DecimalType.fromLiteral`): 3 → DECIMAL(1,0). */
export function decimalForLiteral(e: Expr, t: DataType): DecimalType {
  if (isDecimal(t)) return t;
  if (e.kind === 'literal' && typeof e.value === 'number' && Number.isInteger(e.value)) {
    const digits = String(Math.abs(e.value)).length;
    return new DecimalType(Math.max(digits, 1), 0);
  }
  return decimalForIntegral(t);
}

/** The wider of two numeric types (Spark's `findWiderTypeForTwo` on numerics). */
export function widerNumeric(a: DataType, b: DataType): DataType {
  if (isDecimal(a) && isDecimal(b)) return widerDecimal(a, b);
  if (isDecimal(a) && isIntegral(b)) return widerDecimal(a, decimalForIntegral(b));
  if (isDecimal(b) && isIntegral(a)) return widerDecimal(decimalForIntegral(a), b);
  if ((isDecimal(a) && isFloating(b)) || (isDecimal(b) && isFloating(a))) return sqlTypes.double();
  return numericRank(a) >= numericRank(b) ? a : b;
}

/** Spark's `DecimalPrecision.widerDecimalType`. */
export function widerDecimal(a: DecimalType, b: DecimalType): DataType {
  const scale = Math.max(a.scale, b.scale);
  const range = Math.max(a.precision - a.scale, b.precision - b.scale);
  return boundedDecimal(range + scale, scale);
}

/** DECIMAL(p, s) with Spark's bound (precision ≤ 38, keeping at least 6 digits of scale when cut). */
export function boundedDecimal(precision: number, scale: number): DecimalType {
  if (precision <= 38) return new DecimalType(Math.max(precision, 1), scale);
  const intDigits = precision - scale;
  const minScale = Math.min(scale, 6);
  const adjustedScale = Math.max(38 - intDigits, minScale);
  return new DecimalType(38, adjustedScale);
}

/**
 * The common type of several values (CASE branches, COALESCE, IN lists, greatest/least), Spark's
 * `findWiderCommonType` with string promotion; undefined when there is none.
 */
export function commonType(types: readonly DataType[]): DataType | undefined {
  let acc: DataType | undefined;
  for (const t of types) {
    if (acc === undefined) {
      acc = t;
      continue;
    }
    const next = widerType(acc, t);
    if (next === undefined) return undefined;
    acc = next;
  }
  return acc;
}

/** The wider type of two types, or undefined. */
export function widerType(a: DataType, b: DataType): DataType | undefined {
  if (a.equalsIgnoreNullability(b)) return a;
  if (isNull(a)) return b;
  if (isNull(b)) return a;
  if (isNumeric(a) && isNumeric(b)) return widerNumeric(a, b);
  if ((isTimestamp(a) && isDate(b)) || (isDate(a) && isTimestamp(b))) return sqlTypes.timestamp();
  if (isString(a) && isAtomic(b) && !isBinary(b) && !isBoolean(b)) return a;
  if (isString(b) && isAtomic(a) && !isBinary(a) && !isBoolean(a)) return b;
  if (isArray(a) && isArray(b)) {
    const e = widerType(a.elementType, b.elementType);
    return e === undefined ? undefined : new ArrayType(e, a.containsNull || b.containsNull);
  }
  if (isMap(a) && isMap(b)) {
    const k = widerType(a.keyType, b.keyType);
    const v = widerType(a.valueType, b.valueType);
    return k === undefined || v === undefined ? undefined : new MapType(k, v, a.valueContainsNull || b.valueContainsNull);
  }
  if (isStruct(a) && isStruct(b) && a.fields.length === b.fields.length) {
    const fields: StructField[] = [];
    for (let i = 0; i < a.fields.length; i++) {
      const fa = a.fields[i]!;
      const fb = b.fields[i]!;
      if (fa.name.toLowerCase() !== fb.name.toLowerCase()) return undefined;
      const t = widerType(fa.dataType, fb.dataType);
      if (t === undefined) return undefined;
      fields.push(new StructField(fa.name, t, fa.nullable || fb.nullable));
    }
    return new StructType(fields);
  }
  return undefined;
}

/** Spark's upper-case type name in DATATYPE_MISMATCH messages (`"INT"`, `"ARRAY<STRING>"`). */
export function typeSql(t: DataType): string {
  return t.sql();
}

export { castValue, canCast, cannotCastMessage };
export type { DataType, StructType };
export { StructField };
export { StructType as StructTypeClass };
