/**
 * Spark's partition path escaping (`ExternalCatalogUtils.escapePathName` / `unescapePathName`).
 *
 * Invariant: `escapePathName(s)` never contains `/`, `\`, NUL or another control character, so a partition
 * folder `key=value` built from escaped parts is always exactly one path segment, and
 * `unescapePathName(escapePathName(s)) === s` for every string.
 */

/** Characters Spark escapes (its `charToEscape` set on POSIX): controls, DEL and " # % ' * / : = ? \ { [ ] ^. */
function needsEscape(code: number): boolean {
  if (code < 0x20 || code === 0x7f) return true;
  switch (code) {
    case 0x22: // "
    case 0x23: // #
    case 0x25: // %
    case 0x27: // '
    case 0x2a: // *
    case 0x2f: // /
    case 0x3a: // :
    case 0x3d: // =
    case 0x3f: // ?
    case 0x5c: // \
    case 0x7b: // {
    case 0x5b: // [
    case 0x5d: // ]
    case 0x5e: // ^
      return true;
    default:
      return false;
  }
}

/**
 * Escapes a partition column name or value as Spark does: each special character becomes `%XX` (upper-case hex).
 *
 * @example
 * ```ts
 * escapePathName('a/b=c')   // 'a%2Fb%3Dc'
 * escapePathName('%2e%2e')  // '%252e%252e'
 * ```
 */
export function escapePathName(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    out += needsEscape(code) ? `%${code.toString(16).toUpperCase().padStart(2, '0')}` : s[i];
  }
  return out;
}

/**
 * Spark's `unescapePathName`: `%XX` with two hex digits becomes that character; anything else is kept.
 *
 * @example
 * ```ts
 * unescapePathName('a%2Fb')  // 'a/b'
 * ```
 */
export function unescapePathName(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '%' && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) {
      out += String.fromCharCode(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}
