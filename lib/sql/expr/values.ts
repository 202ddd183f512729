/**
 * Runtime helpers of compiled expressions: own-property access, Spark's value ordering and equality, MAP lookups,
 * LIKE and regex patterns, Java's `String.split`, code-point string operations, HALF_UP rounding.
 *
 * Invariants: nothing here reads a property through a prototype chain (`getOwn` uses `Object.hasOwn`; a `Map`
 * is read with `get`) and nothing writes with `obj[key] = v` on a key taken from data (`setOwn` defines an own
 * data property, so a key `__proto__` is just a key); no user text is ever compiled as code, only as a RegExp
 * built from escaped pieces or from the user's regex (as Spark's RLIKE does).
 */
import { valuesEqual } from '../../values/compare';
import { exprError } from './errorCodes';
import type { JavaRegex } from './javaRegex';

/** `obj[key]` when `obj` is an object that owns `key`, else undefined (Maps are read with `get`). */
export function getOwn(obj: unknown, key: string): unknown {
  if (obj === null || typeof obj !== 'object') return undefined;
  if (obj instanceof Map) return obj.get(key);
  return Object.hasOwn(obj, key) ? (obj as Record<string, unknown>)[key] : undefined;
}

/** Defines `obj[key] = value` as an own, enumerable data property (safe for `__proto__`, `constructor`). */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The own key of `obj` equal to `name` ignoring case (exact match preferred), or undefined. */
export function ownKeyIgnoringCase(obj: Record<string, unknown>, name: string): string | undefined {
  if (Object.hasOwn(obj, name)) return name;
  const lower = name.toLowerCase();
  for (const k of Object.keys(obj)) if (k.toLowerCase() === lower) return k;
  return undefined;
}

// ---- ordering: the one definition lives in lib/values/compare ----------------------------------------------

export { compareNullable, compareNumbers, compareStrings, compareValues, valuesEqual } from '../../values/compare';

// ---- MAP lookups -------------------------------------------------------------------------------------------

/** `m[k]` for a MAP value held as a `Map` (or a plain object from user rows). */
export function mapGet(m: unknown, k: unknown): unknown {
  if (m instanceof Map) {
    if (m.has(k)) return m.get(k);
    for (const [key, v] of m) if (valuesEqual(key, k)) return v;
    return null;
  }
  const v = typeof k === 'string' ? getOwn(m, k) : undefined;
  return v === undefined ? null : v;
}

// ---- LIKE and regular expressions --------------------------------------------------------------------------

const REGEX_SPECIAL = /[\\^$.*+?()[\]{}|/]/g; // the syntax characters: with the u flag nothing else may be escaped

/**
 * Spark's `StringUtils.escapeLikeRegex` as a JS RegExp: `_` is any one character, `%` any run, the escape
 * character makes the next `_`, `%` or escape literal; the escape before any other character, or at the end, is
 * an error. It backtracks (exponential on `'%a%a...%ab'`), so weir evaluates LIKE with `likeMatcher`; this stays
 * as the reference the specs check `likeMatcher` against.
 */
export function likeToRegExp(pattern: string, escape = '\\', ignoreCase = false): RegExp {
  const chars = Array.from(pattern);
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === escape) {
      const next = chars[i + 1];
      if (next === undefined) {
        throw exprError('INVALID_ARGUMENT', `[INVALID_FORMAT.ESC_AT_THE_END] The format is invalid: '${pattern}'. The escape character is not allowed to end with. SQLSTATE: 42601`, { pattern });
      }
      if (next !== '_' && next !== '%' && next !== escape) {
        throw exprError('INVALID_ARGUMENT', `[INVALID_FORMAT.ESC_IN_THE_MIDDLE] The format is invalid: '${pattern}'. The escape character is not allowed to precede '${next}'. SQLSTATE: 42601`, { pattern });
      }
      out += next.replace(REGEX_SPECIAL, '\\$&');
      i += 1;
    } else if (c === '_') {
      out += '.';
    } else if (c === '%') {
      out += '.*';
    } else {
      out += c.replace(REGEX_SPECIAL, '\\$&');
    }
  }
  return new RegExp(`^(?:${out})$`, ignoreCase ? 'isu' : 'su');
}

