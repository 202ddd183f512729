/**
 * `limit(n)` on a stream in append mode: Spark's stateful global limit (`StreamingGlobalLimitExec`).
 *
 * Invariant: over the whole life of the query (restarts included) at most `n` rows come out, the first `n` in
 * batch order and, within a batch, in row order; the number emitted so far is the operator's state (one entry),
 * committed with the batch, so a re-run batch emits exactly what it emitted the first time.
 * In complete mode a limit cuts each batch's whole result table instead (stateless, as Spark does); update mode is
 * rejected at start with Spark's message (see the DataFrame planner).
 */
import { concatMap, type OperatorFunction } from 'rxjs';
import type { PassesRows } from './rowEffects';
import type { MicroBatch, Row } from '../lib/contracts';
import { ErrorCodes, WeirError } from '../lib/errors';
import { describeOperator, passThrough } from './describeOperator';
import { fromMaybe, then } from './internal/maybe';
import { withChanges } from './internal/lazyRows';

/** The one state key of a global limit. */
const EMITTED = Uint8Array.of(0);

/**
 * Emits the first `n` rows of the stream (across batches), then nothing.
 *
 * @example
 * pipeline: [rows(filter((r) => r.level === 'ERROR')), limit(100)]   // the first 100 errors, once
 */
export function limit<T extends Row>(n: number): OperatorFunction<MicroBatch<T>, MicroBatch<T>> & PassesRows {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `The limit expression must be equal to or greater than 0, but got ${n}`, {
      context: { limit: n },
    });
  }
  return describeOperator(
    `GlobalLimit ${n}`,
    concatMap((batch: MicroBatch<T>) =>
      fromMaybe(() => {
        const { context } = batch;
        const operatorId = context.nextOperatorId('globalLimit');
        context.registerStatefulOperator({
          operatorId,
          operatorName: 'globalLimit',
          shouldRunAnotherBatch: () => false,
          // Spark's global limit state: no key, the count of rows emitted so far.
          stateSchema: { keySchema: [], valueSchema: [{ name: 'count', type: 'bigint' }] },
        });
        return then(context.stateStore(operatorId), (store) =>
          then(store.get(EMITTED), (stored) => {
            const emitted = typeof stored === 'number' ? stored : 0;
            const rows = batch.rows;
            const take = Math.max(0, Math.min(n - emitted, rows.length));
            if (take > 0) store.put(EMITTED, emitted + take);
            return take === rows.length ? batch : withChanges(batch, { rows: rows.slice(0, take) });
          }),
        );
      }),
    ),
    // Not one of the stateful operators Spark's multiple-stateful-operator correctness check counts.
    passThrough,
  );
}
