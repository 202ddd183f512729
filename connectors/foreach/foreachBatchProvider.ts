/**
 * `writeStream.foreachBatch(fn)` (format `foreachBatch`): `fn(batchDf, batchId)` per batch, `batchDf` a batch
 * DataFrame of the batch's rows with the query's schema.
 *
 * Invariant: without a function the query does not start (Spark's message).
 */
import type { Row } from '../../lib/contracts';
import type { DataSourceProvider } from '../../lib/connector/DataSourceProvider';
import { ErrorCodes, WeirError } from '../../lib/errors';
import { foreachBatchSink } from './foreachBatchSink';

export const foreachBatchProvider: DataSourceProvider = {
  shortName: 'foreachBatch',
  createSink: (_options, ctx) => {
    const fn = ctx.foreachBatch;
    if (!fn) throw new WeirError(ErrorCodes.MISSING_OPTION, 'foreachBatch function has not been set', { context: {} });
    return foreachBatchSink<Row, unknown>((batch, batchId) => fn(batch, batchId) as void, {
      toBatch: (rows) => ctx.toBatchDataFrame(rows),
    });
  },
};
