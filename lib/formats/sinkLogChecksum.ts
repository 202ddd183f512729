/**
 * weir's checksum sidecar of a `_spark_metadata` entry: Spark's log files carry no checksum, and a line added to
 * one would be read by Spark as a `SinkFileStatus`, so weir writes the entry's size and CRC-32 beside it, in a
 * hidden file Spark's log never lists (its names are not batch ids) and Spark's readers never open:
 *
 *     _spark_metadata/0            (the entry, Spark's format, unchanged)
 *     _spark_metadata/.0.crc32     (weir: `weir-sink-log-checksum v1`, `size:<bytes>`, `crc32:<8 hex>`)
 *
 * Invariant: a sidecar is written (durably) before its entry, so every entry weir wrote has one; an entry without
 * a sidecar (written by Spark or an older weir) is read unverified, an entry whose bytes differ from its sidecar
 * is refused with CHECKPOINT_CORRUPT naming both files. The sidecar finds what the framing cannot: an entry cut at
 * a line boundary, reduced to its `v1` header, or rewritten to list other files.
 */
import * as path from 'node:path';
import { crc32 } from 'node:zlib';
import { ErrorCodes, WeirError } from '../errors';

const HEADER = 'weir-sink-log-checksum v1';

/** The sidecar's name for the entry file `entryName` (`0` → `.0.crc32`). */
export function checksumSidecarName(entryName: string): string {
  return `.${entryName}.crc32`;
}

/** The sidecar path of the entry at `entryPath` (same folder). */
export function checksumSidecarPath(entryPath: string): string {
  const dir = path.posix.dirname(entryPath.split(path.sep).join('/'));
  const name = checksumSidecarName(path.posix.basename(entryPath.split(path.sep).join('/')));
  return dir === '.' ? name : `${dir}/${name}`;
}

function crcOf(bytes: Uint8Array): string {
  return (crc32(bytes) >>> 0).toString(16).padStart(8, '0');
}

/** The sidecar text of an entry of `data`. */
export function encodeChecksumSidecar(data: Uint8Array | string): string {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return `${HEADER}\nsize:${bytes.byteLength}\ncrc32:${crcOf(bytes)}\n`;
}

/**
 * The error for an entry of `bytes` at `entryFile` against its sidecar text, or undefined when they agree (or
 * there is no sidecar). `entryFile` and `sidecarFile` are absolute paths, for the message.
 */
export function checkChecksumSidecar(
  entryFile: string,
  bytes: Uint8Array,
  sidecar: Uint8Array | undefined,
  sidecarFile: string,
  batchId?: number,
): WeirError | undefined {
  if (sidecar === undefined) return undefined;
  const text = Buffer.from(sidecar.buffer, sidecar.byteOffset, sidecar.byteLength).toString('utf8');
  const m = /^weir-sink-log-checksum v1\nsize:(\d+)\ncrc32:([0-9a-f]{8})\n$/.exec(text);
  const context = { path: entryFile, checksumFile: sidecarFile, ...(batchId !== undefined ? { batchId } : {}) };
  const advice =
    'The output folder\'s log no longer says which files are committed: restore the file from a backup, or write ' +
    'the output again with a new checkpoint into a new folder.';
  if (!m) {
    return new WeirError(ErrorCodes.CHECKPOINT_CORRUPT, `Checksum file ${sidecarFile} of ${entryFile} is damaged (${JSON.stringify(text.slice(0, 40))}). ${advice}`, {
      context: { ...context, reason: 'checksum-file-damaged' },
    });
  }
  const size = Number(m[1]);
  const crc = crcOf(bytes);
  if (size === bytes.byteLength && crc === m[2]) return undefined;
  return new WeirError(
    ErrorCodes.CHECKPOINT_CORRUPT,
    `Checkpoint file ${entryFile} is corrupt (it has ${bytes.byteLength} bytes with CRC-32 ${crc}; weir wrote ${size} bytes with ` +
      `CRC-32 ${m[2]}, recorded in ${sidecarFile}): it was cut, emptied or rewritten after it was committed. ${advice}`,
    { context: { ...context, reason: 'checksum-mismatch', size: bytes.byteLength, expectedSize: size } },
  );
}
