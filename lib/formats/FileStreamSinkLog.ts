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
 * Invariant: an entry file appears only complete and durable (temp file + fsync + hard link, never replaced), so
 * a batch is either fully in the log or not at all; weir's checksum trailer is deliberately absent here because
 * Spark would read it as a JSON line.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { mkdirsDurably, removeFileDurably, writeFileDurably } from '../checkpoint/durableWrite';
import { ErrorCodes, WeirError } from '../errors';

/** Spark's folder of the sink log. */
export const SPARK_METADATA_DIR = '_spark_metadata';
/** Spark's default `spark.sql.streaming.fileSink.log.compactInterval`. */
export const DEFAULT_COMPACT_INTERVAL = 10;

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

function parseName(name: string): { batchId: number; compact: boolean } | undefined {
  const m = /^(\d+)(\.compact)?$/.exec(name);
  return m ? { batchId: Number(m[1]), compact: m[2] !== undefined } : undefined;
}

/** Options of {@link FileStreamSinkLog}. */
export interface FileStreamSinkLogOptions {
  readonly compactInterval?: number;
  /** Entries older than this (ms, by modificationTime) are dropped at compaction. Default: kept forever. */
  readonly retentionMs?: number;
  /** Delete log files a compaction made obsolete (Spark's `spark.sql.streaming.fileSink.log.deletion`, true). */
  readonly deletion?: boolean;
  /** How old an obsolete log file must be before it is deleted (Spark's `fileSink.log.cleanupDelay`, 10 min). */
  readonly cleanupDelayMs?: number;
  readonly now?: () => number;
}

/** Spark's file sink log over `<outputPath>/_spark_metadata`. */
export class FileStreamSinkLog {
  readonly dir: string;
  private readonly compactInterval: number;
  /** The interval in use, derived once from the log on disk. */
  private interval: number | undefined;
  private readonly retentionMs: number | undefined;
  private readonly now: () => number;
  private readonly deletion: boolean;
  private readonly cleanupDelayMs: number;

