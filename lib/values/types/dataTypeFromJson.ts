/**
 * `dataTypeFromJson`: Spark's JSON form of types (`DataType.fromJson`) as weir's types (the reader is in
 * `jsonTypeReader.ts`).
 */
import type { JsonValue } from '../../contracts';
import type { DataType } from './DataType';
import { dataTypeFromJsonWith } from './jsonTypeReader';
import { StructType } from './StructType';

/**
 * Reads Spark's JSON form of a type: JSON text (`'{"type":"struct","fields":[...]}'`, `'"long"'`), a bare type
 * name (`'long'`), or the already-parsed value.
 *
 * @example
 * ```ts
 * dataTypeFromJson({ type: 'array', elementType: 'long', containsNull: true }).simpleString()   // 'array<bigint>'
 * ```
 */
export function dataTypeFromJson(json: string | JsonValue): DataType {
  return dataTypeFromJsonWith(json, (fields) => new StructType(fields));
}
