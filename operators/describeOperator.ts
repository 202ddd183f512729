/**
 * Names operators for `explain()`.
 *
 * Invariant: naming never changes what an operator does; the name is a non-enumerable property of the function.
 */
import type { OperatorFunction } from 'rxjs';

const NAME = Symbol.for('weir.operatorName');

/** Attaches `name` to `op` (shown by `explain()`), returning `op`. */
export function describeOperator<A, B>(name: string, op: OperatorFunction<A, B>): OperatorFunction<A, B> {
  Object.defineProperty(op, NAME, { value: name, enumerable: false });
  return op;
}

/** The name given by `describeOperator`, or the function's own name, or `'<operator>'`. */
export function operatorName(op: OperatorFunction<any, any>): string {
  const named = (op as unknown as Record<symbol, unknown>)[NAME];
  if (typeof named === 'string') return named;
  return op.name && op.name !== 'anonymous' ? op.name : '<operator>';
}
