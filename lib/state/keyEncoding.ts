/**
 * Order-preserving binary keys for state stores (FoundationDB's tuple layer, trimmed to weir's key parts).
 *
 * Invariant: for any two tuples `a` and `b`, `compareKeys(encodeKey(a), encodeKey(b))` has the sign of the tuple
 * order defined on {@link KeyPart}, and `decodeKey(encodeKey(a))` equals `a` (with `-0` read back as `0`). The
 * encoding of a tuple is a byte prefix of the encoding of every tuple that extends it, so "all keys starting with
 * these parts" is one range scan ({@link keyRange}).
 *
 * Layout: each part is a tag byte followed by its payload.
 * - `null` 0x01; `false` 0x02; `true` 0x03.
 * - number 0x04 + 8 bytes, Date 0x05 + 8 bytes (its epoch ms): the IEEE-754 big-endian double with the sign bit
 *   flipped for positives and every bit flipped for negatives, so byte order is numeric order for all doubles:
 *   negatives, fractions, epoch-ms timestamps and integers beyond 2^32 (exact up to 2^53). `-0` is stored as `0`
 *   and every NaN as one canonical NaN that sorts after `+Infinity` (Spark's grouping semantics for both).
 * - string 0x06, bytes 0x07: the UTF-8 (or raw) bytes with each 0x00 written as 0x00 0xFF, then a 0x00
 *   terminator. Tags are below 0xFF, so a terminator followed by the next part's tag sorts before an escaped
 *   0x00: `"a"` < `"a\0"`, also when more parts follow.
 *
 * It uses TextEncoder/TextDecoder and DataView only, so it runs in browsers as well as in Node.
 */
import { ErrorCodes, WeirError } from '../errors';

/**
 * One component of a state key. Tuple order compares parts left to right; parts of different kinds order as
 * `null < false < true < number < Date < string < Uint8Array`; numbers and Dates numerically (NaN last), strings
 * by Unicode code point (= UTF-8 byte order), bytes lexicographically; a tuple sorts before its extensions.
 */
export type KeyPart = null | boolean | number | string | Date | Uint8Array;

const TAG_NULL = 0x01;
const TAG_FALSE = 0x02;
const TAG_TRUE = 0x03;
const TAG_NUMBER = 0x04;
const TAG_DATE = 0x05;
const TAG_STRING = 0x06;
const TAG_BYTES = 0x07;
const ESCAPE = 0xff;

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });
// A string is well-formed UTF-16 unless it holds a lone surrogate (with the u flag a pair is one code point).
const LONE_SURROGATE = /\p{Surrogate}/u;

function invalidPart(message: string, index: number): WeirError {
  return new WeirError(ErrorCodes.INVALID_ARGUMENT, message, { context: { keyPart: index } });
}

/** True for strings made only of ASCII characters other than NUL: their UTF-8 is their char codes. */
function isPlainAscii(s: string): boolean {
  for (let i = 0; i < s.length; i += 1) {
    const c = s.charCodeAt(i);
    if (c === 0 || c > 0x7f) return false;
  }
  return true;
}

/** A copy of `bytes[start, end)` as a plain Uint8Array (`Buffer#slice` would return a view). */
function copyOf(bytes: Uint8Array, start: number, end: number): Uint8Array {
  return Uint8Array.prototype.slice.call(bytes, start, end);
}

function countZeros(bytes: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < bytes.length; i += 1) if (bytes[i] === 0) n += 1;
  return n;
}

/**
 * Encodes a tuple of key parts into order-preserving bytes.
 *
 * @throws WeirError `INVALID_ARGUMENT` for a part that is not a {@link KeyPart}, an invalid Date, or a string
 * with a lone surrogate (it has no UTF-8 form, so it could not be decoded back).
 *
 * @example
 * ```ts
 * const key = encodeKey([windowEnd, 'user-7']); // evict with range({ lt: encodeKey([watermarkMs + 1]) })
 * decodeKey(key); // [windowEnd, 'user-7']
 * ```
 */
