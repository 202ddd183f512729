/**
 * Names operators for `explain()` and describes what they do to batch metadata for analysis at start.
 *
 * Invariant: naming never changes what an operator does; the name and the analysis function are non-enumerable
 * properties of the function. An operator without an analysis function makes the rest of its pipeline opaque
 * to the start-time checks (the runtime checks still apply).
 */
import type { OperatorFunction } from 'rxjs';
import type { BatchMetadata, OutputMode } from '../lib/contracts';

const NAME = Symbol.for('weir.operatorName');
const ANALYZE = Symbol.for('weir.operatorAnalyze');

/** What the start-time analysis tracks through a pipeline. */
export interface AnalysisState {
  readonly metadata: BatchMetadata;
  /** Streaming aggregations seen so far. */
  readonly aggregations: number;
  /** Stateful operators seen so far (aggregations included). */
  readonly statefulOperators: number;
  /** With several inputs: each input's state before the union (what a two-input join analyzes). */
  readonly inputs?: readonly AnalysisState[];
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
