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
 * This file is the log's definition: the codec ({@link sinkFileStatusCodec}, framed by `sparkPlainLogFormat`) and
 * the compaction rules ({@link fileSinkCompaction}). The log itself is a `CompactibleMetadataLog` over a
 * `FileCheckpointStore` rooted at the output folder ({@link fileStreamSinkLog}), shared with the file source's
 * seen-files log; {@link FileStreamSinkLog} is the synchronous read-only view batch readers list a folder with.
 *
 * Invariant: an entry file appears only complete and durable (temp file + fsync + hard link, never replaced), so
 * a batch is either fully in the log or not at all; weir's checksum trailer is deliberately absent here because
 * Spark would read it as a JSON line: each entry's size and CRC-32 go to a hidden sidecar (`.<N>.crc32`, see
 * sinkLogChecksum.ts) that Spark never lists, and readers refuse an entry that differs from it.
 */
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import {
  CompactibleMetadataLog,
  listCompactibleFilesSync,
  readAllFilesSync,
  type CompactibleMetadataLogOptions,
  type CompactionRules,
} from '../checkpoint/CompactibleMetadataLog';
import type { LogCodec } from '../checkpoint/FileStatus';
import { sparkPlainLogFormat } from '../checkpoint/sparkLogFile';
import { ErrorCodes, WeirError } from '../errors';
import { checkChecksumSidecar, checksumSidecarName } from './sinkLogChecksum';
import { SinkLogChecksumStore } from './SinkLogChecksumStore';

export { DEFAULT_COMPACT_INTERVAL } from '../checkpoint/CompactibleMetadataLog';

/** Spark's folder of the sink log. */
export const SPARK_METADATA_DIR = '_spark_metadata';

/** Spark's `FileStreamSinkLog.VERSION`. */
export const FILE_SINK_LOG_VERSION = 1;

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

/**
 * Spark's body lines: one `SinkFileStatus` JSON per line, its fields in Spark's order (json4s writes the case
 * class's fields in declaration order). A line that is not JSON is refused (reported as corruption).
 */
export const sinkFileStatusCodec: LogCodec<SinkFileStatus[]> = {
  version: FILE_SINK_LOG_VERSION,
  encode: (entries) =>
    entries.map((e) =>
      JSON.stringify({
        path: e.path,
        size: e.size,
        isDir: e.isDir,
        modificationTime: e.modificationTime,
        blockReplication: e.blockReplication,
        blockSize: e.blockSize,
        action: e.action,
      }),
    ),
  decode: (lines) => lines.map((line) => JSON.parse(line) as SinkFileStatus),
};

/** Adds minus deletes, in order (Spark's `FileStreamSinkLog.compactLogs`). */
function compactSinkLogs(entries: SinkFileStatus[]): SinkFileStatus[] {
  const deleted = new Set(entries.filter((e) => e.action === 'delete').map((e) => e.path));
  return entries.filter((e) => e.action !== 'delete' && !deleted.has(e.path));
}

/**
 * Spark's FileStreamSinkLog compaction: adds minus deletes; with `retentionMs`, entries whose modificationTime is
 * older than that (at compaction time) are dropped (Spark's `retention` option).
 */
export function fileSinkCompaction(retentionMs?: number): CompactionRules<SinkFileStatus> {
  return retentionMs === undefined
    ? { compactLogs: compactSinkLogs }
    : { compactLogs: compactSinkLogs, shouldRetain: (entry, nowMs) => entry.modificationTime > nowMs - retentionMs };
}

/** Options of {@link fileStreamSinkLog}. */
export interface FileStreamSinkLogOptions extends Omit<CompactibleMetadataLogOptions, 'format'> {
  /** Entries older than this (ms, by modificationTime) are dropped at compaction. Default: kept forever. */
  readonly retentionMs?: number;
}

/** Spark's file sink log over `<outputPath>/_spark_metadata`, written through a store rooted at the output folder. */
export function fileStreamSinkLog(outputPath: string, options: FileStreamSinkLogOptions): CompactibleMetadataLog<SinkFileStatus> {
  const { retentionMs, ...logOptions } = options;
  return new CompactibleMetadataLog(
    new SinkLogChecksumStore(outputPath),
    SPARK_METADATA_DIR,
    sinkFileStatusCodec,
    fileSinkCompaction(retentionMs),
    { ...logOptions, format: sparkPlainLogFormat },
  );
}

/**
 * A synchronous, read-only view of `<outputPath>/_spark_metadata`, for batch readers (`listInputFiles` is
 * synchronous: a DataFrame's schema is known when `load()` returns). It reads exactly what {@link fileStreamSinkLog}
 * reads (`readAllFilesSync`); the file sink writes through the asynchronous log.
 */
export class FileStreamSinkLog {
  /** The log folder (absolute). */
  readonly dir: string;

  constructor(outputPath: string) {
    this.dir = path.join(path.resolve(outputPath), SPARK_METADATA_DIR);
  }

  /** True when the folder has a `_spark_metadata` log (then readers take the file list from it). */
  static exists(outputPath: string): boolean {
    try {
      return statSync(path.join(outputPath, SPARK_METADATA_DIR)).isDirectory();
    } catch {
      return false;
    }
  }

  /** The newest batch id in the log, or undefined. */
  latestBatchId(): number | undefined {
    return listCompactibleFilesSync(this.dir).at(-1)?.batchId;
  }

  /**
   * Every committed file (Spark's `allFiles`): the newest compaction file plus the batches after it, compacted.
   * Each entry is checked against its checksum sidecar (when weir wrote one), and no file may be added twice.
   *
   * @throws WeirError CHECKPOINT_CORRUPT naming the entry file that is damaged or lists a file another entry lists;
   * CHECKPOINT_MISSING_BATCH for a gap.
   */
  allFiles(): SinkFileStatus[] {
    const added = new Map<string, string>();
    return readAllFilesSync(this.dir, sinkFileStatusCodec, { compactLogs: compactSinkLogs }, sparkPlainLogFormat, {
      bytes: (file, bytes, batchId) => {
        const sidecar = path.join(path.dirname(file), checksumSidecarName(path.basename(file)));
        const error = checkChecksumSidecar(file, bytes, readIfExists(sidecar), sidecar, batchId);
        if (error) throw error;
      },
      entries: (file, entries, batchId) => {
        for (const e of entries) {
          if (e.action !== 'add') continue;
          const other = added.get(e.path);
          if (other !== undefined) {
            throw new WeirError(
              ErrorCodes.CHECKPOINT_CORRUPT,
              `Checkpoint file ${file} is corrupt (it lists ${e.path}, which ${other} lists already: no batch commits a ` +
                'file twice). The log was rewritten after its commit: restore it from a backup, or write the output again ' +
                'with a new checkpoint into a new folder.',
              { context: { path: file, batchId, file: e.path, listedIn: other, reason: 'file-listed-twice' } },
            );
          }
          added.set(e.path, file);
        }
      },
    });
  }
}

function readIfExists(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}
