/**
 * Spark's file source (`FileStreamSource`): new files of a folder or glob, each trigger, in modification-time
 * order, parsed by a file format (text, csv, json, parquet).
 *
 * Invariant: every file admitted into a batch is first recorded in the seen-files log (`<checkpoint>/sources/<i>/<N>`,
 * one entry per log offset, before the offset is returned; compacted every `compactInterval` batches into
 * `<N>.compact`, see FileStreamSourceLog.ts), and `read((a, b])` reads exactly the files of entries a+1..b, so a
 * restart never re-reads a committed file nor skips one: files logged by a run that crashed before its batch are
 * still admitted by the next `latestOffset`. Offsets are Spark's `{ logOffset: N }` (initially -1).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Observable } from 'rxjs';
import type { Offset, ReadLimit, Row, RowChunks, Source, SourceContext } from '../../lib/contracts';
import { ErrorCodes, WeirError } from '../../lib/errors';
import { FileCheckpointStore } from '../../lib/checkpoint/FileCheckpointStore';
import { fileUri, localPathOf } from '../../lib/formats/FileStreamSinkLog';
import { ignoreMissingFilesOf, parseFileSync, readFile, readFileBytes, resolveFileScan, type FileScan } from '../../lib/formats/FileScan';
import { FormatOptions } from '../../lib/formats/FormatOptions';
import { listInputFiles, type InputFile } from '../../lib/formats/listInputFiles';
import { timeStringAsMs } from '../../lib/formats/timeStringAsMs';
import { toSchema, type StructType } from '../../lib/values/types';
import { invalidOption } from '../../lib/connector/invalidOption';
import { FileStreamSourceLog, type FileEntry } from './FileStreamSourceLog';

export type { FileEntry } from './FileStreamSourceLog';

/**
 * Options of {@link files} (Spark's option names and defaults).
 *
 * @example
 * ```ts
 * const options: FileSourceOptions = { path: '/data/in', format: 'json', schema: 'id BIGINT, ts TIMESTAMP', maxFilesPerTrigger: 10 };
 * ```
 */
export interface FileSourceOptions {
  /** A folder or a glob (`/data/in/*.json`). Required. */
  readonly path: string;
  /** `text`, `csv`, `json` or `parquet`. Required. */
  readonly format: string;
  /** The schema (required unless `schemaInference`, or for text). */
  readonly schema?: StructType | string;
  /** Infer the schema from the files present at construction (`spark.sql.streaming.schemaInference`). */
  readonly schemaInference?: boolean;
  /** Format options (`header`, `sep`, `mode`, `multiLine`, ...), case-insensitive as in Spark. */
  readonly formatOptions?: Readonly<Record<string, string | number | boolean>>;
  /** At most this many new files per batch. Default: no limit. */
  readonly maxFilesPerTrigger?: number;
  /** At most about this many bytes per batch (at least one file). Default: no limit. */
  readonly maxBytesPerTrigger?: number;
  /** Newest files first. Default false. */
  readonly latestFirst?: boolean;
  /** A file is identified by its name only (not its full path). Default false. */
  readonly fileNameOnly?: boolean;
  /** Files older than the newest seen file minus this are ignored (after the first batch). Default '7d'. */
  readonly maxFileAge?: string | number;
  /** What to do with a file once its batch is committed. Default 'off'. */
  readonly cleanSource?: 'off' | 'delete' | 'archive';
  /** Where `cleanSource: 'archive'` moves files (their absolute path is kept below it). */
  readonly sourceArchiveDir?: string;
  /** The seen-files log is compacted every this many batches (Spark's `spark.sql.streaming.fileSource.log.compactInterval`). Default 10. */
  readonly compactInterval?: number;
  /** Delete log files made obsolete by a compaction (Spark's `...fileSource.log.deletion`). Default true. */
  readonly logDeletion?: boolean;
  /** How old an obsolete log file must be to be deleted (Spark's `...fileSource.log.cleanupDelay`). Default '10m'. */
  readonly logCleanupDelay?: string | number;
}

