/**
 * `parseDataType` and `parseSchemaDDL`: Spark's DDL type strings and schemas as weir's types (the grammar is in
 * `ddlParser.ts`).
 */
import type { DataType } from './DataType';
import { parseDataTypeWith, parseSchemaWith } from './ddlParser';
import { StructType } from './StructType';

const makeStruct = (fields: ConstructorParameters<typeof StructType>[0]) => new StructType(fields);

/**
 * Parses a type string, case-insensitively: Spark's DDL names (`'string'`, `'varchar(10)'`, `'char(3)'`,
 * `'bigint'`, `'int'`, `'smallint'`, `'tinyint'`, `'double'`, `'float'`, `'real'`, `'boolean'`, `'timestamp'`,
 * `'timestamp_ltz'`, `'timestamp_ntz'`, `'date'`, `'binary'`, `'decimal(10,2)'`, `'dec'`, `'numeric'`,
 * `'void'`, `'array<...>'`, `'map<...,...>'`, `'struct<...>'`), the JSON names (`'long'`, `'integer'`,
 * `'short'`, `'byte'`) and `'bool'`. Like Spark's `DataType.fromDDL`, a schema string (`'a INT, b STRING'`)
 * parses as a StructType. CHAR(n) and VARCHAR(n) read as STRING (the length is not enforced).
 *
 * @example
 * ```ts
 * parseDataType('map<string, array<bigint>>').simpleString()   // 'map<string,array<bigint>>'
 * ```
 */
export function parseDataType(text: string): DataType {
  return parseDataTypeWith(text, makeStruct);
}

/**
 * Parses a DDL schema (`'name STRING, age INT NOT NULL COMMENT "years"'`) into a StructType. Also reads
 * PySpark's forms `'a: int, b: string'` and `'struct<a:int,b:string>'`.
 */
export function parseSchemaDDL(text: string): StructType {
  return parseSchemaWith(text, makeStruct) as StructType;
}
