/**
 * The strategies of the stateful nodes other than aggregation and join: watermark, deduplication,
 * `[flat]MapGroupsWithState` and limit, each onto its operator of the RxJS face.
 *
 * Invariants: `withWatermark` is a no-op on batch DataFrames (Spark); columns resolve case-insensitively against
 * the child's schema with Spark's unresolved-column texts; Spark's batch/streaming and output-mode rules for these
 * nodes are raised here with Spark's texts (`lib/plan/analysisMessages.ts`).
 */
import type { Row } from '../../../contracts';
import { ErrorCodes, WeirError, sparkError } from '../../../errors';
import { dropDuplicates, dropDuplicatesWithinWatermark, withWatermark } from '../../../../operators';
import { groupsWithState } from '../../../../operators/flatMapGroupsWithState';
import { limit } from '../../../../operators/limit';
import { Messages, WITHIN_WATERMARK_ON_BATCH } from '../../../plan/analysisMessages';
import { compileExpr } from '../../expr/analyze';
import { sparkIntervalString } from '../../expr/sparkInterval';
import { normalizeRow } from '../../../values/types';
import { appendOp, mapRows, unsupported, type Strategy } from './strategy';

export const planWatermark: Strategy<'watermark'> = (plan, options, compile) => {
  const child = compile(plan.child, options);
  const field = child.schema.getField(plan.column);
  if (!field) {
    throw sparkError(
      ErrorCodes.UNRESOLVED_COLUMN,
      'UNRESOLVED_COLUMN.WITH_SUGGESTION',
      { objectName: `\`${plan.column}\``, proposal: child.schema.fieldNames().map((n) => `\`${n}\``).join(', ') },
      { context: { column: plan.column } },
    );
  }
  if (!options.streaming) return child; // withWatermark is a no-op on batch DataFrames (Spark).
  return appendOp(child, withWatermark(field.name, sparkIntervalString(plan.delay)));
};

export const planDeduplicate: Strategy<'deduplicate'> = (plan, options, compile) => {
  const child = compile(plan.child, options);
  if (plan.withinWatermark && !options.streaming) throw unsupported(WITHIN_WATERMARK_ON_BATCH);
  // Columns resolve (case-insensitively) against the child's schema; none = every column.
  const names = child.schema.fieldNames();
  const columns = (plan.columns ?? names).map((c) => {
    const found = names.find((n) => n.toLowerCase() === c.toLowerCase());
    if (found === undefined) {
      throw new WeirError(ErrorCodes.UNRESOLVED_COLUMN, `Cannot resolve column name "${c}" among (${names.join(', ')}).`, {
        context: { column: c },
      });
    }
    return found;
  });
  return appendOp(child, plan.withinWatermark ? dropDuplicatesWithinWatermark(...columns) : dropDuplicates(...columns));
};

export const planGroupsWithState: Strategy<'groupsWithState'> = (plan, options, compile) => {
  const child = compile(plan.child, options);
  const keys = plan.keys.map((k) => {
    if (k.kind !== 'column') throw unsupported('flatMapGroupsWithState groups by columns only in weir');
    return compileExpr(k, child.schema).name;
  });
  const { fn, outputSchema, isMapGroupsWithState, outputMode, timeout } = plan.spec;
  const op = groupsWithState<Row, Row, unknown, Row>(
    isMapGroupsWithState ? 'mapGroupsWithState' : plan.spec.applyInPandasWithState ? 'applyInPandasWithState' : 'flatMapGroupsWithState',
    keys,
    outputMode,
    timeout,
    (key, rows, state) => {
      const result = fn(key, rows, state);
      const list = isMapGroupsWithState ? [result as Row] : result === undefined || result === null ? [] : (result as Iterable<Row>);
      const out: Row[] = [];
      for (const r of list) out.push(normalizeRow(r, outputSchema));
      return out;
    },
    { batchQuery: !options.streaming, ...(plan.spec.initialState !== undefined ? { initialState: plan.spec.initialState } : {}) },
  );
  return { node: appendOp(child, op).node, schema: outputSchema };
};

export const planLimit: Strategy<'limit'> = (plan, options, compile) => {
  const child = compile(plan.child, options);
  if (options.streaming && options.outputMode === 'update') throw unsupported(Messages.limitUpdate);
  // Append: Spark's stateful global limit (the first n rows over the query's life); complete: each result table.
  if (options.streaming && options.outputMode === 'append') return appendOp(child, limit(plan.n));
  return appendOp(child, mapRows(`Limit ${plan.n}`, (rows) => rows.slice(0, plan.n)));
};
