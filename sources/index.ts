/**
 * `weir-streams/sources`: the built-in sources.
 *
 * Invariant: this entry re-exports the public sources and their option, row and offset types only; helpers under
 * `sources/internal/` stay private.
 *
 * @example
 * ```ts
 * import { memory, rate, rateMicroBatch, fromObservable } from 'weir-streams/sources';
 * ```
 */
export { MemoryStream, memory } from './MemoryStream';
export type { MemoryStreamOptions } from './MemoryStream';
export { rate } from './rate';
export type { RateOptions, RateRow } from './rate';
export { rateMicroBatch } from './rateMicroBatch';
export type { RateMicroBatchOptions, RateMicroBatchOffset, RateMicroBatchRow } from './rateMicroBatch';
export { fromObservable } from './fromObservable';
export type { FromObservableOptions, ObservableSource } from './fromObservable';
export { socket } from './socket';
export type { SocketSourceOptions, SocketRow } from './socket';
export { kafka } from './kafka';
export type { KafkaClient, KafkaClientConfig, KafkaClientOption, KafkaRow, KafkaSourceOffset, KafkaSourceOptions } from './kafka';
export { files, FileSource } from './file/fileSource';
export type { FileSourceOptions, FileSourceOffset, FileEntry } from './file/fileSource';
