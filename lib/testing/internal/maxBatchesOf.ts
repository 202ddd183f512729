/** The `maxBatches` option of the cutting arbitraries, validated. */
import { ErrorCodes, WeirError } from '../../errors';
import type { MicroBatchesOptions } from '../microBatches';

/** @throws WeirError `INVALID_ARGUMENT` when `maxBatches` is not a positive integer. */
export function maxBatchesOf(builder: string, options: MicroBatchesOptions): number {
  const max = options.maxBatches ?? 10;
  if (!Number.isSafeInteger(max) || max < 1) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `${builder}: option maxBatches must be a positive integer, got ${String(max)}`, {
      context: { option: 'maxBatches', value: max },
    });
  }
  return max;
}
