/**
 * The plan tree of the RxJS face's options: `{ source, pipeline }` is a source and a pipe; `{ inputs, pipeline }`
 * a union of the inputs (each a source and its own pipe) and the pipe after it; a `joinStream` first in the
 * pipeline makes a join node of the inputs instead (the first `leftInputs` inputs its left side, the rest its
 * right side, each through the join's own `left` / `right` operators, nested joins likewise).
 *
 * Invariant: pure; the tree's leaves are the inputs in order (the order of their offsets in `offsets/N`); a
 * two-input operator anywhere else fails at start with the reason, as does one with too few inputs.
 */
import type { OperatorFunction } from 'rxjs';
import type { MicroBatch, Source } from '../contracts';
import { ErrorCodes, WeirError } from '../errors';
import { joinDeclaration } from '../plan/joinDeclaration';
import { operatorName } from '../plan/operatorDeclaration';
import { joinNode, pipeNode, sourceNode, unionNode, type PlanNode } from '../plan/PlanNode';
import type { SourceProvider } from './sourceProvider';

type Operators = ReadonlyArray<OperatorFunction<any, any>>;

/**
 * One input of a multi-input query: a source and the operators applied to it before the union. A provider (a
 * DataFrame's relation, a MemoryStream) makes the query's own source when the query starts.
 */
export interface QueryInput {
  readonly source: Source<any> | SourceProvider<any>;
  readonly pipeline?: OperatorFunction<MicroBatch<any>, MicroBatch<any>> | ReadonlyArray<OperatorFunction<any, any>>;
}

/** The operators of a pipeline option (one operator or an array). */
export function operatorList(pipeline: OperatorFunction<any, any> | Operators | undefined): Operators {
  return pipeline === undefined ? [] : Array.isArray(pipeline) ? pipeline : [pipeline as OperatorFunction<any, any>];
}

function misplaced(op: OperatorFunction<any, any>, why: string): WeirError {
  return new WeirError(ErrorCodes.INVALID_ARGUMENT, `${operatorName(op)} ${why}`, { context: { operator: operatorName(op) } });
}

/** `operators` over the union of `sides`, a leading two-input operator making a join node of them. */
function over(sides: readonly PlanNode[], operators: Operators): PlanNode {
  const first = operators[0];
  const declared = first === undefined ? undefined : joinDeclaration(first);
  operators.forEach((op, i) => {
    if (i > 0 && joinDeclaration(op) !== undefined) {
      throw misplaced(op, 'joins two inputs, so it must be the first operator of the pipeline after the inputs (put the operators before it in the inputs\' own pipelines, or in its left / right options)');
    }
  });
  if (declared === undefined) return pipeNode(unionNode(sides), operators);
  if (sides.length <= declared.leftInputs) {
    throw misplaced(first!, `needs more than ${declared.leftInputs} input(s) (startQuery's inputs); the query has ${sides.length}`);
  }
  const left = over(sides.slice(0, declared.leftInputs), declared.left);
  const right = over(sides.slice(declared.leftInputs), declared.right);
  return pipeNode(joinNode(left, right, declared.binary), operators.slice(1));
}

/** The plan tree of `inputs` and the `pipeline` after them. */
export function pipelineTree(inputs: ReadonlyArray<QueryInput>, pipeline: OperatorFunction<any, any> | Operators | undefined): PlanNode {
  const sides = inputs.map((input) => {
    const own = operatorList(input.pipeline);
    const misplacedJoin = own.find((op) => joinDeclaration(op) !== undefined);
    if (misplacedJoin) throw misplaced(misplacedJoin, 'joins two inputs, so it cannot be in one input\'s own pipeline');
    return pipeNode(sourceNode(input.source), own);
  });
  return over(sides, operatorList(pipeline));
}

/** `pipeline` after a given plan tree (`startQuery({ plan, pipeline })`). */
export function treeWithPipeline(node: PlanNode, pipeline: OperatorFunction<any, any> | Operators | undefined): PlanNode {
  return over([node], operatorList(pipeline));
}
