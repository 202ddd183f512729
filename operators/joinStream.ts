/**
 * `joinStream(options)`: a stream-stream join of the query's inputs (Spark's StreamingSymmetricHashJoinExec).
 *
 * Invariants: a join is a node of the plan tree (`lib/plan/PlanNode.ts`) whose operator receives its two sides as
 * arguments; `joinStream` placed first in a multi-input query's pipeline declares that node (the left side the
 * union of the first `leftInputs` inputs, the right side the union of the rest, each then through the side's own
 * operators); both sides are buffered in the batch context's state stores (`join-<n>-left`, `join-<n>-right`),
 * nothing is kept between batches elsewhere; the analysis rules of Spark (append only, watermark and range
 * conditions for outer and semi joins, an equality key) are checked at start from the sides' traced declarations
 * and again per batch.
 */
import { concatMap, map, type OperatorFunction } from 'rxjs';
import type { BatchMetadata, MicroBatch, Row } from '../lib/contracts';
import { ErrorCodes, WeirError } from '../lib/errors';
import { checkStreamStreamJoin } from '../lib/join/checkJoin';
import { stateCleanup, timeBounds, type JoinCondition, type TimeBoundSpec } from '../lib/join/joinCondition';
import { joinedRowBuilder } from '../lib/join/joinedRow';
import { parseJoinType, type JoinType } from '../lib/join/joinType';
import { joinBatch } from '../lib/join/SymmetricHashJoin';
import { describeOperator, type AnalysisState } from './describeOperator';
import { declareJoin } from '../lib/plan/joinDeclaration';
import type { BinaryOperator, JoinSides } from '../lib/plan/PlanNode';
import { fromMaybe, then } from './internal/maybe';
import { statefulOperatorHandle } from './internal/statefulOperatorHandle';
import { withChanges } from './internal/lazyRows';

type Pipeline = ReadonlyArray<OperatorFunction<any, any>>;

/** Options of {@link joinStream}. Every default is visible in the destructuring. */
export interface JoinStreamOptions {
  /** Spark's join type names (`'inner'`, `'left_outer'`, `'right'`, `'full'`, `'left_semi'`, ...). Default inner. */
  readonly how?: string;
  /** Equally named key columns, output once (Spark's `join(other, ['k'])`). */
  readonly on?: string | readonly string[];
  /** Key columns of the left side, equal pairwise to `rightKeys` (Spark's `l.a = r.b AND ...`). */
  readonly leftKeys?: readonly string[];
  readonly rightKeys?: readonly string[];
  /** `left BETWEEN right + lower AND right + upper` (e.g. `{ left: 'impressionTime', right: 'clickTime', lower: '-1 hour', upper: 0 }`). */
  readonly between?: { readonly left: string; readonly right: string; readonly lower: string | number; readonly upper: string | number };
  /** Further time bounds `left.a <op> right.b + offset`. */
  readonly timeBounds?: readonly TimeBoundSpec[];
  /** The rest of the condition over both rows (evaluated after the keys and bounds matched). */
  readonly where?: (left: Row, right: Row) => boolean;
  /** Conditions over one side only (Spark's pre-join filters: a failing row of an outer side is output at once). */
  readonly leftWhere?: (left: Row) => boolean;
  readonly rightWhere?: (right: Row) => boolean;
  /** Columns of each side, for the nulls of outer rows (without them an outer row has only its side's columns). */
  readonly leftColumns?: readonly string[];
  readonly rightColumns?: readonly string[];
  /** How many of the query's inputs form the left side (default 1); the rest form the right side. */
  readonly leftInputs?: number;
  /** Operators applied to the left side's union before the join (e.g. a nested join). */
  readonly left?: Pipeline;
  readonly right?: Pipeline;
}

/** The normalized join an operator runs (also built by the DataFrame planner). */
export interface StreamJoinPlan {
  readonly joinType: JoinType;
  readonly condition: JoinCondition;
  readonly using: readonly string[];
  readonly leftColumns?: readonly string[];
  readonly rightColumns?: readonly string[];
  /** `joinStream`'s split of the query's inputs (see {@link JoinStreamOptions}); a join node ignores them. */
  readonly leftInputs?: number;
  readonly left?: Pipeline;
  readonly right?: Pipeline;
}

