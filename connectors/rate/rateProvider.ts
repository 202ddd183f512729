/**
 * `format("rate")`: Spark's RateStreamProvider over {@link rate}.
 *
 * Invariant: Spark's option names and types (`rowsPerSecond` and `numPartitions` integers, `rampUpTime` a
 * duration); an option left out keeps the source's default.
 */
import type { Row, Source } from '../../lib/contracts';
import type { DataSourceProvider } from '../../lib/connector/DataSourceProvider';
import type { CaseInsensitiveStringMap } from '../../lib/connector/CaseInsensitiveStringMap';
import { toSchema } from '../../lib/values/types';
import { rate, type RateOptions } from './rate';

/** Spark's schema of the rate sources. */
export const RATE_SCHEMA = 'timestamp TIMESTAMP, value BIGINT';

function rateOptions(o: CaseInsensitiveStringMap): RateOptions {
  const rampUpTime = o.get('rampUpTime');
  return {
    ...(o.has('rowsPerSecond') ? { rowsPerSecond: o.getLong('rowsPerSecond', 1) } : {}),
    ...(o.has('numPartitions') ? { numPartitions: o.getInt('numPartitions', 1) } : {}),
    ...(rampUpTime !== undefined ? { rampUpTime } : {}),
  };
}

export const rateProvider: DataSourceProvider = {
  shortName: 'rate',
  options: ['rowsPerSecond', 'rampUpTime', 'numPartitions'],
  sourceSchema: () => toSchema(RATE_SCHEMA),
  createSource: (options) => rate(rateOptions(options)) as unknown as Source<Row>,
};
