/**
 * `writeStream.foreach(writer)` (format `foreach`): the writer set on the DataStreamWriter gets every row.
 *
 * Invariant: without a writer the query does not start (Spark's message).
 */
import type { DataSourceProvider } from '../../lib/connector/DataSourceProvider';
import { ErrorCodes, WeirError } from '../../lib/errors';
import { foreachSink } from './foreachSink';

export const foreachProvider: DataSourceProvider = {
  shortName: 'foreach',
  createSink: (_options, ctx) => {
    if (!ctx.foreachWriter) throw new WeirError(ErrorCodes.MISSING_OPTION, 'foreach writer has not been set', { context: {} });
    return foreachSink(ctx.foreachWriter);
  },
};
