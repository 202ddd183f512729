/**
 * Executes one micro-batch of a plan tree, bottom-up: each leaf's batch, each pipe's operators over its child's
 * batch, each union over its children, each join over its two sides.
 *
 * Invariants: children run one after another, left to right, so stateful operator ids (from the batch context)
 * are the same in every batch and after a restart; a join node reserves its id before its children run (Spark
 * numbers stateful operators top-down, so an outer join is `join-0`); every pipe and join must emit exactly one
 * batch per batch in (OPERATOR_ERROR otherwise, instead of a hung engine).
 */
import { concat, concatMap, defer, lastValueFrom, map, of, pipe, toArray, type Observable, type OperatorFunction } from 'rxjs';
import type { BatchContext, MicroBatch, Row } from '../contracts';
import { ErrorCodes, WeirError } from '../errors';
import type { JoinSides, PlanNode } from './PlanNode';
import { unionBatches } from './unionBatches';

/** Makes the first batch of the `index`-th leaf (left to right), from the rows the engine read for it. */
export type LeafBatch = (index: number) => MicroBatch<Row>;

function composed(operators: ReadonlyArray<OperatorFunction<any, any>>): OperatorFunction<any, any> {
  return operators.length === 1 ? operators[0]! : operators.reduce<OperatorFunction<any, any>>((acc, op) => pipe(acc, op), (x) => x);
}

/** The one batch `out` emits (OPERATOR_ERROR when it emits none or several). */
function exactlyOne(what: string, batchId: () => number): OperatorFunction<MicroBatch<Row>, MicroBatch<Row>> {
  return pipe(
    toArray(),
    map((emitted) => {
      if (emitted.length !== 1) {
        const id = batchId();
        throw new WeirError(
          ErrorCodes.OPERATOR_ERROR,
          `The ${what} must emit exactly one MicroBatch per input batch, but emitted ${emitted.length} for batch ${id}`,
          { context: { batchId: id } },
        );
      }
      return emitted[0]!;
    }),
  );
}

/**
 * The batch `node` produces for this micro-batch, as an Observable that emits it once (synchronously when every
 * operator runs synchronously, e.g. on a memory state store: test harnesses subscribe to it directly). Stateful
 * operators take their ids from `context`, in the order of subscription: left to right, a join's before its sides'.
 */
export function planBatch(node: PlanNode, context: BatchContext, leafBatch: LeafBatch): Observable<MicroBatch<Row>> {
  let leaves = 0;
  const build = (n: PlanNode): Observable<MicroBatch<Row>> => {
    switch (n.kind) {
      case 'source': {
        const index = leaves++;
        return defer(() => of(leafBatch(index)));
      }
      case 'pipe': {
        const child = build(n.child);
        const ops = composed(n.operators);
        return child.pipe(concatMap((input) => of(input).pipe(ops, exactlyOne('pipeline', () => input.batchId))));
      }
      case 'union': {
        const children = n.children.map(build);
        return concat(...children).pipe(toArray(), map(unionBatches));
      }
      case 'join': {
        const left = build(n.left);
        const right = build(n.right);
        return defer(() => {
          // Reserved before the sides run: the id must not depend on what the sides allocate.
          const operatorId = context.nextOperatorId(n.join.stateKind);
          return concat(left, right).pipe(
            toArray(),
            concatMap(([l, r]) => {
              const sides: JoinSides = { left: l!, right: r!, operatorId };
              return of(sides).pipe(n.join.operator, exactlyOne(`join ${n.join.name}`, () => l!.batchId));
            }),
          );
        });
      }
    }
  };
  return build(node);
}

/** The batch `node` produces for this micro-batch (see {@link planBatch}). */
export function executeBatch(node: PlanNode, context: BatchContext, leafBatch: LeafBatch): Promise<MicroBatch<Row>> {
  return lastValueFrom(planBatch(node, context, leafBatch));
}
