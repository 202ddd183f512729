/**
 * Spark's ordering and equality of values, the one definition that aggregates (`min`, `max`), sorts, comparison
 * expressions, joins and deduplication use.
 *
 * Invariants (Spark's `PhysicalDataType.ordering` per type):
 * - numbers order numerically with NaN above every other number and equal to itself, -0 equal to 0
 *   (`SQLOrderingUtil.compareDoubles`); a bigint and a number compare by value;
 * - strings by Unicode code point, the order of their UTF-8 bytes (`UTF8String.binaryCompare`), not JS's UTF-16
 *   order;
 * - false < true; Dates by instant; Uint8Arrays by unsigned bytes, a prefix first;
 * - arrays element by element, a null element first, then the shorter first (`ArrayType`'s interpreted ordering);
 * - structs field by field in field order, nulls first;
 * - maps are not orderable (Spark rejects them in ORDER BY, min and max at analysis); for equality they are equal
 *   when they hold the same entries in the same order (Spark's map `=` is not defined either; weir's grouping by
 *   map compares entries this way);
 * - values of two different kinds (which a typed column never holds) are an INVALID_ARGUMENT naming the caller.
 */
import { ErrorCodes, WeirError } from '../errors';

/** Code point order of two strings: UTF-16 order except that surrogates sort after U+E000..U+FFFF. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let ca = a.charCodeAt(i);
    let cb = b.charCodeAt(i);
    if (ca !== cb) {
      if (ca >= 0xd800 && cb >= 0xd800) {
        ca = ca >= 0xe000 ? ca - 0x800 : ca + 0x2000;
        cb = cb >= 0xe000 ? cb - 0x800 : cb + 0x2000;
      }
      return ca - cb;
    }
  }
  return a.length - b.length;
}

/** Numbers in Spark's order: NaN above everything and equal to itself, -0 equal to 0; bigints by value. */
export function compareNumbers(a: number | bigint, b: number | bigint): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a == b) return 0; // loose on purpose: a bigint equals the number of the same value
  // At least one is NaN: NaN is the largest value and equals itself.
  const aNaN = typeof a === 'number' && Number.isNaN(a);
  const bNaN = typeof b === 'number' && Number.isNaN(b);
  return aNaN === bNaN ? 0 : aNaN ? 1 : -1;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/**
 * Compares two non-null values in Spark's order: negative when `a < b`, 0 when equal, positive when `a > b`.
 * `fn` names the caller in the error raised for values that cannot be compared.
 *
 * @example
 * ```ts
 * compareValues('\uFFFF', '\u{1F600}'); // < 0: U+FFFF is below U+1F600 (JS's `<` says the opposite)
 * compareValues(NaN, Infinity);         // > 0
 * compareValues([1, null], [1, 2]);     // < 0: a null element sorts first
 * ```
 */
export function compareValues(a: unknown, b: unknown, fn = 'compare'): number {
  const ta = typeof a;
  if (ta === 'number' || ta === 'bigint') {
    const tb = typeof b;
    if (tb === 'number' || tb === 'bigint') return compareNumbers(a as number | bigint, b as number | bigint);
  } else if (ta === 'string') {
    if (typeof b === 'string') return compareStrings(a as string, b);
  } else if (ta === 'boolean') {
    if (typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  } else if (a instanceof Date) {
    if (b instanceof Date) return compareNumbers(a.getTime(), b.getTime());
  } else if (a instanceof Uint8Array) {
    if (b instanceof Uint8Array) return compareBytes(a, b);
  } else if (Array.isArray(a)) {
    if (Array.isArray(b)) {
      const n = Math.min(a.length, b.length);
      for (let i = 0; i < n; i++) {
        const c = compareNullable(a[i], b[i], fn);
        if (c !== 0) return c;
      }
      return a.length - b.length;
    }
  } else if (isStruct(a)) {
    if (isStruct(b)) {
      const ka = Object.keys(a);
      const kb = Object.keys(b);
      const n = Math.min(ka.length, kb.length);
      for (let i = 0; i < n; i++) {
        const c = compareNullable(a[ka[i]!], b[kb[i]!], fn);
        if (c !== 0) return c;
      }
      return ka.length - kb.length;
    }
  }
  throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `${fn} cannot compare ${describe(a)} with ${describe(b)}.`, {
    context: { function: fn },
  });
}

/** Orders with nulls (and undefined) first, Spark's ascending default inside arrays and structs. */
export function compareNullable(a: unknown, b: unknown, fn = 'compare'): number {
  const an = a === null || a === undefined;
  const bn = b === null || b === undefined;
  if (an || bn) return an && bn ? 0 : an ? -1 : 1;
  return compareValues(a, b, fn);
}

/** Spark's `=` on two non-null values: NaN = NaN is true, -0 = 0, nested nulls equal each other, maps by entries. */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Map) return b instanceof Map && mapEquals(a, b);
  if (b instanceof Map) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => nullableEqual(x, b[i]));
  if (isStruct(a) && isStruct(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k, i) => nullableEqual(a[k], b[kb[i]!]));
  }
  return compareValues(a, b, '=') === 0;
}

function nullableEqual(a: unknown, b: unknown): boolean {
  const an = a === null || a === undefined;
  const bn = b === null || b === undefined;
  return an || bn ? an && bn : valuesEqual(a, b);
}

function mapEquals(a: Map<unknown, unknown>, b: Map<unknown, unknown>): boolean {
  if (a.size !== b.size) return false;
  const eb = [...b.entries()];
  let i = 0;
  for (const [k, v] of a) {
    const [k2, v2] = eb[i++]!;
    if (!nullableEqual(k, k2) || !nullableEqual(v, v2)) return false;
  }
  return true;
}

function isStruct(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof Uint8Array) && !(v instanceof Map);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Date) return 'a Date';
  if (v instanceof Uint8Array) return 'a Uint8Array';
  if (v instanceof Map) return 'a map';
  return isStruct(v) ? 'a struct' : `a ${typeof v}`;
}
