/**
 * The same Spark golden scenarios as golden.spec.ts, written with the DataFrame face (Session, MemoryStream,
 * withWatermark, groupBy(window(...)).agg(...), union) instead of operators: the planner must produce Spark's
 * rows in Spark's batches too.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { MemoryStream, Session, Trigger, type DataFrame, type Row } from '../../index';
import * as F from '../../lib/sql/functions';
import type { Column } from '../../lib/sql/expr/Column';
import { ManualClock } from '../../lib/time/ManualClock';
import { SESSIONIZE_OUTPUT, SESSIONIZE_STATE, TIMEOUT_PROBE_OUTPUT, TIMEOUT_PROBE_STATE, sessionize, timeoutProbe } from '../groupState/sessionize';
import { canonicalRows, inputSchema, loadScenarios, setColumnsOf, type Scenario, type Stage } from './goldenSupport';

const scenarios = loadScenarios();

function aggColumn(fn: string, column: string | null, as: string): Column {
  const c = column ?? '*';
  const f: Record<string, (x: string) => Column> = {
    count: (x) => F.count(x),
    sum: (x) => F.sum(x),
    avg: (x) => F.avg(x),
    min: (x) => F.min(x),
    max: (x) => F.max(x),
    first: (x) => F.first(x),
    last: (x) => F.last(x),
    collect_list: (x) => F.collect_list(x),
    collect_set: (x) => F.collect_set(x),
    approx_count_distinct: (x) => F.approx_count_distinct(x),
  };
  return f[fn]!(c).alias(as);
}

function build(s: Scenario, inputs: DataFrame[]): DataFrame {
  const perInput = [...inputs];
  let df: DataFrame | undefined = s.inputs === 1 ? perInput[0] : undefined;
  let pendingWindow: Column | undefined;
  for (const st of s.stages as Stage[]) {
    if (st.op === 'withWatermark') {
      if (df === undefined) perInput[st.input ?? 0] = perInput[st.input ?? 0]!.withWatermark(st.column!, st.delay!);
      else df = df.withWatermark(st.column!, st.delay!);
    } else if (st.op === 'joinStatic') {
      df = df!.join(df!.session.createDataFrame(st.rows!, st.staticSchema!), st.condition!, st.how!);
    } else if (st.op === 'join') {
      df = perInput[0]!.join(perInput[1]!, st.condition!, st.how!);
    } else if (st.op === 'dropDuplicates') {
      df = df!.dropDuplicates(st.columns ?? []);
    } else if (st.op === 'dropDuplicatesWithinWatermark') {
      df = df!.dropDuplicatesWithinWatermark(st.columns ?? []);
    } else if (st.op === 'sessionize') {
      // PySpark's applyInPandasWithState, as tools/spark-golden runs it (rows instead of pandas frames).
      df = df!
        .groupBy(...st.keys!)
        .applyInPandasWithState(sessionize(st.gap!, st.outputMode!) as never, SESSIONIZE_OUTPUT, SESSIONIZE_STATE, st.outputMode!, 'EventTimeTimeout');
    } else if (st.op === 'timeoutProbe') {
      df = df!.groupBy(...st.keys!).applyInPandasWithState(timeoutProbe as never, TIMEOUT_PROBE_OUTPUT, TIMEOUT_PROBE_STATE, 'append', 'EventTimeTimeout');
    } else if (st.op === 'union') {
      df = perInput.slice(1).reduce((a, b) => a.union(b), perInput[0]!);
    } else if (st.op === 'window' && st.as !== undefined) {
      perInput[st.input ?? 0] = perInput[st.input ?? 0]!.select(...st.keep!, F.window(st.column!, st.duration!).alias(st.as));
    } else if (st.op === 'window') {
      pendingWindow = F.window(st.column!, st.duration!, st.slide ?? null, st.startTime ?? null);
    } else if (st.op === 'sessionWindow') {
      pendingWindow = F.session_window(st.column!, st.gap!);
    } else if (st.op === 'groupBy') {
      const keys = st.keys!.map((k) => ((k === 'window' || k === 'session_window') && pendingWindow ? pendingWindow : F.col(k)));
      df = df!.groupBy(...keys).agg(...st.aggs!.map((a) => aggColumn(a.fn, a.column, a.as)));
      pendingWindow = undefined;
    } else {
      throw new Error(`unknown stage ${st.op}`);
    }
  }
  return df!;
}

describe('golden scenarios from Apache Spark, through the DataFrame face', () => {
  let spark: Session;
  const roots: string[] = [];
  beforeAll(() => {
    spark = Session.builder().appName('golden').getOrCreate();
  });
  afterAll(async () => {
    await spark.stop();
    roots.forEach((r) => rmSync(r, { recursive: true, force: true }));
  });

  it.each(scenarios.map((s) => [s.name, s] as const))('%s', async (_name, s) => {
    const root = mkdtempSync(path.join(tmpdir(), 'weir-golden-df-'));
    roots.push(root);
    for (const [k, v] of Object.entries(s.conf)) spark.conf.set(k, v);
    const streams = Array.from({ length: s.inputs }, (_, i) => new MemoryStream(spark, inputSchema(s, i)));
    const df = build(s, streams.map((m) => m.toDF()));
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const seen = new Map<number, Row[]>();
    const query = await df.writeStream
      .outputMode(s.outputMode)
      .foreachBatch(async (batch, batchId) => {
        seen.set(batchId, await batch.collect());
      })
      .option('checkpointLocation', path.join(root, 'checkpoint'))
      .trigger(Trigger.ProcessingTime(1000))
      .clock(clock)
      .start();
    for (const k of Object.keys(s.conf)) spark.conf.unset(k);
    const failed = query.awaitTermination().then(
      () => new Error('the query stopped'),
      (e: unknown) => e as Error,
    );
    const tick = async (): Promise<boolean> => {
      const before = query.recentProgress.length;
      const idle = clock.whenWaitingAfter(clock.now() + 1000);
      clock.advance(1000);
      const outcome = await Promise.race([idle.then(() => undefined), failed]);
      if (outcome instanceof Error) throw outcome;
      return query.recentProgress.length > before;
    };
    const setColumns = setColumnsOf(s);
    try {
      await Promise.race([clock.whenWaitingAfter(clock.now()), failed]);
      for (const [n, step] of s.steps.entries()) {
        for (const [input, rows] of Object.entries(step.inputs)) if (rows.length > 0) streams[Number(input)]!.addData(...rows);
        if (s.steps[n + 1]?.addedDuringPreviousBatch) await tick();
        else while (await tick());
        for (const expected of step.batches) {
          const context = `${s.name} step ${n} batch ${expected.batchId}`;
          expect({ context, ran: seen.has(expected.batchId) }).toEqual({ context, ran: true });
          expect({ context, rows: canonicalRows(seen.get(expected.batchId) ?? [], setColumns) }).toEqual({
            context,
            rows: canonicalRows(expected.rows, setColumns),
          });
        }
      }
    } finally {
      await query.stop();
    }
    expect(query.exception).toBeNull();
  });
});
