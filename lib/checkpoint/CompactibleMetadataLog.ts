/**
 * Spark's `CompactibleFileStreamLog` on weir's {@link MetadataLog}: a log of one entry file per batch whose every
 * `compactInterval`-th batch is a compaction file holding every entry up to it, so a reader starts from the newest
 * compaction file instead of reading the whole log, and older files can be deleted:
 *
 *     <dir>/<batchId>            (a batch)
 *     <dir>/<batchId>.compact    (a compaction batch: (batchId + 1) % compactInterval == 0)
 *
 * One entry is a list of `T`. The file source's seen-files log (weir's checksummed files, in the checkpoint) and the
 * file sink's `_spark_metadata` log (Spark's plain files, in the output folder) are its two instances; they differ in
 * the codec and framing of a file and in what compaction keeps ({@link CompactionRules}). All I/O goes through a
 * {@link CheckpointStore}; all time comes from the injected clock.
 *
 * Invariant: an entry file appears only complete and durable (the store's exclusive atomic write, never replaced),
 * so a batch is either fully in the log or not at all; a compaction file holds `compactLogs` of the previous
 * compaction file, the batches after it and its own batch (minus what `shouldRetain` drops); a file is deleted only
 * once a newer compaction file covers it, the previous compaction file is kept, and only when it is older than the
 * cleanup delay (so a reader that listed the folder a moment ago can still open it).
 */
import { readdirSync } from 'node:fs';
import { ioError } from '../util/ioError';
import { isMissingFileError, readFileIfExistsSync } from '../util/readFileIfExists';
import * as path from 'node:path';
import type { CheckpointStore, Clock } from '../contracts';
import { ErrorCodes, WeirError } from '../errors';
import { decodeFileStatus, fileStatusError, type FileStatus, type LogCodec } from './FileStatus';
import { isTempFileName } from './durableWrite';
import type { LogFileFormat } from './logFile';
import { MetadataLog, type LogFileNaming } from './MetadataLog';
import { hasModificationTimes } from './modificationTime';

/** Spark's default compact interval (`spark.sql.streaming.fileSink.log.compactInterval`, `fileSource.log.compactInterval`). */
export const DEFAULT_COMPACT_INTERVAL = 10;
/** Spark's default cleanup delay (`spark.sql.streaming.fileSink.log.cleanupDelay`, `fileSource.log.cleanupDelay`): 10 min. */
export const DEFAULT_CLEANUP_DELAY_MS = 10 * 60_000;
/** The suffix of a compaction file. */
export const COMPACT_FILE_SUFFIX = '.compact';

/** What compaction keeps: Spark's abstract `compactLogs` and `shouldRetain`. */
export interface CompactionRules<T> {
  /** The entries a compaction file keeps of `entries` (oldest first). */
  compactLogs(entries: T[]): T[];
  /** Whether compaction keeps `entry` at time `nowMs` (Spark's `shouldRetain`; default: always). */
  shouldRetain?(entry: T, nowMs: number): boolean;
}

/** Options of a {@link CompactibleMetadataLog} (Spark's `...log.*` settings). */
export interface CompactibleMetadataLogOptions {
  /** Every this many batches a compaction file is written (default 10). */
  readonly compactInterval?: number;
  /** Delete log files a compaction made obsolete (Spark's `...log.deletion`, default true). */
  readonly deletion?: boolean;
  /** How old an obsolete log file must be before it is deleted (Spark's `...log.cleanupDelay`, default 10 min). */
  readonly cleanupDelayMs?: number;
  /** The time of retention and cleanup decisions (a query's clock). */
  readonly clock: Pick<Clock, 'now'>;
  /** How a file frames its lines (default weir's checksummed file; `sparkPlainLogFormat` for Spark's). */
  readonly format?: LogFileFormat;
}

/** One file of a compactible log folder. */
export interface CompactibleLogFile {
  readonly batchId: number;
  readonly compact: boolean;
  /** The file name inside the log folder. */
  readonly name: string;
}

/** `<N>` or `<N>.compact` (canonical decimals only), else undefined. */
export function parseCompactibleFileName(name: string): { batchId: number; compact: boolean } | undefined {
  const m = /^(0|[1-9]\d{0,15})(\.compact)?$/.exec(name);
  if (!m) return undefined;
  const batchId = Number(m[1]);
  return Number.isSafeInteger(batchId) ? { batchId, compact: m[2] !== undefined } : undefined;
}

