/**
 * The strategy of an aggregation (`groupBy(...).agg(...)`): grouping keys (columns resolved case-insensitively,
 * computed keys projected lazily, at most one time or session window), aggregate functions from the analyzer with
 * the analyzer's result types (Spark's rules: `sum(DECIMAL(p,s))` is `DECIMAL(p+10,s)`, ...), and the batch's frozen
 * time handed to the aggregates' inputs by the operator just before the aggregation.
 *
 * Invariant: output columns are the keys in key order, then the aggregates (as Spark); an aggregate input is never
 * evaluated outside a batch (so `current_timestamp()` inside one is the batch's time, also on a re-run).
 */
import { map, tap, type OperatorFunction } from 'rxjs';
import type { BatchMetadata, MicroBatch, Row } from '../../../contracts';
import type { Expr } from '../../expr/Expr';
import { withChanges } from '../../../../operators/internal/lazyRows';
import { ErrorCodes, WeirError } from '../../../errors';
import type { AggregateFunction } from '../../../aggregate';
import { agg, describeOperator, groupByKey, passThrough, sessionWindow, window } from '../../../../operators';
import { withColumnsOf } from '../../../../operators/withColumn';
import { aggregateResult, compileExpr, findTimeWindow, isAggregate, outputName, toAggregateFunction, type CompiledExpr, type EvalContext } from '../../expr/analyze';
import { isSparkIntervalString } from '../../expr/sparkInterval';
import { StructField, StructType, TimestampType } from '../../../values/types';
import { pipeNode } from '../../../plan/PlanNode';
import { evalContext, unsupported, type Strategy } from './strategy';

export const planAggregate: Strategy<'aggregate'> = (plan, options, compile) => compileAggregate(plan, options, compile);

function compileAggregate(
  plan: Parameters<Strategy<'aggregate'>>[0],
  options: Parameters<Strategy<'aggregate'>>[1],
  compile: Parameters<Strategy<'aggregate'>>[2],
): ReturnType<Strategy<'aggregate'>> {
  const child = compile(plan.child, options);
  const schema = child.schema;
  const ops: OperatorFunction<any, any>[] = [];
  const keyNames: string[] = [];
  const keyFields: StructField[] = [];
  const computed: Array<{ name: string; expr: CompiledExpr }> = [];
  const timeWindows = plan.groupBy.map((g) => ({ g, w: findTimeWindow(g) })).filter((x) => x.w !== undefined);
  if (timeWindows.length > 1) {
    throw unsupported(
      'Multiple time/session window expressions would result in a cartesian product of rows, therefore they are currently not supported.',
    );
  }
  // current_timestamp() inside an aggregate's argument is the folded batch's frozen time, as in a projection: the
  // operator before the aggregation hands the aggregate inputs the batch's evaluation context.
  let batchContext: EvalContext | undefined;
  const context = (): EvalContext => {
    if (batchContext === undefined) throw new Error('an aggregate input was evaluated outside a batch');
    return batchContext;
  };
  const eventTimeFrom: Array<{ column: string; from: string | undefined }> = [];
  for (const g of plan.groupBy) {
    const w = findTimeWindow(g);
    const name = g.kind === 'alias' ? g.name : outputName(g);
    if (w) {
      let column: string;
      if (w.column.kind === 'column') {
        const field = schema.getField(w.column.name);
        if (!field) compileExpr(w.column, schema); // raises Spark's UNRESOLVED_COLUMN
        column = field!.name;
      } else {
        // window(<expression>, ...): the expression's value is a hidden column the window is placed on (Spark
        // projects it too); window_time(<event-time window>) keeps the event time, so chained windows run in append.
        column = `__weir_time_${computed.length}`;
        const c = compileExpr(w.column, schema);
        computed.push({ name: column, expr: c });
        eventTimeFrom.push({ column, from: windowTimeOf(w.column) });
      }
      if (w.kind === 'window') {
        ops.push(window(column, w.duration as string, (w.slide as string | undefined) ?? null, (w.startTime as string | undefined) ?? null, { as: name }));
      } else if (typeof w.gap === 'string') {
        // A constant gap Spark cannot parse is cast to a NULL interval: every row's session is dropped, no error.
        ops.push(isSparkIntervalString(w.gap) ? sessionWindow(column, w.gap) : sessionWindow(column, () => null));
      } else {
        // A per-row gap: evaluated with the batch's context; null, unparsable or not positive: no session (Spark).
        const gap = compileExpr(w.gap!, schema).evaluate;
        ops.push(sessionWindow(column, (row: Row) => gapValue(gap(row, context()))));
      }
      keyNames.push(w.kind === 'window' ? name : 'session_window');
      keyFields.push(new StructField(w.kind === 'window' ? name : 'session_window', new StructType([
        new StructField('start', new TimestampType(), true),
        new StructField('end', new TimestampType(), true),
      ]), false));
      continue;
    }
    const inner = g.kind === 'alias' ? g.child : g;
    if (inner.kind === 'column' && g.kind !== 'alias') {
      const c = compileExpr(inner, schema);
      // A top-level column groups by the field it resolves to (case-insensitively, as Spark's analyzer does) and
      // keeps that field's name: groupBy('CITY') over `city` groups by `city`.
      const name = schema.getField(inner.name)?.name ?? c.name;
      keyNames.push(name);
      keyFields.push(new StructField(name, c.dataType, c.nullable));
    } else {
      const c = compileExpr(g, schema);
      computed.push({ name, expr: c });
      keyNames.push(name);
      keyFields.push(new StructField(name, c.dataType, c.nullable));
    }
  }
  if (eventTimeFrom.length > 0) ops.unshift(eventTimeOf(eventTimeFrom));
  if (computed.length > 0) {
    // Lazy like withColumn: the key columns are not materialized into new row objects before grouping.
    ops.unshift(
      withColumnsOf(
        `Project keys [${computed.map((c) => c.name).join(', ')}]`,
        computed.map((c) => c.name),
        (batch) => {
          const ctx = evalContext(batch);
          return computed.map((c) => (r: Row) => c.expr.evaluate(r, ctx));
        },
      ),
    );
  }
  const spec: Record<string, AggregateFunction<any, any, any>> = {};
  const aggFields: StructField[] = [];
  for (const a of plan.aggs) {
    if (!isAggregate(a)) {
      throw new WeirError(
        ErrorCodes.UNSUPPORTED_OPERATION,
        `[MISSING_AGGREGATION] The non-aggregating expression ${outputName(a)} is based on columns which are not participating in the GROUP BY clause.`,
        { context: { expression: outputName(a) } },
      );
    }
    const name = a.kind === 'alias' ? a.name : outputName(a);
    const call = a.kind === 'alias' ? a.child : a;
    spec[name] = toAggregateFunction(call, schema, { streaming: options.streaming, context });
    // The result type is the analyzer's (Spark's rules: sum(DECIMAL(p,s)) is DECIMAL(p+10,s), avg ...).
    const result = aggregateResult(call, schema);
    aggFields.push(new StructField(name, result.dataType, result.nullable));
  }
  const withBatchContext = describeOperator(
    'BatchContext',
    tap((batch: MicroBatch<Row>) => {
      batchContext = evalContext(batch);
    }),
    passThrough,
  );
  // First: the computed keys, the window expressions and per-row gaps read it too.
  ops.unshift(withBatchContext);
  ops.push(groupByKey(...keyNames), agg(spec));
  // The aggregate emits key columns in key order then aggregates, as Spark does.
  return { node: pipeNode(child.node, ops), schema: new StructType([...keyFields, ...aggFields]) };
}

