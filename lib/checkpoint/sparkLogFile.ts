/**
 * Apache Spark's own framing of a metadata log file (`CompactibleFileStreamLog.serialize`), for log files Spark
 * itself reads (the file sink's `_spark_metadata`):
 *
 *     v1
 *     <body line 1>
 *     ...
 *     <body line n>            (no newline after the last line, no checksum)
 *
 * An entry with no lines is the bare `v1`. Invariant: encoding is byte-for-byte Spark's, so Spark parses every
 * file weir writes; decoding accepts what Spark writes (and a trailing newline or blank lines, which it skips).
 * Without a checksum, damage is found only where it breaks the framing: an empty file reads as torn, a bad header
 * as corrupt, and a damaged body line is left to the codec (whose throw is reported as corruption); a file cut at
 * a line boundary cannot be told from a shorter complete one, which is why weir's own files carry a trailer.
 */
import type { DecodedLogFile, LogFileFormat } from './logFile';

/** Spark's file: `v<version>` then `\n<line>` per body line. Lines must not contain a newline. */
export function encodeSparkLogFile(version: number, lines: readonly string[]): string {
  if (!Number.isSafeInteger(version) || version < 1) throw new Error(`log file version must be >= 1: ${version}`);
  let out = `v${version}`;
  for (const line of lines) {
    if (line.includes('\n')) throw new Error('log file lines must not contain a newline');
    out += `\n${line}`;
  }
  return out;
}

/** Decodes a Spark-framed file; `maxVersion` is the newest version this reader understands (Spark's `validateVersion`). */
export function decodeSparkLogFile(data: Uint8Array | string, maxVersion: number): DecodedLogFile {
  const text =
    typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8');
  if (text.length === 0) return { kind: 'torn', reason: 'empty file' };
  const lines = text.split('\n');
  const header = lines[0] as string;
  const match = /^v([0-9]{1,9})$/.exec(header.trim());
  if (!match) return { kind: 'corrupt', reason: `bad version header "${header.slice(0, 40)}"` };
  const version = Number(match[1]);
  if (version < 1) return { kind: 'corrupt', reason: `bad version ${version}` };
  if (version > maxVersion) return { kind: 'unsupportedVersion', version, maxVersion };
  return { kind: 'ok', version, lines: lines.slice(1).filter((line) => line.trim() !== '') };
}

/** Spark's plain framing as a {@link LogFileFormat} (no trailer: Spark would read it as a JSON line). */
export const sparkPlainLogFormat: LogFileFormat = {
  name: 'spark',
  encode: encodeSparkLogFile,
  decode: decodeSparkLogFile,
};