/** Throws INVALID_ARGUMENT unless `compactInterval` is a positive integer. */
export function checkCompactInterval(compactInterval: number): void {
  if (!Number.isSafeInteger(compactInterval) || compactInterval < 1) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `compactInterval must be a positive integer, got ${compactInterval}`, {
      context: { option: 'compactInterval', value: compactInterval },
    });
  }
}

/**
 * The compact interval of a log: the configured one, unless compaction files on disk show another (Spark's
 * `CompactibleFileStreamLog.deriveCompactInterval`), so a folder keeps the interval it was started with.
 */
export function deriveCompactInterval(configured: number, files: ReadonlyArray<{ batchId: number; compact: boolean }>): number {
  const first = files.find((f) => f.compact);
  if (first === undefined) return configured;
  const cycle = first.batchId + 1;
  if (cycle <= configured) return cycle;
  if (configured < cycle / 2) {
    for (let d = configured; d >= 1; d--) if (cycle % d === 0) return d;
  }
  return cycle;
}

/**
 * The batches Spark's `allFiles` reads from a listing sorted by batch id: the newest compaction file (or batch 0)
 * through the newest batch; undefined for an empty log.
 */
export function allFilesRange(files: ReadonlyArray<{ batchId: number; compact: boolean }>): { from: number; to: number } | undefined {
  const last = files[files.length - 1];
  if (last === undefined) return undefined;
  let from = 0;
  for (let i = files.length - 1; i >= 0; i--) {
    const f = files[i] as { batchId: number; compact: boolean };
    if (f.compact) {
      from = f.batchId;
      break;
    }
  }
  return { from, to: last.batchId };
}

/** Where an entry of `batchId` may be: its own name first when the interval says so, the other name next. */
function candidateNames(batchId: number, compaction: boolean): string[] {
  const plain = String(batchId);
  const compact = `${plain}${COMPACT_FILE_SUFFIX}`;
  return compaction ? [compact, plain] : [plain, compact];
}

function missingBatch(batchId: number, dir: string, why: string, file: string): WeirError {
  return new WeirError(ErrorCodes.CHECKPOINT_MISSING_BATCH, `batch ${batchId} doesn't exist in ${dir} (needed ${why})`, {
    context: { path: file, batchId },
  });
}

/**
 * A compactible metadata log over the folder `dir` of `store`.
 *
 * @example
 * ```ts
 * const log = new CompactibleMetadataLog(store, 'sources/0', codec, { compactLogs: (es) => es }, { clock });
 * await log.add(0, [entry]); // batch 0; batch 9 becomes 9.compact holding batches 0..9
 * const everything = await log.allFiles(); // the newest compaction file and the batches after it
 * ```
 */
export class CompactibleMetadataLog<T> {
  /** The files, through MetadataLog: codec, framing, exclusive writes, damage as values. */
  readonly log: MetadataLog<T[]>;
  private readonly configuredInterval: number;
  /** The interval in use, derived once from the folder (Spark derives it when the log is made). */
  private interval: number | undefined;
  private deriving: Promise<number> | undefined;
  private readonly deletion: boolean;
  private readonly cleanupDelayMs: number;
  private readonly clock: Pick<Clock, 'now'>;

  constructor(
    readonly store: CheckpointStore,
    dir: string,
    codec: LogCodec<T[]>,
    private readonly rules: CompactionRules<T>,
    options: CompactibleMetadataLogOptions,
  ) {
    this.configuredInterval = options.compactInterval ?? DEFAULT_COMPACT_INTERVAL;
    checkCompactInterval(this.configuredInterval);
    this.deletion = options.deletion ?? true;
    this.cleanupDelayMs = options.cleanupDelayMs ?? DEFAULT_CLEANUP_DELAY_MS;
    this.clock = options.clock;
    const naming: LogFileNaming = {
      fileNames: (batchId) => candidateNames(batchId, this.isCompaction(batchId)),
      batchIdOf: (name) => parseCompactibleFileName(name)?.batchId,
    };
    this.log = new MetadataLog(store, dir, codec, { naming, ...(options.format ? { format: options.format } : {}) });
  }

  /** The log's folder, relative to the store root. */
  get dir(): string {
    return this.log.dir;
  }

  /** The log's folder as an absolute path (for messages). */
  get absoluteDir(): string {
    return path.join(this.store.root, this.log.dir);
  }

