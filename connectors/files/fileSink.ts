/**
 * Spark's file sink (`FileStreamSink`): each batch's rows as data files under an output folder, committed
 * exactly once through the `_spark_metadata` log in Spark's own format.
 *
 * Invariant: batch N is committed exactly when `_spark_metadata/N` (or `N.compact`) exists, and that entry
 * lists exactly the files of batch N; the entry is written after the files are durable under their final
 * names, so a reader that follows the log (weir's batch reader, the file source, Apache Spark) never sees a file
 * of an uncommitted batch, and a batch re-delivered after a crash is skipped when its entry exists (files left
 * by a crashed attempt are orphans no reader lists).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { CompactibleMetadataLog } from '../../lib/checkpoint/CompactibleMetadataLog';
import { COMMITS_DIR, OFFSETS_DIR, parseBatchFileName } from '../../lib/checkpoint/layout';
import type { Clock, OutputMode, Row, Sink, SinkBatchInfo, SinkContext } from '../../lib/contracts';
import { ErrorCodes, WeirError } from '../../lib/errors';
import { fileFormatOf } from '../../lib/formats/fileFormats';
import type { FileFormat } from '../../lib/formats/FileFormat';
import { fileStreamSinkLog, type SinkFileStatus } from '../../lib/formats/FileStreamSinkLog';
import { FormatOptions } from '../../lib/formats/FormatOptions';
import { writeDataFiles } from '../../lib/formats/writeDataFiles';
import { timeStringAsMs } from '../../lib/formats/timeStringAsMs';
import { toSchema, type StructType } from '../../lib/values/types';
import { SystemClock } from '../../lib/time/SystemClock';

/** Steps of one batch where crash tests stop the process. */
export type FileSinkStage = 'afterDataFilesWritten' | 'afterDataFilesRenamed' | 'afterLogWritten';

/**
 * Options of {@link fileSink}.
 *
 * @example
 * ```ts
 * const options: FileSinkOptions = { path: '/data/out', format: 'parquet', schema: 'word STRING, n BIGINT', partitionBy: ['word'] };
 * ```
 */
export interface FileSinkOptions {
  /** The output folder. Required. */
  readonly path: string;
  /** `text`, `csv`, `json` or `parquet`. Required. */
  readonly format: string;
  /** The schema of the rows written. Required (files carry types). */
  readonly schema: StructType | string;
  /** Partition columns (`key=value` folders, Spark's escaping). */
  readonly partitionBy?: readonly string[];
  /** Format options (`compression`, `header`, `sep`, `timestampFormat`, ...). */
  readonly formatOptions?: Readonly<Record<string, string | number | boolean>>;
  /** Log entries older than this are dropped at compaction (Spark's `retention`, e.g. '7 days'). */
  readonly retention?: string | number;
  /** Spark's `spark.sql.streaming.fileSink.log.compactInterval` (10). */
  readonly compactInterval?: number;
  /** Spark's `spark.sql.streaming.fileSink.log.deletion` (true): delete log files compaction made obsolete. */
  readonly logDeletion?: boolean;
  /** Spark's `spark.sql.streaming.fileSink.log.cleanupDelay` ('10m'): their minimum age before deletion. */
  readonly logCleanupDelay?: string | number;
  /**
   * The output folder may hold batches another checkpoint wrote (default false). A sink skips every batch id its
   * `_spark_metadata` has (Spark's rule: "Skipping already committed batch"), so a new checkpoint on such a folder
   * would drop its first batches; weir refuses to start (FILE_SINK_OUTPUT_IN_USE) unless this is true, and warns
   * when it is.
   */
  readonly allowExistingOutput?: boolean;
  /** Called between the steps of a batch (crash tests). */
  readonly onStage?: (stage: FileSinkStage, batchId: number) => void | Promise<void>;
}

