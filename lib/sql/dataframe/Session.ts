/**
 * The entry point of the DataFrame face (PySpark's SparkSession): confs, readers, the query manager, batch
 * DataFrames, temp views and memory tables.
 *
 * Invariants: `Session.builder().getOrCreate()` returns the active session while it is not stopped (Spark's
 * behaviour; the one process-wide reference is the static `active`); `spark.` conf keys are aliases of `weir.`
 * keys; `stop()` stops every query the session started.
 */
import type { Row, Source } from '../../contracts';
import { ErrorCodes, WeirError } from '../../errors';
import { StreamingQueryManager } from '../../query/StreamingQueryManager';
import { isSourceProvider, type SourceProvider } from '../../query/sourceProvider';
import { StructType, inferSchema, normalizeRow, toSchema } from '../../values/types';
import { DataFrame } from './DataFrame';
import { DataStreamReader } from './DataStreamReader';
import { DataFrameReader } from './DataFrameReader';
import type { LogicalPlan } from './LogicalPlan';
import type { SessionLike } from './SessionLike';
import { planSql } from './sqlQuery';

function canonicalKey(key: string): string {
  return key.startsWith('spark.') ? `weir.${key.slice('spark.'.length)}` : key;
}

/** Spark's RuntimeConfig: `session.conf.get/set/unset/getAll`. */
export class RuntimeConfig {
  private readonly values = new Map<string, string>();

  set(key: string, value: string | number | boolean): void {
    this.values.set(canonicalKey(key), String(value));
  }

  get(key: string, defaultValue?: string): string | undefined {
    return this.values.get(canonicalKey(key)) ?? defaultValue;
  }

  unset(key: string): void {
    this.values.delete(canonicalKey(key));
  }

  /** Every set value, under its `weir.` key. */
  get all(): Record<string, string> {
    return Object.fromEntries(this.values);
  }
}

/** `Session.builder()`: collects the app name and confs. */
export class SessionBuilder {
  private name = 'weir';
  private readonly confs = new Map<string, string>();

  appName(name: string): this {
    this.name = name;
    return this;
  }

  config(key: string, value: string | number | boolean): this {
    this.confs.set(key, String(value));
    return this;
  }

  /** `master('local[*]')` is accepted for portability and ignored: weir runs in this process. */
  master(_master: string): this {
    return this;
  }

  getOrCreate(): Session {
    const session = Session.active && !Session.active.isStopped ? Session.active : new Session(this.name);
    for (const [k, v] of this.confs) session.conf.set(k, v);
    Session.active = session;
    return session;
  }
}

/** PySpark's SparkSession. */
export class Session implements SessionLike {
  /** The session `getOrCreate()` returns; undefined before the first one. */
  static active: Session | undefined;

  readonly conf = new RuntimeConfig();
  readonly streams = new StreamingQueryManager();
  private readonly views = new Map<string, LogicalPlan>();
  private stopped = false;

  /** @internal Use `Session.builder().getOrCreate()`. */
  constructor(readonly appName: string) {}

  static builder(): SessionBuilder {
    return new SessionBuilder();
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Reader of streaming DataFrames. */
  get readStream(): DataStreamReader {
    return new DataStreamReader(this);
  }

  /** Reader of batch DataFrames from files (`session.read.json(path)`: listed at load, read by each action). */
  get read(): DataFrameReader {
    return new DataFrameReader(this);
  }

  /** A batch DataFrame over rows (plain objects), with a schema (StructType or DDL) or an inferred one. */
  createDataFrame(rows: readonly Row[], schema?: StructType | string): DataFrame {
    const resolved = schema === undefined ? inferSchema(rows) : toSchema(schema);
    const normalized = rows.map((r) => normalizeRow(r, resolved));
    return new DataFrame(this, { kind: 'localRelation', rows: () => normalized, schema: resolved, name: 'createDataFrame' });
  }

  /**
   * A streaming DataFrame over a weir source, with an optional schema. Give a MemoryStream, a `SourceProvider` or
   * a function making the source: every query started from the DataFrame then reads a source of its own (a
   * MemoryStream through a reader of its own; a function is also called once now, for the description). A Source
   * object is read by every query started from the DataFrame: one running query at a time.
   *
   * @example
   * session.streamingDataFrame(() => rateMicroBatch({ rowsPerBatch: 10 }), 'timestamp TIMESTAMP, value BIGINT')
   */
  streamingDataFrame(
    source: Source<Row> | SourceProvider<Row> | (() => Source<Row>),
    schema?: StructType | string,
    name?: string,
  ): DataFrame {
    const provider: SourceProvider<Row> =
      typeof source === 'function'
        ? { description: source().description, createSource: source }
        : isSourceProvider(source)
          ? source
          : { description: source.description, createSource: () => source };
    return new DataFrame(this, {
      kind: 'streamingSource',
      provider,
      options: new Map(),
      schema: schema === undefined ? undefined : toSchema(schema),
      name: name ?? provider.description,
    });
  }

  /** A temp view, or a memory-sink table (its rows as of each action). */
  table(name: string): DataFrame {
    const plan = this.views.get(name.toLowerCase());
    if (!plan) {
      throw new WeirError(
        ErrorCodes.TABLE_OR_VIEW_NOT_FOUND,
        `[TABLE_OR_VIEW_NOT_FOUND] The table or view \`${name}\` cannot be found. Verify the spelling and correctness of the schema and catalog.`,
        { context: { table: name } },
      );
    }
    return new DataFrame(this, plan);
  }

  /** A SELECT over temp views and memory-sink tables (`SELECT word, count(*) AS n FROM words GROUP BY word`). */
  sql(query: string): DataFrame {
    return planSql(query, (name) => this.table(name));
  }

  /** @internal */
  registerView(name: string, plan: LogicalPlan): void {
    this.views.set(name.toLowerCase(), plan);
  }

  /** @internal */
  registerTable(name: string, rows: () => readonly Row[], schema: StructType): void {
    this.views.set(name.toLowerCase(), { kind: 'localRelation', rows, schema, name });
  }

  /** @internal */
  confValue(key: string): string | undefined {
    return this.conf.get(`weir.${key}`);
  }

  /** @internal */
  confMap(): Record<string, string> {
    return this.conf.all;
  }

  /** @internal */
  now(): number {
    return Date.now();
  }

  /** Stops every active query of this session. */
  async stop(): Promise<void> {
    await this.streams.stopAll();
    this.stopped = true;
    if (Session.active === this) Session.active = undefined;
  }
}
