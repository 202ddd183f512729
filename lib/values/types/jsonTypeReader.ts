/**
 * Spark's JSON form of types (`DataType.fromJson`, PySpark's `StructType.fromJson`), the form `json()` writes
 * and `from_json` / `to_json` schemas may be given in.
 *
 * Invariant: `dataTypeFromJson(t.json())` equals `t` for every type weir has. The struct constructor is passed
 * in (`dataTypeFromJson.ts` and `StructType.ts` pass `fields => new StructType(fields)`), so StructType reads JSON
 * without an import cycle.
 */
import type { JsonValue } from '../../contracts';
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
  IntegerType,
  LongType,
  NullType,
  ShortType,
  StringType,
  TimestampNTZType,
  TimestampType,
} from './DataType';
import { MapType } from './MapType';
import type { MakeStruct } from './ddlParser';
import { StructField } from './StructField';

const ATOMIC: Record<string, () => DataType> = {
  string: () => new StringType(),
  long: () => new LongType(),
  integer: () => new IntegerType(),
  short: () => new ShortType(),
  byte: () => new ByteType(),
  double: () => new DoubleType(),
  float: () => new FloatType(),
  boolean: () => new BooleanType(),
  timestamp: () => new TimestampType(),
  timestamp_ltz: () => new TimestampType(),
  timestamp_ntz: () => new TimestampNTZType(),
  date: () => new DateType(),
  binary: () => new BinaryType(),
  void: () => new NullType(),
  null: () => new NullType(),
  decimal: () => new DecimalType(10, 0),
};

/**
 * Reads Spark's JSON form of a type: JSON text (`'{"type":"struct","fields":[...]}'`, `'"long"'`), a bare type
 * name (`'long'`), or the already-parsed value.
 *
 * @example
 * ```ts
 * dataTypeFromJson({ type: 'array', elementType: 'long', containsNull: true }).simpleString()   // 'array<bigint>'
 * ```
 */
export function dataTypeFromJsonWith(json: string | JsonValue, make: MakeStruct): DataType {
  let value: unknown = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch {
      value = json; // a bare type name such as `long`
    }
    if (value === null) value = json; // `null`, the old JSON name of NullType
  }
  return fromJsonValue(value, json, make);
}

function fromJsonValue(value: unknown, whole: unknown, make: MakeStruct): DataType {
  if (typeof value === 'string') {
    const atomic = ATOMIC[value];
    if (atomic) return atomic();
    let m = /^decimal\(\s*(\d+)\s*,\s*(-?\d+)\s*\)$/.exec(value);
    if (m) return new DecimalType(Number(m[1]), Number(m[2]));
    m = /^(?:var)?char\(\s*(\d+)\s*\)$/.exec(value);
    if (m) return new StringType();
    throw invalid(whole);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalid(whole);
  const o = value as Record<string, unknown>;
  switch (o.type) {
    case 'array':
      return new ArrayType(fromJsonValue(o.elementType, whole, make), bool(o.containsNull, whole));
    case 'map':
      return new MapType(
        fromJsonValue(o.keyType, whole, make),
        fromJsonValue(o.valueType, whole, make),
        bool(o.valueContainsNull, whole),
      );
    case 'struct': {
      if (!Array.isArray(o.fields)) throw invalid(whole);
      return make(o.fields.map((f) => fieldFromJson(f, whole, make)));
    }
    default:
      throw invalid(whole);
  }
}

function fieldFromJson(value: unknown, whole: unknown, make: MakeStruct): StructField {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalid(whole);
  const f = value as Record<string, unknown>;
  if (typeof f.name !== 'string') throw invalid(whole);
  const metadata = f.metadata ?? {};
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) throw invalid(whole);
  return new StructField(
    f.name,
    fromJsonValue(f.type, whole, make),
    f.nullable === undefined ? true : bool(f.nullable, whole),
    metadata as Record<string, unknown>,
  );
}

function bool(v: unknown, whole: unknown): boolean {
  if (v === undefined) return true;
  if (typeof v !== 'boolean') throw invalid(whole);
  return v;
}

function invalid(whole: unknown): WeirError {
  const text = typeof whole === 'string' ? whole : JSON.stringify(whole);
  return new WeirError(
    ErrorCodes.INVALID_ARGUMENT,
    `[INVALID_JSON_DATA_TYPE] Failed to convert the JSON string '${text}' to a data type.`,
    { context: { json: text } },
  );
}
