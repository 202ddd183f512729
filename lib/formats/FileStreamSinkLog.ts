/**
 * The file sink's metadata log in Apache Spark's own format (`FileStreamSinkLog`), so Spark reading the output
 * folder sees exactly the committed files:
 *
 *     <out>/_spark_metadata/<batchId>           (every batch)
 *     <out>/_spark_metadata/<batchId>.compact   (every compactInterval-th batch: (batchId + 1) % 10 == 0)
 *
 * Each file is `v1`, then one `SinkFileStatus` JSON per line (`path`, `size`, `isDir`, `modificationTime`,
 * `blockReplication`, `blockSize`, `action`), no trailing newline. A compaction file holds every live entry up
 * to its batch (entries older than `retention` dropped, as Spark's `FileStreamSinkLog.compactLogs`).
 *
 * Compaction, deletion of obsolete files and the interval rules are CompactibleFileStreamLog's (shared with the
 * file source's seen-files log).
 *
 * Invariant: an entry file appears only complete and durable (temp file + fsync + hard link, never replaced), so
 * a batch is either fully in the log or not at all; weir's checksum trailer is deliberately absent here because
 * Spark would read it as a JSON line.
 */
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { ErrorCodes, WeirError } from '../errors';
import { CompactibleFileStreamLog, type CompactibleFileStreamLogOptions } from './CompactibleFileStreamLog';

export { DEFAULT_COMPACT_INTERVAL } from './CompactibleFileStreamLog';

/** Spark's folder of the sink log. */
export const SPARK_METADATA_DIR = '_spark_metadata';

/** One committed data file (Spark's `SinkFileStatus`). */
export interface SinkFileStatus {
  /** A `file:` URI, as Spark writes it (`file:/tmp/out/part-00000-….parquet`). */
  readonly path: string;
  readonly size: number;
  readonly isDir: boolean;
  readonly modificationTime: number;
  readonly blockReplication: number;
  readonly blockSize: number;
  readonly action: 'add' | 'delete';
}

/** The `file:` URI Spark logs for a local path (Hadoop's `Path.toUri.toString`). */
export function fileUri(absolutePath: string): string {
  return `file:${pathToFileURL(absolutePath).pathname}`;
}

/** The local path of a logged URI (`file:/x`, `file:///x` or a bare path). */
export function localPathOf(uri: string): string {
  if (uri.startsWith('file:')) return fileURLToPath(uri.startsWith('file://') ? uri : `file://${uri.slice('file:'.length)}`);
  return uri;
}

/** Options of {@link FileStreamSinkLog}. */
export interface FileStreamSinkLogOptions extends CompactibleFileStreamLogOptions {
  /** Entries older than this (ms, by modificationTime) are dropped at compaction. Default: kept forever. */
  readonly retentionMs?: number;
}

/** Spark's file sink log over `<outputPath>/_spark_metadata`. */
export class FileStreamSinkLog extends CompactibleFileStreamLog<SinkFileStatus> {
  private readonly retentionMs: number | undefined;

  constructor(outputPath: string, options: FileStreamSinkLogOptions = {}) {
    super(path.join(path.resolve(outputPath), SPARK_METADATA_DIR), options, { encode, decode });
    this.retentionMs = options.retentionMs;
  }

  /** True when the folder has a `_spark_metadata` log (then readers take the file list from it). */
  static exists(outputPath: string): boolean {
    try {
      return statSync(path.join(outputPath, SPARK_METADATA_DIR)).isDirectory();
    } catch {
      return false;
    }
  }

  /** Adds minus deletes, in order (Spark's `FileStreamSinkLog.compactLogs`). */
  protected compactLogs(entries: SinkFileStatus[]): SinkFileStatus[] {
    const deleted = new Set(entries.filter((e) => e.action === 'delete').map((e) => e.path));
    return entries.filter((e) => e.action !== 'delete' && !deleted.has(e.path));
  }

  /** The `retention` option: entries older than it are dropped at compaction. */
  protected override shouldRetain(entry: SinkFileStatus): boolean {
    return this.retentionMs === undefined || entry.modificationTime > this.now() - this.retentionMs;
  }
}

/** Spark's format: `v1`, then one JSON entry per line; a newer version is refused with Spark's message. */
function decode(bytes: Buffer, file: string, batchId: number): SinkFileStatus[] {
  const lines = bytes.toString('utf8').split('\n');
  const header = lines[0] ?? '';
  const m = /^v(\d+)$/.exec(header.trim());
  if (!m) {
    throw new WeirError(ErrorCodes.CHECKPOINT_CORRUPT, `Log file ${file} is corrupt: bad version header "${header.slice(0, 40)}"`, {
      context: { path: file, batchId },
    });
  }
  if (Number(m[1]) > 1) {
    throw new WeirError(
      ErrorCodes.CHECKPOINT_UNSUPPORTED_VERSION,
      `UnsupportedLogVersion: maximum supported log version is v1, but encountered v${m[1]}. The log file was produced by a newer version of Spark and cannot be read by this version. Please upgrade.`,
      { context: { path: file, batchId } },
    );
  }
  const out: SinkFileStatus[] = [];
  for (const line of lines.slice(1)) {
    if (line.trim() === '') continue;
    try {
      out.push(JSON.parse(line) as SinkFileStatus);
    } catch (e) {
      throw new WeirError(ErrorCodes.CHECKPOINT_CORRUPT, `Log file ${file} is corrupt: ${(e as Error).message}`, {
        context: { path: file, batchId },
      });
    }
  }
  return out;
}

/** Spark's serialization: `v1` then `\n` + JSON per entry (no trailing newline). */
function encode(entries: readonly SinkFileStatus[]): string {
  let out = 'v1';
  for (const e of entries) {
    out += `\n${JSON.stringify({
      path: e.path,
      size: e.size,
      isDir: e.isDir,
      modificationTime: e.modificationTime,
      blockReplication: e.blockReplication,
      blockSize: e.blockSize,
      action: e.action,
    })}`;
  }
  return out;
}