/** The column a `window_time(<column>)` expression reads, if it is one. */
function windowTimeOf(e: Expr): string | undefined {
  if (e.kind !== 'call' || e.name.toLowerCase() !== 'window_time' || e.args.length !== 1) return undefined;
  const arg = e.args[0]!;
  return arg.kind === 'column' ? arg.name : undefined;
}

/**
 * The hidden time columns that carry the event time on: the one computed from `window_time(<event-time column>)`
 * becomes the event-time column (Spark's window_time keeps the watermark), so a chained window aggregates in append.
 */
function eventTimeOf(columns: ReadonlyArray<{ column: string; from: string | undefined }>): OperatorFunction<MicroBatch<Row>, MicroBatch<Row>> {
  const after = (m: BatchMetadata | undefined): BatchMetadata => {
    const et = m?.eventTimeColumn;
    const hit = columns.find((c) => c.from !== undefined && et !== undefined && c.from.toLowerCase() === et.toLowerCase());
    return hit === undefined ? { ...m } : { ...m, eventTimeColumn: hit.column };
  };
  return describeOperator(
    `EventTime [${columns.map((c) => c.column).join(', ')}]`,
    map((batch: MicroBatch<Row>) => withChanges(batch, { metadata: after(batch.metadata) })),
    (state) => ({ ...state, metadata: after(state.metadata) }),
  );
}

/** A per-row session gap as the session window takes it: a parsable interval string, milliseconds, or null. */
function gapValue(v: unknown): string | number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return isSparkIntervalString(v) ? v : null;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v) / 1000; // a DayTimeInterval in microseconds
  const i = v as { months?: number; days?: number; micros?: number | bigint };
  if (typeof i === 'object' && (i.days !== undefined || i.micros !== undefined)) {
    if ((i.months ?? 0) !== 0) return null;
    return (i.days ?? 0) * 86_400_000 + Number(i.micros ?? 0) / 1000;
  }
  return null;
}
