/**
 * The `parquet` file format through hyparquet (read) and hyparquet-writer (write): pure JavaScript, no native
 * build, Snappy by default as Spark writes; files are read by DuckDB and Spark (see spec/formats interop tests).
 *
 * Invariant: weir's types map one to one onto Parquet's physical and logical types as Spark maps them
 * (TIMESTAMP → INT64 TIMESTAMP(MICROS, UTC), DATE → INT32 DATE, BIGINT → INT64, STRING → UTF8 BYTE_ARRAY, STRUCT →
 * a group, ARRAY → Spark's three-level LIST group `list.element`, MAP → the MAP group `key_value.key/value`), so a
 * written file reads back with the same schema. A map key must be of a type whose text form converts back
 * (hyparquet reads a map as an object, keys as property names): STRING, BOOLEAN, integral or floating types;
 * another key type is refused with a named error on write and read, never read back wrong.
 */
import type * as Hyparquet from 'hyparquet';
import type * as HyparquetWriter from 'hyparquet-writer';
import type { Row } from '../contracts';
import { ErrorCodes, WeirError, sparkError } from '../errors';
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
  ShortType,
  StringType,
  StructField,
  StructType,
  TimestampNTZType,
  TimestampType,
  normalizeValue,
} from '../values/types';
import { BadValue } from './convertValue';
import type { FileFormat, FormatReadContext } from './FileFormat';
import type { FormatOptions } from './FormatOptions';

type SchemaElement = Record<string, unknown> & { name: string };

/*
 * hyparquet and hyparquet-writer are ES modules. They are loaded on first Parquet use (Node >= 20.19 loads ES
 * modules with require), so importing weir never needs them: a process, or a test runner without an ESM
 * transform, that never touches Parquet never loads them.
 */
function hyparquet(): typeof Hyparquet {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy load of an ES module, see above
  return require('hyparquet') as typeof Hyparquet;
}

function hyparquetWriter(): typeof HyparquetWriter {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy load of an ES module, see above
  return require('hyparquet-writer') as typeof HyparquetWriter;
}

function unsupported(field: string, what: string): WeirError {
  return new WeirError(ErrorCodes.INVALID_ARGUMENT, `The parquet format of weir does not support ${what} (column ${field})`, {
    context: { format: 'parquet', column: field },
  });
}

/** Map key types whose text form (a property name in hyparquet's map objects) converts back to the key. */
function isTextInvertibleKey(t: DataType): boolean {
  return (
    t instanceof StringType ||
    t instanceof BooleanType ||
    t instanceof ByteType ||
    t instanceof ShortType ||
    t instanceof IntegerType ||
    t instanceof LongType ||
    t instanceof FloatType ||
    t instanceof DoubleType
  );
}

function checkMapKey(t: MapType, column: string): void {
  if (!isTextInvertibleKey(t.keyType)) {
    throw unsupported(column, `map keys of type ${t.keyType.simpleString()} (keys must be STRING, BOOLEAN, integral or floating)`);
  }
}

/** Checks every map of `type` (nested ones included) has a key type weir reads back. */
function checkMapKeys(type: DataType, column: string): void {
  if (type instanceof MapType) {
    checkMapKey(type, column);
    checkMapKeys(type.valueType, column);
  } else if (type instanceof ArrayType) checkMapKeys(type.elementType, column);
  else if (type instanceof StructType) for (const f of type.fields) checkMapKeys(f.dataType, `${column}.${f.name}`);
}

/**
 * The Parquet schema elements (preorder) Spark writes for a field: one leaf, or a group and its children; arrays
 * and maps as Spark's ParquetSchemaConverter writes them (`writeLegacyFormat=false`).
 */
function elementsOf(f: StructField): SchemaElement[] {
  const repetition_type = f.nullable ? 'OPTIONAL' : 'REQUIRED';
  const t = f.dataType;
  if (t instanceof StructType) {
    const group = { name: f.name, repetition_type, num_children: t.fields.length } as SchemaElement;
    return [group, ...t.fields.flatMap(elementsOf)];
  }
  if (t instanceof ArrayType) {
    return [
      { name: f.name, repetition_type, num_children: 1, converted_type: 'LIST', logical_type: { type: 'LIST' } } as SchemaElement,
      { name: 'list', repetition_type: 'REPEATED', num_children: 1 } as SchemaElement,
      ...elementsOf(new StructField('element', t.elementType, t.containsNull)),
    ];
  }
  if (t instanceof MapType) {
    checkMapKey(t, f.name);
    return [
      { name: f.name, repetition_type, num_children: 1, converted_type: 'MAP', logical_type: { type: 'MAP' } } as SchemaElement,
      { name: 'key_value', repetition_type: 'REPEATED', num_children: 2 } as SchemaElement,
      ...elementsOf(new StructField('key', t.keyType, false)),
      ...elementsOf(new StructField('value', t.valueType, t.valueContainsNull)),
    ];
  }
  return [elementOf(f)];
}

