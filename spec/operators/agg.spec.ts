import { TestScheduler } from 'rxjs/testing';
import { tap } from 'rxjs';
import { agg, aggregate as A, count, groupByKey, sessionWindow, window, withWatermark } from '../../operators';
import { OperatorHarness } from '../../lib/testing';
import { EngineBatchContext } from '../../lib/engine/EngineBatchContext';
import { MemoryStateStoreProvider } from '../../lib/state';
import type { MicroBatch, Row, StateStore } from '../../lib/contracts';

const T0 = Date.parse('2024-01-01T00:00:00Z');
const ts = (s: number): Date => new Date(T0 + s * 1000);
const win = (startS: number, endS: number) => ({ start: ts(startS), end: ts(endS) });

const windowedCount = () => [withWatermark('ts', '10 seconds'), window('ts', '10 seconds'), groupByKey('window', 'word'), count()];

describe('agg (windowed count) on the operator harness', () => {
  it('append: emits each window once, when the watermark passes its end, then evicts it', () => {
    const h = new OperatorHarness(windowedCount(), { outputMode: 'append' });
    expect(h.processBatch([{ word: 'a', ts: ts(1) }, { word: 'a', ts: ts(5) }, { word: 'b', ts: ts(12) }])).toEqual([]);
    expect(h.watermarkMs).toBe(T0 + 2_000);
    expect(h.advanceWatermark()).toEqual([]); // wm 2 s: no window ends by then
    expect(h.processBatch([{ word: 'a', ts: ts(25) }])).toEqual([]);
    expect(h.watermarkMs).toBe(T0 + 15_000);
    expect(h.advanceWatermark()).toEqual([{ window: win(0, 10), word: 'a', count: 2 }]);
    expect(h.stateRowCount()).toBe(2); // [10,20) b and [20,30) a
    expect(h.processBatch([{ word: 'a', ts: ts(3) }])).toEqual([]); // late: end 10 <= previous watermark 15
    expect(h.advanceWatermark()).toEqual([]);
  });

  it('update: emits changed windows each batch and evicts silently past the watermark', () => {
    const h = new OperatorHarness(windowedCount(), { outputMode: 'update' });
    expect(h.processBatch([{ word: 'a', ts: ts(1) }, { word: 'a', ts: ts(2) }])).toEqual([{ window: win(0, 10), word: 'a', count: 2 }]);
    expect(h.processBatch([{ word: 'a', ts: ts(3) }, { word: 'b', ts: ts(30) }])).toEqual([
      { window: win(0, 10), word: 'a', count: 3 },
      { window: win(30, 40), word: 'b', count: 1 },
    ]);
    expect(h.advanceWatermark()).toEqual([]); // the no-data batch evicts [0,10) without output
    expect(h.stateRowCount()).toBe(1);
  });

  it('complete: emits the whole table every batch, never evicts or drops late rows', () => {
    const h = new OperatorHarness(windowedCount(), { outputMode: 'complete' });
    h.processBatch([{ word: 'a', ts: ts(1) }, { word: 'b', ts: ts(100) }]);
    expect(h.needsNoDataBatch()).toBe(false);
    const out = h.processBatch([{ word: 'a', ts: ts(2) }]); // far behind the watermark (90 s)
    expect(out).toEqual(
      expect.arrayContaining([
        { window: win(0, 10), word: 'a', count: 2 },
        { window: win(100, 110), word: 'b', count: 1 },
      ]),
    );
    expect(out).toHaveLength(2);
  });

  it('restores from a snapshot into a fresh instance and continues exactly like the original', () => {
    const rows = [
      [{ word: 'a', ts: ts(1) }, { word: 'b', ts: ts(4) }],
      [{ word: 'a', ts: ts(14) }],
      [{ word: 'b', ts: ts(33) }, { word: 'a', ts: ts(2) }],
      [{ word: 'a', ts: ts(50) }],
    ];
    const original = new OperatorHarness(windowedCount());
    const outputs: Row[][] = [];
    for (const r of rows) {
      outputs.push(original.processBatch(r), original.advanceWatermark());
    }
    const first = new OperatorHarness(windowedCount());
    first.processBatch(rows[0]!);
    first.advanceWatermark();
    first.processBatch(rows[1]!);
    first.advanceWatermark();
    const restored = OperatorHarness.restore(windowedCount(), first.snapshot());
    expect(restored.stateRowCount()).toBe(first.stateRowCount());
    const rest: Row[][] = [];
    for (const r of rows.slice(2)) rest.push(restored.processBatch(r), restored.advanceWatermark());
    expect(rest).toEqual(outputs.slice(4));
  });

  it('several aggregates with Spark null semantics, keyed by a function', () => {
    const h = new OperatorHarness(
      [groupByKey((r: Row) => ({ user: r.user })), agg({ n: A.count(), total: A.sum('v'), mean: A.avg('v'), hi: A.max('v'), vs: A.collect_list('v') })],
      { outputMode: 'update' },
    );
    expect(h.processBatch([{ user: 'x', v: 1 }, { user: 'x', v: null }, { user: 'y', v: null }])).toEqual([
      { user: 'x', n: 2, total: 1, mean: 1, hi: 1, vs: [1] },
      { user: 'y', n: 1, total: null, mean: null, hi: null, vs: [] },
    ]);
    expect(h.processBatch([{ user: 'x', v: 5 }])).toEqual([{ user: 'x', n: 3, total: 6, mean: 3, hi: 5, vs: [1, 5] }]);
  });

  it('session windows: merge overlapping sessions across batches, emit when the watermark passes the end', () => {
    const ops = [withWatermark('ts', '5 seconds'), sessionWindow('ts', '10 seconds'), groupByKey('user', 'session_window'), count()];
    const h = new OperatorHarness(ops, { outputMode: 'append' });
    h.processBatch([{ user: 'u', ts: ts(0) }, { user: 'u', ts: ts(8) }]);
    h.advanceWatermark();
    h.processBatch([{ user: 'u', ts: ts(17) }, { user: 'v', ts: ts(2) }]); // 17 < 8 + 10: the same session
    expect(h.advanceWatermark()).toEqual([{ user: 'v', session_window: win(2, 12), count: 1 }]);
    expect(h.processBatch([{ user: 'u', ts: ts(60) }])).toEqual([]);
    expect(h.advanceWatermark()).toEqual([{ user: 'u', session_window: win(0, 27), count: 3 }]);
  });

  it("rejects the query shapes Spark rejects, with Spark's text", () => {
    const noWatermark = new OperatorHarness([groupByKey('word'), count()], { outputMode: 'append' });
    expect(() => noWatermark.processBatch([{ word: 'a' }])).toThrow(
      expect.objectContaining({
        code: 'UNSUPPORTED_OPERATION',
        message: '[STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION] Invalid streaming output mode: append. This output mode is not supported for streaming aggregations without watermark on streaming DataFrames/DataSets. SQLSTATE: 42KDE',
      }),
    );
    const sessionUpdate = new OperatorHarness(
      [withWatermark('ts', '1 second'), sessionWindow('ts', '1 second'), groupByKey('k', 'session_window'), count()],
      { outputMode: 'update' },
    );
    expect(() => sessionUpdate.processBatch([])).toThrow('[STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION] Invalid streaming output mode: update. This output mode is not supported for session window streaming aggregations on streaming DataFrames/DataSets. SQLSTATE: 42KDE');
    const globalSession = new OperatorHarness(
      [withWatermark('ts', '1 second'), sessionWindow('ts', '1 second'), groupByKey('session_window'), count()],
      { outputMode: 'append' },
    );
    expect(() => globalSession.processBatch([])).toThrow('Global aggregation with session window in streaming query is not supported');
    expect(() => withWatermark('ts', -5)).toThrow('delay threshold (-5) should not be negative.');
  });
});

