/**
 * `weir-streams/sinks`: the built-in sinks (the RxJS face's sink factories).
 *
 * Invariant: this module only re-exports; every sink lives in its own file named after its factory.
 */
export { memorySink, MemorySink } from '../connectors/memory/memorySink';
export type { MemorySinkOptions } from '../connectors/memory/memorySink';
export { consoleSink, ConsoleSink } from '../connectors/console/consoleSink';
export type { ConsoleSinkOptions } from '../connectors/console/consoleSink';
export { showString } from '../connectors/console/showString';
export type { ShowStringOptions } from '../connectors/console/showString';
export { noopSink, NoopSink } from '../connectors/noop/noopSink';
export { foreachSink, ForeachSink } from '../connectors/foreach/foreachSink';
export type { ForeachWriter } from '../connectors/foreach/foreachSink';
export { foreachBatchSink, ForeachBatchSink } from '../connectors/foreach/foreachBatchSink';
export type { ForeachBatchFunction, ForeachBatchSinkOptions } from '../connectors/foreach/foreachBatchSink';
export { observableSink, ObservableSink } from '../connectors/observable/observableSink';
export type { SinkBatch } from '../connectors/observable/observableSink';
export { kafkaSink, KafkaSink } from '../connectors/kafka/sink';
export type { KafkaClient, KafkaClientConfig, KafkaClientOption, KafkaSinkOptions, KafkaSinkHooks, KafkaSinkStep } from '../connectors/kafka/sink';
export { fileSink, FileSink } from '../connectors/files/fileSink';
export type { FileSinkOptions, FileSinkStage } from '../connectors/files/fileSink';
