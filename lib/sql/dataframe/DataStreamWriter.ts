/**
 * PySpark's DataStreamWriter: `df.writeStream.format(...).outputMode(...).trigger(...).start()`.
 *
 * Invariants: options are collected immutably-by-copy until `start()`; `start()` analyzes the plan (Spark's
 * messages), builds the sink for the format, and starts the query on the session's manager through the same
 * engine as the RxJS face. Unknown formats and missing required options fail at `start()` with named errors.
 */
import type { Clock, OutputMode, Row, Sink } from '../../contracts';
import { ErrorCodes, WeirError, sparkError } from '../../errors';
import { toTrigger, type Trigger, type TriggerSpec } from '../../engine/Trigger';
import { parseOutputMode, startQuery } from '../../query/startQuery';
import type { StreamingQuery } from '../../query/StreamingQuery';
import { consoleSink } from '../../../sinks/consoleSink';
import { memorySink } from '../../../sinks/memorySink';
import { noopSink } from '../../../sinks/noopSink';
import { foreachSink, type ForeachWriter } from '../../../sinks/foreachSink';
import { foreachBatchSink } from '../../../sinks/foreachBatchSink';
import { fileSink } from '../../../sinks/file/fileSink';
import { kafkaSinkFromOptions } from '../../../sinks/kafka';
import { isFileFormat } from '../../formats/fileFormats';
import type { StructType } from '../types';
import type { DataFrame } from './DataFrame';
import { compilePlan } from './planner';
import { showCells } from './showCells';
import { isSparkIntervalString } from '../expr/sparkInterval';
import { OptionsBuilder } from './OptionsBuilder';
import { deltaSink } from '../../../connectors/delta/deltaSink';

/** The sink formats this version of weir has. */
export const STREAM_SINK_FORMATS = ['memory', 'console', 'noop', 'foreach', 'foreachBatch', 'parquet', 'json', 'csv', 'text', 'kafka', 'delta'] as const;
/** Formats Spark has that weir does not have yet (they fail with DATA_SOURCE_NOT_FOUND naming the plan). */
const PLANNED_SINK_FORMATS = ['orc'];
/** Writer options that are not format options of the file sink. */
const FILE_SINK_OPTIONS = ['path', 'checkpointlocation', 'retention'];

function booleanOption(value: string | undefined, fallback: boolean): boolean {
  return value === undefined ? fallback : value.toLowerCase() === 'true';
}

/** Starts streaming queries from a streaming DataFrame. */
export class DataStreamWriter extends OptionsBuilder {
  private mode: OutputMode = 'append';
  private triggerValue: Trigger | undefined;
  private name: string | undefined;
  private partitionColumns: string[] = [];
  private foreachWriter: ForeachWriter<Row> | undefined;
  private foreachBatchFn: ((df: DataFrame, batchId: number) => unknown) | undefined;
  private clockValue: Clock | undefined;

  constructor(private readonly df: DataFrame) {
    super();
    this.formatName = 'console';
  }

  outputMode(mode: OutputMode | string): this {
    this.mode = parseOutputMode(mode);
    return this;
  }

  /**
   * PySpark's `trigger(processingTime=..., once=..., availableNow=..., continuous=...)` as one object. Interval
   * strings are parsed as Spark's (`'10 seconds'`, `'1 minute'`); shorthands such as `'10s'` fail as in Spark.
   *
   * @throws WeirError `INVALID_ARGUMENT` (`[INVALID_INTERVAL_FORMAT.INVALID_VALUE]` for an interval Spark cannot parse).
   */
  trigger(spec: TriggerSpec): this {
    for (const key of ['processingTime', 'continuous'] as const) {
      const value = (spec as Record<string, unknown>)[key];
      if (typeof value === 'string' && !isSparkIntervalString(value)) {
        throw new WeirError(
          ErrorCodes.INVALID_ARGUMENT,
          `[INVALID_INTERVAL_FORMAT.INVALID_VALUE] Error parsing '${value}' to interval. Please ensure that the value provided is in a valid format for defining an interval. You can reference the documentation for the correct format. Invalid value ${value}. SQLSTATE: 22006`,
          { context: { [key]: value } },
        );
      }
    }
    this.triggerValue = toTrigger(spec);
    return this;
  }

  /** weir extension: the clock triggers use (a ManualClock in tests). */
  clock(clock: Clock): this {
    this.clockValue = clock;
    return this;
  }

  queryName(name: string): this {
    this.name = name;
    return this;
  }

  partitionBy(...cols: string[]): this {
    this.partitionColumns = cols.flat();
    return this;
  }

  /** Spark's ForeachWriter: `open(partitionId, epochId)`, `process(row)`, `close(error)`. */
  foreach(writer: ForeachWriter<Row>): this {
    this.foreachWriter = writer;
    this.formatName = 'foreach';
    return this;
  }

  /** Calls `fn(batchDf, batchId)` for every batch; `batchDf` is a batch DataFrame. */
  foreachBatch(fn: (df: DataFrame, batchId: number) => unknown): this {
    this.foreachBatchFn = fn;
    this.formatName = 'foreachBatch';
    return this;
  }

  /** Starts the query writing to a memory table named `tableName` (queryable with `session.table`). */
  toTable(tableName: string): Promise<StreamingQuery> {
    this.formatName = 'memory';
    this.name = this.name ?? tableName;
    return this.start();
  }

