/**
 * Spark's `CompactibleFileStreamLog`: a log of one entry file per batch whose every `compactInterval`-th batch
 * is a compaction file holding every entry up to it, so a reader starts from the newest compaction file instead
 * of reading the whole log, and older files can be deleted:
 *
 *     <dir>/<batchId>            (a batch)
 *     <dir>/<batchId>.compact    (a compaction batch: (batchId + 1) % compactInterval == 0)
 *
 * The file sink's `_spark_metadata` log and the file source's seen-files log are its two instances; they differ
 * in the bytes of an entry file (the codec) and in what compaction keeps (`compactLogs`).
 *
 * Invariant: an entry file appears only complete and durable (temp file + fsync + hard link, never replaced), so
 * a batch is either fully in the log or not at all; a compaction file holds `compactLogs` of the previous
 * compaction file, the batches after it and its own batch; a file is deleted only once a newer compaction
 * file covers it and it is older than the cleanup delay.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdirsDurably, removeFileDurably, writeFileDurably } from '../checkpoint/durableWrite';
import * as path from 'node:path';
import { ErrorCodes, WeirError } from '../errors';

/** Spark's default compact interval (`spark.sql.streaming.fileSink.log.compactInterval`, `fileSource.log.compactInterval`). */
export const DEFAULT_COMPACT_INTERVAL = 10;

/** The bytes of one entry file and back. */
export interface CompactibleLogCodec<T> {
  encode(entries: readonly T[]): string;
  /** @throws WeirError CHECKPOINT_CORRUPT / CHECKPOINT_UNSUPPORTED_VERSION naming `file`. */
  decode(text: Buffer, file: string, batchId: number): T[];
}

/** Options of a {@link CompactibleFileStreamLog}. */
export interface CompactibleFileStreamLogOptions {
  readonly compactInterval?: number;
  /** Delete log files a compaction made obsolete (Spark's `...log.deletion`, true). */
  readonly deletion?: boolean;
  /** How old an obsolete log file must be before it is deleted (Spark's `...log.cleanupDelay`, 10 min). */
  readonly cleanupDelayMs?: number;
  readonly now?: () => number;
}

function parseName(name: string): { batchId: number; compact: boolean } | undefined {
  const m = /^(0|[1-9]\d{0,15})(\.compact)?$/.exec(name);
  return m ? { batchId: Number(m[1]), compact: m[2] !== undefined } : undefined;
}

/** A compactible log over the folder `dir`. */
export abstract class CompactibleFileStreamLog<T> {
  readonly dir: string;
  private readonly compactInterval: number;
  /** The interval in use, derived once from the log on disk. */
  private interval: number | undefined;
  protected readonly now: () => number;
  private readonly deletion: boolean;
  private readonly cleanupDelayMs: number;

  constructor(
    dir: string,
    options: CompactibleFileStreamLogOptions,
    private readonly codec: CompactibleLogCodec<T>,
  ) {
    this.dir = path.resolve(dir);
    this.compactInterval = options.compactInterval ?? DEFAULT_COMPACT_INTERVAL;
    this.now = options.now ?? Date.now;
    this.deletion = options.deletion ?? true;
    this.cleanupDelayMs = options.cleanupDelayMs ?? 10 * 60_000;
    if (!Number.isSafeInteger(this.compactInterval) || this.compactInterval < 1) {
      throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `compactInterval must be a positive integer, got ${this.compactInterval}`, {
        context: { option: 'compactInterval', value: this.compactInterval },
      });
    }
  }

  /** Spark's `compactLogs`: the entries a compaction file keeps of `entries` (oldest first). */
  protected abstract compactLogs(entries: T[]): T[];

  /** Spark's `shouldRetain`: whether compaction keeps `entry` (default: always). */
  protected shouldRetain(_entry: T): boolean {
    return true;
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
   * compact interval reads the same); undefined when there is none. A compaction file gives all it holds.
   */
  get(batchId: number): T[] | undefined {
    for (const file of [path.join(this.dir, String(batchId)), path.join(this.dir, `${batchId}.compact`)]) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw e;
      }
      return this.codec.decode(bytes, file, batchId);
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
   * Every entry of the log as compaction keeps them (Spark's `allFiles`): the newest compaction file plus the
   * batches after it, through `compactLogs`.
   *
   * @throws WeirError CHECKPOINT_MISSING_BATCH when a batch after the newest compaction file is missing.
   */
  allFiles(): T[] {
    const ids = this.listBatchIds();
    if (ids.length === 0) return [];
    const lastCompact = [...ids].reverse().find((x) => x.compact)?.batchId;
    const latest = (ids.at(-1) as { batchId: number }).batchId;
    return this.compactLogs(this.entriesOf(lastCompact ?? 0, latest, 'to list the log'));
  }

  /**
   * Logs `entries` as batch `batchId` (a compaction file on compaction batches). Returns false, writing nothing,
   * when the batch is in the log already (Spark's `add` contract).
   *
   * @throws WeirError CHECKPOINT_MISSING_BATCH when a batch a compaction needs is missing.
   */
  async add(batchId: number, entries: readonly T[]): Promise<boolean> {
    let logged: T[] = [...entries];
    if (this.isCompactionBatch(batchId) && batchId > 0) {
      const previous = this.entriesOf(Math.max(batchId - (this.interval as number), 0), batchId - 1, `to compact batch ${batchId}`);
      logged = this.compactLogs([...previous, ...entries]).filter((e) => this.shouldRetain(e));
    }
    await mkdirsDurably(this.dir);
    const added = await writeFileDurably(this.pathOf(batchId), this.codec.encode(logged), { overwrite: false });
    if (added && this.deletion && this.isCompactionBatch(batchId)) await this.deleteExpiredLog(batchId);
    return added;
  }

  /** The entries of the files of batches `from..to` (inclusive), in order. */
  private entriesOf(from: number, to: number, why: string): T[] {
    const out: T[] = [];
    for (let id = from; id <= to; id++) {
      const got = this.get(id);
      if (got === undefined) {
        throw new WeirError(ErrorCodes.CHECKPOINT_MISSING_BATCH, `batch ${id} doesn't exist in ${this.dir} (needed ${why})`, {
          context: { path: this.pathOf(id), batchId: id },
        });
      }
      out.push(...got);
    }
    return out;
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
}
