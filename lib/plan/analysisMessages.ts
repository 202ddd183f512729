/**
 * Spark's texts for the query shapes its UnsupportedOperationChecker (and the analyzer's streaming rules) reject,
 * in one place: the start-time checks of the RxJS face, the operators' own per-batch checks and the DataFrame
 * planner raise them from here, so one rule has one text.
 *
 * Invariant: each text is Spark's message as `UNSUPPORTED_OPERATION` carries it (the texts of Spark 4.0.1's
 * streaming checks, which still use the Spark 3 wording for these); nothing here decides anything.
 */

/** Complete mode without an aggregation. */
export const COMPLETE_WITHOUT_AGGREGATION =
  'Complete output mode not supported when there are no streaming aggregations on streaming DataFrames/Datasets';

/** A stateful operator after an aggregation in update/complete mode (the global-watermark correctness check). */
export const CORRECTNESS_ISSUE =
  "Detected pattern of possible 'correctness' issue due to global watermark. The query contains stateful " +
  'operation which can emit rows older than the current watermark plus allowed late record delay, which are ' +
  '"late rows" in downstream stateful operations and these rows can be discarded. Please refer the programming ' +
  'guide doc for more details. If you understand the possible risk of correctness issue and still need to run ' +
  'the query, you can disable this check by setting the config ' +
  '`spark.sql.streaming.statefulOperator.checkCorrectness.enabled` to false.';

/** Append mode with an aggregation but no watermark on its grouping keys. */
export const APPEND_WITHOUT_WATERMARK =
  'Append output mode not supported when there are streaming aggregations on streaming DataFrames/DataSets without watermark';

/** Update mode with session windows. */
export const UPDATE_WITH_SESSION_WINDOW = 'Update output mode not supported for session window on streaming DataFrames/DataSets';

/** A session window without other grouping keys. */
export const GLOBAL_SESSION_WINDOW = 'Global aggregation with session window in streaming query is not supported';

/** `[flat]MapGroupsWithState` with an event-time timeout and no watermark. */
export const EVENT_TIME_TIMEOUT_WITHOUT_WATERMARK =
  "Watermark must be specified in the query using '[Dataset/DataFrame].withWatermark()' for using event-time timeout in a " +
  '[map|flatMap]GroupsWithState. Event-time timeout not supported without watermark.';

/** `dropDuplicatesWithinWatermark` on a stream without a watermark. */
export const WITHIN_WATERMARK_WITHOUT_WATERMARK =
  'dropDuplicatesWithinWatermark is not supported on streaming DataFrames/DataSets without watermark';

/** `dropDuplicatesWithinWatermark` on a batch DataFrame. */
export const WITHIN_WATERMARK_ON_BATCH = 'dropDuplicatesWithinWatermark is not supported with batch DataFrames/DataSets';

/** The DataFrame planner's streaming/batch rules. */
export const Messages = {
  streamingActionOnBatch: 'Queries without streaming sources cannot be executed with writeStream.start()',
  batchActionOnStreaming: 'Queries with streaming sources must be executed with writeStream.start()',
  unionStreamingBatch: 'Union between streaming and batch DataFrames/Datasets is not supported',
  sortStreaming:
    'Sorting is not supported on streaming DataFrames/Datasets, unless it is on aggregated DataFrame/Dataset in Complete output mode',
  limitUpdate: 'Limits are not supported on streaming DataFrames/Datasets in Update output mode',
} as const;
