/**
 * `weir-streams/testing`: the StreamTest DSL, a manual clock, the operator harness, and a property-test kit:
 * fast-check arbitraries of keyed, timestamped events and of micro-batch cuttings, deterministic cutting, the
 * batch reference model of a DataFrame query, streaming runs over cut batches, and the split-invariance and
 * append-emits-once checks.
 *
 * fast-check is an optional peer dependency: this module loads without it; only the arbitrary builders
 * (`keyedEvents`, `microBatches`, `batchedEvents`) require it, when called.
 */
export {
  testStream,
  AddData,
  CheckAnswer,
  CheckLastBatch,
  CheckNewAnswer,
  StopStream,
  StartStream,
  AssertOnQuery,
  Execute,
  AdvanceManualClock,
  ExpectFailure,
  sameRows,
} from './StreamTest';
export type { StreamAction, StreamTestQuery, StreamTestState, AddableSource } from './StreamTest';
export { ManualClock } from '../time/ManualClock';
export { OperatorHarness } from './OperatorHarness';
export { untilBatch } from './untilBatch';
export type { HarnessSnapshot, OperatorHarnessOptions } from './OperatorHarness';
export { keyedEvents } from './keyedEvents';
export type { KeyedEvent, KeyedEventsOptions } from './keyedEvents';
export { microBatches } from './microBatches';
export type { MicroBatchesOptions } from './microBatches';
export { batchedEvents } from './batchedEvents';
export { cut } from './cut';
export { cutAt } from './cutAt';
export { batchModel } from './batchModel';
export type { BatchModelOptions, DataFrameQuery } from './batchModel';
export { runStream } from './runStream';
export type { StreamRunOptions } from './runStream';
export { runPipeline } from './runPipeline';
export type { Pipeline, PipelineRunOptions } from './runPipeline';
export type { StreamRun } from './StreamRun';
export { checkSplitInvariance } from './checkSplitInvariance';
export type { SplitInvarianceOptions } from './checkSplitInvariance';
export { checkPipelineSplitInvariance } from './checkPipelineSplitInvariance';
export type { PipelineSplitInvarianceOptions } from './checkPipelineSplitInvariance';
export { checkAppendEmitsOnce } from './checkAppendEmitsOnce';
export type { AppendEmitsOnceOptions } from './checkAppendEmitsOnce';
export { fastCheck } from './fastCheck';
export { MemoryKafkaClient, MemoryKafkaError } from '../../connectors/kafka/client/MemoryKafkaClient';
export type { MemoryKafkaClientOptions, MemoryKafkaOperation, MemoryRecordMetadata } from '../../connectors/kafka/client/MemoryKafkaClient';
