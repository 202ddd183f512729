/**
 * `format("rate-micro-batch")`: Spark's RatePerMicroBatchProvider over {@link rateMicroBatch}.
 *
 * Invariant: `rowsPerBatch` is required (Spark's message); the other options keep the source's defaults.
 */
import type { Row, Source } from '../../lib/contracts';
import type { DataSourceProvider } from '../../lib/connector/DataSourceProvider';
import { ErrorCodes, WeirError } from '../../lib/errors';
import { toSchema } from '../../lib/values/types';
import { rateMicroBatch } from './rateMicroBatch';
import { RATE_SCHEMA } from './rateProvider';

export const rateMicroBatchProvider: DataSourceProvider = {
  shortName: 'rate-micro-batch',
  options: ['rowsPerBatch', 'numPartitions', 'startTimestamp', 'advanceMillisPerBatch'],
  sourceSchema: () => toSchema(RATE_SCHEMA),
  createSource: (o) => {
    if (!o.has('rowsPerBatch')) {
      throw new WeirError(ErrorCodes.MISSING_OPTION, "Option 'rowsPerBatch' is required for the rate-micro-batch source", {
        context: { format: 'rate-micro-batch', option: 'rowsPerBatch' },
      });
    }
    return rateMicroBatch({
      rowsPerBatch: o.getLong('rowsPerBatch', 0),
      ...(o.has('numPartitions') ? { numPartitions: o.getInt('numPartitions', 1) } : {}),
      ...(o.has('startTimestamp') ? { startTimestamp: o.getLong('startTimestamp', 0) } : {}),
      ...(o.has('advanceMillisPerBatch') ? { advanceMillisPerBatch: o.getLong('advanceMillisPerBatch', 1000) } : {}),
    }) as unknown as Source<Row>;
  },
};