/** The offset of the file source (Spark's `FileStreamSourceOffset`). */
export type FileSourceOffset = { logOffset: number };

const KNOWN = [
  'path',
  'format',
  'schema',
  'schemaInference',
  'formatOptions',
  'maxFilesPerTrigger',
  'maxBytesPerTrigger',
  'latestFirst',
  'fileNameOnly',
  'maxFileAge',
  'cleanSource',
  'sourceArchiveDir',
  'compactInterval',
  'logDeletion',
  'logCleanupDelay',
];

/**
 * The file source of the RxJS face.
 *
 * @throws WeirError INVALID_ARGUMENT for bad options, a missing schema (Spark's message), or both
 * `maxFilesPerTrigger` and `maxBytesPerTrigger`.
 * @example
 * ```ts
 * import { files } from 'weir-streams/sources';
 * const source = files({ path: '/data/in', format: 'json', schema: 'word STRING, ts TIMESTAMP' });
 * ```
 */
export function files(options: FileSourceOptions): FileSource {
  const unknown = Object.keys(options ?? {}).filter((k) => !KNOWN.includes(k));
  if (unknown.length > 0) throw invalidOption('file', unknown[0] as string, (options as never)[unknown[0] as string], 'is not an option of the file source', `known: ${KNOWN.join(', ')}`);
  return new FileSource(options);
}

function positiveInteger(name: string, v: number | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isSafeInteger(v) || v <= 0) throw invalidOption('file', name, v, 'must be a positive integer', `e.g. { ${name}: 10 }`);
  return v;
}

/** The file source (use {@link files}). */
export class FileSource implements Source<Row> {
  readonly description: string;
  /** The resolved schema and format of the rows. */
  readonly scan: FileScan;
  private readonly root: string;
  private readonly maxFiles: number | undefined;
  private readonly maxBytes: number | undefined;
  private readonly latestFirst: boolean;
  private readonly fileNameOnly: boolean;
  private readonly maxFileAgeMs: number;
  private readonly cleanSource: 'off' | 'delete' | 'archive';
  private readonly archiveDir: string | undefined;

  private readonly compactInterval: number | undefined;
  private readonly logDeletion: boolean;
  private readonly logCleanupDelayMs: number;
  private log: FileStreamSourceLog | undefined;
  /** identity → modification time of every logged file. */
  private seen = new Map<string, number>();
  private lastPurgeTimestamp = 0;
  private latestLogOffset = -1;
  private cleanedUpTo = -1;
  private availableNow: Set<string> | undefined;

