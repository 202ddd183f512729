/**
 * The on-disk format of every checkpoint file: a version header line, the body lines, a checksum trailer.
 *
 *     v1
 *     <body line 1>
 *     ...
 *     crc32:<8 hex digits of CRC-32 over every byte before this line>
 *
 * Invariant: decoding is total and pure: any byte string decodes to exactly one of ok / torn / corrupt /
 * unsupportedVersion, so a damaged file is always named, never silently parsed. `torn` is reserved for what a
 * write that stopped early leaves behind, a strict prefix of a valid file: every strict prefix decodes as torn,
 * and every single-bit flip of a valid file decodes as corrupt (never torn, never ok). The first lines follow
 * Spark's offsets/commits layout ("v1" then JSON lines); the trailer is weir's addition.
 */
import { crc32 } from 'node:zlib';

export type DecodedLogFile =
  | { readonly kind: 'ok'; readonly version: number; readonly lines: readonly string[] }
  /** The file ends before a complete trailer: a write that never finished. */
  | { readonly kind: 'torn'; readonly reason: string }
  /** A complete trailer that does not match, or a malformed header: damage after the write. */
  | { readonly kind: 'corrupt'; readonly reason: string }
  /** Intact, but written by a newer log version than `maxVersion`. */
  | { readonly kind: 'unsupportedVersion'; readonly version: number; readonly maxVersion: number };

const NEWLINE = 0x0a;
const TRAILER_PREFIX = 'crc32:';
const TRAILER_LENGTH = TRAILER_PREFIX.length + 8;
const TRAILER = /^crc32:([0-9a-f]{8})$/;

function checksum(bytes: Uint8Array): string {
  return (crc32(bytes) >>> 0).toString(16).padStart(8, '0');
}

function bitDistance(a: string, b: string): number {
  let bits = 0;
  for (let i = 0; i < a.length; i++) {
    for (let x = a.charCodeAt(i) ^ b.charCodeAt(i); x !== 0; x &= x - 1) bits++;
  }
  return bits;
}

/**
 * Why a complete line that is not a valid trailer still cannot be the last line of a torn file: it is a
 * trailer with one damaged byte. `undefined` when the line may honestly be a body line. Lines are latin1
 * strings here, one char per byte, so bit distances are byte distances.
 */
function damagedTrailerReason(line: string): string | undefined {
  if (line.startsWith(TRAILER_PREFIX)) return `malformed checksum trailer "${line.slice(0, 40)}"`;
  // The newline before the trailer was damaged, gluing the trailer to the last body line.
  if (/crc32:[0-9a-f]{8}$/.test(line)) return 'checksum trailer does not start a line';
  if (
    line.length === TRAILER_LENGTH &&
    /^[0-9a-f]{8}$/.test(line.slice(TRAILER_PREFIX.length)) &&
    bitDistance(line.slice(0, TRAILER_PREFIX.length), TRAILER_PREFIX) === 1
  ) {
    return 'damaged checksum trailer';
  }
  return undefined;
}

/**
 * Encodes body lines (which must not contain '\n', nor look like a checksum trailer) under version `version`.
 * The second rule keeps decoding honest: a torn file ends in an intact body line, so a body line that looked
 * like a damaged trailer would make a tear read as corruption.
 */
export function encodeLogFile(version: number, lines: readonly string[]): string {
  if (!Number.isSafeInteger(version) || version < 1) throw new Error(`log file version must be >= 1: ${version}`);
  for (const line of lines) {
    if (line.includes('\n')) throw new Error('log file lines must not contain a newline');
    const latin1 = Buffer.from(line, 'utf8').toString('latin1');
    if (TRAILER.test(latin1) || damagedTrailerReason(latin1) !== undefined) {
      throw new Error('log file lines must not look like a checksum trailer');
    }
  }
  const body = `v${version}\n${lines.map((l) => `${l}\n`).join('')}`;
  return `${body}crc32:${checksum(Buffer.from(body, 'utf8'))}\n`;
}

/** Decodes a log file; `maxVersion` is the newest version this reader understands. */
export function decodeLogFile(data: Uint8Array | string, maxVersion: number): DecodedLogFile {
  // Bytes, not text: the checksum covers what is on disk, and invalid UTF-8 must not be "repaired" first.
  const bytes =
    typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (bytes.length === 0) return { kind: 'torn', reason: 'empty file' };
  if (bytes[bytes.length - 1] !== NEWLINE) {
    // A strict prefix ends at most with the trailer minus its newline; anything longer after a whole trailer
    // means the final newline itself was damaged.
    const partial = bytes.subarray(bytes.lastIndexOf(NEWLINE) + 1).toString('latin1');
    if (partial.length > TRAILER_LENGTH && TRAILER.test(partial.slice(0, TRAILER_LENGTH))) {
      return { kind: 'corrupt', reason: 'damaged final newline' };
    }
    return { kind: 'torn', reason: 'file does not end with a complete line' };
  }
  const lastLineStart = bytes.length < 2 ? 0 : bytes.lastIndexOf(NEWLINE, bytes.length - 2) + 1;
  const trailer = bytes.subarray(lastLineStart, bytes.length - 1).toString('latin1');
  const match = TRAILER.exec(trailer);
  if (!match) {
    const damage = damagedTrailerReason(trailer);
    return damage === undefined ? { kind: 'torn', reason: 'checksum trailer missing' } : { kind: 'corrupt', reason: damage };
  }
  const body = bytes.subarray(0, lastLineStart);
  if (checksum(body) !== match[1]) return { kind: 'corrupt', reason: 'checksum mismatch' };
  if (body.length === 0) return { kind: 'corrupt', reason: 'version header missing' };
  const lines = body.subarray(0, body.length - 1).toString('utf8').split('\n');
  const header = /^v([0-9]{1,9})$/.exec(lines[0] ?? '');
  if (!header) return { kind: 'corrupt', reason: `bad version header "${(lines[0] ?? '').slice(0, 40)}"` };
  const version = Number(header[1]);
  if (version < 1) return { kind: 'corrupt', reason: `bad version ${version}` };
  if (version > maxVersion) return { kind: 'unsupportedVersion', version, maxVersion };
  return { kind: 'ok', version, lines: lines.slice(1) };
}

/**
 * How the bytes of one log file frame a version and body lines: {@link checksummedLogFormat} (weir's, the default
 * of every `MetadataLog`) or `sparkPlainLogFormat` (Spark's own framing, for files Apache Spark reads). `decode` is
 * total: any bytes decode to one of ok / torn / corrupt / unsupportedVersion.
 */
export interface LogFileFormat {
  /** A short name for messages (`weir`, `spark`). */
  readonly name: string;
  /** The whole file for `lines` under `version`; throws (a plain Error) on lines the format cannot hold. */
  encode(version: number, lines: readonly string[]): string;
  decode(data: Uint8Array | string, maxVersion: number): DecodedLogFile;
}

/** weir's checkpoint file format: `v<N>`, the body lines, a `crc32:` trailer (see the top of this file). */
export const checksummedLogFormat: LogFileFormat = {
  name: 'weir',
  encode: encodeLogFile,
  decode: decodeLogFile,
};
