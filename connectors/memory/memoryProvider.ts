/**
 * `format("memory")`: Spark's MemorySink as a writer format: the rows of a query kept in a table that
 * `session.table(queryName)` reads.
 *
 * Invariant: a query name is required (Spark's message); the table is registered when the sink is made, so it
 * exists (empty) before the first batch.
 */
import type { Row } from '../../lib/contracts';
import type { DataSourceProvider } from '../../lib/connector/DataSourceProvider';
import { ErrorCodes, WeirError } from '../../lib/errors';
import { memorySink } from './memorySink';

export const memoryProvider: DataSourceProvider = {
  shortName: 'memory',
  createSink: (_options, ctx) => {
    const name = ctx.queryName;
    if (name === undefined) {
      throw new WeirError(ErrorCodes.MISSING_OPTION, 'queryName must be specified for memory sink', { context: { format: 'memory' } });
    }
    const sink = memorySink<Row>({ name });
    ctx.registerTable(name, () => sink.rows(), ctx.schema);
    return sink;
  },
};
