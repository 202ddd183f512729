/**
 * Schema inference from sample rows, as PySpark's `createDataFrame(list_of_dicts)` infers it.
 *
 * Invariant: every field of the inferred schema is nullable, and every
 * sample row normalizes against the result (`normalizeRow(row, inferSchema(rows))` succeeds), except a number
 * that later widens a BIGINT field to DOUBLE, which normalizes to itself.
 */
import { ErrorCodes, WeirError } from '../../errors';
import { ArrayType } from './ArrayType';
import {
  AtomicType,
  BinaryType,
  BooleanType,
  DataType,
  DecimalType,
  DoubleType,
  LongType,
  NullType,
  StringType,
  TimestampNTZType,
  TimestampType,
} from './DataType';
import { MapType } from './MapType';
import { StructField } from './StructField';
import { StructType } from './StructType';
import { describeValue, isPlainObject } from './values';

/** Options of `inferSchema`. */
export interface InferSchemaOptions {
  /**
   * Sort each row's properties by name before merging, as PySpark sorts a dict's keys (default true). With
   * false, fields keep first-seen property order (Scala's case-class order). Nested objects keep their order
   * either way, as in PySpark.
   */
  readonly sortFields?: boolean;
}

/**
 * Infers a schema from rows the way PySpark infers one from dicts: top-level fields sorted by name (PySpark's
 * `sorted(row.items())`; see `options.sortFields`), then merged across rows in order (a field first seen in a
 * later row is appended). A JS integral number → BIGINT (PySpark's `int`; up to ±2^53), any other number →
 * DOUBLE (`float`), bigint → BIGINT, string → STRING, boolean → BOOLEAN, Date → TIMESTAMP, Uint8Array/Buffer →
 * BINARY, array → ARRAY of its elements' merged type, Map → MAP, plain object → STRUCT (as PySpark with
 * `spark.sql.pyspark.inferNestedDictAsStruct.enabled`; its default reads a nested dict as a MAP). Types merge
 * across rows and elements as PySpark 4's `_merge_type` does: VOID yields to anything, any atomic type merged
 * with STRING is STRING, structs merge field by field (new fields appended) — plus one weir rule: BIGINT and
 * DOUBLE merge to DOUBLE, because a JS number has no int/float distinction (`1.0` is `1`). A field that is null
 * in every row is VOID.
 *
 * @throws WeirError INVALID_ARGUMENT with PySpark's `[CANNOT_MERGE_TYPE]` message (the field in
 * `context.field`) when types conflict, `[CANNOT_INFER_EMPTY_SCHEMA]` for no rows.
 * @example
 * ```ts
 * inferSchema([{ name: 'a', n: 1 }, { name: 'b', n: 2.5, tags: ['x'] }]).simpleString()
 * // 'struct<n:double,name:string,tags:array<string>>'
 * ```
 */
export function inferSchema(rows: readonly Record<string, unknown>[], options: InferSchemaOptions = {}): StructType {
  const { sortFields = true } = options;
  if (!Array.isArray(rows) || rows.length === 0) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, '[CANNOT_INFER_EMPTY_SCHEMA] Can not infer schema from an empty dataset.');
  }
  let schema: DataType = new NullType();
  rows.forEach((row, i) => {
    if (!isPlainObject(row)) {
      throw new WeirError(
        ErrorCodes.INVALID_ARGUMENT,
        `[CANNOT_INFER_SCHEMA_FOR_TYPE] Can not infer schema for type: ${describeValue(row)} (row ${i}); rows must be plain objects.`,
        { context: { row: i } },
      );
    }
    const rowType = inferType(row, undefined) as StructType;
    const fields = sortFields ? [...rowType.fields].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) : rowType.fields;
    schema = mergeTypes(schema, new StructType(fields), undefined);
  });
  return schema as StructType;
}

/**
 * The type PySpark's `_infer_type` gives one value (integral number → BIGINT, other numbers → DOUBLE, plain
 * object → STRUCT, ...).
 *
 * @internal
 */
