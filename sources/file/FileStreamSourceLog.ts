/**
 * The file source's seen-files log (Spark's `FileStreamSourceLog`) in `<checkpoint>/sources/<i>/`: one entry file
 * per log offset listing the files admitted then, compacted every `compactInterval` batches into `<N>.compact`
 * (Spark's `spark.sql.streaming.fileSource.log.compactInterval`, 10) so a restart reads the newest compaction file
 * and the batches after it instead of the whole log, and older files can be deleted.
 *
 * Entry files are weir checkpoint files (`v1`, one `FileEntry` JSON per line, a CRC-32 trailer; see
 * lib/checkpoint/logFile.ts), as the log was before it was compacted, so older checkpoints read the same.
 *
 * Invariant: a compaction file holds every entry up to its batch, each with its own `batchId`, so the files of any
 * batch can be found after the batch's own file was deleted (Spark's `FileStreamSourceLog.get`).
 */
import { encodeLogFile, decodeLogFile } from '../../lib/checkpoint/logFile';
import { ErrorCodes, WeirError } from '../../lib/errors';
import { CompactibleFileStreamLog, type CompactibleFileStreamLogOptions } from '../../lib/formats/CompactibleFileStreamLog';

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

const VERSION = 1;

/** What one range read learns once: the listing and the compaction files read. */
export interface RangeCache {
  ids?: Array<{ batchId: number; compact: boolean }>;
  readonly compacts: Map<number, FileEntry[]>;
}

function encode(entries: readonly FileEntry[]): string {
  return encodeLogFile(VERSION, entries.map((e) => JSON.stringify(e)));
}

function decode(bytes: Buffer, file: string, batchId: number): FileEntry[] {
  const decoded = decodeLogFile(bytes, VERSION);
  if (decoded.kind === 'unsupportedVersion') {
    throw new WeirError(
      ErrorCodes.CHECKPOINT_UNSUPPORTED_VERSION,
      `UnsupportedLogVersion: maximum supported log version is v${VERSION}, but encountered v${decoded.version}. The log file was produced by a newer version and cannot be read by this version. Please upgrade.`,
      { context: { path: file, batchId } },
    );
  }
  if (decoded.kind !== 'ok') {
    throw new WeirError(ErrorCodes.CHECKPOINT_CORRUPT, `Log file ${file} is ${decoded.kind}: ${decoded.reason}`, { context: { path: file, batchId } });
  }
  return decoded.lines.map((line) => {
    try {
      return JSON.parse(line) as FileEntry;
    } catch (e) {
      throw new WeirError(ErrorCodes.CHECKPOINT_CORRUPT, `Log file ${file} is corrupt: ${(e as Error).message}`, { context: { path: file, batchId } });
    }
  });
}

/**
 * The seen-files log of one file source.
 *
 * @example
 * ```ts
 * const log = new FileStreamSourceLog('/cp/sources/0');
 * await log.add(0, [{ path: 'file:/in/a.json', timestamp: 1, batchId: 0 }]);
 * log.getBatch(0); // the entries of batch 0, from `0` or from a compaction file
 * ```
 */
export class FileStreamSourceLog extends CompactibleFileStreamLog<FileEntry> {
  constructor(dir: string, options: CompactibleFileStreamLogOptions = {}) {
    super(dir, options, { encode, decode });
  }

  /** Spark's source log keeps every entry at compaction (a file seen once stays seen). */
  protected compactLogs(entries: FileEntry[]): FileEntry[] {
    return entries;
  }

  /**
   * The entries of batch `batchId` only: from its own file, or from the compaction file that covers it (its own
   * `<id>.compact`, or a later one when the batch's file was deleted); undefined when no file has it.
   */
  getBatch(batchId: number, cache: RangeCache = { compacts: new Map() }): FileEntry[] | undefined {
    const own = this.get(batchId);
    if (own !== undefined) return own.filter((e) => e.batchId === batchId);
    cache.ids ??= this.listBatchIds();
    const compact = cache.ids.find((x) => x.compact && x.batchId > batchId);
    if (compact === undefined) return undefined;
    let entries = cache.compacts.get(compact.batchId);
    if (entries === undefined) {
      entries = this.get(compact.batchId) ?? [];
      cache.compacts.set(compact.batchId, entries);
    }
    return entries.filter((e) => e.batchId === batchId);
  }

  /** The entries of batches `from..to` (inclusive), each batch's files in order; a batch no file has is missing. */
  getRange(from: number, to: number): Array<{ batchId: number; entries: FileEntry[] }> {
    const cache: RangeCache = { compacts: new Map() };
    const out: Array<{ batchId: number; entries: FileEntry[] }> = [];
    for (let id = Math.max(from, 0); id <= to; id++) {
      const entries = this.getBatch(id, cache);
      if (entries === undefined) {
        throw new WeirError(ErrorCodes.CHECKPOINT_MISSING_BATCH, `batch ${id} doesn't exist in ${this.dir}`, { context: { path: this.pathOf(id), batchId: id } });
      }
      out.push({ batchId: id, entries });
    }
    return out;
  }
}
