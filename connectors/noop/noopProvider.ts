/**
 * `format("noop")`: Spark's NoopDataSource: the query runs, nothing is written (for benchmarks).
 *
 * Invariant: takes no options and accepts every output mode.
 */
import type { DataSourceProvider } from '../../lib/connector/DataSourceProvider';
import { noopSink } from './noopSink';

export const noopProvider: DataSourceProvider = {
  shortName: 'noop',
  createSink: () => noopSink(),
};
