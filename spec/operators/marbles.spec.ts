/**
 * Marble tests (RxJS TestScheduler, virtual time) for the batch operators: one output batch per input batch, on
 * the same frame, with the rows and metadata each operator promises.
 */
import { TestScheduler } from 'rxjs/testing';
import { groupByKey, sessionWindow, window, withWatermark } from '../../operators';
import { EngineBatchContext } from '../../lib/engine/EngineBatchContext';
import { MemoryStateStoreProvider } from '../../lib/state';
import type { MicroBatch, Row } from '../../lib/contracts';

const T0 = Date.parse('2024-01-01T00:00:00Z');
const t = (s: number) => new Date(T0 + s * 1000);

function batch(batchId: number, rows: Row[], metadata?: MicroBatch['metadata']): MicroBatch<Row> {
  const context = new EngineBatchContext('marbles', '', batchId, new MemoryStateStoreProvider());
  return { batchId, rows, watermarkMs: 0, lateEventsWatermarkMs: 0, batchTimestampMs: 0, outputMode: 'append', context, ...(metadata ? { metadata } : {}) };
}

const scheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

describe('operator marbles', () => {
  it('withWatermark passes rows unchanged, marks the event-time column and reports event-time stats', () => {
    const a = batch(0, [{ ts: t(1) }, { ts: t(5) }, { ts: null }]);
    const b = batch(1, []);
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('a--b|', { a, b }).pipe(withWatermark('ts', '2 seconds'))).toBe('a--b|', {
        a: expect.objectContaining({ rows: a.rows, metadata: { eventTimeColumn: 'ts', eventTimeDelayMs: 2000 } }),
        b: expect.objectContaining({ rows: [], metadata: { eventTimeColumn: 'ts', eventTimeDelayMs: 2000 } }),
      });
    });
    expect((a.context as EngineBatchContext).eventTimeReports.get('watermark-0')).toEqual({
      stats: { min: T0 + 1000, max: T0 + 5000, sum: 2 * T0 + 6000, count: 2 },
      delayMs: 2000,
    });
    expect((b.context as EngineBatchContext).eventTimeReports.get('watermark-0')?.stats.count).toBe(0);
  });

  it('window assigns tumbling and sliding windows, drops null times, and moves the event-time column', () => {
    const a = batch(0, [{ k: 1, ts: t(7) }, { k: 2, ts: null }], { eventTimeColumn: 'ts' });
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-a|', { a }).pipe(window('ts', '10 seconds', '5 seconds'))).toBe('-a|', {
        a: expect.objectContaining({
          rows: [
            { k: 1, ts: t(7), window: { start: t(5), end: t(15) } },
            { k: 1, ts: t(7), window: { start: t(0), end: t(10) } },
          ],
          metadata: { eventTimeColumn: 'window' },
        }),
      });
    });
  });

  it('sessionWindow opens [t, t + gap) per row and drops rows with a non-positive dynamic gap', () => {
    const a = batch(0, [{ u: 'x', ts: t(3), g: 5 }, { u: 'y', ts: t(4), g: 0 }], { eventTimeColumn: 'ts' });
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('a|', { a }).pipe(sessionWindow('ts', (r: Row) => `${r.g as number} seconds`))).toBe('a|', {
        a: expect.objectContaining({
          rows: [{ u: 'x', ts: t(3), g: 5, session_window: { start: t(3), end: t(8) } }],
          metadata: { eventTimeColumn: 'session_window' },
        }),
      });
    });
  });

  it('groupByKey records the grouping and leaves rows alone', () => {
    const a = batch(0, [{ k: 1 }]);
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('a-a|', { a }).pipe(groupByKey('k'))).toBe('a-a|', {
        a: expect.objectContaining({ rows: [{ k: 1 }], metadata: { grouping: { columns: ['k'] } } }),
      });
    });
  });
});