export function encodeKey(parts: readonly KeyPart[]): Uint8Array {
  // Pass 1: exact size; only non-ASCII strings and byte parts need their bytes prepared.
  let size = 0;
  let prepared: (Uint8Array | undefined)[] | undefined;
  for (let i = 0; i < parts.length; i += 1) {
    const part = parts[i];
    if (part === null || typeof part === 'boolean') size += 1;
    else if (typeof part === 'number') size += 9;
    else if (typeof part === 'string') {
      if (isPlainAscii(part)) size += part.length + 2;
      else {
        if (LONE_SURROGATE.test(part)) throw invalidPart(`Key part ${i} is a string with a lone surrogate`, i);
        const bytes = utf8Encoder.encode(part);
        (prepared ??= [])[i] = bytes;
        size += bytes.length + countZeros(bytes) + 2;
      }
    } else if (part instanceof Date) {
      if (Number.isNaN(part.getTime())) throw invalidPart(`Key part ${i} is an invalid Date`, i);
      size += 9;
    } else if (part instanceof Uint8Array) size += part.length + countZeros(part) + 2;
    else throw invalidPart(`Key part ${i} is not null, a boolean, number, string, Date or Uint8Array`, i);
  }

  // Pass 2: write.
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let pos = 0;
  for (let i = 0; i < parts.length; i += 1) {
    const part = parts[i];
    if (part === null) out[pos++] = TAG_NULL;
    else if (part === false) out[pos++] = TAG_FALSE;
    else if (part === true) out[pos++] = TAG_TRUE;
    else if (typeof part === 'number') {
      out[pos++] = TAG_NUMBER;
      writeOrderedDouble(out, view, pos, part);
      pos += 8;
    } else if (typeof part === 'string') {
      out[pos++] = TAG_STRING;
      const bytes = prepared?.[i];
      if (bytes === undefined) {
        for (let c = 0; c < part.length; c += 1) out[pos++] = part.charCodeAt(c);
      } else pos = writeEscaped(out, pos, bytes);
      out[pos++] = 0;
    } else if (part instanceof Date) {
      out[pos++] = TAG_DATE;
      writeOrderedDouble(out, view, pos, part.getTime());
      pos += 8;
    } else {
      out[pos++] = TAG_BYTES;
      pos = writeEscaped(out, pos, part as Uint8Array);
      out[pos++] = 0;
    }
  }
  return out;
}

function writeEscaped(out: Uint8Array, start: number, bytes: Uint8Array): number {
  let pos = start;
  for (let b = 0; b < bytes.length; b += 1) {
    const byte = bytes[b]!;
    out[pos++] = byte;
    if (byte === 0) out[pos++] = ESCAPE;
  }
  return pos;
}

function writeOrderedDouble(out: Uint8Array, view: DataView, pos: number, value: number): void {
  if (Number.isNaN(value)) {
    // Canonical quiet NaN 0x7FF8..., sign bit flipped: after +Infinity (0xFFF0...).
    out[pos] = 0xff;
    out[pos + 1] = 0xf8;
    return; // the other six bytes are already 0
  }
  view.setFloat64(pos, value === 0 ? 0 : value); // value === 0 also holds for -0: store +0
  if ((out[pos]! & 0x80) === 0) out[pos] = out[pos]! | 0x80;
  else for (let b = pos; b < pos + 8; b += 1) out[b] = ~out[b]! & 0xff;
}

function readOrderedDouble(bytes: Uint8Array, pos: number): number {
  const copy = copyOf(bytes, pos, pos + 8);
  if ((copy[0]! & 0x80) !== 0) copy[0] = copy[0]! & 0x7f;
  else for (let b = 0; b < 8; b += 1) copy[b] = ~copy[b]! & 0xff;
  return new DataView(copy.buffer).getFloat64(0);
}

function malformed(bytes: Uint8Array, pos: number, what: string): WeirError {
  return new WeirError(ErrorCodes.INVALID_ARGUMENT, `Not an encoded state key: ${what} at byte ${pos}`, {
    context: { position: pos, length: bytes.length },
  });
}

