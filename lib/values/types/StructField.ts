/**
 * One field of a STRUCT: name, type, nullability, metadata.
 *
 * Invariant: immutable (metadata is frozen); equal to another field exactly when name, type, nullability and
 * metadata (as JSON) are equal, like Spark's case class.
 */
import type { JsonValue } from '../../contracts';
import { ErrorCodes, WeirError } from '../../errors';
import { jsonEqual } from '../../util/jsonEqual';
import { DataType } from './DataType';
import { escapeMetaCharacters, escapeSingleQuotedString, quoteIfNeeded } from './quoting';

/** The metadata key Spark keeps a column comment under. */
const COMMENT_KEY = 'comment';

/**
 * A field of a `StructType` (PySpark's `StructField(name, dataType, nullable=True, metadata=None)`).
 *
 * @example
 * ```ts
 * new StructField('age', new IntegerType(), false).toDDL()   // 'age INT NOT NULL'
 * ```
 */
export class StructField {
  readonly metadata: Readonly<Record<string, unknown>>;

  constructor(
    readonly name: string,
    readonly dataType: DataType,
    readonly nullable: boolean = true,
    metadata: Record<string, unknown> = {},
  ) {
    if (typeof name !== 'string') {
      throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `StructField name must be a string, got ${String(name)}.`, {
        context: { field: String(name) },
      });
    }
    if (!(dataType instanceof DataType)) {
      throw new WeirError(
        ErrorCodes.INVALID_ARGUMENT,
        `StructField ${name} needs a DataType, got ${String(dataType)}; parse type strings with parseDataType().`,
        { context: { field: name } },
      );
    }
    this.metadata = Object.freeze({ ...(metadata ?? {}) });
  }

  /** The COMMENT of the field, if any (Scala's `getComment`). */
  getComment(): string | undefined {
    const c = this.metadata[COMMENT_KEY];
    return typeof c === 'string' ? c : undefined;
  }

  /** A copy with the given COMMENT (Scala's `withComment`). */
  withComment(comment: string): StructField {
    return new StructField(this.name, this.dataType, this.nullable, { ...this.metadata, [COMMENT_KEY]: comment });
  }

  /** `name TYPE[ NOT NULL][ COMMENT '...']` (Scala's `StructField.toDDL`). */
  toDDL(): string {
    return `${quoteIfNeeded(this.name)} ${this.dataType.sql()}${this.ddlSuffix()}`;
  }

  /** `name: TYPE[ NOT NULL][ COMMENT '...']`, the form inside `STRUCT<...>`. */
  sql(): string {
    return `${quoteIfNeeded(this.name)}: ${this.dataType.sql()}${this.ddlSuffix()}`;
  }

  /** Spark's JSON form of the field. */
  jsonValue(): JsonValue {
    return {
      name: this.name,
      type: this.dataType.jsonValue(),
      nullable: this.nullable,
      metadata: this.metadata as JsonValue,
    };
  }

  equals(other: StructField): boolean {
    return (
      other instanceof StructField &&
      other.name === this.name &&
      other.nullable === this.nullable &&
      this.dataType.equals(other.dataType) &&
      jsonEqual(this.metadata as JsonValue, other.metadata as JsonValue)
    );
  }

  /** PySpark's repr: `StructField('a', IntegerType(), True)`. */
  toString(): string {
    return `StructField('${this.name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}', ${this.dataType.toString()}, ${this.nullable ? 'True' : 'False'})`;
  }

  /** @internal Appends this field's `printSchema()` lines. */
  buildFormattedString(prefix: string, out: string[], maxDepth: number): void {
    if (maxDepth <= 0) return;
    out.push(`${prefix}-- ${escapeMetaCharacters(this.name)}: ${this.dataType.treeName()} (nullable = ${this.nullable})\n`);
    this.dataType.buildFormattedString(`${prefix}    |`, out, maxDepth - 1);
  }

  private ddlSuffix(): string {
    const comment = this.getComment();
    return (this.nullable ? '' : ' NOT NULL') + (comment === undefined ? '' : ` COMMENT '${escapeSingleQuotedString(comment)}'`);
  }
}
