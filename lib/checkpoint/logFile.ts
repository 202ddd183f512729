/**
 * The on-disk format of every checkpoint file: a version header line, the body lines, a checksum trailer.
 *
 *     v1
 *     <body line 1>
 *     ...
 *     crc32:<8 hex digits of CRC-32 over everything before this line>
 *
 * Invariant: decoding is total and pure: any byte string decodes to exactly one of ok / torn / corrupt /
 * unsupportedVersion, so a damaged file is always named, never silently parsed. The first lines follow
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

const TRAILER = /^crc32:([0-9a-f]{8})$/;

function checksum(text: string): string {
  return (crc32(Buffer.from(text, 'utf8')) >>> 0).toString(16).padStart(8, '0');
}

/** Encodes body lines (which must not contain '\n') under version `version`. */
export function encodeLogFile(version: number, lines: readonly string[]): string {
  for (const line of lines) {
    if (line.includes('\n')) throw new Error('log file lines must not contain a newline');
  }
  const body = `v${version}\n${lines.map((l) => `${l}\n`).join('')}`;
  return `${body}crc32:${checksum(body)}\n`;
}

/** Decodes a log file; `maxVersion` is the newest version this reader understands. */
export function decodeLogFile(data: Uint8Array | string, maxVersion: number): DecodedLogFile {
  const text = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
  if (text.length === 0) return { kind: 'torn', reason: 'empty file' };
  if (!text.endsWith('\n')) return { kind: 'torn', reason: 'file does not end with a complete line' };
  const lastLineStart = text.lastIndexOf('\n', text.length - 2) + 1;
  const trailer = text.slice(lastLineStart, text.length - 1);
  const match = TRAILER.exec(trailer);
  if (!match) {
    return trailer.startsWith('crc32:')
      ? { kind: 'corrupt', reason: `malformed checksum trailer "${trailer.slice(0, 40)}"` }
      : { kind: 'torn', reason: 'checksum trailer missing' };
  }
  const body = text.slice(0, lastLineStart);
  if (checksum(body) !== match[1]) return { kind: 'corrupt', reason: 'checksum mismatch' };
  const lines = body.slice(0, -1).split('\n');
  const header = /^v([0-9]{1,9})$/.exec(lines[0] ?? '');
  if (!header) return { kind: 'corrupt', reason: `bad version header "${(lines[0] ?? '').slice(0, 40)}"` };
  const version = Number(header[1]);
  if (version < 1) return { kind: 'corrupt', reason: `bad version ${version}` };
  if (version > maxVersion) return { kind: 'unsupportedVersion', version, maxVersion };
  return { kind: 'ok', version, lines: lines.slice(1) };
}
