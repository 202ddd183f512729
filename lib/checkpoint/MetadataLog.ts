/**
 * A log of one entry per batch id, one checksummed file per entry (Spark's HDFSMetadataLog): `<dir>/<N>`.
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

/** One entry of a metadata log with its batch id. */
export interface LogEntry<T> {
  readonly batchId: number;
  readonly value: T;
}

/**
 * A generic, reusable metadata log over a {@link CheckpointStore}: the offsets and commits logs, and later the
 * file source's seen-files log and the file sink's log, are instances of it.
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

  constructor(
    readonly store: CheckpointStore,
    dir: string,
    readonly codec: LogCodec<T>,
  ) {
    this.dir = normalizeRelativePath(dir);
    if (!Number.isSafeInteger(codec.version) || codec.version < 1) {
      throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `a log codec version must be >= 1, got ${codec.version}`);
    }
  }

  /** The store-relative path of batch `batchId`'s entry. */
  pathOf(batchId: number): string {
    const name = batchFileName(batchId);
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
    const status = await this.inspect(batchId);
    if (status === undefined) return undefined;
    if (status.kind === 'ok') return status.value;
    throw fileStatusError(status, { path: this.absolutePathOf(batchId), batchId });
  }

  /** What the entry of `batchId` holds, damage included; `undefined` when there is none. Never throws on content. */
  async inspect(batchId: number): Promise<FileStatus<T> | undefined> {
    const data = await this.store.read(this.pathOf(batchId));
    return data === undefined ? undefined : decodeFileStatus(data, this.codec);
  }

  /** The batch ids that have an entry, ascending. Other file names in the folder are ignored. */
  async listBatchIds(): Promise<number[]> {
    const ids: number[] = [];
    for (const name of await this.store.list(this.dir)) {
      const id = parseBatchFileName(name);
      if (id !== undefined) ids.push(id);
    }
    return ids.sort((a, b) => a - b);
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
      await this.store.delete(this.pathOf(batchId));
    }
  }

  /** Deletes the entry of `batchId`, if any. */
  async delete(batchId: number): Promise<void> {
    await this.store.delete(this.pathOf(batchId));
  }

  /** The absolute path of batch `batchId`'s entry (for messages and error context). */
  absolutePathOf(batchId: number): string {
    return path.join(this.store.root, this.pathOf(batchId));
  }

  private encode(value: T): string {
    return encodeEntry(this.codec, value, this.dir);
  }

  private missing(batchId: number): WeirError {
    return new WeirError(ErrorCodes.CHECKPOINT_MISSING_BATCH, `batch ${batchId} doesn't exist in ${this.dir}`, {
      context: { path: this.absolutePathOf(batchId), batchId },
    });
  }
}

