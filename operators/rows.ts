/**
 * `rows(op)`: applies any RxJS operator to the rows of each micro-batch.
 *
 * Invariant: one output batch per input batch, same batch id, watermark, timestamp and context; the rows are
 * whatever `op` emitted for that batch's rows (in order), and the operator's subscription ends with the batch,
 * so no row of one batch leaks into the next.
 */
import { Observable, concatMap, from, type OperatorFunction } from 'rxjs';
import type { MicroBatch } from '../lib/contracts';
import { describeOperator, passThrough } from './describeOperator';

/**
 * Lifts a row-level RxJS operator to a batch-level one.
 *
 * @example
 * import { map, filter } from 'rxjs'
 * import { rows } from 'weir-streams/operators'
 * pipeline: pipe(rows(filter((r) => r.value % 2 === 0)), rows(map((r) => ({ ...r, double: r.value * 2 }))))
 */
export function rows<A, B>(op: OperatorFunction<A, B>, name = 'rows'): OperatorFunction<MicroBatch<A>, MicroBatch<B>> {
  return describeOperator(name, (batches: Observable<MicroBatch<A>>) =>
    batches.pipe(
      concatMap(
        (batch) =>
          new Observable<MicroBatch<B>>((subscriber) => {
            const out: B[] = [];
            return from(batch.rows)
              .pipe(op)
              .subscribe({
                next: (row) => {
                  out.push(row);
                },
                error: (e) => subscriber.error(e),
                complete: () => {
                  subscriber.next({ ...batch, rows: out });
                  subscriber.complete();
                },
              });
          }),
      ),
    ),
    passThrough,
  );
}
