/**
 * weir's aggregate functions: declarative, mergeable aggregates with Spark's names and null semantics, whose
 * buffers are plain data a state store persists between micro-batches.
 *
 * Invariant: this module re-exports; it adds no behaviour.
 */
export type { AggregateFunction, AggregateSpec, Column } from './AggregateFunction';
export { columnAccessor, columnDisplayName } from './AggregateFunction';
export { count } from './count';
export { sum } from './sum';
export { avg, type AvgBuffer } from './avg';
export { min } from './min';
export { max } from './max';
export { first, type FirstLastBuffer } from './first';
export { last } from './last';
export { collectList, collect_list } from './collectList';
export { collectSet, collect_set } from './collectSet';
export { approxCountDistinct, approx_count_distinct } from './approxCountDistinct';
export { DISTINCT_AGGREGATION_NOT_SUPPORTED_MESSAGE } from './countDistinct';
export { compareValues } from '../values/compare';
export { canonicalKey } from '../values/canonicalKey';
export { aggregateRows } from './aggregateRows';
export { HyperLogLogPlusPlus, hllPrecision, HLL_MIN_PRECISION_MESSAGE, HLL_MAX_PRECISION } from './hll/HyperLogLogPlusPlus';
export { SparkValueHasher, sparkXxHash64 } from './hll/SparkValueHasher';
export { XxHash64, xxh64, xxh64Int, xxh64Long } from './hll/XxHash64';
