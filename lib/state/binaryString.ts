/**
 * Byte strings as JavaScript strings, for Map keys.
 *
 * Invariant: `toBinaryString` maps each byte to the char code of the same value, so two results compare with
 * `<` exactly as their bytes compare lexicographically (one char per byte, all below 0x100), and equal strings
 * mean equal bytes. Browser-safe (no Buffer).
 */

const CHUNK = 4096;

/**
 * One char per byte (Latin-1): a Map key for `bytes` that sorts like the bytes do.
 *
 * @example
 * ```ts
 * toBinaryString(Uint8Array.of(0x06, 0x61, 0x00)); // '\x06a\x00'
 * ```
 */
export function toBinaryString(bytes: Uint8Array): string {
  // apply() takes array-likes; chunks keep the argument count far below engine limits.
  if (bytes.length <= CHUNK) return String.fromCharCode.apply(null, bytes as unknown as number[]);
  let out = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    out += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK) as unknown as number[]);
  }
  return out;
}

/** Compares two binary strings as their bytes compare (for `Array.prototype.sort`). */
export function compareBinaryStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