export function inferType(v: unknown, path: string | undefined): DataType {
  if (v === null || v === undefined) return new NullType();
  switch (typeof v) {
    case 'boolean':
      return new BooleanType();
    case 'string':
      return new StringType();
    case 'number':
      return Number.isSafeInteger(v) && !Object.is(v, -0) ? new LongType() : new DoubleType();
    case 'bigint':
      return new LongType();
    default:
      break;
  }
  if (v instanceof Date) return new TimestampType();
  if (v instanceof Uint8Array || v instanceof ArrayBuffer) return new BinaryType();
  if (Array.isArray(v)) {
    const p = `element in array ${path ?? 'value'}`;
    let element: DataType = new NullType();
    for (const e of v) element = mergeTypes(element, inferType(e, p), p);
    return new ArrayType(element, true);
  }
  if (v instanceof Map) {
    let key: DataType = new NullType();
    let value: DataType = new NullType();
    const kp = `key of map ${path ?? 'value'}`;
    const vp = `value of map ${path ?? 'value'}`;
    for (const [k, x] of v) {
      key = mergeTypes(key, inferType(k, kp), kp);
      value = mergeTypes(value, inferType(x, vp), vp);
    }
    return new MapType(key, value, true);
  }
  if (isPlainObject(v)) {
    return new StructType(
      Object.entries(v).map(([name, x]) => new StructField(name, inferType(x, path === undefined ? name : `${path}.${name}`), true)),
    );
  }
  throw new WeirError(
    ErrorCodes.INVALID_ARGUMENT,
    `[CANNOT_INFER_TYPE_FOR_FIELD] Unable to infer the type of the field \`${path ?? 'value'}\`: ${describeValue(v)}.`,
    { context: { field: path } },
  );
}

/**
 * PySpark 4's `_merge_type` (plus BIGINT + DOUBLE → DOUBLE).
 *
 * @internal
 */
export function mergeTypes(a: DataType, b: DataType, path: string | undefined): DataType {
  if (a instanceof NullType) return b;
  if (b instanceof NullType) return a;
  if (a instanceof TimestampType && b instanceof TimestampNTZType) return a;
  if (a instanceof TimestampNTZType && b instanceof TimestampType) return b;
  if (a instanceof AtomicType && b instanceof StringType) return b;
  if (a instanceof StringType && b instanceof AtomicType) return a;
  if ((a instanceof LongType && b instanceof DoubleType) || (a instanceof DoubleType && b instanceof LongType)) {
    return new DoubleType();
  }
  if (a.constructor !== b.constructor || (a instanceof DecimalType && !a.equals(b))) {
    throw new WeirError(
      ErrorCodes.INVALID_ARGUMENT,
      `[CANNOT_MERGE_TYPE] ${path === undefined ? '' : `field ${path}: `}Can not merge type \`${className(a)}\` and \`${className(b)}\`.`,
      { context: { field: path, types: [a.simpleString(), b.simpleString()] } },
    );
  }
  if (a instanceof StructType && b instanceof StructType) {
    const fields = a.fields.map((f) => {
      const other = b.fields.find((g) => g.name === f.name);
      const p = path === undefined ? f.name : `${path}.${f.name}`;
      return new StructField(f.name, mergeTypes(f.dataType, other?.dataType ?? new NullType(), p), true);
    });
    for (const g of b.fields) if (!a.fields.some((f) => f.name === g.name)) fields.push(new StructField(g.name, g.dataType, true));
    return new StructType(fields);
  }
  if (a instanceof ArrayType && b instanceof ArrayType) {
    const p = `element in array ${path ?? 'value'}`;
    return new ArrayType(mergeTypes(a.elementType, b.elementType, p), true);
  }
  if (a instanceof MapType && b instanceof MapType) {
    return new MapType(
      mergeTypes(a.keyType, b.keyType, `key of map ${path ?? 'value'}`),
      mergeTypes(a.valueType, b.valueType, `value of map ${path ?? 'value'}`),
      true,
    );
  }
  return a;
}

function className(t: DataType): string {
  const repr = t.toString();
  return repr.slice(0, repr.indexOf('('));
}
