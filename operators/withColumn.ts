/**
 * `withColumn(name, fn)`: Spark's `Dataset.withColumn` with a row function: adds (or replaces) the column `name`
 * with `fn(row)`.
 *
 * Invariant: the output rows are `{ ...row, [name]: fn(row) }`, in input order; they are built on first read, so
 * `withColumn → window → groupByKey → count()` visits them without allocating a row. `fn` must be a pure function
 * of the row, as a Spark UDF must be deterministic: it runs when the rows are visited, and a traversal that
 * happens again (rare: rows read after a consumer visited them lazily) calls it again.
 * Replacing the event-time column makes it an ordinary column (Spark's watermark metadata sits on the column, and
 * the new one has none).
 */
import { map, type OperatorFunction } from 'rxjs';
import type { BatchMetadata, MicroBatch, Row } from '../lib/contracts';
import { describeOperator } from './describeOperator';
import { AppendedColumn, extendRow, extendedPlan, forEachRowExtended, withLazyRows } from './internal/lazyRows';

function metadataAfter(metadata: BatchMetadata | undefined, name: string): BatchMetadata {
  if (metadata?.eventTimeColumn !== name) return { ...metadata };
  const { eventTimeColumn: _replaced, eventTimeDelayMs: _delay, ...rest } = metadata;
  return rest;
}

/**
 * Adds the column `name` computed by `fn` from each row (a plain function of the row; it must not mutate it).
 *
 * @example
 * pipeline: [withWatermark('timestamp', '10 seconds'), withColumn('key', (r) => r.value % 1000),
 *            window('timestamp', '10 seconds'), groupByKey('window', 'key'), count()]
 */
export function withColumn<T extends Row, K extends string, V>(
  name: K,
  fn: (row: T) => V,
): OperatorFunction<MicroBatch<T>, MicroBatch<Omit<T, K> & Record<K, V>>> {
  return describeOperator(
    `Project [*, ${name}]`,
    map((batch: MicroBatch<T>) => {
      const plan = extendedPlan((visit) => {
        const appended = new AppendedColumn(name);
        forEachRowExtended(batch, (row, inNames, inValues) => {
          // fn sees the whole row: an input in extended form is built first (a plain input row is passed as is).
          const value = fn((inNames.length === 0 ? row : extendRow(row, inNames, inValues)) as T);
          visit(row, appended.names(inNames), appended.values(inValues, value));
        });
      });
      return withLazyRows<Omit<T, K> & Record<K, V>>(batch, { metadata: metadataAfter(batch.metadata, name) }, plan);
    }),
    (state) => ({ ...state, metadata: metadataAfter(state.metadata, name) }),
  );
}
