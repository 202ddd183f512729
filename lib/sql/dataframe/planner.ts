/**
 * The planner: compiles a DataFrame's logical plan onto weir's operator pipeline (the same operators the RxJS
 * face uses), for streaming queries and for batch DataFrames alike.
 *
 * Invariants: one planner, not a second engine: a batch DataFrame runs its compiled operators over one batch of
 * its static inputs; expressions are compiled to closures by lib/sql/expr (never evaluated as JavaScript);
 * every query shape Spark rejects is rejected here or by the operators' own analysis, with Spark's text.
 */
import { Observable, map, tap, type OperatorFunction } from 'rxjs';
import type { MicroBatch, OutputMode, Row, Source } from '../../contracts';
import { ErrorCodes, WeirError } from '../../errors';
import type { AggregateFunction } from '../../aggregate';
import {
  agg,
  describeOperator,
  dropDuplicates,
  dropDuplicatesWithinWatermark,
  groupByKey,
  passThrough,
  sessionWindow,
  window,
  withWatermark,
} from '../../../operators';
import { groupsWithState } from '../../../operators/flatMapGroupsWithState';
import { withColumnsOf } from '../../../operators/withColumn';
import { filterRowsOf } from '../../../operators/filterRows';
import { WITHIN_WATERMARK_ON_BATCH } from '../../dedup/deduplicate';
import { pipeNode, sourceNode, unionNode, type PlanNode } from '../../plan/PlanNode';
import type { Expr } from '../expr/Expr';
import {
  aggregateResult,
  compileExpr,
  findTimeWindow,
  isAggregate,
  isGenerator,
  outputName,
  toAggregateFunction,
  type CompiledExpr,
  type EvalContext,
} from '../expr/analyze';
import { ArrayType, StructField, StructType, TimestampType, normalizeRow } from '../types';
import { isStreamingPlan, type LogicalPlan } from './LogicalPlan';
import { compareValues } from '../expr/values';
import { compileJoin } from './planJoin';
import { expandStars } from '../expr/expandStars';
import { limit } from '../../../operators/limit';
import { isSparkIntervalString, sparkIntervalString } from '../expr/sparkInterval';
import { Messages } from '../../plan/analysisMessages';

/** A compiled plan: the plan tree the engine runs (`lib/plan/`), and the schema of its rows. */
export interface CompiledPlan {
  readonly node: PlanNode;
  readonly schema: StructType;
}

/** Spark's analysis messages of the planner's rules (their one definition is `lib/plan/analysisMessages.ts`). */
export { Messages };

function unsupported(message: string, context: Record<string, unknown> = {}): WeirError {
  return new WeirError(ErrorCodes.UNSUPPORTED_OPERATION, message, { context });
}

/**
 * A replayable source over rows fixed when the batch DataFrame runs (offset 0 → 1). `rows` may return a Promise:
 * a file relation reads its files when an action runs, as Spark's do.
 */
export function staticSource(name: string, rows: () => readonly Row[] | Promise<readonly Row[]>): Source<Row> {
  return {
    description: `LocalRelation[${name}]`,
    open: async () => undefined,
    initialOffset: async () => 0,
    latestOffset: async (start) => (start === 0 ? 1 : start),
    read: (start, end) =>
      new Observable<Row>((s) => {
        if (start !== 0 || end !== 1) return s.complete();
        const emit = (all: readonly Row[]) => {
          for (const r of all) {
            if (s.closed) return;
            s.next(r);
          }
          s.complete();
        };
        const got = rows();
        if (got instanceof Promise) got.then(emit, (e: unknown) => s.error(e));
        else emit(got);
      }),
    commit: async () => undefined,
    stop: async () => undefined,
  };
}

