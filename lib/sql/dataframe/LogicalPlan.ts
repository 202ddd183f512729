/**
 * The logical plan behind a DataFrame: an immutable tree built by DataFrame calls, analyzed and compiled by
 * `planner.ts` onto the same operator pipeline the RxJS face uses.
 *
 * Invariant: nodes are plain immutable values; a node's `isStreaming` is true iff a streaming source is below
 * it; nothing here evaluates anything, and no node holds a Source object (a streaming relation holds how to make
 * one, per query).
 */
import type { Row } from '../../contracts';
import type { SourceProvider } from '../../query/sourceProvider';
import type { Expr } from '../expr/Expr';
import type { StructType } from '../../values/types';
import type { GroupState, GroupStateTimeout } from '../../groupState/GroupState';

export type LogicalPlan =
  | {
      readonly kind: 'streamingSource';
      /**
       * Makes the source of each query that reads this relation (Spark's `StreamingRelation` holds the
       * `DataSource`, and every started query calls `createSource` on it): a plan holds no Source object, so
       * queries started from one DataFrame never share one. A MemoryStream is its own provider (its readers share
       * its data).
       */
      readonly provider: SourceProvider<Row>;
      /** The reader's options the provider was made from (`readStream.option(...)`); empty for a given source. */
      readonly options: ReadonlyMap<string, string>;
      readonly schema: StructType | undefined;
      readonly name: string;
      /** False for sources whose rows already have the schema's types (rate, socket): no per-row conversion. */
      readonly normalize?: boolean;
    }
  /** Rows given, or read when the plan runs (`rows` returns a Promise: a file relation of `session.read`). */
  | { readonly kind: 'localRelation'; readonly rows: () => readonly Row[] | Promise<readonly Row[]>; readonly schema: StructType; readonly name: string }
  | { readonly kind: 'project'; readonly child: LogicalPlan; readonly exprs: readonly Expr[] }
  | { readonly kind: 'filter'; readonly child: LogicalPlan; readonly condition: Expr }
  | { readonly kind: 'watermark'; readonly child: LogicalPlan; readonly column: string; readonly delay: string }
  | { readonly kind: 'aggregate'; readonly child: LogicalPlan; readonly groupBy: readonly Expr[]; readonly aggs: readonly Expr[] }
  | { readonly kind: 'union'; readonly children: readonly LogicalPlan[]; readonly byName: boolean }
  | { readonly kind: 'sort'; readonly child: LogicalPlan; readonly orders: readonly Expr[] }
  | { readonly kind: 'limit'; readonly child: LogicalPlan; readonly n: number }
  | { readonly kind: 'alias'; readonly child: LogicalPlan; readonly name: string }
  /** `left.join(right, on, how)`: `using` column names (Spark's `on=['k']`) or a condition. */
  | {
      readonly kind: 'join';
      readonly left: LogicalPlan;
      readonly right: LogicalPlan;
      readonly how: string;
      readonly using?: readonly string[];
      readonly condition?: Expr;
    }
  /** `dropDuplicates(cols)` / `distinct()` (null = every column), or `dropDuplicatesWithinWatermark(cols)`. */
  | { readonly kind: 'deduplicate'; readonly child: LogicalPlan; readonly columns: readonly string[] | null; readonly withinWatermark: boolean }
  /** `groupBy(cols).flatMapGroupsWithState(...)` / `.mapGroupsWithState(...)`. */
  | {
      readonly kind: 'groupsWithState';
      readonly child: LogicalPlan;
      readonly keys: readonly Expr[];
      readonly spec: GroupsWithStateSpec;
    };

/** The user function and options of a `[flat]MapGroupsWithState` node. */
export interface GroupsWithStateSpec {
  readonly isMapGroupsWithState: boolean;
  /** Built by PySpark's name for it (its messages and progress name differ). */
  readonly applyInPandasWithState?: boolean;
  readonly fn: (key: Row, rows: readonly Row[], state: GroupState<any>) => Iterable<Row> | Row | void;
  readonly outputMode: 'append' | 'update';
  readonly timeout: GroupStateTimeout;
  readonly outputSchema: StructType;
  /** `[key row, state]` pairs applied in batch 0 (Scala's `initialState`). */
  readonly initialState?: Iterable<readonly [Row, unknown]>;
}

/** True when a streaming source is below `plan`. */
export function isStreamingPlan(plan: LogicalPlan): boolean {
  switch (plan.kind) {
    case 'streamingSource':
      return true;
    case 'localRelation':
      return false;
    case 'union':
      return plan.children.some(isStreamingPlan);
    case 'join':
      return isStreamingPlan(plan.left) || isStreamingPlan(plan.right);
    default:
      return isStreamingPlan(plan.child);
  }
}

/** True when an aggregation is below `plan` (or is `plan`). */
export function containsAggregate(plan: LogicalPlan): boolean {
  return plan.kind === 'aggregate' || childrenOf(plan).some(containsAggregate);
}

/** The children of a node. */
export function childrenOf(plan: LogicalPlan): readonly LogicalPlan[] {
  switch (plan.kind) {
    case 'streamingSource':
    case 'localRelation':
      return [];
    case 'union':
      return plan.children;
    case 'join':
      return [plan.left, plan.right];
    default:
      return [plan.child];
  }
}

/** One line per node, innermost last (for explain()). */
export function describePlan(plan: LogicalPlan): string {
  switch (plan.kind) {
    case 'streamingSource':
      return `StreamingRelation ${plan.provider.description}`;
    case 'localRelation':
      return `LocalRelation ${plan.name} [${plan.schema.fieldNames().join(', ')}]`;
    case 'project':
      return `Project [${plan.exprs.length} columns]`;
    case 'filter':
      return 'Filter';
    case 'watermark':
      return `EventTimeWatermark ${plan.column}, ${plan.delay}`;
    case 'aggregate':
      return `Aggregate [${plan.groupBy.length} keys], [${plan.aggs.length} aggregates]`;
    case 'union':
      return plan.byName ? 'Union (by name)' : 'Union';
    case 'sort':
      return 'Sort';
    case 'limit':
      return `Limit ${plan.n}`;
    case 'alias':
      return `SubqueryAlias ${plan.name}`;
    case 'join':
      return `Join ${plan.how}${plan.using ? `, [${plan.using.join(', ')}]` : ''}`;
    case 'deduplicate':
      return `${plan.withinWatermark ? 'DeduplicateWithinWatermark' : 'Deduplicate'} [${plan.columns === null ? '*' : plan.columns.join(', ')}]`;
    case 'groupsWithState':
      return `${plan.spec.isMapGroupsWithState ? 'MapGroupsWithState' : 'FlatMapGroupsWithState'} [${plan.keys.length} keys], ${plan.spec.outputMode}, ${plan.spec.timeout}`;
  }
}