/** The Parquet schema element Spark writes for a field of an atomic type. */
function elementOf(f: StructField): SchemaElement {
  const repetition_type = f.nullable ? 'OPTIONAL' : 'REQUIRED';
  const t = f.dataType;
  const base = { name: f.name, repetition_type };
  if (t instanceof StringType) return { ...base, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } };
  if (t instanceof BooleanType) return { ...base, type: 'BOOLEAN' };
  if (t instanceof ByteType) return { ...base, type: 'INT32', converted_type: 'INT_8' };
  if (t instanceof ShortType) return { ...base, type: 'INT32', converted_type: 'INT_16' };
  if (t instanceof IntegerType) return { ...base, type: 'INT32' };
  if (t instanceof LongType) return { ...base, type: 'INT64' };
  if (t instanceof FloatType) return { ...base, type: 'FLOAT' };
  if (t instanceof DoubleType) return { ...base, type: 'DOUBLE' };
  if (t instanceof BinaryType) return { ...base, type: 'BYTE_ARRAY' };
  if (t instanceof DateType) return { ...base, type: 'INT32', converted_type: 'DATE' };
  if (t instanceof TimestampType) {
    return { ...base, type: 'INT64', converted_type: 'TIMESTAMP_MICROS', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' } };
  }
  if (t instanceof TimestampNTZType) {
    return { ...base, type: 'INT64', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: false, unit: 'MICROS' } };
  }
  if (t instanceof DecimalType && t.precision <= 18) {
    return { ...base, type: 'INT64', converted_type: 'DECIMAL', precision: t.precision, scale: t.scale };
  }
  throw unsupported(f.name, `the type ${t.simpleString()}`);
}

/** The weir type of a Parquet leaf column (Spark's ParquetToSparkSchemaConverter, for flat schemas). */
function typeOf(e: SchemaElement): DataType {
  const physical = e.type as string | undefined;
  const converted = e.converted_type as string | undefined;
  const logical = (e.logical_type as { type?: string; isAdjustedToUTC?: boolean } | undefined)?.type;
  if (converted === 'DECIMAL' || logical === 'DECIMAL') return new DecimalType(Number(e.precision ?? 10), Number(e.scale ?? 0));
  switch (physical) {
    case 'BOOLEAN':
      return new BooleanType();
    case 'INT32':
      if (converted === 'DATE' || logical === 'DATE') return new DateType();
      if (converted === 'INT_8') return new ByteType();
      if (converted === 'INT_16') return new ShortType();
      return new IntegerType();
    case 'INT64':
      if (logical === 'TIMESTAMP') {
        return (e.logical_type as { isAdjustedToUTC?: boolean }).isAdjustedToUTC === false ? new TimestampNTZType() : new TimestampType();
      }
      if (converted === 'TIMESTAMP_MILLIS' || converted === 'TIMESTAMP_MICROS') return new TimestampType();
      return new LongType();
    case 'INT96':
      return new TimestampType();
    case 'FLOAT':
      return new FloatType();
    case 'DOUBLE':
      return new DoubleType();
    case 'BYTE_ARRAY':
    case 'FIXED_LEN_BYTE_ARRAY':
      if (converted === 'UTF8' || converted === 'JSON' || converted === 'ENUM' || logical === 'STRING' || logical === 'ENUM' || logical === 'JSON') {
        return new StringType();
      }
      return new BinaryType();
    default:
      throw unsupported(e.name, `the physical type ${String(physical)}`);
  }
}

/** The fields of `count` schema elements from `elements[at]` (preorder); returns the fields and the next index. */
function fieldsOf(elements: readonly SchemaElement[], at: number, count: number, path: string): [StructField[], number] {
  const fields: StructField[] = [];
  let i = at;
  for (let k = 0; k < count; k++) {
    const e = elements[i] as SchemaElement;
    i += 1;
    const nullable = e.repetition_type !== 'REQUIRED';
    if (e.repetition_type === 'REPEATED') throw unsupported(`${e.name} in ${path}`, 'repeated columns outside a LIST or MAP group');
    if (e.num_children) {
      const logical = (e.logical_type as { type?: string } | undefined)?.type;
      let type: DataType;
      if (e.converted_type === 'LIST' || logical === 'LIST') [type, i] = listTypeOf(elements, i, e, path);
      else if (e.converted_type === 'MAP' || e.converted_type === 'MAP_KEY_VALUE' || logical === 'MAP') [type, i] = mapTypeOf(elements, i, e, path);
      else {
        const [children, next] = fieldsOf(elements, i, Number(e.num_children), path);
        i = next;
        type = new StructType(children);
      }
      fields.push(new StructField(e.name, type, nullable));
    } else {
      fields.push(new StructField(e.name, typeOf(e), nullable));
    }
  }
  return [fields, i];
}

