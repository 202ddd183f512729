/**
 * `weir-streams`: Spark Structured Streaming for TypeScript, built on RxJS.
 *
 * The entry point of the query API: start queries, triggers, query handles and listeners, errors.
 */
export { Session, SessionBuilder, RuntimeConfig } from './lib/sql/dataframe/Session';
export { DataFrame } from './lib/sql/dataframe/DataFrame';
export { GroupedData } from './lib/sql/dataframe/GroupedData';
export { DataStreamReader } from './lib/sql/dataframe/DataStreamReader';
export { DataStreamWriter } from './lib/sql/dataframe/DataStreamWriter';
export { Column } from './lib/sql/expr/Column';
export { startQuery, parseOutputMode } from './lib/query/startQuery';
export type { StartQueryOptions, QueryInput } from './lib/query/startQuery';
export { joinNode, pipeNode, sourceNode, unionNode } from './lib/plan/PlanNode';
export type { BinaryOperator, JoinNode, JoinSides, PipeNode, PlanNode, SourceNode, UnionNode } from './lib/plan/PlanNode';
export { StreamingQuery } from './lib/query/StreamingQuery';
export { StreamingQueryManager } from './lib/query/StreamingQueryManager';
export { StreamingQueryProgress } from './lib/engine/StreamingQueryProgress';
export type {
  SourceProgress,
  SinkProgress,
  StateOperatorProgress,
  DurationMs,
} from './lib/engine/StreamingQueryProgress';
export type {
  StreamingQueryListener,
  StreamingQueryStatus,
  QueryStartedEvent,
  QueryProgressEvent,
  QueryIdleEvent,
  QueryTerminatedEvent,
} from './lib/query/StreamingQueryListener';
export { Trigger, toTrigger } from './lib/engine/Trigger';
export type { TriggerSpec } from './lib/engine/Trigger';
export type { Failpoint } from './lib/engine/MicroBatchExecution';
export { MemoryStream } from './connectors/memory/MemoryStream';
export { registerDataSource } from './connectors/registry';
export { CaseInsensitiveStringMap } from './lib/connector/CaseInsensitiveStringMap';
export type { DataSourceProvider, ReadContext, StreamSinkContext, BatchRelation, BatchWriteContext, SaveMode } from './lib/connector/DataSourceProvider';
export { SystemClock } from './lib/time/SystemClock';
export { LevelStateStoreProvider, MemoryStateStoreProvider, MemoryStateStorage } from './lib/state';
export type { LevelStateStoreProviderOptions, MemoryStateStoreProviderOptions } from './lib/state';
export { WeirError, StreamingQueryException, ErrorCodes, isWeirError } from './lib/errors';
export type { ErrorCode, WeirErrorContext } from './lib/errors';
export type * from './lib/contracts';
