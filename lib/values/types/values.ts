/**
 * Shape tests on JS values shared by the type functions.
 *
 * Invariant: pure predicates; nothing here converts a value.
 */

/** A record-like object: not null, not an array, Date, Map, Set, binary buffer or boxed primitive. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  return !(
    Array.isArray(v) ||
    v instanceof Date ||
    v instanceof Map ||
    v instanceof Set ||
    ArrayBuffer.isView(v) ||
    v instanceof ArrayBuffer ||
    v instanceof String ||
    v instanceof Number ||
    v instanceof Boolean
  );
}

/** How a value reads in an error message: `'x' (string)`, `12 (number)`, `[object] (Map)`. */
export function describeValue(v: unknown): string {
  const kind = jsKind(v);
  let shown: string;
  if (typeof v === 'string') shown = `'${v.length > 50 ? `${v.slice(0, 50)}...` : v}'`;
  else if (typeof v === 'bigint') shown = `${v}n`;
  else if (v instanceof Date) shown = Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString();
  else if (typeof v === 'object' && v !== null) {
    try {
      const json = JSON.stringify(v);
      shown = json === undefined ? String(v) : json.length > 50 ? `${json.slice(0, 50)}...` : json;
    } catch {
      shown = String(v);
    }
  } else shown = String(v);
  return `${shown} in type ${kind}`;
}

/** The JS kind of a value: `string`, `number`, `Date`, `Array`, `Map`, `Uint8Array`, `object`, ... */
export function jsKind(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v !== 'object') return typeof v;
  if (Array.isArray(v)) return 'Array';
  const name = (v as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' ? name : 'object';
}