describe('agg marble test (synchronous memory state store, virtual time)', () => {
  it('emits one output batch per input batch on the same frames', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    const provider = new MemoryStateStoreProvider();
    const contexts: EngineBatchContext[] = [];
    const batch = (batchId: number, rows: Row[]): MicroBatch<Row> => {
      const context = new EngineBatchContext('marble', '', batchId, provider);
      contexts.push(context);
      return { batchId, rows, watermarkMs: 0, lateEventsWatermarkMs: 0, batchTimestampMs: 0, outputMode: 'update', context };
    };
    scheduler.run(({ cold, expectObservable }) => {
      const input = cold('a-b--c|', {
        a: batch(0, [{ k: 'x' }, { k: 'y' }]),
        b: batch(1, [{ k: 'x' }]),
        c: batch(2, []),
      });
      const output = input.pipe(
        groupByKey('k'),
        count(),
        // The engine commits state after the sink; here right after the operator, still synchronously.
        tap((b) => {
          for (const s of (b.context as EngineBatchContext).openedStores().values()) void (s as StateStore).commit();
        }),
      );
      expectObservable(output).toBe('a-b--c|', {
        a: expect.objectContaining({ batchId: 0, rows: [{ k: 'x', count: 1 }, { k: 'y', count: 1 }] }),
        b: expect.objectContaining({ batchId: 1, rows: [{ k: 'x', count: 2 }] }),
        c: expect.objectContaining({ batchId: 2, rows: [] }),
      });
    });
  });
});