  private buildFileSink(format: string, schema: StructType): Sink<Row> {
    if (this.mode !== 'append') {
      throw new WeirError(
        ErrorCodes.UNSUPPORTED_OUTPUT_MODE,
        `Data source ${format} does not support ${this.mode.charAt(0).toUpperCase()}${this.mode.slice(1)} output mode`,
        { context: { format, outputMode: this.mode } },
      );
    }
    const path = this.opts.get('path');
    if (path === undefined) {
      throw new WeirError(ErrorCodes.MISSING_OPTION, "'path' is not specified", { context: { format, option: 'path' } });
    }
    const formatOptions: Record<string, string> = {};
    for (const [k, v] of this.opts) if (!FILE_SINK_OPTIONS.includes(k.toLowerCase())) formatOptions[k] = v;
    const retention = this.opts.get('retention');
    const compactInterval = this.df.session.confValue('sql.streaming.fileSink.log.compactInterval');
    const deletion = this.df.session.confValue('sql.streaming.fileSink.log.deletion');
    const cleanupDelay = this.df.session.confValue('sql.streaming.fileSink.log.cleanupDelay');
    return fileSink({
      path,
      format,
      schema,
      partitionBy: this.partitionColumns,
      formatOptions,
      ...(retention !== undefined ? { retention } : {}),
      ...(compactInterval !== undefined ? { compactInterval: Number(compactInterval) } : {}),
      ...(deletion !== undefined ? { logDeletion: deletion.toLowerCase() === 'true' } : {}),
      ...(cleanupDelay !== undefined ? { logCleanupDelay: cleanupDelay } : {}),
    });
  }

  private buildSink(schemaColumns: string[], schema: StructType): Sink<Row> {
    const session = this.df.session;
    if (isFileFormat(this.formatName ?? '')) return this.buildFileSink((this.formatName as string).toLowerCase(), schema);
    switch (this.formatName ?? 'console') {
      case 'memory': {
        if (this.name === undefined) {
          throw new WeirError(ErrorCodes.MISSING_OPTION, 'queryName must be specified for memory sink', {
            context: { format: 'memory' },
          });
        }
        const sink = memorySink<Row>({ name: this.name });
        const schema = compilePlan(this.df.plan, { streaming: true, outputMode: this.mode }).schema;
        session.registerTable(this.name, () => sink.rows(), schema);
        return sink;
      }
      case 'console':
        return consoleSink({
          numRows: Number(this.opts.get('numRows') ?? 20),
          truncate: booleanOption(this.opts.get('truncate'), true),
          columns: schemaColumns,
          cells: (rows) => showCells(rows, schema),
        });
      case 'noop':
        return noopSink();
      case 'kafka':
        // topic, deliveryGuarantee (at-least-once | exactly-once), kafka.bootstrap.servers, ...
        return kafkaSinkFromOptions(this.opts) as unknown as Sink<Row>;
      case 'delta': {
        // Exactly once through Delta's txn action (appId = query id, version = batch id); append and complete.
        const path = this.opts.get('path');
        if (path === undefined) {
          throw new WeirError(ErrorCodes.MISSING_OPTION, "'path' is not specified", { context: { format: 'delta', option: 'path' } });
        }
        return deltaSink({ path, schema, partitionBy: this.partitionColumns });
      }
      case 'foreach':
        if (!this.foreachWriter) {
          throw new WeirError(ErrorCodes.MISSING_OPTION, 'foreach writer has not been set', { context: {} });
        }
        return foreachSink(this.foreachWriter);
      case 'foreachBatch': {
        const fn = this.foreachBatchFn;
        if (!fn) throw new WeirError(ErrorCodes.MISSING_OPTION, 'foreachBatch function has not been set', { context: {} });
        const schema = compilePlan(this.df.plan, { streaming: true, outputMode: this.mode }).schema;
        return foreachBatchSink<Row, DataFrame>((batchDf, batchId) => fn(batchDf, batchId) as void, {
          toBatch: (rows) => session.createDataFrame([...rows], schema),
        });
      }
      default: {
        const planned = PLANNED_SINK_FORMATS.includes((this.formatName ?? '').toLowerCase());
        // Spark's message; what weir has (and whether the format is planned) is context
        throw sparkError(ErrorCodes.DATA_SOURCE_NOT_FOUND, 'DATA_SOURCE_NOT_FOUND', { provider: String(this.formatName) }, {
          context: { format: this.formatName, planned, available: STREAM_SINK_FORMATS.join(', ') },
        });
      }
    }
  }

  /** Starts the query. `path` is the output path of file sinks. */
  async start(path?: string): Promise<StreamingQuery> {
    if (path !== undefined) this.opts.set('path', path);
    if (!this.df.isStreaming) {
      throw new WeirError(ErrorCodes.UNSUPPORTED_OPERATION, 'Queries without streaming sources cannot be executed with writeStream.start()', {
        context: {},
      });
    }
    const compiled = compilePlan(this.df.plan, { streaming: true, outputMode: this.mode });
    const sink = this.buildSink(compiled.schema.fieldNames(), compiled.schema);
    const session = this.df.session;
    const checkpointLocation = this.opts.get('checkpointLocation');
    return startQuery({
      plan: compiled.node,
      sink,
      outputMode: this.mode,
      ...(this.triggerValue ? { trigger: this.triggerValue } : {}),
      ...(checkpointLocation !== undefined ? { checkpointLocation } : {}),
      ...(this.name !== undefined ? { queryName: this.name } : {}),
      manager: session.streams,
      conf: session.confMap(),
      ...(this.clockValue ? { clock: this.clockValue } : {}),
    });
  }

  /** @internal Columns given to partitionBy (used by the file sink). */
  get partitioning(): readonly string[] {
    return this.partitionColumns;
  }
}
