/**
 * A log of one entry per batch id, one checksummed file per entry (Spark's HDFSMetadataLog): `<dir>/<N>`.
 * Two options, Spark's overridable members of HDFSMetadataLog, serve logs of other shapes: `format` frames the
 * file (weir's checksummed file by default, or Spark's plain one for files Spark reads) and `naming` maps batch ids
 * to file names (`<N>` by default; the compactible log adds `<N>.compact`).
 *
 * Invariant: an entry becomes visible only complete and durable; `add` never replaces an entry (a second
 * writer of the same batch learns it lost); reading names damage instead of guessing (`inspect` reports it,
 * `get` throws it); purging deletes oldest first, so a crash mid-purge leaves a contiguous tail of the log.
 */
import * as path from 'node:path';
import type { CheckpointStore } from '../contracts';
import { ErrorCodes, WeirError, isWeirError } from '../errors';
import { decodeFileStatus, encodeEntry, fileStatusError, type FileStatus, type LogCodec } from './FileStatus';
import { batchFileName, normalizeRelativePath, parseBatchFileName } from './layout';
import { checksummedLogFormat, type LogFileFormat } from './logFile';

/** One entry of a metadata log with its batch id. */
export interface LogEntry<T> {
  readonly batchId: number;
  readonly value: T;
}

/**
 * How a log names its files (Spark's `batchIdToPath` / `pathToBatchId`).
 *
 * Invariant: `batchIdOf(n)` is the batch id for every name in `fileNames(id)`, and `undefined` for names that are
 * not the log's (other files in the folder are ignored).
 */
export interface LogFileNaming {
  /** The names the entry of `batchId` may have: it is written under the first, read from the first that exists. */
  fileNames(batchId: number): readonly string[];
  /** The batch id a file name stands for, or `undefined` for any other name. */
  batchIdOf(fileName: string): number | undefined;
}

/** Spark's HDFSMetadataLog naming: the plain decimal batch id, `<N>`. */
export const plainBatchFileNaming: LogFileNaming = {
  fileNames: (batchId) => [batchFileName(batchId)],
  batchIdOf: parseBatchFileName,
};

/** Options of a {@link MetadataLog}: both default to what the offsets and commits logs use. */
export interface MetadataLogOptions {
  /** How the file frames the codec's lines (default weir's checksummed file, `checksummedLogFormat`). */
  readonly format?: LogFileFormat;
  /** How batch ids map to file names (default `<N>`, {@link plainBatchFileNaming}). */
  readonly naming?: LogFileNaming;
}

/** One file of a log folder, as listed. */
export interface LogFile {
  readonly batchId: number;
  /** The file name inside the log folder. */
  readonly name: string;
}

/**
 * A generic, reusable metadata log over a {@link CheckpointStore}: the offsets and commits logs are instances of
 * it, and `CompactibleMetadataLog` builds the file source's seen-files log and the file sink's `_spark_metadata`
 * log on it (with `<N>.compact` names and, for the sink, Spark's plain framing).
 *
 * @example
 * const log = new MetadataLog(store, 'sinks/files', {
 *   version: 1,
 *   encode: (files: string[]) => files.map((f) => JSON.stringify(f)),
 *   decode: (lines) => lines.map((l) => JSON.parse(l) as string),
 * });
 * if (!(await log.add(0, ['part-0.json']))) { ... batch 0 was logged before: reuse it ... }
 */
export class MetadataLog<T> {
  /** The log's folder, relative to the store root. */
  readonly dir: string;
  /** How a file frames the codec's lines. */
  readonly format: LogFileFormat;
  /** How batch ids map to file names. */
  readonly naming: LogFileNaming;

