/**
 * `weir-streams/sinks`: the built-in sinks (the RxJS face's sink factories).
 *
 * Invariant: this module only re-exports; every sink lives in its own file named after its factory.
 */
export { memorySink, MemorySink } from './memorySink';
export type { MemorySinkOptions } from './memorySink';
export { consoleSink, ConsoleSink } from './consoleSink';
export type { ConsoleSinkOptions } from './consoleSink';
export { showString } from './showString';
export type { ShowStringOptions } from './showString';
export { noopSink, NoopSink } from './noopSink';
export { foreachSink, ForeachSink } from './foreachSink';
export type { ForeachWriter } from './foreachSink';
export { foreachBatchSink, ForeachBatchSink } from './foreachBatchSink';
export type { ForeachBatchFunction, ForeachBatchSinkOptions } from './foreachBatchSink';
export { observableSink, ObservableSink } from './observableSink';
export type { SinkBatch } from './observableSink';
export { kafkaSink, KafkaSink } from './kafka';
export type { KafkaClient, KafkaClientConfig, KafkaClientOption, KafkaSinkOptions, KafkaSinkHooks, KafkaSinkStep } from './kafka';
export { fileSink, FileSink } from './file/fileSink';
export type { FileSinkOptions, FileSinkStage } from './file/fileSink';
