/**
 * The plan tree: what one streaming query (or one batch DataFrame run) computes per micro-batch, as Spark's
 * physical plan is a tree of a query's operators. Both faces build one: `startQuery({ source, pipeline })` the
 * degenerate tree (a source and a pipe), `startQuery({ inputs, pipeline })` a union (and a join node when the
 * pipeline starts with `joinStream`), the DataFrame planner whole trees.
 *
 * Invariants: nodes are immutable values; a source node is a leaf and holds how to read (a Source or a provider of
 * one), not rows; the leaves in left-to-right order are the query's sources in the order of `offsets/N` (see
 * `planSources`); operators are the RxJS face's `OperatorFunction<MicroBatch, MicroBatch>`; a join node's operator
 * receives its two sides as arguments, never a union to pick apart.
 */
import type { OperatorFunction } from 'rxjs';
import type { MicroBatch, OutputMode, Row } from '../contracts';
import type { AnalysisState } from './operatorDeclaration';

/** A leaf: one streaming (or static) source. */
export interface SourceNode {
  readonly kind: 'source';
  /** A `Source`, or a provider making one per query run (`lib/query/sourceProvider.ts`); opaque to the plan. */
  readonly source: { readonly description: string };
}

/** Batch operators applied, in order, to the child's batch. */
export interface PipeNode {
  readonly kind: 'pipe';
  readonly child: PlanNode;
  readonly operators: ReadonlyArray<OperatorFunction<MicroBatch<any>, MicroBatch<any>>>;
}

/** Spark's `Union`: the children's rows, in child order; every other operator sees one batch. */
export interface UnionNode {
  readonly kind: 'union';
  readonly children: readonly PlanNode[];
}

/** One batch of a two-input operator: its two sides, evaluated. */
export interface JoinSides {
  readonly left: MicroBatch<Row>;
  readonly right: MicroBatch<Row>;
  /** The stateful operator id reserved for this node before its children ran (Spark numbers them top-down). */
  readonly operatorId: string;
}

/** A two-input operator (a stream-stream join): Spark's BinaryExecNode. */
export interface BinaryOperator {
  /** Shown by `explain()`. */
  readonly name: string;
  /** The kind its stateful operator id is reserved under (`join` → `join-0`, ...). */
  readonly stateKind: string;
  /** Emits exactly one batch per pair of sides. */
  readonly operator: OperatorFunction<JoinSides, MicroBatch<Row>>;
  /** Spark's analysis rules over the sides' traced states; throws a WeirError for a shape Spark rejects. */
  readonly analyze: (left: AnalysisState, right: AnalysisState, outputMode: OutputMode) => AnalysisState;
}

export interface JoinNode {
  readonly kind: 'join';
  readonly left: PlanNode;
  readonly right: PlanNode;
  readonly join: BinaryOperator;
}

export type PlanNode = SourceNode | PipeNode | UnionNode | JoinNode;

/** A leaf over `source`. */
export function sourceNode(source: { readonly description: string }): SourceNode {
  return { kind: 'source', source };
}

/** `child` followed by `operators` (merged into the child's pipe when it is one; `child` when there are none). */
export function pipeNode(child: PlanNode, operators: ReadonlyArray<OperatorFunction<any, any>>): PlanNode {
  if (operators.length === 0) return child;
  if (child.kind === 'pipe') return { kind: 'pipe', child: child.child, operators: [...child.operators, ...operators] };
  return { kind: 'pipe', child, operators: [...operators] };
}

/** The union of `children` (the child itself when there is one). */
export function unionNode(children: readonly PlanNode[]): PlanNode {
  if (children.length === 1) return children[0]!;
  return { kind: 'union', children: [...children] };
}

/** A join of `left` and `right` by `join`. */
export function joinNode(left: PlanNode, right: PlanNode, join: BinaryOperator): JoinNode {
  return { kind: 'join', left, right, join };
}

/** The children of a node, left to right. */
export function planChildren(node: PlanNode): readonly PlanNode[] {
  switch (node.kind) {
    case 'source':
      return [];
    case 'pipe':
      return [node.child];
    case 'union':
      return node.children;
    case 'join':
      return [node.left, node.right];
  }
}

/** The leaves, left to right: the order of the query's sources (and of their offsets in `offsets/N`). */
export function planSources(node: PlanNode): SourceNode[] {
  if (node.kind === 'source') return [node];
  return planChildren(node).flatMap(planSources);
}
