/**
 * Spark SQL's data types (`org.apache.spark.sql.types`, `pyspark.sql.types`): the abstract root and the atomic
 * types.
 *
 * Invariant: a DataType is an immutable value. Two types are the same type exactly when `equals` says so
 * (structurally, as Spark's case classes compare), never by identity; `new StringType()` equals every other
 * `StringType`. Every string form (`typeName`, `simpleString`, `catalogString`, `sql`, `json`) is Spark 4.0's,
 * character for character.
 *
 * In-memory values of each type (what rows hold): STRING → string; BOOLEAN → boolean; TINYINT, SMALLINT, INT,
 * BIGINT, FLOAT, DOUBLE, DECIMAL → number (BIGINT beyond ±2^53 and DECIMAL beyond 15 significant digits lose
 * precision); TIMESTAMP, TIMESTAMP_NTZ → `Date` (millisecond precision; weir's session time zone is UTC, so
 * both read the same wall clock); DATE → `Date` at UTC midnight; BINARY → `Uint8Array` (a `Buffer` is one);
 * ARRAY → array; MAP → `Map`; STRUCT → plain object keyed by field name; NULL (VOID) → null.
 */
import type { JsonValue } from '../../contracts';
import { ErrorCodes, WeirError } from '../../errors';

/** The root of every Spark SQL data type. */
export abstract class DataType {
  /**
   * The type's name as PySpark's `typeName()` gives it: `'string'`, `'long'`, `'integer'`, `'short'`, `'byte'`,
   * `'double'`, `'float'`, `'boolean'`, `'timestamp'`, `'timestamp_ntz'`, `'date'`, `'binary'`, `'void'`,
   * `'decimal'`, `'array'`, `'map'`, `'struct'`.
   */
  abstract readonly typeName: string;

  /** Spark's compact form: `'bigint'`, `'array<string>'`, `'struct<a:int,b:string>'`, `'decimal(10,2)'`. */
  simpleString(): string {
    return this.typeName;
  }

  /** Like `simpleString`, but a struct never elides fields (Spark's `catalogString`). */
  catalogString(): string {
    return this.simpleString();
  }

  /** Spark's SQL form: `'BIGINT'`, `'ARRAY<STRING>'`, `'STRUCT<a: INT, b: STRING>'`. */
  sql(): string {
    return this.simpleString().toUpperCase();
  }

  /** Spark's JSON form as a value: `'long'`, `{ type: 'array', elementType: 'string', containsNull: true }`. */
  jsonValue(): JsonValue {
    return this.typeName;
  }

  /** Spark's JSON form as compact text (`DataType.json` / PySpark's `json()`), the text `DataType.fromJson` reads. */
  json(): string {
    return JSON.stringify(this.jsonValue());
  }

  /** Structural equality, nullability and field metadata included (Spark's `==`). */
  equals(other: DataType): boolean {
    return other instanceof DataType && other.constructor === this.constructor;
  }

  /** Equality ignoring `containsNull`, `valueContainsNull`, field nullability and metadata. */
  equalsIgnoreNullability(other: DataType): boolean {
    return this.equals(other);
  }

  /**
   * Spark's `sameType`: equality ignoring nullability, metadata and the case of struct field names
   * (weir runs with `spark.sql.caseSensitive=false`).
   */
  sameType(other: DataType): boolean {
    return this.equalsIgnoreNullability(other);
  }

  /** PySpark's repr: `IntegerType()`, `ArrayType(StringType(), True)`. */
  abstract toString(): string;

  /**
   * The type as `printSchema()` names it on a tree line (Scala's `typeName`): like `typeName`, except that a
   * decimal shows its precision and scale.
   *
   * @internal
   */
  treeName(): string {
    return this.typeName;
  }

  /**
   * Appends the nested lines of `printSchema()` for this type (none for atomic types).
   *
   * @internal
   */
  buildFormattedString(_prefix: string, _out: string[], _maxDepth: number): void {
    // atomic types have no nested lines
  }
}

/** A type whose values are single, non-nested values (everything but ARRAY, MAP, STRUCT and VOID). */
export abstract class AtomicType extends DataType {}

/** The numeric types: integral, floating point and decimal. */
export abstract class NumericType extends AtomicType {}

/** TINYINT, SMALLINT, INT, BIGINT. */
export abstract class IntegralType extends NumericType {
  /** The width in bits (8, 16, 32, 64). */
  abstract readonly bits: 8 | 16 | 32 | 64;
  /** The smallest value. */
  get minValue(): number {
    return -(2 ** (this.bits - 1));
  }
  /** The largest value (for BIGINT, the nearest double to 2^63 - 1, which is 2^63). */
  get maxValue(): number {
    return 2 ** (this.bits - 1) - 1;
  }
}

/** FLOAT, DOUBLE, DECIMAL. */
export abstract class FractionalType extends NumericType {}

/** STRING: a JS string. CHAR(n) and VARCHAR(n) read as STRING. */
export class StringType extends AtomicType {
  override readonly typeName = 'string';
  override toString(): string {
    return 'StringType()';
  }
}

/** BOOLEAN. */
export class BooleanType extends AtomicType {
  override readonly typeName = 'boolean';
  override toString(): string {
    return 'BooleanType()';
  }
}

