/**
 * Distinct aggregates in streaming.
 *
 * Invariant: weir offers no `countDistinct` for streaming queries, as Spark rejects distinct aggregates on
 * streaming DataFrames; the planner raises this message (with code INVALID_ARGUMENT) when one is asked for.
 */

/** Spark's analysis error for `count(DISTINCT ...)` and other distinct aggregates on a streaming query. */
export const DISTINCT_AGGREGATION_NOT_SUPPORTED_MESSAGE =
  'Distinct aggregations are not supported on streaming DataFrames/Datasets. Consider using approx_count_distinct() instead.';
