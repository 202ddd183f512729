/**
 * PySpark's DataStreamWriter: `df.writeStream.format(...).outputMode(...).trigger(...).start()`.
 *
 * Invariants: options are collected immutably-by-copy until `start()`; `start()` analyzes the plan (Spark's
 * messages), builds the sink of the format's provider (looked up, any case, in the one registry of data sources,
 * connectors/registry.ts), and starts the query on the session's manager through the same engine as the RxJS
 * face. Unknown formats and missing required options fail at `start()` with named errors.
 */
import type { Clock, OutputMode, Row, Sink } from '../../contracts';
import { ErrorCodes, WeirError } from '../../errors';
import { toTrigger, type Trigger, type TriggerSpec } from '../../engine/Trigger';
import { parseOutputMode, startQuery } from '../../query/startQuery';
import type { StreamingQuery } from '../../query/StreamingQuery';
import { CaseInsensitiveStringMap } from '../../connector/CaseInsensitiveStringMap';
import type { StreamSinkContext } from '../../connector/DataSourceProvider';
import type { ForeachWriter } from '../../connector/ForeachWriter';
import { dataSources } from '../../../connectors/registry';
import type { StructType } from '../../values/types';
import type { DataFrame } from './DataFrame';
import { compilePlan } from './planner';
import { showCells } from './showCells';
import { isSparkIntervalString } from '../expr/sparkInterval';
import { OptionsBuilder } from './OptionsBuilder';

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

  /** The sink of the configured format, from the registry's provider. */
  private buildSink(schema: StructType): Sink<Row> {
    const session = this.df.session;
    const format = this.formatName ?? 'console';
    const provider = dataSources.lookup(format, 'createSink');
    const context: StreamSinkContext = {
      format,
      schema,
      outputMode: this.mode,
      queryName: this.name,
      partitionBy: this.partitionColumns,
      foreachWriter: this.foreachWriter,
      foreachBatch: this.foreachBatchFn as ((batch: unknown, batchId: number) => unknown) | undefined,
      conf: (key) => session.confValue(key),
      toBatchDataFrame: (rows) => session.createDataFrame([...rows], schema),
      registerTable: (name, rows, tableSchema) => session.registerTable(name, rows, tableSchema),
      displayCells: (rows) => showCells(rows, schema),
    };
    return provider.createSink!(new CaseInsensitiveStringMap(this.opts), context);
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
    const sink = this.buildSink(compiled.schema);
    const session = this.df.session;
    const checkpointLocation = new CaseInsensitiveStringMap(this.opts).get('checkpointLocation');
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
