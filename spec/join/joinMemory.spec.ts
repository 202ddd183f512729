/**
 * A stream-stream join's buffered rows live in its state store's memo (an in-memory index), so the store's
 * memoryUsedBytes counts them (StateStore.memo with memoryBytes()): progress reports more memory as more rows are
 * buffered, and less once the watermark evicts them.
 */
import { MemoryStream, startQuery } from '../../index';
import { joinStream, withWatermark } from '../../operators';
import { noopSink } from '../../sinks';

const T0 = Date.UTC(2024, 0, 1);

describe('stream-stream join memory', () => {
  it('memoryUsedBytes of each side grows with its buffered rows and falls after eviction', async () => {
    const left = new MemoryStream<{ k: string; ts: Date; text: string }>();
    const right = new MemoryStream<{ k: string; rts: Date }>();
    const query = await startQuery({
      inputs: [
        { source: left, pipeline: [withWatermark('ts', '1 second')] },
        { source: right, pipeline: [withWatermark('rts', '1 second')] },
      ],
      pipeline: [joinStream({ on: 'k', between: { left: 'ts', right: 'rts', lower: '-1 second', upper: '1 second' } })],
      sink: noopSink(),
    });
    const leftBytes = (): number => query.lastProgress!.stateOperators.reduce((n, o) => n + o.memoryUsedBytes, 0);
    try {
      const rows = (from: number, n: number) =>
        Array.from({ length: n }, (_, i) => ({ k: `k${from + i}`, ts: new Date(T0 + 1000), text: 'x'.repeat(100) }));
      left.addData(...rows(0, 10));
      await query.processAllAvailable();
      const small = leftBytes();
      left.addData(...rows(10, 1000));
      await query.processAllAvailable();
      const large = leftBytes();
      // 1,000 more buffered rows of 100-character strings: their stored blocks in the read cache (~115 KB, what
      // was counted before the memo was) plus the memo's columns (each string ~216 B as a JS string, the index).
      expect(large - small).toBeGreaterThan(1000 * 300);
      // Both watermarks pass the rows' time: the left side's rows are evicted.
      left.addData({ k: 'late', ts: new Date(T0 + 60_000), text: '' });
      right.addData({ k: 'none', rts: new Date(T0 + 60_000) });
      await query.processAllAvailable();
      // The next batch runs with the watermark those rows moved.
      right.addData({ k: 'none', rts: new Date(T0 + 60_000) });
      await query.processAllAvailable();
      expect(query.lastProgress!.stateOperators[0]!.numRowsTotal).toBeLessThan(10);
      expect(leftBytes()).toBeLessThan(large / 2);
    } finally {
      await query.stop();
    }
  });
});
