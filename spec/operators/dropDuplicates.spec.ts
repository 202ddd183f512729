import { TestScheduler } from 'rxjs/testing';
import { dropDuplicates, distinct, withWatermark } from '../../operators';
import { OperatorHarness } from '../../lib/testing';
import { EngineBatchContext } from '../../lib/engine/EngineBatchContext';
import { MemoryStateStoreProvider } from '../../lib/state';
import type { MicroBatch, Row } from '../../lib/contracts';

const T0 = Date.parse('2024-01-01T00:00:00Z');
const ts = (s: number): Date => new Date(T0 + s * 1000);

describe('dropDuplicates on the operator harness', () => {
  it('keeps the first row of each key, within a batch and across batches, and keeps state without a watermark', () => {
    const h = new OperatorHarness([dropDuplicates('word')]);
    expect(h.processBatch([{ word: 'a', v: 1 }, { word: 'b', v: 2 }, { word: 'a', v: 3 }])).toEqual([
      { word: 'a', v: 1 },
      { word: 'b', v: 2 },
    ]);
    expect(h.processBatch([{ word: 'a', v: 4 }, { word: 'c', v: 5 }])).toEqual([{ word: 'c', v: 5 }]);
    expect(h.stateRowCount()).toBe(3);
    expect(h.needsNoDataBatch()).toBe(false);
  });

  it('treats keys by value: Dates by time, null and a missing column alike, numbers by value', () => {
    const h = new OperatorHarness([dropDuplicates('k', 't')]);
    expect(
      h.processBatch([
        { k: 1, t: ts(1) },
        { k: 1, t: new Date(ts(1).getTime()) },
        { k: null, t: ts(2) },
        { t: ts(2) },
        { k: '1', t: ts(1) },
      ]),
    ).toEqual([{ k: 1, t: ts(1) }, { k: null, t: ts(2) }, { k: '1', t: ts(1) }]);
  });

  it('without columns (distinct) the whole row is the key, whatever the property order', () => {
    const h = new OperatorHarness([distinct()]);
    expect(h.processBatch([{ a: 1, b: 2 }, { b: 2, a: 1 }, { a: 1, b: 3 }, { a: 1 }, { b: 1 }])).toEqual([
      { a: 1, b: 2 },
      { a: 1, b: 3 },
      { a: 1 },
      { b: 1 },
    ]);
  });

  it('with the event-time column among the keys: drops late rows and evicts keys <= the watermark', () => {
    const h = new OperatorHarness([withWatermark('ts', '10 seconds'), dropDuplicates('word', 'ts')]);
    expect(h.processBatch([{ word: 'a', ts: ts(5) }, { word: 'a', ts: ts(5) }, { word: 'a', ts: ts(20) }])).toEqual([
      { word: 'a', ts: ts(5) },
      { word: 'a', ts: ts(20) },
    ]);
    expect(h.watermarkMs).toBe(T0 + 10_000);
    expect(h.needsNoDataBatch()).toBe(true);
    expect(h.advanceWatermark()).toEqual([]);
    expect(h.stateRowCount()).toBe(1); // a@5 evicted (5 <= 10), a@20 kept
    // a@5 is late now (5 <= previous watermark 10): dropped, not re-emitted although it left the state.
    expect(h.processBatch([{ word: 'a', ts: ts(5) }, { word: 'a', ts: ts(10) }, { word: 'a', ts: ts(11) }])).toEqual([
      { word: 'a', ts: ts(11) },
    ]);
  });

  it('with a watermark on a column that is not a key: late rows dropped, state never evicted', () => {
    const h = new OperatorHarness([withWatermark('ts', '10 seconds'), dropDuplicates('word')]);
    h.processBatch([{ word: 'a', ts: ts(5) }, { word: 'z', ts: ts(40) }]);
    expect(h.needsNoDataBatch()).toBe(true); // Spark runs the no-data batch even though nothing can be evicted
    h.advanceWatermark();
    expect(h.stateRowCount()).toBe(2);
    expect(h.processBatch([{ word: 'b', ts: ts(20) }, { word: 'a', ts: ts(50) }, { word: 'c', ts: ts(31) }])).toEqual([
      { word: 'c', ts: ts(31) },
    ]);
  });

  it('restores from a snapshot into a fresh instance and continues like the original', () => {
    const ops = () => [withWatermark('ts', '5 seconds'), dropDuplicates('word', 'ts')];
    const batches: Row[][] = [
      [{ word: 'a', ts: ts(1) }, { word: 'b', ts: ts(2) }],
      [{ word: 'a', ts: ts(1) }, { word: 'a', ts: ts(9) }],
      [{ word: 'b', ts: ts(2) }, { word: 'a', ts: ts(9) }, { word: 'c', ts: ts(30) }],
      [{ word: 'c', ts: ts(30) }, { word: 'd', ts: ts(31) }],
    ];
    const original = new OperatorHarness(ops());
    const expected = batches.map((b) => [...original.processBatch(b), ...original.advanceWatermark()]);
    for (let cut = 1; cut < batches.length; cut += 1) {
      const first = new OperatorHarness(ops());
      const out = batches.slice(0, cut).map((b) => [...first.processBatch(b), ...first.advanceWatermark()]);
      const second = OperatorHarness.restore(ops(), first.snapshot());
      out.push(...batches.slice(cut).map((b) => [...second.processBatch(b), ...second.advanceWatermark()]));
      expect({ cut, out }).toEqual({ cut, out: expected });
    }
  });

  it('rejects bad column arguments', () => {
    expect(() => dropDuplicates('a', '')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('dropDuplicates marbles', () => {
  it('runs synchronously on virtual time: one output batch per input batch, on the same frame', () => {
    // Each batch gets its own memory store (cross-batch state is the harness tests' subject).
    const batch = (rows: Row[]): MicroBatch<Row> => ({
      batchId: 0,
      rows,
      watermarkMs: 0,
      lateEventsWatermarkMs: 0,
      batchTimestampMs: 0,
      outputMode: 'append',
      context: new EngineBatchContext('marbles', '', 0, new MemoryStateStoreProvider()),
    });
    const a = batch([{ k: 1 }, { k: 1 }, { k: 2 }]);
    const b = batch([{ k: 3 }, { k: 3 }]);
    new TestScheduler((actual, expected) => expect(actual).toEqual(expected)).run(({ cold, expectObservable }) => {
      expectObservable(cold('a-b|', { a, b }).pipe(dropDuplicates('k'))).toBe('a-b|', {
        a: expect.objectContaining({ rows: [{ k: 1 }, { k: 2 }] }),
        b: expect.objectContaining({ rows: [{ k: 3 }] }),
      });
    });
  });
});