  /** The compact interval in use: the configured one unless the folder's compaction files show another. */
  async compactInterval(): Promise<number> {
    if (this.interval !== undefined) return this.interval;
    this.deriving ??= this.listFiles().then(
      (files) => (this.interval = deriveCompactInterval(this.configuredInterval, files)),
      (e: unknown) => {
        this.deriving = undefined;
        throw e;
      },
    );
    return this.deriving;
  }

  /** Spark's `isCompactionBatch`, for the interval in use. */
  async isCompactionBatch(batchId: number): Promise<boolean> {
    await this.compactInterval();
    return this.isCompaction(batchId);
  }

  /** The store-relative path batch `batchId`'s entry is written under. */
  async pathOf(batchId: number): Promise<string> {
    await this.compactInterval();
    return this.log.pathOf(batchId);
  }

  /** The absolute path batch `batchId`'s entry is written under (for messages and error context). */
  async absolutePathOf(batchId: number): Promise<string> {
    return path.join(this.store.root, await this.pathOf(batchId));
  }

  /** The log's files (`<N>` and `<N>.compact`), by batch id ascending. */
  async listFiles(): Promise<CompactibleLogFile[]> {
    return (await this.log.listFiles()).map(({ batchId, name }) => ({ batchId, name, compact: name.endsWith(COMPACT_FILE_SUFFIX) }));
  }

  /** The newest batch id in the log, or undefined. */
  async latestBatchId(): Promise<number | undefined> {
    return (await this.listFiles()).at(-1)?.batchId;
  }

  /**
   * The entries of one entry file (`<id>` or `<id>.compact`, whichever exists: a log written with another compact
   * interval reads the same); undefined when there is none. A compaction file gives all it holds.
   *
   * @throws WeirError CHECKPOINT_CORRUPT / CHECKPOINT_UNSUPPORTED_VERSION naming the file.
   */
  async get(batchId: number): Promise<T[] | undefined> {
    await this.compactInterval();
    return this.log.get(batchId);
  }

  /** What the entry file of `batchId` holds, damage included; undefined when there is none. */
  async inspect(batchId: number): Promise<FileStatus<T[]> | undefined> {
    await this.compactInterval();
    return this.log.inspect(batchId);
  }

  /**
   * Every entry of the log as compaction keeps them (Spark's `allFiles`): the newest compaction file plus the
   * batches after it, through `compactLogs`.
   *
   * @throws WeirError CHECKPOINT_MISSING_BATCH when a batch after the newest compaction file is missing, and
   * CHECKPOINT_CORRUPT / CHECKPOINT_UNSUPPORTED_VERSION for a damaged file (a torn newest entry included).
   */
  async allFiles(): Promise<T[]> {
    const range = allFilesRange(await this.listFiles());
    if (range === undefined) return [];
    return this.rules.compactLogs(await this.entriesOf(range.from, range.to, 'to list the log'));
  }

  /**
   * Logs `entries` as batch `batchId` (a compaction file on compaction batches). Returns false, writing nothing,
   * when the batch is in the log already (Spark's `add` contract).
   *
   * @throws WeirError CHECKPOINT_MISSING_BATCH when a batch a compaction needs is missing.
   */
  async add(batchId: number, entries: readonly T[]): Promise<boolean> {
    const interval = await this.compactInterval();
    const compaction = this.isCompaction(batchId);
    let logged: T[] = [...entries];
    if (compaction && batchId > 0) {
      const previous = await this.entriesOf(Math.max(batchId - interval, 0), batchId - 1, `to compact batch ${batchId}`);
      const compacted = this.rules.compactLogs([...previous, ...entries]);
      const shouldRetain = this.rules.shouldRetain;
      if (shouldRetain === undefined) {
        logged = compacted;
      } else {
        const now = this.clock.now();
        logged = compacted.filter((e) => shouldRetain(e, now));
      }
    }
    const added = await this.log.add(batchId, logged);
    if (added && this.deletion && compaction) await this.deleteExpiredLog(batchId, interval);
    return added;
  }

  /** The entries of the files of batches `from..to` (inclusive), in order. */
  private async entriesOf(from: number, to: number, why: string): Promise<T[]> {
    await this.compactInterval();
    const out: T[] = [];
    for (let id = from; id <= to; id++) {
      const got = await this.log.get(id);
      if (got === undefined) throw missingBatch(id, this.absoluteDir, why, await this.absolutePathOf(id));
      for (const e of got) out.push(e);
    }
    return out;
  }

