/**
 * The batch reference model of a streaming DataFrame query: the same query over all rows as one batch
 * DataFrame (Spark's batch semantics: `withWatermark` is a no-op, every window is final).
 */
import type { Row } from '../contracts';
import type { DataFrame } from '../sql/dataframe/DataFrame';
import { Session } from '../sql/dataframe/Session';
import type { StructType } from '../values/types';

/** A query written as a function of its input DataFrame, so it runs on a batch and on a streaming DataFrame. */
export type DataFrameQuery = (df: DataFrame) => DataFrame;

/** Options of {@link batchModel}. */
export interface BatchModelOptions {
  /** The input's schema (DDL string or StructType), as for `createDataFrame` and `new MemoryStream(session, schema)`. */
  readonly schema: StructType | string;
  /** The session; default `Session.builder().getOrCreate()`. */
  readonly session?: Session;
}

/**
 * `query(session.createDataFrame(rows, schema)).collect()`: what the streaming query must end with when it is
 * split invariant.
 *
 * @example
 * ```ts
 * const query: DataFrameQuery = (df) => df.withWatermark('ts', '5 seconds').groupBy(window(col('ts'), '10 seconds'), col('key')).count();
 * await batchModel(query, events, { schema: 'key STRING, ts TIMESTAMP, value INT' });
 * ```
 */
export async function batchModel(query: DataFrameQuery, rows: readonly Row[], options: BatchModelOptions): Promise<Row[]> {
  const session = options.session ?? Session.builder().getOrCreate();
  return query(session.createDataFrame([...rows], options.schema)).collect();
}
