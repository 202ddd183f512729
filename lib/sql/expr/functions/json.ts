/**
 * Spark's JSON functions (`jsonExpressions.scala`): `from_json(json, schema[, options])` and `to_json(value)`.
 *
 * Invariants: the schema of `from_json` is constant (a DDL field list, a type string such as `array<int>`, or a
 * schema in Spark's JSON form) and parsed once at compile time; it must be a struct, an array or a map
 * (INVALID_JSON_SCHEMA), as must the input of `to_json`; malformed JSON never fails (Spark's PERMISSIVE mode, the
 * conversions of `../json.ts`), and both functions are strict (null in, null out).
 */
import { mismatch, stringArg, unexpectedInput } from '../compiled';
import { fromJson, toJson } from '../json';
import { isArray, isMap, isStruct, sqlTypes, type DataType } from '../typeSupport';
import { dataTypeFromJson, parseDataType, toSchema } from '../../../values/types';
import { constantArg } from './arguments';
import { functionTable, scalar, strict, type FunctionTable } from './scalarFunction';

/** Parses `from_json`'s schema: a DDL field list, a type string (`array<int>`), or a JSON schema. */
export function parseJsonSchema(text: string): DataType {
  const t = text.trim();
  if (/^(array|map|struct)\s*</i.test(t)) return parseDataType(t);
  if (t.startsWith('{')) return dataTypeFromJson(t);
  return toSchema(t);
}

/** The JSON functions by name. */
export const JSON_FUNCTIONS: FunctionTable = functionTable([
  ['from_json', scalar(2, 3, (call, args) => {
    const src = stringArg(call, 0, args[0]!);
    const schemaValue = constantArg(call, 1, args[1]!, 'schema');
    if (typeof schemaValue !== 'string') throw unexpectedInput(call, 1, args[1]!, '"STRING"');
    const type = parseJsonSchema(schemaValue);
    if (!isStruct(type) && !isArray(type) && !isMap(type)) {
      throw mismatch(call, 'INVALID_JSON_SCHEMA', `Input schema "${type.sql()}" must be a struct, an array, a map or a variant`);
    }
    const options = args[2] === undefined ? undefined : constantArg(call, 2, args[2], 'options');
    const opts = options instanceof Map ? Object.fromEntries([...options.entries()].map(([k, v]) => [String(k), String(v)])) : {};
    const fromOpts = {
      ...(typeof opts['timestampFormat'] === 'string' ? { timestampFormat: opts['timestampFormat'] } : {}),
      ...(typeof opts['dateFormat'] === 'string' ? { dateFormat: opts['dateFormat'] } : {}),
    };
    return strict(call, [src], type, ([s]) => fromJson(s, type, fromOpts));
  })],
  ['to_json', scalar(1, 2, (call, args) => {
    const a = args[0]!;
    if (!isStruct(a.dataType) && !isArray(a.dataType) && !isMap(a.dataType)) {
      throw mismatch(call, 'INVALID_JSON_SCHEMA', `Input schema "${a.dataType.sql()}" must be a struct, an array, a map or a variant`);
    }
    const type = a.dataType;
    return strict(call, [a], sqlTypes.string(), ([v]) => toJson(v, type));
  })],
]);
