/**
 * How a two-input operator of the RxJS face (`joinStream`) tells `startQuery` to build a join node: the operator
 * placed first in a multi-input query's `pipeline` carries, as a non-enumerable property, the join node to make
 * and how to split the query's inputs into its two sides.
 *
 * Invariant: the declared operator is never run as a one-input operator (it throws when it is, with the reason);
 * the plan tree runs `binary.operator` over the two sides instead.
 */
import type { OperatorFunction } from 'rxjs';
import type { BinaryOperator } from './PlanNode';

const DECLARATION = Symbol.for('weir.joinNode');

/** What a two-input operator declares. */
export interface JoinDeclaration {
  readonly binary: BinaryOperator;
  /** How many of the query's inputs form the left side; the rest form the right side. */
  readonly leftInputs: number;
  /** Operators over each side's union before the join (e.g. a nested join, declared the same way). */
  readonly left: ReadonlyArray<OperatorFunction<any, any>>;
  readonly right: ReadonlyArray<OperatorFunction<any, any>>;
}

/** Attaches `declaration` to `op` (non-enumerable), returning `op`. */
export function declareJoin<A, B>(op: OperatorFunction<A, B>, declaration: JoinDeclaration): OperatorFunction<A, B> {
  Object.defineProperty(op, DECLARATION, { value: declaration, enumerable: false });
  return op;
}

/** The declaration of `op`, if it is a two-input operator. */
export function joinDeclaration(op: OperatorFunction<any, any>): JoinDeclaration | undefined {
  return (op as unknown as Record<symbol, JoinDeclaration | undefined>)[DECLARATION];
}
