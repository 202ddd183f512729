/**
 * Spark's ordering of the values `min` and `max` compare.
 *
 * Invariants: numbers order numerically with NaN above every other number and equal to itself, and -0 equal to
 * 0 (Spark's `SQLOrderingUtil.compareDoubles`); strings order by Unicode code point, which is the order of their
 * UTF-8 bytes (Spark's `UTF8String.binaryCompare`), not JS's UTF-16 order; false < true; Dates by instant;
 * Uint8Arrays by unsigned bytes, a prefix first. Two values of different kinds are an INVALID_ARGUMENT, since a
 * Spark column has one type.
 */
import { WeirError, ErrorCodes } from '../errors';

/**
 * Compares two non-null values in Spark's order: negative when `a < b`, 0 when equal, positive when `a > b`.
 * `fn` names the caller in the error raised for values that cannot be compared.
 *
 * @example
 * ```ts
 * compareValues('\uFFFF', '\u{1F600}'); // < 0: U+FFFF is below U+1F600 (JS's `<` says the opposite)
 * compareValues(NaN, Infinity);         // > 0
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
  }
  throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `${fn} cannot compare ${describe(a)} with ${describe(b)}.`, {
    context: { function: fn },
  });
}

function compareNumbers(a: number | bigint, b: number | bigint): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a == b) return 0; // loose: a bigint equals the number with the same value
  // At least one is NaN: NaN is the largest value and equals itself.
  const aNaN = typeof a === 'number' && Number.isNaN(a);
  const bNaN = typeof b === 'number' && Number.isNaN(b);
  return aNaN === bNaN ? 0 : aNaN ? 1 : -1;
}

/** Code point order: UTF-16 order except that surrogates (code points above U+FFFF) sort after U+E000..U+FFFF. */
function compareStrings(a: string, b: string): number {
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

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i]! - b[i]!;
  }
  return a.length - b.length;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Date) return 'a Date';
  if (v instanceof Uint8Array) return 'a Uint8Array';
  return `a ${typeof v}`;
}
