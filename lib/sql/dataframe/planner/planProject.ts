/**
 * The strategy of a projection (`select`, `selectExpr`, `withColumn`): expressions compiled against the child's
 * schema, run by the projection kernel (`operators/internal/projectRows.ts`) with the batch's evaluation context;
 * one generator (`explode`) per select; the event-time column (and its watermark delay) kept when the projection
 * keeps the column, renames it, or selects `window(eventTime, ...)`.
 */
import type { MicroBatch, Row } from '../../../contracts';
import { plainRowConstructor, projectRows } from '../../../../operators/internal/projectRows';
import { compileExpr, findTimeWindow, isGenerator, type CompiledExpr } from '../../expr/analyze';
import type { Expr } from '../../expr/Expr';
import { expandStars } from '../../expr/expandStars';
import { ArrayType, StructField, StructType } from '../../../values/types';
import { appendOp, evalContext, mapRows, unsupported, type Strategy } from './strategy';

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

export const planProject: Strategy<'project'> = (plan, options, compile) => {
  const child = compile(plan.child, options);
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
    return { node: appendOp(child, op).node, schema: new StructType(fields) };
  }
  return { node: appendOp(child, op).node, schema };
};
