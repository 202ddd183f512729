/**
 * `weir-streams/sources`: the built-in sources.
 *
 * Invariant: this entry re-exports the public sources and their option, row and offset types only; helpers under
 * `lib/connector/` stay private.
 *
 * @example
 * ```ts
 * import { memory, rate, rateMicroBatch, fromObservable } from 'weir-streams/sources';
 * ```
 */
export { MemoryStream, memory } from '../connectors/memory/MemoryStream';
export type { MemoryStreamOptions } from '../connectors/memory/MemoryStream';
export { rate } from '../connectors/rate/rate';
export type { RateOptions, RateRow } from '../connectors/rate/rate';
export { rateMicroBatch } from '../connectors/rate/rateMicroBatch';
export type { RateMicroBatchOptions, RateMicroBatchOffset, RateMicroBatchRow } from '../connectors/rate/rateMicroBatch';
export { fromObservable } from '../connectors/observable/fromObservable';
export type { FromObservableOptions, ObservableSource } from '../connectors/observable/fromObservable';
export { socket } from '../connectors/socket/socket';
export type { SocketSourceOptions, SocketRow } from '../connectors/socket/socket';
export { kafka } from '../connectors/kafka/source';
export type { KafkaClient, KafkaClientConfig, KafkaClientOption, KafkaRow, KafkaSourceOffset, KafkaSourceOptions } from '../connectors/kafka/source';
export { files, FileSource } from '../connectors/files/fileSource';
export type { FileSourceOptions, FileSourceOffset, FileEntry } from '../connectors/files/fileSource';
