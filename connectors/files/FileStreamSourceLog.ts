/**
 * The file source's seen-files log (Spark's `FileStreamSourceLog`) in `<checkpoint>/sources/<i>/`: one entry file
 * per log offset listing the files admitted then, compacted every `compactInterval` batches into `<N>.compact`
 * (Spark's `spark.sql.streaming.fileSource.log.compactInterval`, 10) so a restart reads the newest compaction file
 * and the batches after it instead of the whole log, and older files can be deleted. It is a
 * {@link CompactibleMetadataLog} over the checkpoint's store: this file holds its codec and its compaction rule.
 *
 * Entry files are weir checkpoint files (`v1`, one `FileEntry` JSON per line, a CRC-32 trailer; see
 * lib/checkpoint/logFile.ts), byte for byte what earlier weir wrote (through `MetadataLog` before compaction existed,
 * then through the synchronous compactible log), so every older checkpoint reads the same. Spark never reads it.
 *
 * Invariant: a compaction file holds every entry up to its batch, each with its own `batchId`, so the files of any
 * batch can be found after the batch's own file was deleted (Spark's `FileStreamSourceLog.get`); the entries this
 * log keeps in memory for recent batches are exactly those it wrote for them.
 */
import type { CheckpointStore } from '../../lib/contracts';
import {
  CompactibleMetadataLog,
  DEFAULT_COMPACT_INTERVAL,
  type CompactibleLogFile,
  type CompactibleMetadataLogOptions,
  type CompactionRules,
} from '../../lib/checkpoint/CompactibleMetadataLog';
import type { LogCodec } from '../../lib/checkpoint/FileStatus';
import { ErrorCodes, WeirError } from '../../lib/errors';

/** One entry of the seen-files log (Spark's `FileEntry`). */
export interface FileEntry {
  /** `file:` URI of the file. */
  readonly path: string;
  /** Modification time (ms). */
  readonly timestamp: number;
  readonly batchId: number;
  /** Path relative to the source's base folder (partition discovery); weir's addition. */
  readonly relative?: string;
  readonly size?: number;
}

/** The newest seen-files log version this weir reads and the one it writes. */
export const FILE_SOURCE_LOG_VERSION = 1;

/** One `FileEntry` JSON per line (Spark's FileStreamSourceLog body; the framing is weir's checksummed file). */
export const fileEntryCodec: LogCodec<FileEntry[]> = {
  version: FILE_SOURCE_LOG_VERSION,
  encode: (entries) => entries.map((e) => JSON.stringify(e)),
  decode: (lines) => lines.map((line) => JSON.parse(line) as FileEntry),
};

/** Spark's source log keeps every entry at compaction (a file seen once stays seen). */
export const fileSourceCompaction: CompactionRules<FileEntry> = {
  compactLogs: (entries) => entries,
};

/** Options of a {@link FileStreamSourceLog}. */
export type FileStreamSourceLogOptions = Omit<CompactibleMetadataLogOptions, 'format'>;

/** What one range read learns once: the listing and the compaction files read. */
export interface RangeCache {
  files?: CompactibleLogFile[];
  readonly compacts: Map<number, FileEntry[]>;
}

/**
 * The seen-files log of one file source.
 *
 * @example
 * ```ts
 * const log = new FileStreamSourceLog(new FileCheckpointStore('/cp/sources/0'), '', { clock });
 * await log.add(0, [{ path: 'file:/in/a.json', timestamp: 1, batchId: 0 }]);
 * await log.getBatch(0); // the entries of batch 0, from memory, from `0` or from a compaction file
 * ```
 */
export class FileStreamSourceLog {
  readonly log: CompactibleMetadataLog<FileEntry>;
  /**
   * The entries of the batches this log added most recently (at most `compactInterval` of them), so reading the
   * batch just planned costs no read (Spark's `fileEntryCache`, which holds compaction batches only).
   */
  private readonly recent = new Map<number, readonly FileEntry[]>();
  private readonly recentLimit: number;

  constructor(store: CheckpointStore, dir: string, options: FileStreamSourceLogOptions) {
    this.log = new CompactibleMetadataLog(store, dir, fileEntryCodec, fileSourceCompaction, options);
    this.recentLimit = options.compactInterval ?? DEFAULT_COMPACT_INTERVAL;
  }

  /** The log's folder as an absolute path (for messages). */
  get absoluteDir(): string {
    return this.log.absoluteDir;
  }

  /** The store-relative path batch `batchId` is written under. */
  pathOf(batchId: number): Promise<string> {
    return this.log.pathOf(batchId);
  }

  /** The absolute path batch `batchId` is written under (for messages and error context). */
  absolutePathOf(batchId: number): Promise<string> {
    return this.log.absolutePathOf(batchId);
  }

  /** The newest batch id in the log, or undefined. */
  latestBatchId(): Promise<number | undefined> {
    return this.log.latestBatchId();
  }

  /** Every file ever logged: the newest compaction file plus the batches after it. */
  allFiles(): Promise<FileEntry[]> {
    return this.log.allFiles();
  }

  /** Logs the files of batch `batchId`; false (nothing written) when the batch is in the log already. */
  async add(batchId: number, entries: readonly FileEntry[]): Promise<boolean> {
    const added = await this.log.add(batchId, entries);
    if (added) {
      this.recent.set(batchId, Object.freeze(entries.filter((e) => e.batchId === batchId)));
      if (this.recent.size > this.recentLimit) this.recent.delete(this.recent.keys().next().value as number);
    }
    return added;
  }

  /**
   * The entries of batch `batchId` only: from memory when this log wrote it recently, else from its own file, or
   * from the compaction file that covers it (its own `<id>.compact`, or a later one when the batch's file was
   * deleted); undefined when no file has it.
   */
  async getBatch(batchId: number, cache: RangeCache = { compacts: new Map() }): Promise<FileEntry[] | undefined> {
    const remembered = this.recent.get(batchId);
    if (remembered !== undefined) return [...remembered];
    const own = await this.log.get(batchId);
    if (own !== undefined) return own.filter((e) => e.batchId === batchId);
    cache.files ??= await this.log.listFiles();
    const compact = cache.files.find((x) => x.compact && x.batchId > batchId);
    if (compact === undefined) return undefined;
    let entries = cache.compacts.get(compact.batchId);
    if (entries === undefined) {
      entries = (await this.log.get(compact.batchId)) ?? [];
      cache.compacts.set(compact.batchId, entries);
    }
    return entries.filter((e) => e.batchId === batchId);
  }

  /** The entries of batches `from..to` (inclusive), each batch's files in order; a batch no file has is missing. */
  async getRange(from: number, to: number): Promise<Array<{ batchId: number; entries: FileEntry[] }>> {
    const cache: RangeCache = { compacts: new Map() };
    const out: Array<{ batchId: number; entries: FileEntry[] }> = [];
    for (let id = Math.max(from, 0); id <= to; id++) {
      const entries = await this.getBatch(id, cache);
      if (entries === undefined) {
        throw new WeirError(ErrorCodes.CHECKPOINT_MISSING_BATCH, `batch ${id} doesn't exist in ${this.absoluteDir}`, {
          context: { path: await this.log.absolutePathOf(id), batchId: id },
        });
      }
      out.push({ batchId: id, entries });
    }
    return out;
  }
}