/** Reads an escaped, 0x00-terminated payload starting at `pos`; returns it and the position after the terminator. */
function readEscaped(bytes: Uint8Array, pos: number): { payload: Uint8Array; next: number } {
  let end = pos;
  let escapes = 0;
  for (;;) {
    if (end >= bytes.length) throw malformed(bytes, end, 'unterminated string or bytes');
    if (bytes[end] === 0) {
      if (bytes[end + 1] === ESCAPE) {
        escapes += 1;
        end += 2;
        continue;
      }
      break;
    }
    end += 1;
  }
  if (escapes === 0) return { payload: copyOf(bytes, pos, end), next: end + 1 };
  const payload = new Uint8Array(end - pos - escapes);
  let w = 0;
  for (let r = pos; r < end; r += 1) {
    payload[w++] = bytes[r]!;
    if (bytes[r] === 0) r += 1; // skip the escape byte
  }
  return { payload, next: end + 1 };
}

/**
 * Decodes bytes made by {@link encodeKey} back into the tuple (numbers as numbers, Dates as Dates, bytes as
 * fresh Uint8Arrays).
 *
 * @throws WeirError `INVALID_ARGUMENT` when `bytes` is not an encoded key.
 */
export function decodeKey(bytes: Uint8Array): KeyPart[] {
  const parts: KeyPart[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    const tag = bytes[pos++];
    switch (tag) {
      case TAG_NULL:
        parts.push(null);
        break;
      case TAG_FALSE:
        parts.push(false);
        break;
      case TAG_TRUE:
        parts.push(true);
        break;
      case TAG_NUMBER:
      case TAG_DATE: {
        if (pos + 8 > bytes.length) throw malformed(bytes, pos, 'truncated number');
        const value = readOrderedDouble(bytes, pos);
        parts.push(tag === TAG_NUMBER ? value : new Date(value));
        pos += 8;
        break;
      }
      case TAG_STRING: {
        const { payload, next } = readEscaped(bytes, pos);
        try {
          parts.push(utf8Decoder.decode(payload));
        } catch (cause) {
          throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `Not an encoded state key: bad UTF-8 at byte ${pos}`, {
            context: { position: pos, length: bytes.length },
            cause,
          });
        }
        pos = next;
        break;
      }
      case TAG_BYTES: {
        const { payload, next } = readEscaped(bytes, pos);
        parts.push(payload);
        pos = next;
        break;
      }
      default:
        throw malformed(bytes, pos - 1, `unknown tag ${tag}`);
    }
  }
  return parts;
}

/**
 * Lexicographic byte comparison (negative, 0, positive), the order LevelDB keeps keys in. On encoded keys it is
 * the tuple order.
 */
export function compareKeys(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i += 1) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/**
 * The smallest byte string greater than every byte string that starts with `prefix` (the exclusive `lt` of a
 * prefix scan), or `undefined` when there is none (`prefix` is empty or all 0xFF: scan to the end).
 *
 * For a prefix of whole tuples use {@link keyRange}: a string or bytes part may continue with an escaped 0x00
 * (`"a"` is a byte prefix of `"a\0b"`), which a byte-prefix scan would include.
 */
export function prefixUpperBound(prefix: Uint8Array): Uint8Array | undefined {
  let end = prefix.length;
  while (end > 0 && prefix[end - 1] === 0xff) end -= 1;
  if (end === 0) return undefined;
  const bound = copyOf(prefix, 0, end);
  bound[end - 1] = bound[end - 1]! + 1;
  return bound;
}

/**
 * The range of keys whose tuple starts with `parts` (the tuple itself included), for `StateStore.range`.
 *
 * @example
 * ```ts
 * // every window of user-7, when keys are [user, windowStart]
 * const rows = await store.range(keyRange(['user-7']));
 * ```
 */
export function keyRange(parts: readonly KeyPart[]): { gte: Uint8Array; lt: Uint8Array } {
  const gte = encodeKey(parts);
  // Any extension continues with a tag byte (< 0xFF); only an escaped 0x00 inside the last part continues with 0xFF.
  const lt = new Uint8Array(gte.length + 1);
  lt.set(gte);
  lt[gte.length] = ESCAPE;
  return { gte, lt };
}
