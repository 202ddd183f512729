/**
 * The exactly-once streaming Delta sink (Delta's `DeltaSink`): each batch one commit carrying a `txn` action
 * with appId = the query id and version = the batch id; append mode adds the batch's files, complete mode
 * replaces the table's files in the same commit.
 *
 * Invariant: batch N of query Q is in the table exactly when some commit holds txn(Q, v >= N); a batch whose id
 * the table's txn of Q already reaches (a re-run after a crash) writes nothing, so every batch lands once.
 * Update mode is rejected as Delta rejects it.
 */
import * as path from 'node:path';
import type { Clock, OutputMode, Row, Sink, SinkBatchInfo, SinkContext } from '../../lib/contracts';
import { ErrorCodes, WeirError } from '../../lib/errors';
import { toSchema, type StructType } from '../../lib/values/types';
import { writeDelta, type DeltaWriteResult } from './tableWriter';

/** Options of {@link deltaSink}. */
export interface DeltaSinkOptions {
  /** The table folder. Required. */
  readonly path: string;
  /** The schema of the rows written. */
  readonly schema: StructType | string;
  readonly partitionBy?: readonly string[];
  /** Table properties when the sink creates the table. */
  readonly configuration?: Readonly<Record<string, string>>;
  /** Called after the data files are durable, before the commit (crash tests). */
  readonly onStage?: (stage: 'afterDataFilesWritten' | 'afterCommit', batchId: number) => void | Promise<void>;
}

/** The Delta sink of the RxJS face (`writeStream.format('delta')` is to be wired to it). */
export function deltaSink(options: DeltaSinkOptions): DeltaSink {
  return new DeltaSink(options);
}

/** The Delta sink (use {@link deltaSink}). */
export class DeltaSink implements Sink<Row> {
  readonly description: string;
  readonly supportedOutputModes: readonly OutputMode[] = ['append', 'complete'];
  readonly useTempCheckpointLocation = false;
  readonly tablePath: string;
  readonly schema: StructType;
  private clock: Pick<Clock, 'now'> = { now: () => Date.now() };
  private lastRows = -1;
  /** The last batch's write (for tests and metrics). */
  lastWrite: DeltaWriteResult | undefined;

  constructor(private readonly o: DeltaSinkOptions) {
    if (typeof o.path !== 'string' || o.path.length === 0) {
      throw new WeirError(ErrorCodes.MISSING_OPTION, "'path' is not specified", { context: { sink: 'delta', option: 'path' } });
    }
    this.tablePath = path.resolve(o.path);
    this.schema = toSchema(o.schema);
    this.description = `DeltaSink[${this.tablePath}]`;
  }

  get lastBatchOutputRows(): number {
    return this.lastRows;
  }

  async open(context: SinkContext): Promise<void> {
    this.clock = context.clock;
  }

  async addBatch(batchId: number, rows: readonly Row[], info: SinkBatchInfo): Promise<void> {
    if (info.outputMode !== 'append' && info.outputMode !== 'complete') {
      throw new WeirError(ErrorCodes.UNSUPPORTED_OUTPUT_MODE, `Data source delta does not support ${capitalize(info.outputMode)} output mode`, {
        context: { sink: this.description, outputMode: info.outputMode, batchId, deltaError: 'DeltaAnalysisException' },
      });
    }
    const stage = this.o.onStage;
    this.lastWrite = await writeDelta(this.tablePath, rows, this.schema, {
      mode: info.outputMode === 'complete' ? 'overwrite' : 'append',
      ...(this.o.partitionBy ? { partitionBy: this.o.partitionBy } : {}),
      ...(this.o.configuration ? { configuration: this.o.configuration } : {}),
      txn: { appId: info.queryId, version: batchId },
      clock: this.clock,
      operation: 'STREAMING UPDATE',
      operationParameters: { outputMode: capitalize(info.outputMode), queryId: info.queryId, epochId: String(batchId) },
      ...(stage ? { onStage: () => stage('afterDataFilesWritten', batchId) } : {}),
    });
    this.lastRows = this.lastWrite.skipped ? 0 : rows.length;
    await stage?.('afterCommit', batchId);
  }

  async close(): Promise<void> {
    // Every batch is committed when addBatch resolves.
  }
}

function capitalize(mode: string): string {
  return mode.charAt(0).toUpperCase() + mode.slice(1);
}