/** What one batch of the join did, read as progress by {@link joinMetrics}. */
interface JoinCounters {
  dropped: number;
  total: number;
  updated: number;
  removed: number;
  memory: number;
}

const joinMetrics = (c: JoinCounters) => ({
  numRowsTotal: c.total,
  numRowsUpdated: c.updated,
  numRowsRemoved: c.removed,
  numRowsDroppedByWatermark: c.dropped,
  memoryUsedBytes: c.memory,
});

/** Normalizes {@link JoinStreamOptions}. */
export function streamJoinPlan(options: JoinStreamOptions): StreamJoinPlan {
  const { how = 'inner', on, leftKeys, rightKeys, between, where, leftWhere, rightWhere, leftColumns, rightColumns, leftInputs = 1, left = [], right = [] } = options;
  const using = on === undefined ? [] : typeof on === 'string' ? [on] : [...on];
  const lk = [...using, ...(leftKeys ?? [])];
  const rk = [...using, ...(rightKeys ?? [])];
  if (lk.length !== rk.length) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `joinStream: leftKeys (${lk.length}) and rightKeys (${rk.length}) differ in length`, {
      context: { leftKeys: lk.join(','), rightKeys: rk.join(',') },
    });
  }
  if (!Number.isInteger(leftInputs) || leftInputs < 1) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `joinStream: leftInputs must be a positive integer: ${leftInputs}`, { context: { leftInputs } });
  }
  return {
    joinType: parseJoinType(how),
    condition: {
      leftKeys: lk,
      rightKeys: rk,
      timeBounds: timeBounds(options.timeBounds, between),
      ...(where ? { residual: where } : {}),
      ...(leftWhere ? { leftFilter: leftWhere } : {}),
      ...(rightWhere ? { rightFilter: rightWhere } : {}),
    },
    using,
    ...(leftColumns ? { leftColumns } : {}),
    ...(rightColumns ? { rightColumns } : {}),
    leftInputs,
    left,
    right,
  };
}

/** The event-time column after the join (the left side's; the right side's for a right outer join). */
function metadataAfter(plan: StreamJoinPlan, left: BatchMetadata | undefined, right: BatchMetadata | undefined): BatchMetadata {
  const column = plan.joinType === 'rightOuter' ? right?.eventTimeColumn : left?.eventTimeColumn;
  return column === undefined ? {} : { eventTimeColumn: column };
}

/** The analysis of a stream-stream join at start: Spark's rules, from the traced states of both sides. */
function analyzeJoin(plan: StreamJoinPlan): BinaryOperator['analyze'] {
  return (left, right, outputMode) => {
    checkStreamStreamJoin(plan.joinType, plan.condition, {
      leftEventTimeColumn: left.metadata.eventTimeColumn,
      rightEventTimeColumn: right.metadata.eventTimeColumn,
    }, outputMode);
    const state: AnalysisState = {
      metadata: metadataAfter(plan, left.metadata, right.metadata),
      aggregations: left.aggregations + right.aggregations,
      statefulOperators: left.statefulOperators + right.statefulOperators + 1,
    };
    return state;
  };
}

