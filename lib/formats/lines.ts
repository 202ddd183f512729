/**
 * Splitting a text file into lines with their numbers, and decoding them as UTF-8 the way Spark's line reader
 * does (LF, CRLF or CR endings; invalid UTF-8 is reported, not silently replaced, so the JSON and CSV readers
 * can treat the record as malformed).
 *
 * Invariant: `splitLines(b)` yields every line of `b` in order with its 1-based number; a final empty line (a
 * file ending in a newline) is not a line.
 */

/** One line of a file. */
export interface Line {
  readonly text: string;
  /** 1-based line number. */
  readonly number: number;
  /** True when the line's bytes are not valid UTF-8 (`text` then holds U+FFFD replacements). */
  readonly invalidUtf8: boolean;
}

const fatal = new TextDecoder('utf-8', { fatal: true });

function isValidUtf8(s: string): boolean {
  try {
    fatal.decode(Buffer.from(s, 'latin1'));
    return true;
  } catch {
    return false;
  }
}

/** Strips a UTF-8 byte order mark at the start of a file. */
export function stripBom(bytes: Buffer): Buffer {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
}

/**
 * The lines of `bytes`. A line with invalid UTF-8 is flagged (checked only when the decoded text holds U+FFFD,
 * so valid input pays nothing extra).
 *
 * @example
 * ```ts
 * [...splitLines(Buffer.from('a\r\nb\n'))].map((l) => l.text)  // ['a', 'b']
 * ```
 */
export function* splitLines(bytes: Buffer, lineSep?: string): Generator<Line> {
  const text = bytes.toString('utf8');
  const suspicious = text.includes('\uFFFD');
  const latin1 = suspicious ? bytes.toString('latin1') : '';
  const parts = lineSep !== undefined ? text.split(lineSep) : text.includes('\r') ? text.split(/\r\n|\n|\r/) : text.split('\n');
  // Line boundaries in the latin1 copy (one char per byte), to check each suspicious line's own bytes.
  const rawParts = suspicious ? (lineSep !== undefined ? latin1.split(lineSep) : latin1.split(/\r\n|\n|\r/)) : [];
  const n = parts.length - (parts[parts.length - 1] === '' ? 1 : 0);
  for (let i = 0; i < n; i++) {
    const t = parts[i] as string;
    const invalidUtf8 = suspicious && t.includes('\uFFFD') && !isValidUtf8(rawParts[i] ?? '');
    yield { text: t, number: i + 1, invalidUtf8 };
  }
}
