/**
 * The data sources of `format(name)`: every built-in connector's provider, and the user's own.
 *
 * Invariants: this is the only registry the readers and writers of the DataFrame face consult (Spark's
 * `DataSource.lookupDataSource`), names are matched case-insensitively; the built-ins are registered when this
 * module loads (no side effect elsewhere), a user's provider by `registerDataSource` (exported from the package
 * root); a built-in name cannot be taken over.
 */
import type { DataSourceProvider } from '../lib/connector/DataSourceProvider';
import { DataSourceRegistry } from '../lib/connector/DataSourceRegistry';
import { consoleProvider } from './console/consoleProvider';
import { deltaProvider } from './delta/deltaProvider';
import { fileProvider } from './files/fileProvider';
import { foreachBatchProvider } from './foreach/foreachBatchProvider';
import { foreachProvider } from './foreach/foreachProvider';
import { kafkaProvider } from './kafka/kafkaProvider';
import { memoryProvider } from './memory/memoryProvider';
import { noopProvider } from './noop/noopProvider';
import { rateMicroBatchProvider } from './rate/rateMicroBatchProvider';
import { rateProvider } from './rate/rateProvider';
import { socketProvider } from './socket/socketProvider';

/** Formats Spark has that weir does not have yet (DATA_SOURCE_NOT_FOUND says so). */
const PLANNED_FORMATS = ['orc'];

/** The process's registry of data sources. */
export const dataSources = new DataSourceRegistry(
  [
    rateProvider,
    rateMicroBatchProvider,
    socketProvider,
    fileProvider('text'),
    fileProvider('csv'),
    fileProvider('json'),
    fileProvider('parquet'),
    kafkaProvider,
    memoryProvider,
    consoleProvider,
    noopProvider,
    foreachProvider,
    foreachBatchProvider,
    deltaProvider,
  ],
  PLANNED_FORMATS,
);

/**
 * Makes `provider` available to `readStream.format(name)`, `writeStream.format(name)`, `read.format(name)` and
 * `write.format(name)` (its short name and aliases, any case). Returns a function that removes it again.
 *
 * @throws WeirError INVALID_ARGUMENT (a name already registered, no short name, no capability).
 *
 * @example
 * ```ts
 * import { registerDataSource } from 'weir-streams';
 * registerDataSource({ shortName: 'my.package.counter', sourceSchema: () => schema, createSource: () => new CounterSource() });
 * ```
 */
export function registerDataSource(provider: DataSourceProvider): () => void {
  return dataSources.register(provider);
}