/** The join node's operator of a normalized stream-stream join plan (what {@link joinStream} and the DataFrame planner build). */
export function streamJoinOperator(plan: StreamJoinPlan): BinaryOperator {
  const output = joinedRowBuilder(plan.joinType, {
    using: plan.using,
    ...(plan.leftColumns ? { leftColumns: plan.leftColumns } : {}),
    ...(plan.rightColumns ? { rightColumns: plan.rightColumns } : {}),
  });
  const keys = plan.condition.leftKeys.map((k, i) => (k === plan.condition.rightKeys[i] ? k : `${k} = ${plan.condition.rightKeys[i]}`));
  const name = `StreamingSymmetricHashJoin ${plan.joinType} [${keys.join(', ')}]${plan.condition.timeBounds.length > 0 ? ' with time range' : ''}`;
  // Both sides' state is keyed by the join keys (left = right where they differ) and keeps rows of one side each,
  // with the matched flag outer joins read.
  const stateSchema = {
    keySchema: keys.map((name) => ({ name })),
    valueSchema: [{ name: 'leftRow' }, { name: 'rightRow' }, { name: 'joinType', type: plan.joinType }],
  };
  const operator: OperatorFunction<JoinSides, MicroBatch<Row>> = concatMap(({ left, right, operatorId }: JoinSides) => {
    const batch = left;
    const context = batch.context;
    const info = { leftEventTimeColumn: left.metadata?.eventTimeColumn, rightEventTimeColumn: right.metadata?.eventTimeColumn };
    checkStreamStreamJoin(plan.joinType, plan.condition, info, batch.outputMode);
    const cleanup = stateCleanup(plan.condition, info);
    const metrics: JoinCounters = { dropped: 0, total: 0, updated: 0, removed: 0, memory: 0 };
    context.registerStatefulOperator(
      statefulOperatorHandle({
        operatorId,
        operatorName: 'symmetricHashJoin',
        batchWatermarkMs: batch.watermarkMs,
        noDataBatch: cleanup.left !== undefined || cleanup.right !== undefined ? 'watermarkAdvance' : 'never',
        counters: metrics,
        metricsOf: joinMetrics,
        stateSchema,
      }),
    );
    return fromMaybe(() =>
      then(context.stateStore(`${operatorId}-left`), (leftStore) =>
        then(context.stateStore(`${operatorId}-right`), (rightStore) =>
          then(
            joinBatch(
              {
                joinType: plan.joinType,
                condition: plan.condition,
                cleanup,
                leftEventTimeColumn: info.leftEventTimeColumn,
                rightEventTimeColumn: info.rightEventTimeColumn,
                leftRows: left.rows,
                rightRows: right.rows,
                watermarkMs: batch.watermarkMs,
                lateEventsWatermarkMs: batch.lateEventsWatermarkMs,
                leftStore,
                rightStore,
                output,
              },
            ),
            (result) => {
              metrics.dropped = result.droppedByWatermark;
              metrics.total = result.numRowsTotal;
              metrics.updated = result.numRowsUpdated;
              metrics.removed = result.numRowsRemoved;
              metrics.memory = leftStore.metrics().memoryUsedBytes + rightStore.metrics().memoryUsedBytes;
              return withChanges(batch, {
                rows: result.rows,
                metadata: metadataAfter(plan, left.metadata, right.metadata),
              });
            },
          ),
        ),
      ),
    );
  });
  return { name, stateKind: 'join', operator, analyze: analyzeJoin(plan) };
}

/**
 * Joins the query's two inputs as streams (both sides buffered in state, evicted by the watermark and the
 * range condition; outer rows emitted when the unmatched row is evicted). Append output mode only.
 *
 * It makes a join node of the query's inputs, so it goes first in the query's `pipeline`: operators for one side
 * belong in that input's own pipeline (or in `left` / `right`), not before the join. (The DataFrame face joins
 * any two plans: `left.join(right, ...)`.)
 *
 * @example
 * startQuery({
 *   inputs: [
 *     { source: impressions, pipeline: [withWatermark('impressionTime', '2 hours')] },
 *     { source: clicks, pipeline: [withWatermark('clickTime', '3 hours')] },
 *   ],
 *   pipeline: [joinStream({ how: 'left_outer', leftKeys: ['impressionAdId'], rightKeys: ['clickAdId'],
 *     between: { left: 'impressionTime', right: 'clickTime', lower: '-1 hour', upper: 0 } })],
 *   sink: memorySink(),
 * })
 */
export function joinStream(options: JoinStreamOptions): OperatorFunction<MicroBatch<Row>, MicroBatch<Row>> {
  const plan = streamJoinPlan(options);
  const binary = streamJoinOperator(plan);
  // Run as a one-input operator (e.g. hidden inside an rxjs `pipe`), it cannot see its sides: it says so.
  const misplaced = map((batch: MicroBatch<Row>): MicroBatch<Row> => {
    throw new WeirError(
      ErrorCodes.OPERATOR_ERROR,
      `${binary.name} joins two inputs: it must be the first operator of the pipeline of a startQuery with inputs (given directly in the pipeline array, not inside an rxjs pipe)`,
      { context: { batchId: batch.batchId } },
    );
  });
  return declareJoin(describeOperator(binary.name, misplaced), {
    binary,
    leftInputs: plan.leftInputs ?? 1,
    left: plan.left ?? [],
    right: plan.right ?? [],
  });
}
