/**
 * `format("delta")`: the streaming Delta sink (exactly once through Delta's `txn` action: appId = query id,
 * version = batch id; append and complete output modes).
 *
 * Invariant: `path` is required (Spark's message); the table's partition columns are the writer's `partitionBy`.
 */
import type { DataSourceProvider } from '../../lib/connector/DataSourceProvider';
import { ErrorCodes, WeirError } from '../../lib/errors';
import { deltaSink } from './deltaSink';

export const deltaProvider: DataSourceProvider = {
  shortName: 'delta',
  options: ['path'],
  createSink: (options, ctx) => {
    const path = options.get('path');
    if (path === undefined) {
      throw new WeirError(ErrorCodes.MISSING_OPTION, "'path' is not specified", { context: { format: 'delta', option: 'path' } });
    }
    return deltaSink({ path, schema: ctx.schema, partitionBy: ctx.partitionBy });
  },
};