/**
 * Java's `String.split(regex, limit)`: limit > 0 keeps at most `limit` parts, limit ≤ 0 keeps trailing empty
 * strings (Spark passes -1); a zero-width match at the start yields no leading empty string; '' splits into
 * characters; an empty input gives [''].
 */
export function javaSplit(input: string, regex: JavaRegex, limit: number): string[] {
  if (input.length === 0) return [''];
  const m = regex.matcher(input);
  const out: string[] = [];
  let last = 0;
  let from = 0;
  while (from <= input.length && m.find(from)) {
    if (limit > 0 && out.length === limit - 1) break;
    const start = m.start();
    const end = m.end();
    if (end === start) {
      if (start >= input.length) break;
      if (start > 0) {
        out.push(input.slice(last, start));
        last = start;
      }
      from = start + codeUnitWidth(input, start);
      continue;
    }
    out.push(input.slice(last, start));
    last = end;
    from = end;
  }
  out.push(input.slice(last));
  if (limit === 0) while (out.length > 1 && out[out.length - 1] === '') out.pop();
  return out;
}

function codeUnitWidth(s: string, i: number): number {
  const c = s.charCodeAt(i);
  return c >= 0xd800 && c < 0xdc00 && i + 1 < s.length ? 2 : 1;
}

// ---- strings ----------------------------------------------------------------------------------------------

/** The number of characters (code points) of a string, as Spark's `length`. */
export function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) i++;
    n++;
  }
  return n;
}

/** Spark's `UTF8String.substringSQL(pos, len)` on code points: 1-based, 0 is 1, negative counts from the end. */
export function substringSql(s: string, pos: number, len: number): string {
  const chars = Array.from(s);
  const n = chars.length;
  let start = pos > 0 ? pos - 1 : pos < 0 ? n + pos : 0;
  const end = len === Infinity ? Number.MAX_SAFE_INTEGER : start + len;
  start = Math.max(start, 0);
  if (start >= end) return '';
  return chars.slice(start, end).join('');
}

/** Removes the characters of `chars` from the start (`left`) and/or end (`right`) of `s` (code points). */
export function trimChars(s: string, chars: string, left: boolean, right: boolean): string {
  const set = new Set(Array.from(chars));
  const cps = Array.from(s);
  let i = 0;
  let j = cps.length;
  if (left) while (i < j && set.has(cps[i]!)) i++;
  if (right) while (j > i && set.has(cps[j - 1]!)) j--;
  return cps.slice(i, j).join('');
}

// ---- numbers ----------------------------------------------------------------------------------------------

/**
 * Rounds half away from zero at `scale` decimal places (Spark's ROUND, HALF_UP on the decimal value of the
 * double's shortest representation, so `round(1.005, 2)` is 1.01). Negative scales round to tens, hundreds...
 */
export function roundHalfUp(value: number, scale: number): number {
  if (!Number.isFinite(value)) return value;
  return shiftRound(value, scale, (x) => Math.round(Math.abs(x)) * Math.sign(x));
}

/** HALF_EVEN rounding (Spark's BROUND). */
export function roundHalfEven(value: number, scale: number): number {
  if (!Number.isFinite(value)) return value;
  return shiftRound(value, scale, (x) => {
    const r = Math.round(x);
    return Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : r;
  });
}

function shiftRound(value: number, scale: number, round: (x: number) => number): number {
  const [mantissa, exp] = value.toExponential().split('e') as [string, string];
  const shifted = Number(`${mantissa}e${Number(exp) + scale}`);
  const r = round(shifted);
  const [m2, e2] = r.toExponential().split('e') as [string, string];
  const out = Number(`${m2}e${Number(e2) - scale}`);
  return out === 0 ? 0 : out;
}

/** Wraps an integral result to `bits` like Java's overflow (Spark's non-ANSI arithmetic). */
export function wrapIntegral(value: number, bits: 8 | 16 | 32 | 64): number {
  if (!Number.isFinite(value)) return value;
  switch (bits) {
    case 8:
      return (value << 24) >> 24;
    case 16:
      return (value << 16) >> 16;
    case 32:
      return value | 0;
    case 64:
      if (value >= -(2 ** 63) && value < 2 ** 63) return value;
      return Number(BigInt.asIntN(64, BigInt(Math.trunc(value))));
  }
}