/** The one child of a LIST or MAP group: its repeated group (or repeated leaf). */
function repeatedChild(elements: readonly SchemaElement[], at: number, group: SchemaElement, path: string): SchemaElement {
  const r = elements[at] as SchemaElement | undefined;
  if (Number(group.num_children) !== 1 || r === undefined || r.repetition_type !== 'REPEATED') {
    throw unsupported(`${group.name} in ${path}`, 'a LIST or MAP group without exactly one repeated child');
  }
  return r;
}

/**
 * An ARRAY from a LIST group (Spark's rules for the standard three-level layout, and the legacy two-level one
 * where the repeated child is the element itself).
 */
function listTypeOf(elements: readonly SchemaElement[], at: number, group: SchemaElement, path: string): [DataType, number] {
  const r = repeatedChild(elements, at, group, path);
  if (!r.num_children) return [new ArrayType(typeOf(r), false), at + 1];
  const [members, next] = fieldsOf(elements, at + 1, Number(r.num_children), path);
  if (members.length > 1 || r.name === 'array' || r.name === `${group.name}_tuple`) {
    return [new ArrayType(new StructType(members), false), next];
  }
  const element = members[0] as StructField;
  return [new ArrayType(element.dataType, element.nullable), next];
}

/** A MAP from a MAP group `repeated group key_value { required key; value }`. */
function mapTypeOf(elements: readonly SchemaElement[], at: number, group: SchemaElement, path: string): [DataType, number] {
  const r = repeatedChild(elements, at, group, path);
  if (Number(r.num_children) !== 2) throw unsupported(`${group.name} in ${path}`, 'a MAP group whose key_value group does not hold a key and a value');
  const [kv, next] = fieldsOf(elements, at + 1, 2, path);
  const [key, value] = kv as [StructField, StructField];
  const type = new MapType(key.dataType, value.dataType, value.nullable);
  checkMapKey(type, `${group.name} in ${path}`);
  return [type, next];
}

/** The schema of a Parquet file (atomic columns and structs). */
export function parquetFileSchema(bytes: Buffer, path = '<parquet>'): StructType {
  const elements = hyparquet().parquetMetadata(bytes).schema as unknown as SchemaElement[];
  const root = elements[0] as SchemaElement;
  return new StructType(fieldsOf(elements, 1, Number(root.num_children ?? elements.length - 1), path)[0]);
}

/** A weir value as hyparquet-writer takes it (BIGINT as bigint, structs, arrays and maps recursively). */
function toParquetValue(v: unknown, type: DataType): unknown {
  if (v === null || v === undefined) return null;
  if (type instanceof LongType && typeof v === 'number') return BigInt(v);
  if (type instanceof StructType && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const f of type.fields) o[f.name] = toParquetValue((v as Row)[f.name], f.dataType);
    return o;
  }
  if (type instanceof ArrayType && Array.isArray(v)) return v.map((e) => toParquetValue(e, type.elementType));
  if (type instanceof MapType) {
    const entries: Iterable<[unknown, unknown]> = v instanceof Map ? v : Object.entries(v as object);
    return Array.from(entries, ([k, e]) => {
      if (k === null || k === undefined) {
        throw new WeirError(ErrorCodes.SINK_ERROR, '[NULL_MAP_KEY] Cannot use null as map key.', { context: { format: 'parquet' } });
      }
      return { key: toParquetValue(k, type.keyType), value: toParquetValue(e, type.valueType) };
    });
  }
  return v;
}

/** A map key back from its text form (see {@link isTextInvertibleKey}). */
function mapKeyOf(text: string, type: DataType, field: string): unknown {
  if (type instanceof StringType) return text;
  if (type instanceof BooleanType) {
    if (text === 'true' || text === 'false') return text === 'true';
  } else {
    const n = Number(text);
    if (text.trim() !== '' && (!Number.isNaN(n) || text === 'NaN')) return normalizeValue(n, type, field);
  }
  throw new BadValue(field, `map key ${JSON.stringify(text)} is not a ${type.simpleString()}`);
}