/** A batch-level map with the batch (for current_timestamp): rows in, rows out. */
function mapRows(name: string, f: (rows: readonly Row[], batch: MicroBatch<Row>) => Row[], metadata?: (m: MicroBatch['metadata']) => MicroBatch['metadata']) {
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

function evalContext(batch: MicroBatch<Row>) {
  return { batchTimestampMs: batch.batchTimestampMs };
}

/** The watermark delay of the event-time column, kept when a projection keeps the column. */
function delayOf(metadata: MicroBatch['metadata']): { eventTimeDelayMs?: number } {
  return metadata?.eventTimeDelayMs === undefined ? {} : { eventTimeDelayMs: metadata.eventTimeDelayMs };
}

/** Output-name and event-time bookkeeping of a projection. */
function projectedEventTime(exprs: readonly Expr[], metadata: MicroBatch['metadata']): MicroBatch['metadata'] {
  const et = metadata?.eventTimeColumn;
  if (et === undefined) return {};
  for (const e of exprs) {
    const inner = e.kind === 'alias' ? e.child : e;
    if (inner.kind === 'column' && inner.name.toLowerCase() === et.toLowerCase()) {
      return { ...delayOf(metadata), eventTimeColumn: e.kind === 'alias' ? e.name : inner.name };
    }
    if (inner.kind === 'column' && inner.name === '*') return { ...delayOf(metadata), eventTimeColumn: et };
    // window(eventTime, ...) selected as a column carries the watermark, as in Spark (window-equality joins).
    const w = inner.kind === 'call' ? findTimeWindow(inner) : undefined;
    if (w?.kind === 'window' && w.call === inner && w.column.kind === 'column' && w.column.name.toLowerCase() === et.toLowerCase()) {
      return { ...delayOf(metadata), eventTimeColumn: e.kind === 'alias' ? e.name : 'window' };
    }
  }
  return {};
}

/** Expands `*` and compiles a projection against `schema`. */
function compileProjection(exprs: readonly Expr[], schema: StructType): { compiled: CompiledExpr[]; generatorIndex: number } {
  const compiled: CompiledExpr[] = [];
  let generatorIndex = -1;
  for (const e of expandStars(exprs, schema)) {
    if (isGenerator(e)) {
      if (generatorIndex >= 0) throw unsupported('Only one generator allowed per select clause');
      generatorIndex = compiled.length;
    }
    compiled.push(compileExpr(e, schema));
  }
  return { compiled, generatorIndex };
}

/**
 * Compiles `plan`. `streaming` is false for batch DataFrames (watermarks are no-ops there, as in Spark).
 */
export function compilePlan(plan: LogicalPlan, options: { streaming: boolean; outputMode: OutputMode }): CompiledPlan {
  const { streaming, outputMode } = options;
  switch (plan.kind) {
    case 'streamingSource': {
      const schema = plan.schema ?? new StructType();
      const ops = plan.schema && plan.normalize !== false
        ? [mapRows(`Normalize ${plan.name}`, (rows) => rows.map((r) => normalizeRow(r, schema)))]
        : [];
      // The provider, not a source: each query (or batch run) built from the compiled plan makes its own source.
      return { node: pipeNode(sourceNode(plan.provider), ops), schema };
    }
    case 'localRelation':
      return { node: sourceNode(staticSource(plan.name, plan.rows)), schema: plan.schema };
    case 'alias':
      return compilePlan(plan.child, options);
    case 'join':
      return compileJoin(plan, options, compilePlan);
    case 'project': {
      const child = compilePlan(plan.child, options);
      const { compiled, generatorIndex } = compileProjection(plan.exprs, child.schema);
      const schema = new StructType(compiled.map((c) => new StructField(c.name, c.dataType, c.nullable)));
      const names = compiled.map((c) => c.name);
      const evaluators = compiled.map((c) => c.evaluate);
      const RowObject = plainRowConstructor();
      const op = mapRows(
        `Project [${compiled.map((c) => c.name).join(', ')}]`,
        (rows, batch) => {
          const ctx = evalContext(batch);
          if (generatorIndex < 0) return projectRows(rows, RowObject, names, evaluators, ctx);
          const n = compiled.length;
          const out: Row[] = [];
          for (const row of rows) {
            const values = compiled.map((c) => c.evaluate(row, ctx));
            for (const item of (values[generatorIndex] as unknown[] | null) ?? []) {
              const o: Row = {};
              for (let i = 0; i < n; i += 1) o[names[i]!] = i === generatorIndex ? item : values[i];
              out.push(o);
            }
          }
          return out;
        },
        (m) => projectedEventTime(plan.exprs, m),
      );
      if (generatorIndex >= 0) {
        const elem = schema.fields[generatorIndex]!;
        const elementType = elem.dataType instanceof ArrayType ? elem.dataType.elementType : elem.dataType;
        const fields = schema.fields.map((f, i) => (i === generatorIndex ? new StructField(f.name, elementType, true) : f));
        return { ...child, ...appendOp(child, op), schema: new StructType(fields) };
      }
      return { ...child, ...appendOp(child, op), schema };
    }
    case 'filter': {
      const child = compilePlan(plan.child, options);
      let cond: CompiledExpr;
      try {
        cond = compileExpr(plan.condition, child.schema);
      } catch (e) {
        const rewritten = withMissingReferences(plan, [plan.condition], child.schema, e, options);
        if (rewritten === undefined) throw e;
        return compilePlan(rewritten, options);
      }
      const test = cond.evaluate;
      // Lazy: over a file source's chunks, the rows are filtered (and aggregated after) as each file is parsed.
      const op = filterRowsOf(`Filter ${cond.name}`, (batch) => {
        const ctx = evalContext(batch);
        return (row) => test(row, ctx) === true;
      });
      return { ...child, ...appendOp(child, op) };
    }
    case 'watermark': {
      const child = compilePlan(plan.child, options);
      const field = child.schema.getField(plan.column);
      if (!field) {
        throw new WeirError(
          ErrorCodes.UNRESOLVED_COLUMN,
          `[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column, variable, or function parameter with name \`${plan.column}\` cannot be resolved. Did you mean one of the following? [${child.schema
            .fieldNames()
            .map((n) => `\`${n}\``)
            .join(', ')}].`,
          { context: { column: plan.column } },
        );
      }
      if (!streaming) return child; // withWatermark is a no-op on batch DataFrames (Spark).
      return { ...child, ...appendOp(child, withWatermark(field.name, sparkIntervalString(plan.delay))) };
    }
    case 'aggregate':
      return compileAggregate(plan, options);
    case 'deduplicate': {
      const child = compilePlan(plan.child, options);
      if (plan.withinWatermark && !streaming) throw unsupported(WITHIN_WATERMARK_ON_BATCH);
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
      const op = plan.withinWatermark ? dropDuplicatesWithinWatermark(...columns) : dropDuplicates(...columns);
      return { ...child, ...appendOp(child, op) };
    }
    case 'groupsWithState': {
      const child = compilePlan(plan.child, options);
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
        { batchQuery: !streaming, ...(plan.spec.initialState !== undefined ? { initialState: plan.spec.initialState } : {}) },
      );
      return { ...child, ...appendOp(child, op), schema: outputSchema };
    }
    case 'union': {
      const children = plan.children.map((c) => compilePlan(c, options));
      const streams = plan.children.map(isStreamingPlan);
      if (streams.some((s) => s) && streams.some((s) => !s)) throw unsupported(Messages.unionStreamingBatch);
      const first = children[0]!;
      if (!plan.byName) {
        for (const c of children) {
          if (c.schema.fields.length !== first.schema.fields.length) {
            throw unsupported(
              `[NUM_COLUMNS_MISMATCH] UNION can only be performed on inputs with the same number of columns, but the first input has ${first.schema.fields.length} columns and another input has ${c.schema.fields.length} columns.`,
            );
          }
        }
      }
      // Positional union: later children take the first child's column names.
      const target = first.schema.fieldNames();
      const nodes = children.map((c, i) => {
        const names = c.schema.fieldNames();
        if (plan.byName || i === 0 || names.every((n, j) => n === target[j])) return c.node;
        const rename = mapRows('Rename', (rows) => rows.map((r) => Object.fromEntries(names.map((n, j) => [target[j]!, r[n]]))));
        return pipeNode(c.node, [rename]);
      });
      return { node: unionNode(nodes), schema: first.schema };
    }
    case 'sort': {
      const child = compilePlan(plan.child, options);
      if (streaming && !(outputMode === 'complete' && containsAggregate(plan.child))) throw unsupported(Messages.sortStreaming);
      let orders: Array<{ e: CompiledExpr; ascending: boolean; nullsFirst: boolean }>;
      try {
        orders = plan.orders.map((o) => {
          const inner = o.kind === 'sortOrder' ? o.child : o;
          const ascending = o.kind === 'sortOrder' ? o.ascending : true;
          const nullsFirst = o.kind === 'sortOrder' ? o.nullsFirst : ascending;
          return { e: compileExpr(inner, child.schema), ascending, nullsFirst };
        });
      } catch (e) {
        const rewritten = withMissingReferences(plan, plan.orders, child.schema, e, options);
        if (rewritten === undefined) throw e;
        return compilePlan(rewritten, options);
      }
      const op = mapRows('Sort', (rows, batch) => {
        const ctx = evalContext(batch);
        const keyed = rows.map((r) => ({ r, k: orders.map((o) => o.e.evaluate(r, ctx)) }));
        keyed.sort((a, b) => {
          for (let i = 0; i < orders.length; i += 1) {
            const c = compareForSort(a.k[i], b.k[i], orders[i]!.nullsFirst, orders[i]!.ascending);
            if (c !== 0) return c;
          }
          return 0;
        });
        return keyed.map((x) => x.r);
      });
      return { ...child, ...appendOp(child, op) };
    }
    case 'limit': {
      const child = compilePlan(plan.child, options);
      if (streaming && outputMode === 'update') throw unsupported(Messages.limitUpdate);
      // Append: Spark's stateful global limit (the first n rows over the query's life); complete: each result table.
      if (streaming && outputMode === 'append') return { ...child, ...appendOp(child, limit(plan.n)) };
      const op = mapRows(`Limit ${plan.n}`, (rows) => rows.slice(0, plan.n));
      return { ...child, ...appendOp(child, op) };
    }
  }
}

/**
 * A constructor of plain objects, one per projection: its instances are exactly what `{}` makes (their prototype
 * is `Object.prototype`, so `constructor` is `Object`), but V8 sizes them to the properties the projection sets
 * instead of the fixed slots of an empty literal: smaller rows, less garbage.
 */
/**
 * Spark's ResolveMissingReferences for a filter or sort over a projection: `df.select('device').where('signal >
 * 10')` filters on (`SELECT device FROM t ORDER BY time` sorts by) a column the projection dropped. Spark resolves
 * it from the projection's input, keeps it through the projection, filters or sorts, then projects it away
 * again; so does this rewrite. Undefined when `error` is not an unresolved column, the plan is not that shape,
 * or the projection's input does not resolve the expressions either (the caller rethrows the original error).
 */
function withMissingReferences(
  plan: Extract<LogicalPlan, { kind: 'filter' | 'sort' }>,
  exprs: readonly Expr[],
  schema: StructType,
  error: unknown,
  options: { streaming: boolean; outputMode: OutputMode },
): LogicalPlan | undefined {
  if (!(error instanceof WeirError) || error.code !== ErrorCodes.UNRESOLVED_COLUMN || plan.child.kind !== 'project') return undefined;
  const project = plan.child;
  const output = new Set(schema.fieldNames().map((n) => n.toLowerCase()));
  const input = compilePlan(project.child, options).schema;
  const missing = input.fieldNames().filter((n) => !output.has(n.toLowerCase()));
  if (missing.length === 0) return undefined;
  const column = (name: string): Expr => ({ kind: 'column', name: `\`${name.replace(/`/g, '``')}\``, parts: [name] }) as Expr;
  const widenedSchema = new StructType([...schema.fields, ...input.fields.filter((f) => !output.has(f.name.toLowerCase()))]);
  try {
    for (const e of exprs) compileExpr(e.kind === 'sortOrder' ? e.child : e, widenedSchema);
  } catch {
    return undefined;
  }
  const widened: LogicalPlan = { ...project, exprs: [...project.exprs, ...missing.map(column)] };
  return { kind: 'project', child: { ...plan, child: widened }, exprs: schema.fieldNames().map(column) };
}

function plainRowConstructor(): new () => Row {
  function PlainRow(): void {
    // Nothing: the projection sets the columns.
  }
  PlainRow.prototype = Object.prototype;
  return PlainRow as unknown as new () => Row;
}

/**
 * The rows of a projection without a generator: one object per row (made by `RowObject`, see
 * `plainRowConstructor`), the columns set in order. The first four columns are set at their own statements (each
 * a monomorphic store and call site, several times faster than one store site cycling through every name);
 * further columns by a loop. The output array is allocated at its final size.
 */
function projectRows(
  rows: readonly Row[],
  RowObject: new () => Row,
  names: readonly string[],
  evaluators: ReadonlyArray<(row: Row, ctx: EvalContext) => unknown>,
  ctx: EvalContext,
): Row[] {
  const n = names.length;
  const k0 = names[0]!;
  const k1 = names[1]!;
  const k2 = names[2]!;
  const k3 = names[3]!;
  const e0 = evaluators[0]!;
  const e1 = evaluators[1]!;
  const e2 = evaluators[2]!;
  const e3 = evaluators[3]!;
  const out: Row[] = new Array<Row>(rows.length);
  for (let r = 0; r < rows.length; r += 1) {
    const row = rows[r]!;
    const o: Row = new RowObject();
    if (n > 0) {
      o[k0] = e0(row, ctx);
      if (n > 1) {
        o[k1] = e1(row, ctx);
        if (n > 2) {
          o[k2] = e2(row, ctx);
          if (n > 3) {
            o[k3] = e3(row, ctx);
            for (let i = 4; i < n; i += 1) o[names[i]!] = evaluators[i]!(row, ctx);
          }
        }
      }
    }
    out[r] = o;
  }
  return out;
}

/** Orders two sort keys: nulls by `nullsFirst` whatever the direction, values by `ascending`. */
function compareForSort(a: unknown, b: unknown, nullsFirst: boolean, ascending: boolean): number {
  const an = a === null || a === undefined;
  const bn = b === null || b === undefined;
  if (an || bn) return an && bn ? 0 : an ? (nullsFirst ? -1 : 1) : nullsFirst ? 1 : -1;
  const c = compareValues(a, b);
  return ascending ? c : -c;
}

function containsAggregate(plan: LogicalPlan): boolean {
  if (plan.kind === 'aggregate') return true;
  if (plan.kind === 'streamingSource' || plan.kind === 'localRelation') return false;
  if (plan.kind === 'union') return plan.children.some(containsAggregate);
  if (plan.kind === 'join') return containsAggregate(plan.left) || containsAggregate(plan.right);
  return containsAggregate(plan.child);
}

/** Adds `op` after everything `child` compiled to. */
function appendOp(child: CompiledPlan, op: OperatorFunction<any, any>): Pick<CompiledPlan, 'node'> {
  return { node: pipeNode(child.node, [op]) };
}

function compileAggregate(
  plan: Extract<LogicalPlan, { kind: 'aggregate' }>,
  options: { streaming: boolean; outputMode: OutputMode },
): CompiledPlan {
  const child = compilePlan(plan.child, options);
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
  for (const g of plan.groupBy) {
    const w = findTimeWindow(g);
    const name = g.kind === 'alias' ? g.name : outputName(g);
    if (w) {
      const column = w.column.kind === 'column' ? w.column.name : undefined;
      if (column === undefined) throw unsupported('window() over an expression that is not a column is not supported yet');
      const field = schema.getField(column);
      if (!field) compileExpr(w.column, schema); // raises Spark's UNRESOLVED_COLUMN
      if (w.kind === 'window') {
        ops.push(window(field!.name, w.duration as string, (w.slide as string | undefined) ?? null, (w.startTime as string | undefined) ?? null, { as: name }));
      } else {
        // A constant gap Spark cannot parse is cast to a NULL interval: every row's session is dropped, no error.
        const gap = w.gap as string;
        ops.push(typeof gap !== 'string' || isSparkIntervalString(gap) ? sessionWindow(field!.name, gap) : sessionWindow(field!.name, () => null));
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
  // current_timestamp() inside an aggregate's argument is the folded batch's frozen time, as in a projection: the
  // operator before the aggregation hands the aggregate inputs the batch's evaluation context.
  let batchContext: EvalContext | undefined;
  const context = (): EvalContext => {
    if (batchContext === undefined) throw new Error('an aggregate input was evaluated outside a batch');
    return batchContext;
  };
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
  ops.push(withBatchContext, groupByKey(...keyNames), agg(spec));
  // The aggregate emits key columns in key order then aggregates, as Spark does.
  return { node: pipeNode(child.node, ops), schema: new StructType([...keyFields, ...aggFields]) };
}
