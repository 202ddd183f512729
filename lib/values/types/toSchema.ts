/**
 * The one door through which user schemas enter weir (`createDataFrame(rows, schema)`, `readStream.schema(..)`,
 * `MemoryStream(session, schema)`, `from_json(col, schema)`).
 *
 * Invariant: returns a StructType or throws WeirError INVALID_ARGUMENT; a string is read as Spark's DDL, as
 * PySpark's schema string or as Spark's JSON form, never guessed beyond that.
 */
import { ErrorCodes, WeirError } from '../../errors';
import { dataTypeFromJson } from './dataTypeFromJson';
import { parseSchemaDDL } from './parseDataType';
import { StructType } from './StructType';

/**
 * A StructType as is, or a schema string: DDL (`'name STRING, age INT'`), PySpark's `'name: string, age: int'`
 * or `'struct<name:string,age:int>'`, or Spark's JSON form (`'{"type":"struct","fields":[...]}'`).
 *
 * @example
 * ```ts
 * toSchema('word STRING, ts TIMESTAMP').fieldNames()   // ['word', 'ts']
 * ```
 */
export function toSchema(schema: StructType | string): StructType {
  if (schema instanceof StructType) return schema;
  if (typeof schema !== 'string') {
    throw new WeirError(
      ErrorCodes.INVALID_ARGUMENT,
      `A schema must be a StructType or a DDL string, got ${schema === null ? 'null' : typeof schema}.`,
    );
  }
  if (schema.trimStart().startsWith('{')) {
    const t = dataTypeFromJson(schema);
    if (!(t instanceof StructType)) {
      throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `A schema must be a struct type, got ${t.simpleString()}.`, {
        context: { schema },
      });
    }
    return t;
  }
  return parseSchemaDDL(schema);
}
