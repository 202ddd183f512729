/**
 * STRUCT<...>: an ordered list of fields, and the schema of every DataFrame.
 *
 * Invariant: immutable. `add` returns a new StructType and never touches this one; the fields array is frozen.
 * Field names may repeat (Spark allows it); lookups by name are case-insensitive unless asked otherwise, and a
 * lookup that matches several fields only by case is an error, never a silent pick.
 */
import type { JsonValue } from '../../contracts';
import { ErrorCodes, WeirError } from '../../errors';
import { DataType } from './DataType';
import { parseDataTypeWith, parseSchemaWith } from './ddlParser';
import { dataTypeFromJsonWith } from './jsonTypeReader';
import { StructField } from './StructField';

/** Spark's `spark.sql.debug.maxToStringFields` default: `simpleString` elides fields past this many. */
const MAX_TO_STRING_FIELDS = 25;

/**
 * A struct type and a schema (PySpark's `StructType`).
 *
 * @example
 * ```ts
 * const schema = new StructType().add('name', 'string').add('age', new IntegerType(), false);
 * schema.treeString();
 * // root
 * //  |-- name: string (nullable = true)
 * //  |-- age: integer (nullable = false)
 * StructType.fromDDL('name STRING, age INT NOT NULL').equals(schema)   // true
 * ```
 */
export class StructType extends DataType implements Iterable<StructField> {
  override readonly typeName = 'struct';
  /** The fields, in order. */
  readonly fields: readonly StructField[];