  constructor(outputPath: string, options: FileStreamSinkLogOptions = {}) {
    this.dir = path.join(path.resolve(outputPath), SPARK_METADATA_DIR);
    this.compactInterval = options.compactInterval ?? DEFAULT_COMPACT_INTERVAL;
    this.retentionMs = options.retentionMs;
    this.now = options.now ?? Date.now;
    this.deletion = options.deletion ?? true;
    this.cleanupDelayMs = options.cleanupDelayMs ?? 10 * 60_000;
    if (!Number.isSafeInteger(this.compactInterval) || this.compactInterval < 1) {
      throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `compactInterval must be a positive integer, got ${this.compactInterval}`, {
        context: { option: 'compactInterval', value: this.compactInterval },
      });
    }
  }

  /** True when the folder has a `_spark_metadata` log (then readers take the file list from it). */
  static exists(outputPath: string): boolean {
    try {
      return statSync(path.join(outputPath, SPARK_METADATA_DIR)).isDirectory();
    } catch {
      return false;
    }
  }

  /** Spark's `isCompactionBatch` (for the interval the log on disk was written with). */
  isCompactionBatch(batchId: number): boolean {
    this.interval ??= this.effectiveCompactInterval();
    return (batchId + 1) % this.interval === 0;
  }

  /** The entry file of `batchId`. */
  pathOf(batchId: number): string {
    return path.join(this.dir, this.isCompactionBatch(batchId) ? `${batchId}.compact` : String(batchId));
  }

  /** The batch ids with an entry file, ascending. */
  listBatchIds(): Array<{ batchId: number; compact: boolean }> {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    return names
      .map(parseName)
      .filter((x): x is { batchId: number; compact: boolean } => x !== undefined)
      .sort((a, b) => a.batchId - b.batchId);
  }

  /** The newest batch id in the log, or undefined. */
  latestBatchId(): number | undefined {
    return this.listBatchIds().at(-1)?.batchId;
  }

  /**
   * The entries of one entry file (`<id>` or `<id>.compact`, whichever exists: a log written with another
   * compact interval reads the same); undefined when there is none.
   */
  get(batchId: number): SinkFileStatus[] | undefined {
    for (const file of [path.join(this.dir, String(batchId)), path.join(this.dir, `${batchId}.compact`)]) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw e;
      }
      return this.decode(text, file, batchId);
    }
    return undefined;
  }

  /**
   * The compact interval of this log: the configured one, unless compaction files on disk show another (Spark's
   * `CompactibleFileStreamLog.deriveCompactInterval`), so a folder keeps the interval it was started with.
   */
  effectiveCompactInterval(): number {
    const compacts = this.listBatchIds().filter((x) => x.compact);
    const first = compacts[0];
    if (first === undefined) return this.compactInterval;
    const cycle = first.batchId + 1;
    if (cycle <= this.compactInterval) return cycle;
    if (this.compactInterval < cycle / 2) {
      for (let d = this.compactInterval; d >= 1; d--) if (cycle % d === 0) return d;
    }
    return cycle;
  }

  /**
   * Every file the log holds as added and not deleted (Spark's `allFiles`): the latest compaction file plus the
   * batches after it.
   */
  allFiles(): SinkFileStatus[] {
    const ids = this.listBatchIds();
    if (ids.length === 0) return [];
    const lastCompact = [...ids].reverse().find((x) => x.compact)?.batchId;
    const from = lastCompact ?? 0;
    const latest = (ids.at(-1) as { batchId: number }).batchId;
    const entries: SinkFileStatus[] = [];
    for (let id = from; id <= latest; id++) {
      const got = this.get(id);
      if (got === undefined) {
        throw new WeirError(ErrorCodes.CHECKPOINT_MISSING_BATCH, `batch ${id} doesn't exist in ${this.dir}`, {
          context: { path: this.pathOf(id), batchId: id },
        });
      }
      entries.push(...got);
    }
    return liveFiles(entries);
  }

  /**
   * Logs `files` as batch `batchId` (a compaction file on compaction batches). Returns false, writing nothing,
   * when the batch is in the log already (Spark's `add` contract).
   */
  async add(batchId: number, files: readonly SinkFileStatus[]): Promise<boolean> {
    let entries: SinkFileStatus[] = [...files];
    if (this.isCompactionBatch(batchId) && batchId > 0) {
      const previous: SinkFileStatus[] = [];
      const prevCompact = batchId - (this.interval as number);
      for (let id = Math.max(prevCompact, 0); id < batchId; id++) {
        const got = this.get(id);
        if (got === undefined) {
          throw new WeirError(ErrorCodes.CHECKPOINT_MISSING_BATCH, `batch ${id} doesn't exist in ${this.dir} (needed to compact batch ${batchId})`, {
            context: { path: this.pathOf(id), batchId: id },
          });
        }
        previous.push(...got);
      }
      entries = liveFiles([...previous, ...files]);
      if (this.retentionMs !== undefined) {
        const threshold = this.now() - this.retentionMs;
        entries = entries.filter((e) => e.modificationTime > threshold);
      }
    }
    await mkdirsDurably(this.dir);
    const added = await writeFileDurably(this.pathOf(batchId), encode(entries), { overwrite: false });
    if (added && this.deletion && this.isCompactionBatch(batchId)) await this.deleteExpiredLog(batchId);
    return added;
  }

  /**
   * Spark's `deleteExpiredLog`: after compaction batch `batchId`, the files of batches before the previous
   * compaction batch are obsolete (every reader starts from the newest compaction file); they are deleted once
   * older than the cleanup delay, so a reader that listed the folder a moment ago can still open them.
   */
  private async deleteExpiredLog(batchId: number): Promise<void> {
    // The previous compaction file is kept too: a reader may have started from it.
    const minBatchId = batchId - (this.interval as number);
    if (minBatchId <= 0) return;
    const expiredBefore = this.now() - this.cleanupDelayMs;
    for (const { batchId: id, compact } of this.listBatchIds()) {
      if (id >= minBatchId) break;
      const file = path.join(this.dir, compact ? `${id}.compact` : String(id));
      try {
        if (statSync(file).mtimeMs < expiredBefore) await removeFileDurably(file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    }
  }

  private decode(text: string, file: string, batchId: number): SinkFileStatus[] {
    const lines = text.split('\n');
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

/** Adds minus deletes, in order (Spark's `compactLogs` for the sink). */
function liveFiles(entries: readonly SinkFileStatus[]): SinkFileStatus[] {
  const deleted = new Set(entries.filter((e) => e.action === 'delete').map((e) => e.path));
  return entries.filter((e) => e.action !== 'delete' && !deleted.has(e.path));
}
