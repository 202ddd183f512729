/**
 * What every planning strategy shares: the compiled form of a logical node (a plan tree and its schema), the
 * options of one compilation, and the small batch-level helpers the strategies build operators from.
 *
 * Invariant: a strategy compiles its node's children through the `compile` it is given (never by importing the
 * planner), so the planner and its strategies form no import cycle.
 */
import { map, type OperatorFunction } from 'rxjs';
import type { MicroBatch, OutputMode, Row } from '../../../contracts';
import { ErrorCodes, WeirError } from '../../../errors';
import { describeOperator, passThrough } from '../../../../operators';
import { pipeNode, type PlanNode } from '../../../plan/PlanNode';
import { analysisError, type AnalysisMessage } from '../../../plan/analysisMessages';
import type { EvalContext } from '../../expr/analyze';
import type { StructType } from '../../../values/types';
import type { LogicalPlan } from '../LogicalPlan';

/** A compiled plan: the plan tree the engine runs (`lib/plan/`), and the schema of its rows. */
export interface CompiledPlan {
  readonly node: PlanNode;
  readonly schema: StructType;
}

/** The options of one compilation: `streaming` is false for batch DataFrames (watermarks are no-ops there). */
export interface PlanOptions {
  readonly streaming: boolean;
  readonly outputMode: OutputMode;
}

/** Compiles a child plan (the planner's entry point, handed to each strategy). */
export type Compile = (plan: LogicalPlan, options: PlanOptions) => CompiledPlan;

/** The strategy of one node kind. */
export type Strategy<K extends LogicalPlan['kind']> = (plan: Extract<LogicalPlan, { kind: K }>, options: PlanOptions, compile: Compile) => CompiledPlan;

/** UNSUPPORTED_OPERATION: Spark's analysis error (condition and text), or a text of weir's own. */
export function unsupported(message: string | AnalysisMessage, context: Record<string, unknown> = {}): WeirError {
  if (typeof message !== 'string') return analysisError(message, context);
  return new WeirError(ErrorCodes.UNSUPPORTED_OPERATION, message, { context });
}

/** The evaluation context of a batch: the frozen time of `current_timestamp()`. */
export function evalContext(batch: MicroBatch<Row>): EvalContext {
  return { batchTimestampMs: batch.batchTimestampMs };
}

/** A batch-level map with the batch (for current_timestamp): rows in, rows out. */
export function mapRows(
  name: string,
  f: (rows: readonly Row[], batch: MicroBatch<Row>) => Row[],
  metadata?: (m: MicroBatch['metadata']) => MicroBatch['metadata'],
): OperatorFunction<MicroBatch<Row>, MicroBatch<Row>> {
  return describeOperator(
    name,
    map((batch: MicroBatch<Row>) => ({
      ...batch,
      rows: f(batch.rows, batch),
      ...(metadata ? { metadata: metadata(batch.metadata) } : {}),
    })),
    metadata ? (state) => ({ ...state, metadata: metadata(state.metadata) ?? {} }) : passThrough,
  );
}

/** `child` followed by `op`. */
export function appendOp(child: CompiledPlan, op: OperatorFunction<any, any>): CompiledPlan {
  return { node: pipeNode(child.node, [op]), schema: child.schema };
}