  constructor(fields: readonly StructField[] = []) {
    super();
    if (!Array.isArray(fields)) {
      throw new WeirError(ErrorCodes.INVALID_ARGUMENT, 'StructType takes an array of StructField.');
    }
    fields.forEach((f, i) => {
      if (!(f instanceof StructField)) {
        throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `StructType field ${i} is not a StructField: ${String(f)}.`, {
          context: { index: i },
        });
      }
    });
    this.fields = Object.freeze([...fields]);
  }

  /**
   * Parses a DDL schema: `'name STRING, age INT NOT NULL, tags ARRAY<STRING> COMMENT "labels"'`. Also reads
   * `'a: int, b: string'` and `'struct<a:int,b:string>'` as PySpark's schema strings do.
   */
  static fromDDL(ddl: string): StructType {
    return parseSchemaWith(ddl, makeStruct) as StructType;
  }

  /** Reads Spark's JSON form of a struct, as text or as the parsed object (PySpark's `StructType.fromJson`). */
  static fromJson(json: string | JsonValue): StructType {
    const t = dataTypeFromJsonWith(json, makeStruct);
    if (!(t instanceof StructType)) {
      throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `Expected a struct type in JSON, got ${t.simpleString()}.`);
    }
    return t;
  }

  /** The number of fields. */
  get length(): number {
    return this.fields.length;
  }

  /** The field names, in order (PySpark's `names`). */
  get names(): string[] {
    return this.fields.map((f) => f.name);
  }

  [Symbol.iterator](): Iterator<StructField> {
    return this.fields[Symbol.iterator]();
  }

  /** The field names, in order. */
  fieldNames(): string[] {
    return this.names;
  }

  /**
   * A new StructType with one more field. The type may be a DataType or a type string (`'string'`, `'bigint'`,
   * `'array<string>'`, ...); the fourth argument is the field's metadata or its comment.
   */
  add(field: StructField): StructType;
  add(name: string, dataType: DataType | string, nullable?: boolean, metadata?: Record<string, unknown> | string): StructType;
  add(
    nameOrField: string | StructField,
    dataType?: DataType | string,
    nullable = true,
    metadata: Record<string, unknown> | string = {},
  ): StructType {
    if (nameOrField instanceof StructField) return new StructType([...this.fields, nameOrField]);
    if (typeof nameOrField !== 'string') {
      throw new WeirError(ErrorCodes.INVALID_ARGUMENT, 'StructType.add takes a StructField or a name and a type.');
    }
    if (dataType === undefined) {
      throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `StructType.add('${nameOrField}') needs a data type.`, {
        context: { field: nameOrField },
      });
    }
    const type = typeof dataType === 'string' ? parseDataTypeWith(dataType, makeStruct) : dataType;
    const meta = typeof metadata === 'string' ? { comment: metadata } : metadata;
    return new StructType([...this.fields, new StructField(nameOrField, type, nullable, meta)]);
  }

  /**
   * The field called `name`: an exact match first, then a match ignoring case (Spark's default
   * `spark.sql.caseSensitive=false`); undefined when none. Throws when several fields match only by case.
   */
  getField(name: string, caseSensitive = false): StructField | undefined {
    const i = this.getFieldIndex(name, caseSensitive);
    return i === undefined ? undefined : this.fields[i];
  }

  /** The index of the field called `name` (same matching as `getField`), undefined when none. */
  getFieldIndex(name: string, caseSensitive = false): number | undefined {
    const exact = this.fields.findIndex((f) => f.name === name);
    if (exact >= 0 || caseSensitive) return exact >= 0 ? exact : undefined;
    const lower = name.toLowerCase();
    const matches: number[] = [];
    this.fields.forEach((f, i) => {
      if (f.name.toLowerCase() === lower) matches.push(i);
    });
    if (matches.length > 1) {
      throw new WeirError(
        ErrorCodes.INVALID_ARGUMENT,
        `[AMBIGUOUS_REFERENCE_TO_FIELDS] Ambiguous reference to the field \`${name}\`. It appears ${matches.length} times in the schema.`,
        { context: { field: name } },
      );
    }
    return matches[0];
  }

  /** The index of the field called `name`; throws Spark's FIELD_NOT_FOUND error when there is none. */
  fieldIndex(name: string): number {
    const i = this.getFieldIndex(name);
    if (i === undefined) {
      throw new WeirError(
        ErrorCodes.INVALID_ARGUMENT,
        `[FIELD_NOT_FOUND] No such struct field \`${name}\` in ${this.fields.map((f) => `\`${f.name}\``).join(', ')}.`,
        { context: { field: name, fields: this.names } },
      );
    }
    return i;
  }

  /**
   * `printSchema()`'s text: `root`, then one ` |-- name: type (nullable = true)` line per field, nested types
   * indented below (`element` for arrays, `key`/`value` for maps). `maxDepth` > 0 cuts the tree at that depth.
   */
  treeString(maxDepth?: number): string {
    const depth = maxDepth !== undefined && maxDepth > 0 ? maxDepth : Number.MAX_SAFE_INTEGER;
    const out: string[] = ['root\n'];
    for (const f of this.fields) f.buildFormattedString(' |', out, depth);
    return out.join('');
  }

  /** `struct<a:int,b:string>`, eliding fields past the 25th like Spark. */
  override simpleString(): string {
    const parts = this.fields.map((f) => `${f.name}:${f.dataType.simpleString()}`);
    if (parts.length > MAX_TO_STRING_FIELDS) {
      const shown = parts.slice(0, MAX_TO_STRING_FIELDS).join(',');
      return `struct<${shown},... ${parts.length - MAX_TO_STRING_FIELDS} more fields>`;
    }
    return `struct<${parts.join(',')}>`;
  }

  override catalogString(): string {
    return `struct<${this.fields.map((f) => `${f.name}:${f.dataType.catalogString()}`).join(',')}>`;
  }

  /** `STRUCT<a: INT NOT NULL, b: STRING COMMENT 'x'>`. */
  override sql(): string {
    return `STRUCT<${this.fields.map((f) => f.sql()).join(', ')}>`;
  }

  /** The DDL schema string, `a INT NOT NULL,b STRING` (Spark joins fields with a bare comma). */
  toDDL(): string {
    return this.fields.map((f) => f.toDDL()).join(',');
  }

  override jsonValue(): JsonValue {
    return { type: 'struct', fields: this.fields.map((f) => f.jsonValue()) };
  }

  override equals(other: DataType): boolean {
    return (
      other instanceof StructType &&
      other.fields.length === this.fields.length &&
      this.fields.every((f, i) => f.equals(other.fields[i]))
    );
  }

  override equalsIgnoreNullability(other: DataType): boolean {
    return (
      other instanceof StructType &&
      other.fields.length === this.fields.length &&
      this.fields.every(
        (f, i) => f.name === other.fields[i].name && f.dataType.equalsIgnoreNullability(other.fields[i].dataType),
      )
    );
  }

  override sameType(other: DataType): boolean {
    return (
      other instanceof StructType &&
      other.fields.length === this.fields.length &&
      this.fields.every(
        (f, i) =>
          f.name.toLowerCase() === other.fields[i].name.toLowerCase() && f.dataType.sameType(other.fields[i].dataType),
      )
    );
  }

  override toString(): string {
    return `StructType([${this.fields.map((f) => f.toString()).join(', ')}])`;
  }

  /** @internal */
  override buildFormattedString(prefix: string, out: string[], maxDepth: number): void {
    for (const f of this.fields) f.buildFormattedString(prefix, out, maxDepth);
  }
}

function makeStruct(fields: StructField[]): StructType {
  return new StructType(fields);
}
