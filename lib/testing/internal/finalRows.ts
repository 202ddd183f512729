/** The final result of a streaming run, per output mode. */
import type { Row } from '../../contracts';
import { ErrorCodes, WeirError } from '../../errors';
import type { StreamRun } from '../StreamRun';
import { rowKey } from './rowKey';

/**
 * complete: the last table; append: every row emitted; update: the last row emitted per key (`keys` needed,
 * since an update-mode sink receives a key once per batch that changed it).
 *
 * @throws WeirError `INVALID_ARGUMENT` for update mode without `keys`.
 */
export function finalRows<O extends Row>(run: StreamRun<O>, keys: readonly string[] | undefined, check: string): O[] {
  if (run.outputMode !== 'update') return run.rows;
  if (keys === undefined || keys.length === 0) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `${check}: update mode needs the key columns (option keys) to keep the last row per key`, {
      context: { outputMode: run.outputMode },
    });
  }
  const last = new Map<string, O>();
  for (const row of run.rows) {
    const key = rowKey(keys.map((k) => row[k]));
    last.delete(key); // keep the order of the last update
    last.set(key, row);
  }
  return [...last.values()];
}
