/**
 * The contract of a connector, as Spark splits it: `DataSourceRegister` (a short name), `StreamSourceProvider`
 * (schema + `createSource`), `StreamSinkProvider` (`createSink`), and the batch relation/write of `TableProvider`.
 * The readers and writers of the DataFrame face only ever talk to connectors through this interface and the
 * registry (connectors/registry.ts); a user's own format implements it and is registered with
 * `registerDataSource(provider)`.
 *
 * Invariants: options reach a provider as one `CaseInsensitiveStringMap` (Spark's string options, any key case);
 * a provider throws `WeirError`s for bad options at the call that received them (`sourceSchema`/`createSource`
 * run at `load()`, `createSink` at `start()`, `createRelation` at `load()`, `saveBatch` at `save()`), never at a
 * later trigger; `createSource` is called once at `load()` (to check the options and name the relation) and then
 * once per started query, so it must return a new Source each time; a capability a provider lacks is an absent
 * method (the reader/writer then fails with Spark's "does not support streamed reading/writing").
 */
import type { OutputMode, Row, Sink, Source } from '../contracts';
import type { StructType } from '../values/types';
import type { CaseInsensitiveStringMap } from './CaseInsensitiveStringMap';
import type { ForeachWriter } from './ForeachWriter';

/** Spark's save modes of a batch write. */
export type SaveMode = 'errorifexists' | 'error' | 'append' | 'overwrite' | 'ignore';

/** What a reader gives a source provider besides its options: the session's confs. */
export interface ReadContext {
  /** A session conf (`weir.` or `spark.` spelling), e.g. `sql.streaming.schemaInference`. */
  conf(key: string): string | undefined;
}

/** What `writeStream.start()` gives a sink provider besides its options. */
export interface StreamSinkContext extends ReadContext {
  /** The format name as the user wrote it. */
  readonly format: string;
  /** The schema of the rows the query writes. */
  readonly schema: StructType;
  readonly outputMode: OutputMode;
  /** `queryName(...)` (`toTable(name)` sets it), if any. */
  readonly queryName: string | undefined;
  /** `partitionBy(...)` columns. */
  readonly partitionBy: readonly string[];
  /** The writer of `writeStream.foreach(writer)`, if set. */
  readonly foreachWriter: ForeachWriter<Row> | undefined;
  /** The function of `writeStream.foreachBatch(fn)`, if set; it receives what `toBatchDataFrame` makes. */
  readonly foreachBatch: ((batch: unknown, batchId: number) => unknown) | undefined;
  /** A batch DataFrame of `rows` with the query's schema (what `foreachBatch` hands the user). */
  toBatchDataFrame(rows: readonly Row[]): unknown;
  /** Makes `rows()` queryable as `session.table(name)` (the memory sink's table). */
  registerTable(name: string, rows: () => readonly Row[], schema: StructType): void;
  /** The rows as display cells, with Spark's text for each type (what `df.show()` prints). */
  displayCells(rows: readonly Row[]): readonly Row[];
}

/** A batch relation: the schema now, the rows per action (Spark reads a relation per action). */
export interface BatchRelation {
  readonly schema: StructType;
  /** The relation's name in plans (`explain()`). */
  readonly name: string;
  rows(): readonly Row[] | Promise<readonly Row[]>;
}

/** What `df.write.save()` gives a provider besides its options. */
export interface BatchWriteContext extends ReadContext {
  readonly format: string;
  readonly schema: StructType;
  readonly mode: SaveMode;
  readonly partitionBy: readonly string[];
  /** The DataFrame's rows (evaluated when called: a provider that decides to write nothing never runs it). */
  collect(): Promise<readonly Row[]>;
}

/**
 * One connector. `shortName` and `aliases` are matched case-insensitively; every method is optional, and a
 * provider needs at least one.
 *
 * @example
 * ```ts
 * registerDataSource({
 *   shortName: 'counter',
 *   sourceSchema: () => toSchema('n BIGINT'),
 *   createSource: (options) => new CounterSource(options.getLong('step', 1)),
 * });
 * const df = session.readStream.format('counter').option('step', 2).load();
 * ```
 */
export interface DataSourceProvider {
  /** Spark's `DataSourceRegister.shortName()`: the name of `format(...)`. */
  readonly shortName: string;
  /** Other names of the same connector (`'foreachBatch'` next to `'foreach'`, a fully qualified class name). */
  readonly aliases?: readonly string[];
  /**
   * The options the connector reads, for documentation and messages (the keys as Spark spells them). A provider
   * that rejects unknown options does so itself.
   */
  readonly options?: readonly string[];
  /**
   * Spark's `supportsExternalMetadata`: whether `schema(...)` on the reader is accepted. When false (the
   * default) a user schema fails with "The X source does not support a user-specified schema.".
   */
  readonly supportsUserSchema?: boolean;
  /** The schema of a streaming read: fixed, from the options, or from the user schema / the data (files). */
  sourceSchema?(options: CaseInsensitiveStringMap, userSchema: StructType | undefined, context: ReadContext): StructType;
  /**
   * A new Source for one query, reading rows of `schema` (what `sourceSchema` returned). Rows must already have
   * the schema's types: the DataFrame face does not convert them.
   */
  createSource?(options: CaseInsensitiveStringMap, schema: StructType, context: ReadContext): Source<Row>;
  /** The sink of one streaming query. */
  createSink?(options: CaseInsensitiveStringMap, context: StreamSinkContext): Sink<Row>;
  /** The relation of a batch read (`session.read.format(name).load()`). */
  createRelation?(options: CaseInsensitiveStringMap, userSchema: StructType | undefined, context: ReadContext): BatchRelation;
  /** A batch write (`df.write.format(name).save()`), honouring the save mode. */
  saveBatch?(options: CaseInsensitiveStringMap, context: BatchWriteContext): Promise<void>;
}