  constructor(private readonly o: FileSourceOptions) {
    if (typeof o.path !== 'string' || o.path.length === 0) throw invalidOption('file', 'path', o.path, 'is required', "e.g. { path: '/data/in' }");
    this.root = path.resolve(o.path);
    this.maxFiles = positiveInteger('maxFilesPerTrigger', o.maxFilesPerTrigger);
    this.maxBytes = positiveInteger('maxBytesPerTrigger', o.maxBytesPerTrigger);
    if (this.maxFiles !== undefined && this.maxBytes !== undefined) {
      throw invalidOption('file', 'maxBytesPerTrigger', o.maxBytesPerTrigger, 'cannot be set together with maxFilesPerTrigger', 'set only one of them');
    }
    this.compactInterval = positiveInteger('compactInterval', o.compactInterval);
    this.logDeletion = o.logDeletion ?? true;
    this.logCleanupDelayMs = timeStringAsMs(o.logCleanupDelay ?? '10m', 'logCleanupDelay');
    this.latestFirst = o.latestFirst ?? false;
    this.fileNameOnly = o.fileNameOnly ?? false;
    this.maxFileAgeMs = timeStringAsMs(o.maxFileAge ?? '7d', 'maxFileAge');
    this.cleanSource = o.cleanSource ?? 'off';
    if (!['off', 'delete', 'archive'].includes(this.cleanSource)) {
      throw invalidOption('file', 'cleanSource', o.cleanSource, "must be 'off', 'delete' or 'archive'", "e.g. { cleanSource: 'delete' }");
    }
    if (this.cleanSource === 'archive') {
      if (!o.sourceArchiveDir) {
        throw invalidOption('file', 'sourceArchiveDir', o.sourceArchiveDir, "is required with cleanSource 'archive'", "e.g. { sourceArchiveDir: '/data/archive' }");
      }
      this.archiveDir = path.resolve(o.sourceArchiveDir);
      const base = o.path.split(path.sep).findIndex((s) => /[*?[{]/.test(s)) >= 0 ? path.dirname(this.root) : this.root;
      if (this.archiveDir === base || this.archiveDir.startsWith(`${base}${path.sep}`)) {
        throw invalidOption('file', 'sourceArchiveDir', o.sourceArchiveDir, 'must not be inside the source path (archived files would be read again)', 'use a folder outside it');
      }
    }
    const formatOptions = new FormatOptions(o.formatOptions ?? {});
    const listing = listInputFiles(o.path, { allowMissing: true, ignoreMissingFiles: ignoreMissingFilesOf(formatOptions) });
    this.scan = resolveFileScan({
      format: o.format,
      options: formatOptions,
      ...(o.schema !== undefined ? { userSchema: toSchema(o.schema) } : {}),
      files: listing.files,
      streaming: true,
      schemaInference: o.schemaInference ?? false,
    });
    this.description = `FileStreamSource[${fileUri(this.root)}]`;
    this.readChunks = this.scan.format.readsSynchronously ? (start, end) => this.readFileChunks(start, end) : undefined;
  }

  /** The schema of the rows (data columns, then partition columns). */
  get schema(): StructType {
    return this.scan.schema;
  }

  async open(context: SourceContext): Promise<void> {
    // The log is the whole source folder of the checkpoint (`<checkpoint>/sources/<i>/<N>`), as before.
    const store = new FileCheckpointStore(context.metadataPath);
    await store.mkdirs('');
    const log = new FileStreamSourceLog(store, '', {
      ...(this.compactInterval !== undefined ? { compactInterval: this.compactInterval } : {}),
      deletion: this.logDeletion,
      cleanupDelayMs: this.logCleanupDelayMs,
      clock: context.clock,
    });
    this.log = undefined;
    this.seen = new Map();
    this.lastPurgeTimestamp = 0;
    this.availableNow = undefined;
    // The newest compaction file and the batches after it hold every file ever logged.
    for (const f of await log.allFiles()) this.seen.set(this.identity(localPathOf(f.path)), f.timestamp);
    this.latestLogOffset = (await log.latestBatchId()) ?? -1;
    this.log = log;
    this.purgeSeen();
  }

  async initialOffset(): Promise<Offset> {
    return { logOffset: -1 };
  }

  defaultReadLimit(): ReadLimit {
    if (this.maxFiles !== undefined) return { kind: 'maxFiles', maxFiles: this.maxFiles };
    if (this.maxBytes !== undefined) return { kind: 'maxBytes', maxBytes: this.maxBytes };
    return { kind: 'all' };
  }

  async latestOffset(start: Offset, limit: ReadLimit): Promise<Offset> {
    const from = this.toLogOffset(start);
    // Files logged before (by this run or one that crashed before running their batch) come first.
    if (this.latestLogOffset > from) return { logOffset: this.latestLogOffset };
    const log = this.requireLog();
    // The offsets log ran batches the seen-files log no longer has: listing now would re-read their files (they
    // look unseen) under batch ids the checkpoint has used, or skip new ones.
    if (from > this.latestLogOffset) throw await this.logBehindOffsets(log, from);
    const candidates = this.list().filter((f) => {
      const id = this.identity(f.path);
      if (this.availableNow && !this.availableNow.has(id)) return false;
      return !this.seen.has(id) && f.mtimeMs >= this.lastPurgeTimestamp;
    });
    candidates.sort((a, b) => a.mtimeMs - b.mtimeMs || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    if (this.latestFirst) candidates.reverse();
    const admitted = this.admit(candidates, limit);
    if (admitted.length === 0) return start;
    const batchId = this.latestLogOffset + 1;
    const entries: FileEntry[] = admitted.map((f) => ({
      path: fileUri(f.path),
      timestamp: Math.floor(f.mtimeMs),
      batchId,
      relative: f.relative,
      size: f.size,
    }));
    if (!(await log.add(batchId, entries))) {
      throw new WeirError(ErrorCodes.LOG_ENTRY_CONFLICT, `${this.description}: entry ${batchId} of the seen-files log was written by another query`, {
        context: { source: this.description, batchId, path: await log.absolutePathOf(batchId) },
      });
    }
    for (const e of entries) this.seen.set(this.identity(localPathOf(e.path)), e.timestamp);
    this.latestLogOffset = batchId;
    this.purgeSeen();
    return { logOffset: batchId };
  }

  read(start: Offset, end: Offset): Observable<Row> {
    return new Observable<Row>((subscriber) => {
      this.readAll(start, end).then(
        (rows) => {
          for (const row of rows) {
            if (subscriber.closed) return;
            subscriber.next(row);
          }
          subscriber.complete();
        },
        (e) => subscriber.error(e),
      );
    });
  }

  async readAll(start: Offset, end: Offset): Promise<Row[]> {
    const parts: Row[][] = [];
    for (const { file, batchId } of await this.filesOf(start, end)) parts.push(await readFile(this.scan, file, batchId));
    // One copy of the files' rows into the batch's array (not a push per row).
    return parts.length === 1 ? (parts[0] as Row[]) : ([] as Row[]).concat(...parts);
  }

  /**
   * For formats that parse synchronously (text, CSV, JSON): the files are read now, and each one is parsed when
   * the batch's operators reach it, so only one file's rows are live at a time (a streaming query filtering and
   * aggregating them then never holds the batch's rows). Other formats: undefined, the engine uses readAll.
   */
  readonly readChunks: ((start: Offset, end: Offset) => Promise<RowChunks>) | undefined;

  private async readFileChunks(start: Offset, end: Offset): Promise<RowChunks> {
    const files = await this.filesOf(start, end);
    const bytes: Array<Buffer | undefined> = [];
    const ignoreMissing = ignoreMissingFilesOf(this.scan.options);
    for (const { file, batchId } of files) bytes.push(await readFileBytes(file, batchId, ignoreMissing));
    const scan = this.scan;
    return {
      forEachChunk(visit) {
        for (let i = 0; i < files.length; i += 1) {
          const content = bytes[i];
          if (content !== undefined) visit(parseFileSync(scan, files[i]!.file, content, files[i]!.batchId));
        }
      },
    };
  }

  /** The files of `(start, end]` in log order, each with the batch that logged it. */
  private async filesOf(start: Offset, end: Offset): Promise<Array<{ file: InputFile; batchId: number }>> {
    const from = this.toLogOffset(start);
    const to = this.toLogOffset(end);
    if (to <= from) return [];
    const log = this.requireLog();
    const out: Array<{ file: InputFile; batchId: number }> = [];
    for (const entry of await log.getRange(from + 1, to)) {
      for (const f of entry.entries) {
        const file: InputFile = {
          path: localPathOf(f.path),
          relative: f.relative ?? path.basename(localPathOf(f.path)),
          size: f.size ?? 0,
          mtimeMs: f.timestamp,
        };
        out.push({ file, batchId: entry.batchId });
      }
    }
    return out;
  }

  async commit(end: Offset): Promise<void> {
    const to = this.toLogOffset(end);
    if (this.cleanSource === 'off' || to <= this.cleanedUpTo) return;
    const log = this.requireLog();
    for (const entry of await log.getRange(this.cleanedUpTo + 1, to)) {
      for (const f of entry.entries) await this.clean(localPathOf(f.path));
    }
    this.cleanedUpTo = to;
  }

  async stop(): Promise<void> {
    this.availableNow = undefined;
  }

  async prepareForTriggerAvailableNow(): Promise<void> {
    this.availableNow = new Set(this.list().map((f) => this.identity(f.path)));
  }

  /** The files under the path now (a sink's output folder: its committed files, `ignoreMissingFiles` honoured). */
  private list(): InputFile[] {
    return listInputFiles(this.o.path, { allowMissing: true, ignoreMissingFiles: ignoreMissingFilesOf(this.scan.options) }).files;
  }

  /** Best effort, as Spark's cleanSource: a file already gone is fine. */
  private async clean(file: string): Promise<void> {
    try {
      if (this.cleanSource === 'delete') {
        await fs.rm(file, { force: true });
      } else if (this.archiveDir !== undefined) {
        const target = path.join(this.archiveDir, file);
        await fs.mkdir(path.dirname(target), { recursive: true });
        await fs.rename(file, target);
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }

  private admit(candidates: InputFile[], limit: ReadLimit): InputFile[] {
    const maxFiles = limit.kind === 'maxFiles' ? limit.maxFiles : undefined;
    const maxBytes = limit.kind === 'maxBytes' ? limit.maxBytes : undefined;
    if (maxFiles !== undefined) return candidates.slice(0, maxFiles);
    if (maxBytes !== undefined) {
      const out: InputFile[] = [];
      let bytes = 0;
      for (const f of candidates) {
        if (out.length > 0 && bytes + f.size > maxBytes) break;
        out.push(f);
        bytes += f.size;
      }
      return out;
    }
    return candidates;
  }

  /** Spark's SeenFilesMap.purge: files older than the newest seen minus maxFileAge are old from now on. */
  private purgeSeen(): void {
    // Spark ignores maxFileAge when latestFirst is combined with a max* limit.
    if (this.latestFirst && (this.maxFiles !== undefined || this.maxBytes !== undefined)) return;
    let newest = 0;
    for (const t of this.seen.values()) if (t > newest) newest = t;
    if (newest > 0) this.lastPurgeTimestamp = Math.max(this.lastPurgeTimestamp, newest - this.maxFileAgeMs);
    // Older entries are refused by their timestamp anyway: forgetting them keeps the map bounded.
    for (const [id, t] of this.seen) if (t < this.lastPurgeTimestamp) this.seen.delete(id);
  }

  private identity(file: string): string {
    return this.fileNameOnly ? path.basename(file) : path.resolve(file);
  }

  private async logBehindOffsets(log: FileStreamSourceLog, logOffset: number): Promise<WeirError> {
    const first = this.latestLogOffset + 1;
    const missing = await log.absolutePathOf(first);
    const range = first === logOffset ? `entry ${first} is` : `entries ${first} to ${logOffset} are`;
    return new WeirError(
      ErrorCodes.CHECKPOINT_MISSING_BATCH,
      `${this.description}: the checkpoint's offsets log has run this source up to logOffset ${logOffset}, but its seen-files log ` +
        `${log.absoluteDir} ends ${this.latestLogOffset < 0 ? 'empty' : `at ${this.latestLogOffset}`}: ${range} gone (first: ${missing}). ` +
        'Which files those batches read is lost, so the source would read them again or skip files. Restore the folder from a ' +
        'backup, or start the query on a new checkpoint (and, for a file sink, a new output folder).',
      { context: { source: this.description, path: missing, batchId: first, logOffset, seenFilesLogEnd: this.latestLogOffset } },
    );
  }

  private requireLog(): FileStreamSourceLog {
    if (!this.log) {
      throw new WeirError(ErrorCodes.SOURCE_ERROR, `${this.description} is not open`, { context: { source: this.description } });
    }
    return this.log;
  }

  private toLogOffset(offset: Offset): number {
    if (offset === null) return -1;
    if (typeof offset === 'object' && !Array.isArray(offset) && Number.isSafeInteger(offset.logOffset)) return offset.logOffset as number;
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `${this.description}: ${JSON.stringify(offset)} is not an offset of this source ({ logOffset })`, {
      context: { source: this.description, offset },
    });
  }
}
