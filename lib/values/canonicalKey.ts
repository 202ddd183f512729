/**
 * A canonical string key per value, for deep value equality (collect_set, grouping keys).
 *
 * Invariant: `canonicalKey(a) === canonicalKey(b)` iff `a` and `b` are equal values: same kind and same content,
 * Dates by instant, Uint8Arrays by bytes, arrays element-wise, plain objects by their defined properties whatever
 * their order (a property holding `undefined` counts as absent, like in JSON). null and undefined are equal;
 * NaN equals NaN and -0 equals 0, as in Spark's grouping.
 */
import { WeirError, ErrorCodes } from '../errors';

/**
 * The canonical key of a value made of null, booleans, numbers, bigints, strings, Dates, Uint8Arrays, arrays and
 * plain objects. Anything else (a Map, a class instance, a function, a symbol) is an INVALID_ARGUMENT.
 *
 * @example
 * ```ts
 * canonicalKey({ a: 1, b: [new Date(0)] }) === canonicalKey({ b: [new Date(0)], a: 1 }); // true
 * canonicalKey(1) === canonicalKey('1'); // false
 * ```
 */
export function canonicalKey(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return `n${value === 0 ? 0 : value}`;
    case 'boolean':
      return value ? 't' : 'f';
    case 'bigint':
      return `i${value}`;
    case 'undefined':
      return 'z';
    case 'object':
      return objectKey(value);
    default:
      throw unsupported(value);
  }
}

function objectKey(value: object | null): string {
  if (value === null) return 'z';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalKey(value[i]);
    return `${out}]`;
  }
  if (value instanceof Date) return `d${value.getTime()}`;
  if (value instanceof Uint8Array) return `x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) throw unsupported(value);
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    out += `${i === 0 ? '' : ','}${JSON.stringify(k)}:${canonicalKey(record[k])}`;
  }
  return `${out}}`;
}

function unsupported(value: unknown): WeirError {
  const kind = typeof value === 'object' ? (value?.constructor?.name ?? 'object') : typeof value;
  return new WeirError(ErrorCodes.INVALID_ARGUMENT, `Cannot compare values of type ${kind} by value.`, {
    context: { type: kind },
  });
}