  constructor(
    readonly store: CheckpointStore,
    dir: string,
    readonly codec: LogCodec<T>,
    options: MetadataLogOptions = {},
  ) {
    this.dir = normalizeRelativePath(dir);
    this.format = options.format ?? checksummedLogFormat;
    this.naming = options.naming ?? plainBatchFileNaming;
    if (!Number.isSafeInteger(codec.version) || codec.version < 1) {
      throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `a log codec version must be >= 1, got ${codec.version}`);
    }
  }

  /** The store-relative path of batch `batchId`'s entry (the name it is written under). */
  pathOf(batchId: number): string {
    assertBatchIdOf(batchId);
    return this.pathOfFile(this.naming.fileNames(batchId)[0] as string);
  }

  /** The store-relative path of the file `name` of this log's folder. */
  pathOfFile(name: string): string {
    return this.dir === '' ? name : `${this.dir}/${name}`;
  }

  /**
   * Durably writes the entry of `batchId` unless one exists. Returns false when an entry exists already (it is
   * left untouched, whatever its content), as Spark's `HDFSMetadataLog.add` does.
   */
  async add(batchId: number, value: T): Promise<boolean> {
    const data = this.encode(value);
    try {
      await this.store.writeAtomic(this.pathOf(batchId), data, { overwrite: false });
      return true;
    } catch (e) {
      if (isWeirError(e, ErrorCodes.LOG_ENTRY_CONFLICT)) return false;
      throw e;
    }
  }

  /** Durably writes the entry of `batchId`, replacing any existing one. */
  async put(batchId: number, value: T): Promise<void> {
    await this.store.writeAtomic(this.pathOf(batchId), this.encode(value), { overwrite: true });
  }

  /**
   * The entry of `batchId`, or `undefined` when there is none. Throws CHECKPOINT_CORRUPT (torn, checksum
   * mismatch, undecodable) or CHECKPOINT_UNSUPPORTED_VERSION, with `path` (absolute) and `batchId` as context.
   */
  async get(batchId: number): Promise<T | undefined> {
    const found = await this.find(batchId);
    if (found === undefined) return undefined;
    if (found.status.kind === 'ok') return found.status.value;
    throw fileStatusError(found.status, { path: path.join(this.store.root, found.path), batchId });
  }

  /** What the entry of `batchId` holds, damage included; `undefined` when there is none. Never throws on content. */
  async inspect(batchId: number): Promise<FileStatus<T> | undefined> {
    return (await this.find(batchId))?.status;
  }

  /** What the file `name` of this log's folder holds, damage included; `undefined` when it does not exist. */
  async inspectFile(name: string): Promise<FileStatus<T> | undefined> {
    const data = await this.store.read(this.pathOfFile(name));
    return data === undefined ? undefined : decodeFileStatus(data, this.codec, this.format);
  }

  /** The batch ids that have an entry, ascending. Other file names in the folder are ignored. */
  async listBatchIds(): Promise<number[]> {
    const ids: number[] = [];
    for (const file of await this.listFiles()) if (ids[ids.length - 1] !== file.batchId) ids.push(file.batchId);
    return ids;
  }

  /**
   * The log's files, by batch id ascending (names of one batch id in name order). Other file names in the
   * folder are ignored.
   */
  async listFiles(): Promise<LogFile[]> {
    const files: LogFile[] = [];
    for (const name of await this.store.list(this.dir)) {
      const batchId = this.naming.batchIdOf(name);
      if (batchId !== undefined) files.push({ batchId, name });
    }
    return files.sort((a, b) => a.batchId - b.batchId || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The entry with the highest batch id, or `undefined` for an empty log. Throws like {@link get} on damage. */
  async getLatest(): Promise<LogEntry<T> | undefined> {
    const ids = await this.listBatchIds();
    const batchId = ids[ids.length - 1];
    if (batchId === undefined) return undefined;
    const value = await this.get(batchId);
    // Deleted between the listing and the read: only a concurrent purge does that, so ask again.
    return value === undefined ? this.getLatest() : { batchId, value };
  }

  /**
   * The entries with `startId <= batchId <= endId` (either bound optional), ascending. Throws
   * CHECKPOINT_MISSING_BATCH when the ids found are not contiguous, like Spark's `verifyBatchIds`.
   */
  async getRange(startId?: number, endId?: number): Promise<Array<LogEntry<T>>> {
    const ids = (await this.listBatchIds()).filter(
      (id) => (startId === undefined || id >= startId) && (endId === undefined || id <= endId),
    );
    if (ids.length === 0) return [];
    const from = startId ?? (ids[0] as number);
    const to = endId ?? (ids[ids.length - 1] as number);
    const entries: Array<LogEntry<T>> = [];
    for (let batchId = from; batchId <= to; batchId++) {
      if (ids[batchId - from] !== batchId) throw this.missing(batchId);
      const value = await this.get(batchId);
      if (value === undefined) throw this.missing(batchId);
      entries.push({ batchId, value });
    }
    return entries;
  }

  /** Deletes every entry with `batchId < thresholdBatchId`, oldest first (so a crash leaves a contiguous tail). */
  async purge(thresholdBatchId: number): Promise<void> {
    for (const batchId of await this.listBatchIds()) {
      if (batchId >= thresholdBatchId) break;
      await this.delete(batchId);
    }
  }

  /** Deletes the entry of `batchId` (under any of its names), if any. */
  async delete(batchId: number): Promise<void> {
    assertBatchIdOf(batchId);
    for (const name of this.naming.fileNames(batchId)) await this.store.delete(this.pathOfFile(name));
  }

  /** The absolute path of batch `batchId`'s entry (for messages and error context). */
  absolutePathOf(batchId: number): string {
    return path.join(this.store.root, this.pathOf(batchId));
  }

  private encode(value: T): string {
    return encodeEntry(this.codec, value, this.dir, this.format);
  }

  /** The first existing file of `batchId`'s names, with what it holds. */
  private async find(batchId: number): Promise<{ path: string; status: FileStatus<T> } | undefined> {
    assertBatchIdOf(batchId);
    for (const name of this.naming.fileNames(batchId)) {
      const file = this.pathOfFile(name);
      const data = await this.store.read(file);
      if (data !== undefined) return { path: file, status: decodeFileStatus(data, this.codec, this.format) };
    }
    return undefined;
  }

  private missing(batchId: number): WeirError {
    return new WeirError(ErrorCodes.CHECKPOINT_MISSING_BATCH, `batch ${batchId} doesn't exist in ${this.dir}`, {
      context: { path: this.absolutePathOf(batchId), batchId },
    });
  }
}


/** Throws INVALID_ARGUMENT unless `batchId` is a non-negative safe integer (before any naming sees it). */
function assertBatchIdOf(batchId: number): void {
  batchFileName(batchId);
}
