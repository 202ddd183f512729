/**
 * @internal `filterRowsOf(description, make)`: keeps the rows a predicate accepts (Spark's `Filter`), lazily.
 *
 * Invariant: the output rows are the input rows `test(row) === true` for, in input order, and are the input's
 * row objects (an input in extended form is built per row to be tested); they are visited without being
 * collected, so `filter → withWatermark → window → groupBy → count` over a source's chunks never holds the
 * batch's rows. `test` must be a pure function of the row (a compiled Spark expression is): a second traversal
 * (rare, see internal/lazyRows) tests again.
 */
import { map, type OperatorFunction } from 'rxjs';
import type { MicroBatch, Row } from '../lib/contracts';
import { describeOperator, passThrough } from './describeOperator';
import { extendRow, extendedPlan, forEachRowExtended, withLazyRows } from './internal/lazyRows';

/** Keeps the rows `make(batch)` accepts; `make` runs once per batch (it may read the batch, e.g. its timestamp). */
export function filterRowsOf(description: string, make: (batch: MicroBatch<Row>) => (row: Row) => boolean): OperatorFunction<MicroBatch<Row>, MicroBatch<Row>> {
  return describeOperator(
    description,
    map((batch: MicroBatch<Row>) => {
      const test = make(batch);
      const plan = extendedPlan((visit) => {
        forEachRowExtended(batch, (row, names, values) => {
          if (row === undefined) return; // a hole of a sparse input array, skipped as Array.prototype.filter does
          if (test(names.length === 0 ? row : extendRow(row, names, values))) visit(row, names, values);
        });
      });
      return withLazyRows<Row>(batch, {}, plan);
    }),
    passThrough,
  );
}
