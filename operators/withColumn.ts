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
import type { AddsColumns } from './rowEffects';
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
): OperatorFunction<MicroBatch<T>, MicroBatch<Omit<T, K> & Record<K, V>>> & AddsColumns<Record<K, V>> {
  return withColumnsOf(`Project [*, ${name}]`, [name], () => [fn as (row: Row) => unknown]) as OperatorFunction<
    MicroBatch<T>,
    MicroBatch<Omit<T, K> & Record<K, V>>
  > & AddsColumns<Record<K, V>>;
}

/**
 * @internal Adds the columns `names`, `names[i]` computed by the i-th function from the input row (all from the
 * same input row, as one Spark projection); the functions are made once per batch by `make`, so they may read
 * the batch (the DataFrame planner passes its timestamp to expressions). Lazy like {@link withColumn}.
 */
export function withColumnsOf(
  description: string,
  names: readonly string[],
  make: (batch: MicroBatch<Row>) => ReadonlyArray<(row: Row) => unknown>,
): OperatorFunction<MicroBatch<Row>, MicroBatch<Row>> {
  const after = (metadata: BatchMetadata | undefined): BatchMetadata => names.reduce((m, name) => metadataAfter(m, name), { ...metadata });
  return describeOperator(
    description,
    map((batch: MicroBatch<Row>) => {
      const fns = make(batch);
      const plan = extendedPlan((visit) => {
        const appended = names.map((name) => new AppendedColumn(name));
        forEachRowExtended(batch, (row, inNames, inValues) => {
          // The functions see the whole input row: an input in extended form is built first (a plain row as is).
          const input = inNames.length === 0 ? row : extendRow(row, inNames, inValues);
          let outNames = inNames;
          let outValues = inValues;
          for (let i = 0; i < fns.length; i += 1) {
            const value = fns[i]!(input);
            outNames = appended[i]!.names(outNames);
            outValues = appended[i]!.values(outValues, value);
          }
          visit(row, outNames, outValues);
        });
      });
      return withLazyRows<Row>(batch, { metadata: after(batch.metadata) }, plan);
    }),
    (state) => ({ ...state, metadata: after(state.metadata) }),
  );
}
