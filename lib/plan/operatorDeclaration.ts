/**
 * Names operators for `explain()` and describes what they do to batch metadata for analysis at start (the
 * declarations `analyzePlan` traces through a plan tree).
 *
 * Invariant: naming never changes what an operator does; the name and the analysis function are non-enumerable
 * properties of the function. An operator without an analysis function is traced as keeping the batch metadata
 * and adding no stateful operator; the checks it could invalidate are deferred to the first batch, and
 * `analyzePlan` says so (see `AnalysisState.opaque`).
 */
import type { OperatorFunction } from 'rxjs';
import type { BatchMetadata, OutputMode } from '../contracts';

const NAME = Symbol.for('weir.operatorName');
const ANALYZE = Symbol.for('weir.operatorAnalyze');

/** What the start-time analysis tracks through a pipeline. */
export interface AnalysisState {
  readonly metadata: BatchMetadata;
  /** Streaming aggregations seen so far. */
  readonly aggregations: number;
  /** Stateful operators seen so far (aggregations included). */
  readonly statefulOperators: number;
  /**
   * The name of the first operator below that declares nothing (a user operator, or operators composed with rxjs
   * `pipe`): the metadata is then a guess (kept as it was) and the counts are lower bounds.
   */
  readonly opaque?: string;
}

/** How an operator changes the analysis state; throws a WeirError for a shape Spark rejects. */
export type AnalyzeFunction = (state: AnalysisState, outputMode: OutputMode) => AnalysisState;

/** Keeps the state unchanged: for operators that only touch rows. */
export const passThrough: AnalyzeFunction = (state) => state;

/** Attaches `name` (and how it changes batch metadata) to `op`, returning `op`. */
export function describeOperator<A, B>(
  name: string,
  op: OperatorFunction<A, B>,
  analyze?: AnalyzeFunction,
): OperatorFunction<A, B> {
  Object.defineProperty(op, NAME, { value: name, enumerable: false });
  if (analyze) Object.defineProperty(op, ANALYZE, { value: analyze, enumerable: false });
  return op;
}

/** The name given by `describeOperator`, or the function's own name, or `'<operator>'`. */
export function operatorName(op: OperatorFunction<any, any>): string {
  const named = (op as unknown as Record<symbol, unknown>)[NAME];
  if (typeof named === 'string') return named;
  return op.name && op.name !== 'anonymous' ? op.name : '<operator>';
}

/** The analysis function of `op`, if it has one. */
export function operatorAnalysis(op: OperatorFunction<any, any>): AnalyzeFunction | undefined {
  return (op as unknown as Record<symbol, AnalyzeFunction | undefined>)[ANALYZE];
}
