/**
 * `weir-streams/types`: Spark SQL's data types, schemas and value conversions, named as in `pyspark.sql.types` so a
 * schema ports line by line:
 *
 * ```ts
 * // schema = StructType([StructField("name", StringType(), True), StructField("age", IntegerType(), False)])
 * const schema = new StructType([new StructField('name', new StringType(), true), new StructField('age', new IntegerType(), false)]);
 * // or: StructType.fromDDL('name STRING, age INT NOT NULL'), new StructType().add('name', 'string').add('age', 'int', false)
 * ```
 *
 * Invariant: this module is the only place that knows how a SQL type maps to JS values (see `DataType.ts` for
 * the in-memory form of each type), how type strings read and print, and how CAST converts; everything else
 * asks it. weir's session time zone is UTC and CAST runs with ANSI mode off (`spark.sql.ansi.enabled=false`:
 * bad values become null, integral overflow wraps).
 */
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
  IntegerType,
  LongType,
  NullType,
  ShortType,
  StringType,
  TimestampNTZType,
  TimestampType,
} from './DataType';
import { dataTypeFromJson } from './dataTypeFromJson';
import { MapType } from './MapType';
import { parseDataType } from './parseDataType';
import { StructField } from './StructField';
import { StructType } from './StructType';

export {
  AtomicType,
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
  MAX_DECIMAL_PRECISION,
  NullType,
  NumericType,
  ShortType,
  StringType,
  TimestampNTZType,
  TimestampType,
} from './DataType';
export { ArrayType } from './ArrayType';
export { MapType } from './MapType';
export { StructField } from './StructField';
export { StructType } from './StructType';
export { parseDataType, parseSchemaDDL } from './parseDataType';
export { dataTypeFromJson } from './dataTypeFromJson';
export { toSchema } from './toSchema';
export { canCast, cannotCastMessage, castToString, castValue } from './castValue';
export { normalizeRow, normalizeValue } from './normalizeValue';
export { inferSchema } from './inferSchema';
export type { InferSchemaOptions } from './inferSchema';
export { typeOfValue } from './typeOfValue';
export { formatDate, formatTimestamp, stringToDate, stringToTimestamp } from './datetime';
export type { StringToTimestampOptions } from './datetime';
export { decimalToString, javaDoubleToString, javaFloatToString } from './numbers';

/**
 * Java's `org.apache.spark.sql.types.DataTypes`: shared instances and factories, plus Scala's
 * `DataType.fromDDL` / `DataType.fromJson`.
 *
 * @example
 * ```ts
 * DataTypes.createStructType([DataTypes.createStructField('a', DataTypes.IntegerType, true)])
 * DataTypes.fromDDL('array<string>')
 * ```
 */
export const DataTypes = Object.freeze({
  StringType: new StringType(),
  BinaryType: new BinaryType(),
  BooleanType: new BooleanType(),
  DateType: new DateType(),
  TimestampType: new TimestampType(),
  TimestampNTZType: new TimestampNTZType(),
  DoubleType: new DoubleType(),
  FloatType: new FloatType(),
  ByteType: new ByteType(),
  IntegerType: new IntegerType(),
  LongType: new LongType(),
  ShortType: new ShortType(),
  NullType: new NullType(),
  createArrayType: (elementType: DataType, containsNull = true): ArrayType => new ArrayType(elementType, containsNull),
  createMapType: (keyType: DataType, valueType: DataType, valueContainsNull = true): MapType =>
    new MapType(keyType, valueType, valueContainsNull),
  createDecimalType: (precision = 10, scale = 0): DecimalType => new DecimalType(precision, scale),
  createStructField: (name: string, dataType: DataType, nullable: boolean, metadata: Record<string, unknown> = {}): StructField =>
    new StructField(name, dataType, nullable, metadata),
  createStructType: (fields: readonly StructField[]): StructType => new StructType(fields),
  /** Scala's `DataType.fromDDL`: a type string or a schema. */
  fromDDL: (ddl: string): DataType => parseDataType(ddl),
  /** Scala's `DataType.fromJson`. */
  fromJson: (json: string): DataType => dataTypeFromJson(json),
});
