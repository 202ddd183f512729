/**
 * `format("console")`: Spark's ConsoleSinkProvider: every batch printed as `df.show()` prints it.
 *
 * Invariant: Spark's options `numRows` (integer, default 20) and `truncate` (boolean, default true); the query's
 * columns are printed even for an empty batch, with the session's display text per type.
 */
import type { DataSourceProvider } from '../../lib/connector/DataSourceProvider';
import { consoleSink } from './consoleSink';

export const consoleProvider: DataSourceProvider = {
  shortName: 'console',
  options: ['numRows', 'truncate'],
  createSink: (options, ctx) =>
    consoleSink({
      numRows: options.getInt('numRows', 20),
      truncate: options.getBoolean('truncate', true),
      columns: ctx.schema.fieldNames(),
      cells: (rows) => ctx.displayCells(rows),
    }),
};