/**
 * The file sink of the RxJS face.
 *
 * @throws WeirError INVALID_ARGUMENT for a missing path/schema, DATA_SOURCE_NOT_FOUND for an unknown format.
 * @example
 * ```ts
 * import { fileSink } from 'weir-streams/sinks';
 * const sink = fileSink({ path: '/data/out', format: 'parquet', schema: 'window_start TIMESTAMP, n BIGINT' });
 * ```
 */
export function fileSink(options: FileSinkOptions): FileSink {
  return new FileSink(options);
}

/** The file sink (use {@link fileSink}). */
export class FileSink implements Sink<Row> {
  readonly description: string;
  readonly supportedOutputModes: readonly OutputMode[] = ['append'];
  /** Spark requires a checkpoint for the file sink. */
  readonly useTempCheckpointLocation = false;
  readonly outputPath: string;
  readonly schema: StructType;
  private readonly format: FileFormat;
  private readonly formatOptions: FormatOptions;
  private readonly log: CompactibleMetadataLog<SinkFileStatus>;
  /** The query's clock once opened (retention and cleanup-delay decisions); the system clock before. */
  private clock: Pick<Clock, 'now'> = new SystemClock();
  private lastRows = -1;

  constructor(private readonly o: FileSinkOptions) {
    if (typeof o.path !== 'string' || o.path.length === 0) {
      throw new WeirError(ErrorCodes.MISSING_OPTION, "'path' is not specified", { context: { sink: 'file', option: 'path' } });
    }
    this.format = fileFormatOf(o.format);
    this.outputPath = path.resolve(o.path);
    this.schema = toSchema(o.schema);
    this.formatOptions = new FormatOptions(o.formatOptions ?? {});
    for (const c of o.partitionBy ?? []) {
      if (!this.schema.fields.some((f) => f.name === c)) {
        throw new WeirError(ErrorCodes.UNRESOLVED_COLUMN, `Partition column \`${c}\` not found in schema ${this.schema.simpleString()}`, {
          context: { column: c },
        });
      }
    }
    this.log = fileStreamSinkLog(this.outputPath, {
      clock: { now: () => this.clock.now() },
      ...(o.compactInterval !== undefined ? { compactInterval: o.compactInterval } : {}),
      ...(o.retention !== undefined ? { retentionMs: timeStringAsMs(o.retention, 'retention') } : {}),
      ...(o.logDeletion !== undefined ? { deletion: o.logDeletion } : {}),
      ...(o.logCleanupDelay !== undefined ? { cleanupDelayMs: timeStringAsMs(o.logCleanupDelay, 'cleanupDelay') } : {}),
    });
    this.description = `FileSink[${this.outputPath}]`;
  }

  get lastBatchOutputRows(): number {
    return this.lastRows;
  }