function toWeirValue(v: unknown, type: DataType, field: string): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') {
    if (type instanceof TimestampType || type instanceof TimestampNTZType) return new Date(Number(v / 1000n));
    v = Number(v);
  }
  if (type instanceof BinaryType && typeof v === 'string') return Buffer.from(v, 'utf8');
  if (type instanceof StructType && typeof v === 'object') {
    const o: Row = {};
    for (const f of type.fields) o[f.name] = toWeirValue((v as Row)[f.name], f.dataType, `${field}.${f.name}`);
    return o;
  }
  if (type instanceof ArrayType && Array.isArray(v)) return v.map((e) => toWeirValue(e, type.elementType, `${field}.element`));
  if (type instanceof MapType && typeof v === 'object') {
    const m = new Map<unknown, unknown>();
    for (const [k, e] of Object.entries(v as object)) m.set(mapKeyOf(k, type.keyType, `${field}.key`), toWeirValue(e, type.valueType, `${field}.value`));
    return m;
  }
  if ((type instanceof TimestampType || type instanceof TimestampNTZType) && v instanceof Date) return v;
  try {
    return normalizeValue(v, type, field);
  } catch (e) {
    throw new BadValue(field, (e as Error).message);
  }
}

/** The Parquet format. */
export const parquetFormat: FileFormat = {
  name: 'parquet',
  extension: (options) => {
    const codec = (options.get('compression') ?? 'snappy').toLowerCase();
    return codec === 'none' || codec === 'uncompressed' ? '.parquet' : `.${codec}.parquet`;
  },

  async read(bytes: Buffer, context: FormatReadContext): Promise<Row[]> {
    for (const f of context.schema.fields) checkMapKeys(f.dataType, f.name);
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    let objects: Array<Record<string, unknown>>;
    try {
      // utf8: false: only columns annotated as strings are decoded as text, so BINARY stays bytes.
      objects = (await hyparquet().parquetReadObjects({ file, utf8: false })) as Array<Record<string, unknown>>;
    } catch (e) {
      const message = (e as Error)?.message ?? String(e);
      if (/footer|PAR1|metadata length|parquet file invalid|out of bounds|offset/i.test(message)) {
        // A file cut or overwritten: Spark's FAILED_READ_FILE.CANNOT_READ_FILE_FOOTER (the reader's own words in the context).
        throw sparkError(ErrorCodes.DATA_FILE_DAMAGED, 'FAILED_READ_FILE.CANNOT_READ_FILE_FOOTER', { path: String(context.path) }, {
          cause: e,
          context: { path: context.path, format: 'parquet', reason: 'parquet-footer', detail: message },
        });
      }
      throw new WeirError(ErrorCodes.SOURCE_ERROR, `Could not read the Parquet file ${context.path}: ${message}`, {
        cause: e,
        context: { path: context.path, format: 'parquet' },
      });
    }
    const fields = context.schema.fields;
    const out: Row[] = new Array(objects.length);
    for (let i = 0; i < objects.length; i++) {
      const o = objects[i] as Record<string, unknown>;
      const row: Row = {};
      for (const f of fields) {
        try {
          row[f.name] = toWeirValue(o[f.name], f.dataType, f.name);
        } catch (e) {
          if (!(e instanceof BadValue)) throw e;
          throw new WeirError(ErrorCodes.SOURCE_ERROR, `Parquet column ${f.name} of ${context.path} cannot be read as ${f.dataType.simpleString()}: ${e.reason}`, {
            context: { path: context.path, column: f.name, row: i },
          });
        }
      }
      out[i] = row;
    }
    return out;
  },

  write(rows: readonly Row[], schema: StructType, options: FormatOptions): Uint8Array {
    const codec = (options.get('compression') ?? 'snappy').toUpperCase();
    const elements: SchemaElement[] = [{ name: 'spark_schema', num_children: schema.fields.length } as SchemaElement];
    const columnData = schema.fields.map((f) => {
      elements.push(...elementsOf(f));
      const data = new Array<unknown>(rows.length);
      for (let i = 0; i < rows.length; i++) data[i] = toParquetValue((rows[i] as Row)[f.name], f.dataType);
      return { name: f.name, data };
    });
    let buffer: ArrayBuffer;
    try {
      buffer = hyparquetWriter().parquetWriteBuffer({
        columnData: columnData as never,
        schema: elements as never,
        codec: (codec === 'NONE' ? 'UNCOMPRESSED' : codec) as never,
        createdBy: 'weir-streams',
      });
    } catch (e) {
      // A value that does not fit its column (a null in a NOT NULL field or element, a wrong type).
      throw new WeirError(ErrorCodes.SINK_ERROR, `Could not write a Parquet file of ${schema.simpleString()}: ${(e as Error).message}`, {
        cause: e,
        context: { format: 'parquet' },
      });
    }
    return new Uint8Array(buffer);
  },

  inferSchema(files): StructType {
    const first = files[0];
    return first === undefined ? new StructType() : parquetFileSchema(first.bytes, first.path);
  },
};
