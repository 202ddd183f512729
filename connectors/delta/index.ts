/**
 * The Delta Lake connector's first layer (issue 18): the transaction log, snapshots and checkpoints, commits
 * with optimistic concurrency, a table writer and reader, and the exactly-once streaming sink.
 *
 * Invariant: this barrel only re-exports; the DataFrame face wires `writeStream.format('delta')` to `deltaSink`
 * (no batch read or write, source or `toTable` yet).
 */
export * from './actions';
export * from './checkpoint';
export * from './commit';
export * from './deltaErrors';
export * from './deltaLog';
export * from './deltaSink';
export * from './fileStats';
export * from './snapshot';
export * from './tableFeatures';
export * from './tablePaths';
export * from './tableReader';
export * from './tableWriter';
export * from './deltaProvider';