  /**
   * Checks the output folder belongs to this checkpoint: every batch in `_spark_metadata` must be one the
   * checkpoint's offsets log has planned (a batch is planned before its sink write), else another query wrote it.
   *
   * @throws WeirError FILE_SINK_OUTPUT_IN_USE unless `allowExistingOutput`; CHECKPOINT_MISSING_BATCH when the
   * log is behind the checkpoint's `commits/` (deleted, rolled back, or another output path).
   */
  async open(context: SinkContext): Promise<void> {
    this.clock = context.clock;
    const written = await this.log.latestBatchId();
    // commits/C is written after the sink's entry C is durable, and the newest entry is never deleted: a log
    // behind commits/ lost entries (deleted, restored from an older copy, or the output path changed, which Spark
    // does not allow for a file sink either), and the batches between would be missing from the output for good.
    const committed = await latestBatchIdIn(context.checkpointLocation, COMMITS_DIR);
    if (committed !== undefined && (written === undefined || written < committed)) {
      const missing = path.join(this.log.absoluteDir, String(committed));
      throw new WeirError(
        ErrorCodes.CHECKPOINT_MISSING_BATCH,
        `The checkpoint ${context.checkpointLocation} has committed batch ${committed}, but the log ${this.log.absoluteDir} of ${this.description} ` +
          `${written === undefined ? 'is empty or gone' : `ends at batch ${written}`}: it was deleted or rolled back, or the output path changed ` +
          '(not allowed for a file sink, as in Spark). Readers would miss the committed batches. Restore the output folder, or start the ' +
          'query on a new checkpoint into a new output folder.',
        { context: { sink: this.description, path: missing, batchId: committed, ...(written !== undefined ? { latestOutputBatchId: written } : {}) } },
      );
    }
    if (written === undefined) return;
    const planned = await latestBatchIdIn(context.checkpointLocation, OFFSETS_DIR);
    if (planned !== undefined && planned >= written) return;
    const skipped = planned === undefined ? `0 to ${written}` : `${planned + 1} to ${written}`;
    const message =
      `The output folder ${this.outputPath} of ${this.description} has batches up to ${written} in ${this.log.absoluteDir}, but the ` +
      `checkpoint ${context.checkpointLocation} has ${planned === undefined ? 'run no batch' : `run batches up to ${planned} only`}: ` +
      'another query (or a deleted checkpoint) wrote them. This query\'s batches ' +
      `${skipped} would be skipped as already committed and their rows dropped.`;
    if (this.o.allowExistingOutput === true) {
      console.warn(`weir: ${message} Continuing because allowExistingOutput is true.`);
      return;
    }
    throw new WeirError(
      ErrorCodes.FILE_SINK_OUTPUT_IN_USE,
      `${message} Write into a new output folder, delete ${this.log.absoluteDir} to start the folder's log over, restart with the ` +
        "checkpoint that wrote it, or set the sink option allowExistingOutput to 'true' to accept the skipped batches.",
      { context: { sink: this.description, path: this.log.absoluteDir, latestOutputBatchId: written, ...(planned !== undefined ? { latestPlannedBatchId: planned } : {}) } },
    );
  }

  async addBatch(batchId: number, rows: readonly Row[], info: SinkBatchInfo): Promise<void> {
    if (info.outputMode !== 'append') {
      throw new WeirError(ErrorCodes.UNSUPPORTED_OUTPUT_MODE, `Data source ${this.format.name} does not support ${capitalize(info.outputMode)} output mode`, {
        context: { sink: this.description, outputMode: info.outputMode, batchId },
      });
    }
    this.lastRows = rows.length;
    const latest = await this.log.latestBatchId();
    if (latest !== undefined && batchId <= latest) return; // Spark: "Skipping already committed batch"
    const stage = this.o.onStage;
    const files = await writeDataFiles(rows, this.schema, {
      outputPath: this.outputPath,
      format: this.format,
      options: this.formatOptions,
      ...(this.o.partitionBy ? { partitionBy: this.o.partitionBy } : {}),
      ...(stage ? { onStage: (s) => stage(s, batchId) } : {}),
    });
    if (!(await this.log.add(batchId, files))) {
      throw new WeirError(ErrorCodes.LOG_ENTRY_CONFLICT, `Batch ${batchId} of ${this.log.absoluteDir} was committed by another writer`, {
        context: { sink: this.description, batchId, path: await this.log.absolutePathOf(batchId) },
      });
    }
    await stage?.('afterLogWritten', batchId);
  }

  async close(): Promise<void> {
    // Every batch is durable when addBatch resolves.
  }
}

/** The newest batch id of `<checkpoint>/<dir>/` (`offsets`, `commits`), or undefined when it has none. */
async function latestBatchIdIn(checkpointLocation: string, dir: string): Promise<number | undefined> {
  let names: string[];
  try {
    names = await fs.readdir(path.join(checkpointLocation, dir));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw e;
  }
  let latest: number | undefined;
  for (const name of names) {
    const id = parseBatchFileName(name);
    if (id !== undefined && (latest === undefined || id > latest)) latest = id;
  }
  return latest;
}

function capitalize(mode: string): string {
  return mode.charAt(0).toUpperCase() + mode.slice(1);
}
