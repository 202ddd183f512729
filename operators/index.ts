/**
 * `weir-streams/operators`: pipeable operators over `Observable<MicroBatch<Row>>`.
 */
export { rows } from './rows';
export { withColumn } from './withColumn';
export { limit } from './limit';
export { describeOperator, operatorName, operatorAnalysis, passThrough } from './describeOperator';
export type { AnalysisState, AnalyzeFunction } from './describeOperator';
export { withWatermark, parseWatermarkDelay } from './withWatermark';
export { window, windowMetadata } from './window';
export { windowTimeMs, toEpochMs, timeWindowSpec, windowStartsFor } from '../lib/window/TimeWindow';
export type { TimeWindowSpec, WindowStruct } from '../lib/window/TimeWindow';
export type { WindowOptions } from './window';
export { sessionWindow, SESSION_WINDOW_COLUMN } from './sessionWindow';
export type { SessionGap } from './sessionWindow';
export { groupByKey } from './groupByKey';
export { agg, count, planAggregation, APPEND_WITHOUT_WATERMARK, UPDATE_WITH_SESSION_WINDOW, GLOBAL_SESSION_WINDOW } from './agg';
export type { AggregateSpec } from './agg';
export * as aggregate from '../lib/aggregate';
export { dropDuplicates, distinct } from './dropDuplicates';
export { dropDuplicatesWithinWatermark } from './dropDuplicatesWithinWatermark';
export { flatMapGroupsWithState } from './flatMapGroupsWithState';
export type { FlatMapGroupsWithStateFunction, GroupKey, GroupsWithStateOptions } from './flatMapGroupsWithState';
export { mapGroupsWithState } from './mapGroupsWithState';
export type { MapGroupsWithStateFunction } from './mapGroupsWithState';
export { GroupStateTimeout } from '../lib/groupState/GroupState';
export type { GroupState } from '../lib/groupState/GroupState';
export type { MicroBatch, BatchContext, Row } from '../lib/contracts';
export { joinStream, streamJoinOperator, streamJoinPlan } from './joinStream';
export type { JoinStreamOptions, StreamJoinPlan } from './joinStream';
export { joinStatic, staticJoinOperator } from './joinStatic';
export type { JoinStaticOptions, StaticJoinPlan } from './joinStatic';
