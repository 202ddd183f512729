/**
 * Strict JSON lines for checkpoint entries: parse one line into a plain object and read typed fields off it.
 *
 * Invariant: a checkpoint entry is either decoded into exactly the shape its type promises or rejected with a
 * reason (which the log reports as corruption); decoded objects are built field by field, so a `__proto__` key
 * on disk can never reach a prototype.
 */
import type { JsonValue } from '../contracts';

/** Parses `line` as a JSON object; throws (with `what` in the message) for anything else. */
export function parseJsonObject(line: string | undefined, what: string): Record<string, unknown> {
  if (line === undefined) throw new Error(`${what} line missing`);
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new Error(`${what} is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

/** The finite number at `object[key]`; throws otherwise. */
export function numberField(object: Record<string, unknown>, key: string, what: string): number {
  const value = Object.hasOwn(object, key) ? object[key] : undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`${what}.${key} must be a finite number`);
  return value;
}

/** The non-empty string at `object[key]`; throws otherwise. */
export function stringField(object: Record<string, unknown>, key: string, what: string): string {
  const value = Object.hasOwn(object, key) ? object[key] : undefined;
  if (typeof value !== 'string' || value.length === 0) throw new Error(`${what}.${key} must be a non-empty string`);
  return value;
}

/** The string-to-string map at `object[key]` (absent = empty), copied into a fresh object. */
export function stringMapField(object: Record<string, unknown>, key: string, what: string): Record<string, string> {
  const value = Object.hasOwn(object, key) ? object[key] : {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${what}.${key} must be an object`);
  const entries = Object.entries(value);
  for (const [k, v] of entries) {
    if (typeof v !== 'string') throw new Error(`${what}.${key}.${k} must be a string`);
  }
  // fromEntries defines own properties, so a "__proto__" key stays data.
  return Object.fromEntries(entries) as Record<string, string>;
}

/**
 * Throws unless `value` survives a JSON round trip unchanged: no NaN/Infinity (JSON.stringify writes null),
 * no undefined, functions, class instances or cycles. Checked on write so an offset is never silently altered.
 */
export function assertJsonValue(value: unknown, what: string, seen: Set<object> = new Set()): asserts value is JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`${what} holds a non-finite number`);
    return;
  }
  if (typeof value !== 'object') throw new Error(`${what} holds a ${typeof value}, not JSON`);
  if (seen.has(value)) throw new Error(`${what} is cyclic`);
  seen.add(value);
  if (Array.isArray(value)) {
    value.forEach((item, i) => assertJsonValue(item, `${what}[${i}]`, seen));
  } else {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) throw new Error(`${what} is not a plain object`);
    for (const [k, v] of Object.entries(value)) assertJsonValue(v, `${what}.${k}`, seen);
  }
  seen.delete(value);
}
