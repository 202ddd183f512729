/**
 * Golden tests produced by real Apache Spark (tools/spark-golden, committed as data): each scenario's input is
 * replayed step by step through weir's operators (MemoryStreams, the same stages, a LevelDB state store, the
 * default trigger, processAllAvailable after each step), and every batch that runs must match Spark's batch
 * with the same id: same rows (order-insensitive), same watermark, same late-row count.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { OperatorFunction } from 'rxjs';
import { MemoryStream, Trigger, startQuery, type Row, type Sink } from '../../index';
import { ManualClock } from '../../lib/time/ManualClock';
import {
  agg,
  aggregate as A,
  dropDuplicates,
  dropDuplicatesWithinWatermark,
  groupByKey,
  sessionWindow,
  window,
  withWatermark,
} from '../../operators';
import type { AggregateFunction } from '../../lib/aggregate';
import { LevelStateStoreProvider } from '../../lib/state';
import { sessionizeOperator, timeoutProbeOperator } from '../groupState/sessionize';
import { canonicalRows, inputSchema, loadScenarios, setColumnsOf, type Scenario } from './goldenSupport';
import { map } from 'rxjs';
import { joinStream } from '../../operators/joinStream';
import { joinStatic } from '../../operators/joinStatic';
import { rows } from '../../operators/rows';
import { joinConditionFromExpr } from '../../lib/sql/dataframe/conditionFromExpr';
import { parseExpression } from '../../lib/sql/expr/parseExpression';
import { toSchema } from '../../lib/values/types';

/** The columns of input `i` when it reaches a join: its schema's, or what a window stage kept and added. */
function sideColumns(s: Scenario, i: number): string[] {
  const w = s.stages.find((st) => st.op === 'window' && st.keep !== undefined && (st.input ?? 0) === i);
  return w ? [...w.keep!, w.as!] : ddlColumns(inputSchema(s, i)).map((c) => c.name);
}

/** Column names and upper-cased types of a DDL string. */
function ddlColumns(ddl: string): Array<{ name: string; type: string }> {
  return ddl.split(',').map((f) => {
    const [name, type] = f.trim().split(/\s+/);
    return { name: name!, type: (type ?? '').toUpperCase() };
  });
}

const scenarios = loadScenarios();
/** Stages whose state layout is Spark's (one row per key; a join: one per buffered row), so numRowsTotal is compared too. */
const DEDUP_AND_STATE_STAGES = new Set(['dropDuplicates', 'dropDuplicatesWithinWatermark', 'sessionize', 'join']);

function aggregateFunction(fn: string, column: string | null): AggregateFunction<any, any, any> {
  const c = column ?? undefined;
  switch (fn) {
    case 'count':
      return A.count(c);
    case 'sum':
      return A.sum(c!);
    case 'avg':
      return A.avg(c!);
    case 'min':
      return A.min(c!);
    case 'max':
      return A.max(c!);
    case 'first':
      return A.first(c!);
    case 'last':
      return A.last(c!);
    case 'collect_list':
      return A.collect_list(c!);
    case 'collect_set':
      return A.collect_set(c!);
    case 'approx_count_distinct':
      return A.approx_count_distinct(c!);
    default:
      throw new Error(`unknown aggregate ${fn}`);
  }
}

/** The scenario's stages as weir operators: per-input stages (before a union) and the main pipeline. */
function compile(s: Scenario): { inputPipelines: OperatorFunction<any, any>[][]; pipeline: OperatorFunction<any, any>[] } {
  const inputPipelines: OperatorFunction<any, any>[][] = Array.from({ length: s.inputs }, () => []);
  const pipeline: OperatorFunction<any, any>[] = [];
  let unioned = s.inputs === 1;
  for (const st of s.stages) {
    const target = unioned ? pipeline : inputPipelines[st.input ?? 0]!;
    switch (st.op) {
      case 'withWatermark':
        target.push(withWatermark(st.column!, st.delay!));
        break;
      case 'union':
        unioned = true;
        break;
      case 'join': {
        unioned = true;
        // Further conjuncts (one-side and pair filters) are compiled from their SQL text into closures.
        const extra =
          st.extra === undefined
            ? undefined
            : joinConditionFromExpr(parseExpression(st.extra), { left: toSchema(inputSchema(s, 0)), right: toSchema(inputSchema(s, 1)) });
        pipeline.push(
          joinStream({
            how: st.how!,
            leftKeys: st.leftKeys!,
            rightKeys: st.rightKeys!,
            timeBounds: st.bounds!,
            ...(extra?.leftFilter ? { leftWhere: extra.leftFilter } : {}),
            ...(extra?.rightFilter ? { rightWhere: extra.rightFilter } : {}),
            ...(extra?.residual ? { where: extra.residual } : {}),
            leftColumns: sideColumns(s, 0),
            rightColumns: sideColumns(s, 1),
          }),
        );
        break;
      }
      case 'joinStatic':
        target.push(
          joinStatic(st.rows!, {
            how: st.how!,
            leftKeys: st.leftKeys!,
            rightKeys: st.rightKeys!,
            leftColumns: sideColumns(s, 0),
            rightColumns: ddlColumns(st.staticSchema!).map((c) => c.name),
          }),
        );
        break;
      case 'window':
        target.push(window(st.column!, st.duration!, st.slide ?? null, st.startTime ?? null, st.as ? { as: st.as } : {}));
        if (st.keep) {
          const columns = [...st.keep, st.as!];
          target.push(rows(map((r: Row) => Object.fromEntries(columns.map((c) => [c, r[c]])))));
        }
        break;
      case 'sessionWindow':
        target.push(sessionWindow(st.column!, st.gap!));
        break;
      case 'groupBy':
        target.push(groupByKey(...st.keys!));
        target.push(agg(Object.fromEntries(st.aggs!.map((a) => [a.as, aggregateFunction(a.fn, a.column)]))));
        break;
      case 'dropDuplicates':
        target.push(dropDuplicates(...(st.columns ?? [])));
        break;
      case 'dropDuplicatesWithinWatermark':
        target.push(dropDuplicatesWithinWatermark(...(st.columns ?? [])));
        break;
      case 'sessionize':
        target.push(sessionizeOperator(st.keys!, st.gap!, st.outputMode!));
        break;
      case 'timeoutProbe':
        target.push(timeoutProbeOperator(st.keys!));
        break;
      default:
        throw new Error(`unknown stage ${st.op}`);
    }
  }
  return { inputPipelines, pipeline };
}