  /**
   * Spark's `deleteExpiredLog`: after compaction batch `batchId`, the files of batches before the previous
   * compaction batch are obsolete (every reader starts from the newest compaction file); they are deleted once
   * older than the cleanup delay. A store that cannot tell modification times gets its obsolete files deleted
   * only with a zero cleanup delay.
   */
  private async deleteExpiredLog(batchId: number, interval: number): Promise<void> {
    // The previous compaction file is kept too: a reader may have started from it.
    const minBatchId = batchId - interval;
    if (minBatchId <= 0) return;
    const expiredBefore = this.clock.now() - this.cleanupDelayMs;
    const store = this.store;
    const obsolete = (await this.listFiles()).filter((f) => f.batchId < minBatchId).map((f) => this.log.pathOfFile(f.name));
    // The ages are asked for all at once (a folder holds every file of the cleanup delay); deletes go oldest first.
    const written = hasModificationTimes(store) ? await Promise.all(obsolete.map((file) => store.modificationTime(file))) : undefined;
    for (let i = 0; i < obsolete.length; i++) {
      const time = written?.[i];
      // Without modification times, only a zero delay makes a file old enough; a file gone meanwhile is skipped.
      const expired = written === undefined ? this.cleanupDelayMs <= 0 : time !== undefined && time < expiredBefore;
      if (expired) await store.delete(obsolete[i] as string);
    }
  }

  private isCompaction(batchId: number): boolean {
    const interval = this.interval;
    if (interval === undefined) throw new Error('CompactibleMetadataLog: the compact interval is not derived yet');
    return (batchId + 1) % interval === 0;
  }
}

/** Checks {@link readAllFilesSync} runs on each file it reads (each throws to refuse the file). */
export interface ReadAllFilesVerifier<T> {
  /** The raw bytes of the entry file `file` (absolute) of batch `batchId`, before they are decoded. */
  bytes(file: string, bytes: Buffer, batchId: number): void;
  /** The decoded entries of that file. */
  entries(file: string, entries: readonly T[], batchId: number): void;
}

/**
 * Spark's `allFiles` of a compactible log folder on the local filesystem, read synchronously: for batch readers
 * whose listing must be synchronous (a DataFrame's schema is known when `load()` returns, as in Spark). It reads
 * with the same names, framing, codec and compaction rules as {@link CompactibleMetadataLog}, and never writes.
 *
 * @throws WeirError CHECKPOINT_MISSING_BATCH, CHECKPOINT_CORRUPT, CHECKPOINT_UNSUPPORTED_VERSION as `allFiles`.
 */
export function readAllFilesSync<T>(
  folder: string,
  codec: LogCodec<T[]>,
  rules: Pick<CompactionRules<T>, 'compactLogs'>,
  format?: LogFileFormat,
  verify?: ReadAllFilesVerifier<T>,
): T[] {
  const dir = path.resolve(folder);
  const range = allFilesRange(listCompactibleFilesSync(dir));
  if (range === undefined) return [];
  const out: T[] = [];
  for (let id = range.from; id <= range.to; id++) {
    let found = false;
    for (const name of candidateNames(id, false)) {
      const file = path.join(dir, name);
      let bytes: Buffer | undefined;
      try {
        bytes = readFileIfExistsSync(file);
      } catch (e) {
        throw ioError(e, 'read', file, { batchId: id });
      }
      if (bytes === undefined) continue;
      verify?.bytes(file, bytes, id);
      const status = decodeFileStatus(bytes, codec, format);
      if (status.kind !== 'ok') throw fileStatusError(status, { path: file, batchId: id });
      verify?.entries(file, status.value, id);
      for (const e of status.value) out.push(e);
      found = true;
      break;
    }
    if (!found) throw missingBatch(id, dir, 'to list the log', path.join(dir, String(id)));
  }
  return rules.compactLogs(out);
}

/** The files of a compactible log folder on the local filesystem, by batch id ascending (`[]` when missing). */
export function listCompactibleFilesSync(folder: string): CompactibleLogFile[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch (e) {
    if (isMissingFileError(e)) return [];
    throw ioError(e, 'list', path.resolve(folder));
  }
  const files: CompactibleLogFile[] = [];
  for (const name of names) {
    if (isTempFileName(name)) continue;
    const parsed = parseCompactibleFileName(name);
    if (parsed !== undefined) files.push({ ...parsed, name });
  }
  return files.sort((a, b) => a.batchId - b.batchId || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
