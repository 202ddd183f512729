/**
 * LIKE / ILIKE patterns compiled to a matcher that never backtracks (issue #16 item 12: `'%a%a...%ab'` as a
 * RegExp took 237 s on 60 characters).
 *
 * The pattern is read with Spark's escape rules (`StringUtils.escapeLikeRegex`): `_` is one character, `%` any
 * run, the escape character (default `\`) makes the next `_`, `%` or escape character literal, and before anything
 * else, or at the end, it is an error (`INVALID_FORMAT.ESC_IN_THE_MIDDLE` / `ESC_AT_THE_END`). It is then split at
 * the `%` runs into segments of fixed length (literal characters and `_`). A value matches when the first segment
 * is its prefix, the last its suffix and the middle ones occur in order in between: each is taken at its leftmost
 * occurrence, which is optimal because every segment has a fixed length. Time is O(value length × pattern length)
 * at worst, whatever the pattern.
 *
 * Invariants: characters are code points (`_` takes a surrogate pair whole, as Java's `.` does); a pattern is
 * parsed once per distinct pattern text; ILIKE is Spark's `lower(value) LIKE lower(pattern)`.
 */
import { exprError } from './errorCodes';

/** One piece of a segment: a literal code point (as its string) or `_`. */
type Piece = string | null;

/** Tells whether a value matches the pattern it was made from. */
export type LikeMatcher = (value: string) => boolean;

/** Stands for a run of `%` in a parsed pattern (a literal `%` is the string `'%'`). */
const ANY_RUN = Symbol('%');

/** The code points of `pattern` read as LIKE pieces, `%` runs as `ANY_RUN`. */
function parseLike(pattern: string, escape: string): (Piece | typeof ANY_RUN)[] {
  const chars = Array.from(pattern);
  const out: (Piece | typeof ANY_RUN)[] = [];
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
      out.push(next);
      i += 1;
    } else if (c === '_') {
      out.push(null);
    } else if (c === '%') {
      if (out[out.length - 1] !== ANY_RUN) out.push(ANY_RUN);
    } else {
      out.push(c);
    }
  }
  return out;
}

/** Width in UTF-16 units of the code point at `i` (1 or 2). */
function width(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
    const d = s.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return 2;
  }
  return 1;
}

/** The end of `segment` matched at `at` in `s`, or -1 when it does not match there. */
function matchAt(s: string, at: number, segment: readonly Piece[]): number {
  let i = at;
  for (const p of segment) {
    if (i >= s.length) return -1;
    if (p === null) {
      i += width(s, i);
    } else {
      if (!s.startsWith(p, i)) return -1;
      i += p.length;
    }
  }
  return i;
}

/** Where the last `count` code points of `s` start, or -1 when `s` has fewer. */
function lastCodePoints(s: string, count: number): number {
  let i = s.length;
  for (let k = 0; k < count; k++) {
    if (i <= 0) return -1;
    const c = s.charCodeAt(i - 1);
    i -= c >= 0xdc00 && c <= 0xdfff && i >= 2 && s.charCodeAt(i - 2) >= 0xd800 && s.charCodeAt(i - 2) <= 0xdbff ? 2 : 1;
  }
  return i;
}

/** Matches `segments` (the pattern split at `%`) against the whole of `s`. */
function matchSegments(s: string, segments: readonly (readonly Piece[])[]): boolean {
  if (segments.length === 1) return matchAt(s, 0, segments[0]!) === s.length;
  const first = segments[0]!;
  let pos = matchAt(s, 0, first);
  if (pos < 0 && first.length > 0) return false;
  if (first.length === 0) pos = 0;
  const last = segments[segments.length - 1]!;
  const lastStart = lastCodePoints(s, last.length);
  if (lastStart < 0 || lastStart < pos) return false;
  for (let k = 1; k < segments.length - 1; k++) {
    const seg = segments[k]!;
    let found = -1;
    for (let at = pos; at < lastStart; at += width(s, at)) {
      const end = matchAt(s, at, seg);
      if (end >= 0 && end <= lastStart) {
        found = end;
        break;
      }
    }
    if (found < 0) return false;
    pos = found;
  }
  return matchAt(s, lastStart, last) === s.length;
}

/**
 * Compiles a LIKE pattern (`ignoreCase` for ILIKE) to a matcher over whole values. Throws Spark's
 * INVALID_FORMAT errors for a misplaced escape character.
 */
export function likeMatcher(pattern: string, escape = '\\', ignoreCase = false): LikeMatcher {
  const pieces = parseLike(ignoreCase ? pattern.toLowerCase() : pattern, escape);
  const segments: Piece[][] = [[]];
  for (const p of pieces) {
    if (p === ANY_RUN) segments.push([]);
    else segments[segments.length - 1]!.push(p);
  }
  let match: LikeMatcher;
  if (segments.length === 1 && segments[0]!.every((p) => p !== null)) {
    const literal = segments[0]!.join('');
    match = (s) => s === literal;
  } else if (segments.length === 2 && segments[0]!.length === 0 && segments[1]!.length === 0) {
    match = () => true;
  } else if (segments.every((seg) => seg.every((p) => p !== null))) {
    // No `_`: every segment is a plain string, found with indexOf.
    const texts = segments.map((seg) => seg.join(''));
    const first = texts[0]!;
    const last = texts[texts.length - 1]!;
    match = (s) => {
      if (s.length < first.length + last.length || !s.startsWith(first) || !s.endsWith(last)) return false;
      let pos = first.length;
      const end = s.length - last.length;
      for (let k = 1; k < texts.length - 1; k++) {
        const t = texts[k]!;
        const at = s.indexOf(t, pos);
        if (at < 0 || at + t.length > end) return false;
        pos = at + t.length;
      }
      return true;
    };
  } else {
    match = (s) => matchSegments(s, segments);
  }
  return ignoreCase ? (s) => match(s.toLowerCase()) : match;
}