/** Input rows with TIMESTAMP columns as Dates. */
function toInputRow(row: Row, timestampColumns: ReadonlySet<string>): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) out[k] = timestampColumns.has(k) && typeof v === 'string' ? new Date(v) : v;
  return out;
}

describe('golden scenarios from Apache Spark', () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

  it('has at least 10 scenarios', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(10);
  });

  it.each(scenarios.map((s) => [s.name, s] as const))('%s', async (_name, s) => {
    const root = mkdtempSync(path.join(tmpdir(), 'weir-golden-'));
    roots.push(root);
    const timestampColumns = new Set(
      Array.from({ length: s.inputs }, (_, i) => ddlColumns(inputSchema(s, i)))
        .flat()
        .filter((c) => c.type === 'TIMESTAMP')
        .map((c) => c.name),
    );
    const setColumns = setColumnsOf(s);
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const streams = Array.from({ length: s.inputs }, (_, i) => new MemoryStream<Row>({ name: `input${i}` }));
    const { inputPipelines, pipeline } = compile(s);
    const seen = new Map<number, Row[]>();
    const sink: Sink<Row> = {
      description: 'GoldenSink',
      addBatch: async (batchId, rows) => {
        seen.set(batchId, [...rows]);
      },
    };
    const query = await startQuery({
      inputs: streams.map((source, i) => ({ source, pipeline: inputPipelines[i]! })),
      pipeline,
      sink,
      outputMode: s.outputMode,
      checkpointLocation: path.join(root, 'checkpoint'),
      conf: s.conf,
      stateStoreProvider: (statePath) => new LevelStateStoreProvider(statePath),
      numRecentProgressUpdates: 1000,
      // One trigger per clock tick, so a step can run exactly one batch before the next step's rows arrive
      // (steps flagged addedDuringPreviousBatch), as in the Spark run.
      trigger: Trigger.ProcessingTime(1000),
      clock,
    });
    const failed = query.awaitTermination().then(
      () => new Error('the query stopped'),
      (e: unknown) => e as Error,
    );
    /** Runs one trigger; resolves true when it executed a batch. */
    const tick = async (): Promise<boolean> => {
      const before = query.recentProgress.length;
      const next = clock.now() + 1000;
      const idle = clock.whenWaitingAfter(next);
      clock.advance(1000);
      const outcome = await Promise.race([idle.then(() => undefined), failed]);
      if (outcome instanceof Error) throw outcome;
      return query.recentProgress.length > before;
    };
    try {
      await Promise.race([clock.whenWaitingAfter(clock.now()), failed]);
      for (const [n, step] of s.steps.entries()) {
        for (const [input, rows] of Object.entries(step.inputs)) {
          if (rows.length > 0) streams[Number(input)]!.addData(...rows.map((r) => toInputRow(r, timestampColumns)));
        }
        if (s.steps[n + 1]?.addedDuringPreviousBatch) await tick();
        else while (await tick());
        const progress = new Map(query.recentProgress.map((p) => [p.batchId, p]));
        for (const expected of step.batches) {
          const context = `${s.name} step ${n} batch ${expected.batchId}`;
          expect({ context, ran: seen.has(expected.batchId) }).toEqual({ context, ran: true });
          expect({ context, rows: canonicalRows(seen.get(expected.batchId)!, setColumns) }).toEqual({
            context,
            rows: canonicalRows(expected.rows, setColumns),
          });
          const p = progress.get(expected.batchId)!;
          expect({ context, numInputRows: p.numInputRows }).toEqual({ context, numInputRows: expected.numInputRows });
          const watermark = JSON.parse(p.json).eventTime?.watermark ?? null;
          expect({ context, watermark }).toEqual({ context, watermark: expected.watermark });
          const dropped = p.stateOperators.reduce((a, o) => a + o.numRowsDroppedByWatermark, 0);
          expect({ context, dropped }).toEqual({
            context,
            dropped: expected.numRowsDroppedByWatermark.reduce((a, b) => a + b, 0),
          });
          if (expected.numDroppedDuplicateRows?.some((n) => n !== null)) {
            const duplicates = p.stateOperators.map((o) => o.customMetrics.numDroppedDuplicateRows ?? null);
            expect({ context, duplicates }).toEqual({ context, duplicates: expected.numDroppedDuplicateRows });
          }
          if (s.stages.some((st) => DEDUP_AND_STATE_STAGES.has(st.op))) {
            // weir keeps one state row per key as Spark does for these operators: the state sizes agree.
            const total = p.stateOperators.map((o) => o.numRowsTotal);
            expect({ context, total }).toEqual({ context, total: expected.numRowsTotal });
          }
        }
        const expectedIds = step.batches.map((b) => b.batchId);
        const lastExpected = expectedIds[expectedIds.length - 1];
        if (lastExpected !== undefined) expect({ step: n, lastBatch: query.lastProgress?.batchId }).toEqual({ step: n, lastBatch: lastExpected });
      }
    } finally {
      await query.stop();
    }
    expect(query.exception).toBeNull();
  });
});
