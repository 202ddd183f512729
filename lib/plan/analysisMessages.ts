/**
 * Spark's errors for the query shapes its UnsupportedOperationChecker (and the analyzer's streaming rules) reject,
 * in one place: the start-time checks of the RxJS face, the operators' own per-batch checks and the DataFrame
 * planner raise them from here, so one rule has one condition and one text.
 *
 * Invariants: each is the condition Spark 4.3.0 raises for the rule, with its parameters, and its message is
 * Spark's template from `lib/errorConditions/` filled in, never a copied text (checked against a real pyspark
 * 4.3.0 run, `tools/spark-errors/probe-output.json`). Spark 4 gives three of the rules a condition
 * (`STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION`, SQLSTATE 42KDE); the rest it still raises as
 * `_LEGACY_ERROR_TEMP_3102` (the Spark 3 text as the `msg` parameter, no `[...]` prefix, no SQLSTATE), and so does
 * weir. Nothing here decides anything.
 */
import { ErrorCodes, WeirError, type WeirErrorContext } from '../errors';
import { conditionMessage } from '../errorConditions/conditionMessage';

/** A Spark analysis error: its condition, parameters and Spark's message of them. */
export interface AnalysisMessage {
  readonly condition: string;
  readonly messageParameters: Readonly<Record<string, string>>;
  readonly message: string;
}

/** The analysis error of `condition` with `parameters`. */
export function analysisMessage(condition: string, parameters: Readonly<Record<string, string>>): AnalysisMessage {
  return Object.freeze({ condition, messageParameters: Object.freeze({ ...parameters }), message: conditionMessage(condition, parameters) });
}

/** A rule Spark 4 raises through UnsupportedOperationChecker's `throwError`: `_LEGACY_ERROR_TEMP_3102` with `msg`. */
export function legacyAnalysisMessage(msg: string): AnalysisMessage {
  return analysisMessage('_LEGACY_ERROR_TEMP_3102', { msg });
}

/** `STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION` for `outputMode` and Spark's name of the operation. */
function outputModeUnsupported(outputMode: string, operation: string): AnalysisMessage {
  return analysisMessage('STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION', { outputMode, operation });
}

/** The WeirError (UNSUPPORTED_OPERATION, Spark's AnalysisException) of an analysis message. */
export function analysisError(m: AnalysisMessage, context: WeirErrorContext = {}): WeirError {
  return new WeirError(ErrorCodes.UNSUPPORTED_OPERATION, m.message, {
    context,
    condition: m.condition,
    messageParameters: m.messageParameters,
  });
}

/** Complete mode without an aggregation. */
export const COMPLETE_WITHOUT_AGGREGATION = outputModeUnsupported('complete', 'no streaming aggregations');

/** A stateful operator after an aggregation in update/complete mode (the global-watermark correctness check). */
export const CORRECTNESS_ISSUE = legacyAnalysisMessage(
  "Detected pattern of possible 'correctness' issue due to global watermark. The query contains stateful " +
    'operation which can emit rows older than the current watermark plus allowed late record delay, which are ' +
    '"late rows" in downstream stateful operations and these rows can be discarded. Please refer the programming ' +
    'guide doc for more details. If you understand the possible risk of correctness issue and still need to run ' +
    'the query, you can disable this check by setting the config ' +
    '`spark.sql.streaming.statefulOperator.checkCorrectness.enabled` to false.',
);

/** Append mode with an aggregation but no watermark on its grouping keys. */
export const APPEND_WITHOUT_WATERMARK = outputModeUnsupported('append', 'streaming aggregations without watermark');

/** Update mode with session windows. */
export const UPDATE_WITH_SESSION_WINDOW = outputModeUnsupported('update', 'session window streaming aggregations');

/**
 * A session window without other grouping keys. Spark 4.3.0 raises it when it plans the first batch (the query
 * fails with `STREAM_FAILED` around it); weir at start, with the same condition and text.
 */
export const GLOBAL_SESSION_WINDOW = analysisMessage('_LEGACY_ERROR_TEMP_3068', {});

/**
 * `[flat]MapGroupsWithState` with an event-time timeout and no watermark (a `throwError` of
 * UnsupportedOperationChecker; not run on pyspark, whose `applyInPandasWithState` needs pandas).
 */
export function eventTimeTimeoutWithoutWatermark(api: string): AnalysisMessage {
  return legacyAnalysisMessage(
    "Watermark must be specified in the query using '[Dataset/DataFrame].withWatermark()' for using event-time timeout in a " +
      `${api}. Event-time timeout not supported without watermark.`,
  );
}

/** The Scala API's name in Spark's event-time-timeout text. */
export const EVENT_TIME_TIMEOUT_WITHOUT_WATERMARK = eventTimeTimeoutWithoutWatermark('[map|flatMap]GroupsWithState');

/** `dropDuplicatesWithinWatermark` on a stream without a watermark. */
export const WITHIN_WATERMARK_WITHOUT_WATERMARK = legacyAnalysisMessage(
  'dropDuplicatesWithinWatermark is not supported on streaming DataFrames/DataSets without watermark',
);

/** `dropDuplicatesWithinWatermark` on a batch DataFrame. */
export const WITHIN_WATERMARK_ON_BATCH = legacyAnalysisMessage('dropDuplicatesWithinWatermark is not supported with batch DataFrames/DataSets');

/** The DataFrame planner's streaming/batch rules. */
export const Messages = {
  /** `writeStream` on a batch DataFrame. */
  streamingActionOnBatch: analysisMessage('WRITE_STREAM_NOT_ALLOWED', {}),
  /** A batch action on a streaming DataFrame; Spark 4.3.0's text (4.0.1's ended at `writeStream.start()`). */
  batchActionOnStreaming: legacyAnalysisMessage(
    'Queries with streaming sources must be executed with writeStream.start(), or from a streaming table or flow ' +
      'definition within a Spark Declarative Pipeline.',
  ),
  unionStreamingBatch: legacyAnalysisMessage('Union between streaming and batch DataFrames/Datasets is not supported'),
  sortStreaming: legacyAnalysisMessage(
    'Sorting is not supported on streaming DataFrames/Datasets, unless it is on aggregated DataFrame/Dataset in Complete output mode',
  ),
  limitUpdate: legacyAnalysisMessage('Limits are not supported on streaming DataFrames/Datasets in Update output mode'),
} as const;
