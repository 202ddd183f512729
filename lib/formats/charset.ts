/**
 * Spark's `encoding` (alias `charset`) option of the CSV and JSON formats: the character set a file is read and
 * written in, with Java's rules for the sets weir supports.
 *
 * Invariant: `decodeText(encodeText(s, c), c) === s` for every string `s` representable in `c`; a character that
 * is not representable is written as `?` (Java's encoder replacement), a byte that does not decode reads as
 * U+FFFD; an unknown charset name is a named INVALID_ARGUMENT before any file is touched.
 */
import { ErrorCodes, WeirError } from '../errors';
import type { FormatOptions } from './FormatOptions';

/** The character sets weir reads and writes (Java's canonical names). */
export type Charset = 'UTF-8' | 'UTF-16' | 'UTF-16LE' | 'UTF-16BE' | 'ISO-8859-1' | 'US-ASCII';

/** Java's names and aliases (lower case) of each supported charset. */
const ALIASES: Readonly<Record<string, Charset>> = {
  'utf-8': 'UTF-8',
  utf8: 'UTF-8',
  'utf-16': 'UTF-16',
  utf16: 'UTF-16',
  'utf-16le': 'UTF-16LE',
  utf_16le: 'UTF-16LE',
  'utf-16be': 'UTF-16BE',
  utf_16be: 'UTF-16BE',
  'iso-8859-1': 'ISO-8859-1',
  'iso8859-1': 'ISO-8859-1',
  iso_8859_1: 'ISO-8859-1',
  latin1: 'ISO-8859-1',
  'us-ascii': 'US-ASCII',
  ascii: 'US-ASCII',
};

/**
 * The charset of `options` (`encoding`, else `charset`; UTF-8 by default).
 *
 * @throws WeirError INVALID_ARGUMENT for a charset weir does not support, naming the ones it does.
 */
export function charsetOf(options: FormatOptions): Charset {
  const name = options.get('encoding') ?? options.get('charset');
  if (name === undefined) return 'UTF-8';
  const charset = ALIASES[name.trim().toLowerCase()];
  if (charset === undefined) {
    const key = options.has('encoding') ? 'encoding' : 'charset';
    throw new WeirError(
      ErrorCodes.INVALID_ARGUMENT,
      `Unsupported charset '${name}' for option '${key}': weir reads and writes UTF-8, UTF-16, UTF-16LE, UTF-16BE, ISO-8859-1 and US-ASCII`,
      { context: { option: key, value: name } },
    );
  }
  return charset;
}

function swapBytes(b: Buffer): Buffer {
  const out = Buffer.from(b.subarray(0, b.length - (b.length % 2)));
  return out.swap16();
}

/** The text of `bytes` in `charset` (a UTF-8 or UTF-16 byte order mark is not text, as in Spark's readers). */
export function decodeText(bytes: Buffer, charset: Charset): string {
  switch (charset) {
    case 'UTF-8': {
      const body = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
      return body.toString('utf8');
    }
    case 'UTF-16': {
      // Java's UTF-16: the byte order mark decides; without one, big-endian.
      if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
      if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16le').decode(swapBytes(bytes.subarray(2)));
      return new TextDecoder('utf-16le').decode(swapBytes(bytes));
    }
    case 'UTF-16LE':
      return new TextDecoder('utf-16le', { ignoreBOM: true }).decode(bytes);
    case 'UTF-16BE':
      return new TextDecoder('utf-16le', { ignoreBOM: true }).decode(swapBytes(bytes));
    case 'ISO-8859-1':
      return bytes.toString('latin1');
    case 'US-ASCII':
      return bytes.toString('latin1').replace(/[\u0080-\u00ff]/g, '\uFFFD');
  }
}

/** `text` as bytes in `charset` (UTF-16 with a big-endian byte order mark, as Java writes it). */
export function encodeText(text: string, charset: Charset): Buffer {
  switch (charset) {
    case 'UTF-8':
      return Buffer.from(text, 'utf8');
    case 'UTF-16':
      return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
    case 'UTF-16LE':
      return Buffer.from(text, 'utf16le');
    case 'UTF-16BE':
      return Buffer.from(text, 'utf16le').swap16();
    case 'ISO-8859-1':
      return Buffer.from(text.replace(/[^\p{ASCII}\u0080-\u00ff]/gu, '?'), 'latin1');
    case 'US-ASCII':
      return Buffer.from(text.replace(/\P{ASCII}/gu, '?'), 'latin1');
  }
}

/** `bytes` in `charset` as UTF-8 bytes (the same Buffer for UTF-8), for readers that work on UTF-8. */
export function toUtf8(bytes: Buffer, charset: Charset): Buffer {
  return charset === 'UTF-8' ? bytes : Buffer.from(decodeText(bytes, charset), 'utf8');
}
