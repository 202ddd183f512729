/**
 * The plan tree (`lib/plan/`): one analysis over the whole tree, an undeclared user operator that no longer
 * switches the start-time checks off, joins as nodes with two sides (nested anywhere in a DataFrame plan), unions
 * of unions with operators between them, and Spark's tree text in `explain()`.
 */
import { map, pipe } from 'rxjs';
import { MemoryStream, Session, startQuery, type MicroBatch, type Row } from '../../index';
import { agg, aggregate as A, count, groupByKey, window, withWatermark } from '../../operators';
import { memorySink } from '../../sinks';
import { col } from '../../lib/sql/functions';
import { CORRECTNESS_ISSUE } from '../../lib/plan/analysisMessages';

/** An operator over batches that declares nothing (as a user writes one with rxjs). */
const undeclared = map((b: MicroBatch<Row>): MicroBatch<Row> => ({ ...b, rows: b.rows.map((r) => ({ ...r })) }));

describe('plan tree analysis', () => {
  it('an undeclared operator does not switch off the checks after it: the correctness check still fails at start', async () => {
    const start = () =>
      startQuery({
        source: new MemoryStream<Row>(),
        pipeline: [
          undeclared,
          withWatermark('ts', '1 second'),
          window('ts', '10 seconds'),
          groupByKey('window', 'k'),
          count(),
          window('window', '20 seconds'),
          groupByKey('window', 'k'),
          agg({ total: A.sum('count') }),
        ] as never,
        sink: memorySink({ name: 'opaque-correctness' }),
        outputMode: 'update',
      });
    await expect(start()).rejects.toMatchObject({ code: 'UNSUPPORTED_OPERATION', message: CORRECTNESS_ISSUE.message, condition: '_LEGACY_ERROR_TEMP_3102' });
  });

  it('a check that depends on what an undeclared operator may change is deferred with a warning, then fails the first batch', async () => {
    const warnings: string[] = [];
    const input = new MemoryStream<Row>();
    const query = await startQuery({
      source: input,
      pipeline: [pipe(withWatermark('ts', '1 second'), map((b) => b)), groupByKey('k'), count()] as never,
      sink: memorySink({ name: 'opaque-deferred' }),
      outputMode: 'append',
      logger: { warn: (m) => warnings.push(m) },
    });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('Invalid streaming output mode: append');
    expect(warnings[0]).toContain('declares nothing about batch metadata');
    input.addData({ k: 'a', ts: new Date(0) });
    await expect(query.awaitTermination()).rejects.toMatchObject({ cause: expect.objectContaining({ code: 'UNSUPPORTED_OPERATION' }) });
  });
});

describe('plan tree execution (DataFrame face)', () => {
  const T0 = Date.UTC(2026, 0, 1);
  let session: Session;
  beforeAll(() => {
    session = Session.builder().appName('planTree').getOrCreate();
  });
  afterAll(() => session.stop());

  it('a union of unions with a filter between them runs (it was refused before the tree)', async () => {
    const streams = [0, 1, 2].map(() => new MemoryStream(session, 'k STRING, v INT'));
    const [a, b, c] = streams.map((s) => s.toDF());
    const df = a!.union(b!).filter(col('v').gt(1)).union(c!);
    const query = await df.writeStream.format('memory').queryName('unionOfUnions').start();
    streams[0]!.addData({ k: 'a', v: 1 }, { k: 'a', v: 2 });
    streams[1]!.addData({ k: 'b', v: 3 });
    streams[2]!.addData({ k: 'c', v: 0 });
    await query.processAllAvailable();
    const rows = (await session.table('unionOfUnions').collect()).sort((x, y) => String(x.k).localeCompare(String(y.k)));
    await query.stop();
    expect(rows).toEqual([
      { k: 'a', v: 2 },
      { k: 'b', v: 3 },
      { k: 'c', v: 0 },
    ]);
  });

  it('a stream-stream join of a union and a stream: a join node, printed as a tree', async () => {
    const left1 = new MemoryStream(session, 'lk STRING, lt TIMESTAMP');
    const left2 = new MemoryStream(session, 'lk STRING, lt TIMESTAMP');
    const right = new MemoryStream(session, 'rk STRING, rt TIMESTAMP');
    const left = left1.toDF().union(left2.toDF()).withWatermark('lt', '10 seconds');
    const joined = left.join(right.toDF().withWatermark('rt', '10 seconds'), 'lk = rk AND rt >= lt AND rt <= lt + interval 5 seconds');
    const query = await joined.writeStream.format('memory').queryName('joinTree').start();
    const text = query.explain();
    expect(text).toMatch(/\+- StreamingSymmetricHashJoin inner/);
    expect(text).toMatch(/:- .*Union|:- .*EventTimeWatermark|:- /);
    left1.addData({ lk: 'a', lt: new Date(T0) });
    left2.addData({ lk: 'b', lt: new Date(T0) });
    right.addData({ rk: 'b', rt: new Date(T0 + 1000) }, { rk: 'a', rt: new Date(T0 + 2000) });
    await query.processAllAvailable();
    const rows = (await session.table('joinTree').select('lk', 'rk').collect()).sort((x, y) => String(x.lk).localeCompare(String(y.lk)));
    await query.stop();
    expect(rows).toEqual([
      { lk: 'a', rk: 'a' },
      { lk: 'b', rk: 'b' },
    ]);
  });
});

describe('plan trees on the RxJS face', () => {
  it('startQuery({ plan }) runs a join whose left side is a union, built from the exported node builders', async () => {
    const { joinNode, pipeNode, sourceNode, unionNode } = await import('../../index');
    const { streamJoinOperator, streamJoinPlan } = await import('../../operators');
    const T0 = Date.UTC(2026, 0, 1);
    const a = new MemoryStream<Row>();
    const b = new MemoryStream<Row>();
    const c = new MemoryStream<Row>();
    const join = streamJoinOperator(streamJoinPlan({ leftKeys: ['k'], rightKeys: ['rk'], leftColumns: ['k', 'lt'], rightColumns: ['rk', 'rt'] }));
    const plan = joinNode(
      pipeNode(unionNode([sourceNode(a), sourceNode(b)]), [withWatermark('lt', '1 second')]),
      pipeNode(sourceNode(c), [withWatermark('rt', '1 second')]),
      join,
    );
    const sink = memorySink({ name: 'rxjsTree' });
    const query = await startQuery({ plan, sink });
    a.addData({ k: 'x', lt: new Date(T0) });
    b.addData({ k: 'y', lt: new Date(T0) });
    c.addData({ rk: 'y', rt: new Date(T0) }, { rk: 'x', rt: new Date(T0) });
    await query.processAllAvailable();
    const rows = [...sink.rows()].map((r) => `${String(r.k)}=${String(r.rk)}`).sort();
    expect(query.explain()).toContain(':- EventTimeWatermark');
    await query.stop();
    expect(rows).toEqual(['x=x', 'y=y']);
  });
});
