/**
 * The strategy of a join: compiles a `join` node onto the same operators the RxJS face uses
 * (`streamJoinOperator` for two streams, `staticJoinOperator` when a side is static).
 *
 * Invariants: a stream-stream join is a join node over the two sides' trees (the left side's sources come first
 * in the query's offsets); the static side of a stream-static join is a batch
 * DataFrame run once, on the first batch, and reused; Spark's checks for the join type and the sides run
 * here (stream-static) or at start through the operator's analysis (stream-stream); output columns are Spark's
 * (left then right; `using` keys once, first).
 */
import type { Row } from '../../../contracts';
import { ErrorCodes, WeirError } from '../../../errors';
import { joinNode, pipeNode } from '../../../plan/PlanNode';
import type { Strategy } from './strategy';
import { StructField, StructType } from '../../../values/types';
import { isStreamingPlan, type LogicalPlan } from '../LogicalPlan';
import { batchOutputMode, runBatchPlan } from '../runBatchPlan';
import { streamJoinOperator } from '../../../../operators/joinStream';
import { staticJoinOperator } from '../../../../operators/joinStatic';
import { joinConditionFromExpr } from '../conditionFromExpr';
import { boundHolds, type JoinCondition } from '../../../join/joinCondition';
import { toEpochMs } from '../../../window/TimeWindow';
import { parseJoinType, type JoinType } from '../../../join/joinType';


function aliasOf(plan: LogicalPlan): string | undefined {
  return plan.kind === 'alias' ? plan.name : undefined;
}

/** Spark's output schema of a join. */
export function joinSchema(type: JoinType, left: StructType, right: StructType, using: readonly string[]): StructType {
  if (type === 'leftSemi' || type === 'leftAnti') return left;
  const leftNullable = type === 'rightOuter' || type === 'fullOuter';
  const rightNullable = type === 'leftOuter' || type === 'fullOuter';
  const isKey = (name: string): boolean => using.some((u) => u.toLowerCase() === name.toLowerCase());
  const nullable = (f: StructField, yes: boolean): StructField => (yes && !f.nullable ? new StructField(f.name, f.dataType, true) : f);
  const keys = using.map((u) => {
    const lf = left.getField(u)!;
    const rf = right.getField(u)!;
    const f = type === 'rightOuter' ? rf : lf;
    return new StructField(f.name, f.dataType, type === 'fullOuter' ? lf.nullable && rf.nullable : f.nullable);
  });
  return new StructType([
    ...keys,
    ...left.fields.filter((f) => !isKey(f.name)).map((f) => nullable(f, leftNullable)),
    ...right.fields.filter((f) => !isKey(f.name)).map((f) => nullable(f, rightNullable)),
  ]);
}

function unresolvedUsing(name: string, side: string, schema: StructType): WeirError {
  return new WeirError(
    ErrorCodes.UNRESOLVED_COLUMN,
    `[UNRESOLVED_USING_COLUMN_FOR_JOIN] USING column \`${name}\` cannot be resolved on the ${side} side of the join. The ${side}-side columns: [${schema.fieldNames().map((n) => `\`${n}\``).join(', ')}].`,
    { context: { column: name } },
  );
}

/** Compiles a join node. */
export const planJoin: Strategy<'join'> = (plan, options, compile) => {
  const joinType = parseJoinType(plan.how);
  const leftStreaming = options.streaming && isStreamingPlan(plan.left);
  const rightStreaming = options.streaming && isStreamingPlan(plan.right);
  const left = compile(plan.left, { ...options, streaming: leftStreaming });
  const right = compile(plan.right, { ...options, streaming: rightStreaming });
  const using = plan.using ?? [];
  for (const u of using) {
    if (!left.schema.getField(u)) throw unresolvedUsing(u, 'left', left.schema);
    if (!right.schema.getField(u)) throw unresolvedUsing(u, 'right', right.schema);
  }
  const usingNames = using.map((u) => left.schema.getField(u)!.name);
  const isKey = (n: string): boolean => usingNames.some((u) => u.toLowerCase() === n.toLowerCase());
  const shared = left.schema.fieldNames().filter((n) => !isKey(n) && right.schema.getField(n) !== undefined);
  if (shared.length > 0 && joinType !== 'leftSemi' && joinType !== 'leftAnti') {
    throw new WeirError(
      ErrorCodes.UNSUPPORTED_OPERATION,
      `weir rows cannot hold two columns of the same name: both sides of the join have [${shared.join(', ')}]; rename one side's columns (withColumnRenamed) or join on them by name (join(other, [names]))`,
      { context: { columns: shared.join(',') } },
    );
  }
  const fromExpr = joinConditionFromExpr(plan.condition, {
    left: left.schema,
    right: right.schema,
    ...(aliasOf(plan.left) !== undefined ? { leftAlias: aliasOf(plan.left)! } : {}),
    ...(aliasOf(plan.right) !== undefined ? { rightAlias: aliasOf(plan.right)! } : {}),
  });
  const condition: JoinCondition = {
    ...fromExpr,
    leftKeys: [...usingNames, ...fromExpr.leftKeys],
    rightKeys: [...using.map((u) => right.schema.getField(u)!.name), ...fromExpr.rightKeys],
  };
  const schema = joinSchema(joinType, left.schema, right.schema, usingNames);
  const columns = {
    leftColumns: left.schema.fieldNames(),
    rightColumns: right.schema.fieldNames(),
  };

  if (leftStreaming && rightStreaming) {
    const join = streamJoinOperator({
      joinType,
      condition,
      using: usingNames,
      ...columns,
    });
    return { node: joinNode(left.node, right.node, join), schema };
  }

  // A static side (or two: a batch join, run through the same operator with the left side as the "stream").
  const streamSide: 'left' | 'right' = rightStreaming && !leftStreaming ? 'right' : 'left';
  const stream = streamSide === 'left' ? left : right;
  const staticPlan = streamSide === 'left' ? plan.right : plan.left;
  const staticFilter = streamSide === 'left' ? condition.rightFilter : condition.leftFilter;
  const streamFilter = streamSide === 'left' ? condition.leftFilter : condition.rightFilter;
  const batch = !leftStreaming && !rightStreaming;
  const bounds = condition.timeBounds;
  const residual = (l: Row, r: Row): boolean =>
    (streamFilter === undefined || streamFilter(streamSide === 'left' ? l : r)) &&
    bounds.every((b) => boundHolds(b, toEpochMs(l[b.leftColumn]), toEpochMs(r[b.rightColumn]))) &&
    (condition.residual === undefined || condition.residual(l, r));
  const op = staticJoinOperator(
    async (streamBatch) => {
      // The static side is a batch plan run with the stream batch's frozen time (current_timestamp() in it).
      const outputMode = batchOutputMode(staticPlan);
      const rows = await runBatchPlan(compile(staticPlan, { streaming: false, outputMode }), outputMode, streamBatch.batchTimestampMs);
      return staticFilter === undefined ? rows : rows.filter((r) => staticFilter(r));
    },
    {
      joinType,
      streamSide,
      leftKeys: condition.leftKeys,
      rightKeys: condition.rightKeys,
      using: usingNames,
      ...(streamFilter !== undefined || bounds.length > 0 || condition.residual !== undefined ? { residual } : {}),
      ...columns,
      reload: false,
      ...(batch ? { batch: true } : {}),
    },
  );
  return { node: pipeNode(stream.node, [op]), schema };
};