/** BINARY: a `Uint8Array` (or `Buffer`). */
export class BinaryType extends AtomicType {
  override readonly typeName = 'binary';
  override toString(): string {
    return 'BinaryType()';
  }
}

/** DATE: a `Date` at UTC midnight. */
export class DateType extends AtomicType {
  override readonly typeName = 'date';
  override toString(): string {
    return 'DateType()';
  }
}

/** TIMESTAMP (TIMESTAMP_LTZ): an instant, a JS `Date`, millisecond precision. */
export class TimestampType extends AtomicType {
  override readonly typeName = 'timestamp';
  override toString(): string {
    return 'TimestampType()';
  }
}

/** TIMESTAMP_NTZ: a wall-clock date-time without zone, a JS `Date` read in UTC. */
export class TimestampNTZType extends AtomicType {
  override readonly typeName = 'timestamp_ntz';
  override toString(): string {
    return 'TimestampNTZType()';
  }
}

/** TINYINT (`byte`): 8-bit signed integer. */
export class ByteType extends IntegralType {
  override readonly typeName = 'byte';
  override readonly bits = 8;
  override simpleString(): string {
    return 'tinyint';
  }
  override toString(): string {
    return 'ByteType()';
  }
}

/** SMALLINT (`short`): 16-bit signed integer. */
export class ShortType extends IntegralType {
  override readonly typeName = 'short';
  override readonly bits = 16;
  override simpleString(): string {
    return 'smallint';
  }
  override toString(): string {
    return 'ShortType()';
  }
}

/** INT (`integer`): 32-bit signed integer. */
export class IntegerType extends IntegralType {
  override readonly typeName = 'integer';
  override readonly bits = 32;
  override simpleString(): string {
    return 'int';
  }
  override toString(): string {
    return 'IntegerType()';
  }
}

/** BIGINT (`long`): 64-bit signed integer, held as a JS number (exact up to ±2^53). */
export class LongType extends IntegralType {
  override readonly typeName = 'long';
  override readonly bits = 64;
  override simpleString(): string {
    return 'bigint';
  }
  override toString(): string {
    return 'LongType()';
  }
}

/** FLOAT (`real`): 32-bit IEEE 754, held as a JS number rounded with `Math.fround`. */
export class FloatType extends FractionalType {
  override readonly typeName = 'float';
  override toString(): string {
    return 'FloatType()';
  }
}

/** DOUBLE: 64-bit IEEE 754. */
export class DoubleType extends FractionalType {
  override readonly typeName = 'double';
  override toString(): string {
    return 'DoubleType()';
  }
}

/** The largest precision of a DECIMAL. */
export const MAX_DECIMAL_PRECISION = 38;

/**
 * DECIMAL(precision, scale), Spark's default DECIMAL(10,0). Values are JS numbers rounded (half up) to `scale`
 * digits after the point; precision beyond what a double holds (~15 digits) is lost.
 */
export class DecimalType extends FractionalType {
  override readonly typeName = 'decimal';

  constructor(
    readonly precision: number = 10,
    readonly scale: number = 0,
  ) {
    super();
    checkDecimal(precision, scale);
  }

  override simpleString(): string {
    return `decimal(${this.precision},${this.scale})`;
  }
  override jsonValue(): JsonValue {
    return this.simpleString();
  }
  override treeName(): string {
    return this.simpleString();
  }
  override equals(other: DataType): boolean {
    return other instanceof DecimalType && other.precision === this.precision && other.scale === this.scale;
  }
  override toString(): string {
    return `DecimalType(${this.precision},${this.scale})`;
  }

  /** True when every value of `other` (a decimal) fits this decimal without loss (Spark's `isWiderThan`). */
  isWiderThan(other: DecimalType): boolean {
    return this.precision - this.scale >= other.precision - other.scale && this.scale >= other.scale;
  }
}

/** VOID (`NullType`): the type of the NULL literal; its only value is null. */
export class NullType extends DataType {
  override readonly typeName = 'void';
  override toString(): string {
    return 'NullType()';
  }
}

function checkDecimal(precision: number, scale: number): void {
  if (!Number.isInteger(precision) || !Number.isInteger(scale)) {
    throw decimalError(`Decimal precision and scale must be integers, got (${precision}, ${scale}).`, precision, scale);
  }
  if (precision > MAX_DECIMAL_PRECISION) {
    throw decimalError(
      `[DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION] Decimal precision ${precision} exceeds max precision ${MAX_DECIMAL_PRECISION}.`,
      precision,
      scale,
    );
  }
  if (precision < 0) throw decimalError(`Decimal precision (${precision}) cannot be negative.`, precision, scale);
  if (scale < 0) throw decimalError(`Decimal scale (${scale}) cannot be negative.`, precision, scale);
  if (scale > precision) {
    throw decimalError(`Decimal scale (${scale}) cannot be greater than precision (${precision}).`, precision, scale);
  }
}

function decimalError(message: string, precision: number, scale: number): WeirError {
  return new WeirError(ErrorCodes.INVALID_ARGUMENT, message, { context: { precision, scale } });
}

