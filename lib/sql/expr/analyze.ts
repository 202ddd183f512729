/**
 * The analyzer's entry points under their former module name, for the importers outside lib/sql/expr (the
 * DataFrame layer, `lib/join`, specs): resolution and compilation of expressions against a schema
 * (`compile/compileExpr.ts`, `compile/aggregateCall.ts`), classification (`analyzer/classify.ts`) and time windows
 * (`analyzer/findTimeWindows.ts`). Code inside lib/sql/expr imports those modules directly.
 *
 * Invariant: this module re-exports; it adds no behaviour.
 */
export type { EvalContext } from './compiled';
export { outputName } from './outputName';
export { compileExpr, projectionSchema, type CompiledExpr, type CompileOptions } from './compile/compileExpr';
export { aggregateResult, toAggregateFunction, type AggregateOptions } from './compile/aggregateCall';
export { extractAggregates, isAggregate, isGenerator, type ExtractedAggregate } from './analyzer/classify';
export { findTimeWindow, findTimeWindows, type TimeWindowRef } from './analyzer/findTimeWindows';
export { isAtomic as isAtomicType, isBinary as isBinaryType } from './typeSupport';
