import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { map, pipe } from 'rxjs';
import { agg, aggregate as A, dropDuplicatesWithinWatermark, groupByKey, withWatermark } from '../../operators';
import { startClockedQuery } from '../groupState/clockedQuery';
import { OperatorHarness } from '../../lib/testing';
import { WITHIN_WATERMARK_WITHOUT_WATERMARK } from '../../lib/dedup/deduplicate';
import { MemoryStream } from '../../connectors/memory/MemoryStream';
import { startQuery } from '../../lib/query/startQuery';
import type { MicroBatch, Row } from '../../lib/contracts';
import { memorySink } from '../../connectors/memory/memorySink';

const T0 = Date.parse('2024-01-01T00:00:00Z');
const ts = (s: number): Date => new Date(T0 + s * 1000);

describe('dropDuplicatesWithinWatermark on the operator harness', () => {
  const ops = () => [withWatermark('ts', '10 seconds'), dropDuplicatesWithinWatermark('id')];

  it('drops duplicates while the first occurrence has not expired (event time + delay > watermark)', () => {
    const h = new OperatorHarness(ops());
    expect(h.processBatch([{ id: 'a', ts: ts(5) }, { id: 'a', ts: ts(8) }, { id: 'b', ts: ts(9) }])).toEqual([
      { id: 'a', ts: ts(5) },
      { id: 'b', ts: ts(9) },
    ]);
    expect(h.processBatch([{ id: 'a', ts: ts(12) }, { id: 'c', ts: ts(25) }])).toEqual([{ id: 'c', ts: ts(25) }]);
    expect(h.watermarkMs).toBe(T0 + 15_000);
    h.advanceWatermark(); // a expires at 15 <= 15: evicted; b (19) and c (35) stay
    expect(h.stateRowCount()).toBe(2);
    expect(h.processBatch([{ id: 'a', ts: ts(16) }, { id: 'b', ts: ts(16) }, { id: 'a', ts: ts(14) }])).toEqual([
      { id: 'a', ts: ts(16) }, // emitted again after eviction
    ]); // b still held; a@14 is late (<= 15)
  });

  it('the expiry uses the delay of the watermark on the event-time column', () => {
    const h = new OperatorHarness([withWatermark('ts', '1 minute'), dropDuplicatesWithinWatermark('id')]);
    h.processBatch([{ id: 'a', ts: ts(0) }, { id: 'z', ts: ts(100) }]); // wm -> 40 s; a expires at 60 s
    h.advanceWatermark();
    expect(h.processBatch([{ id: 'a', ts: ts(70) }])).toEqual([]);
    h.processBatch([{ id: 'z', ts: ts(121) }]); // wm -> 61 s
    h.advanceWatermark();
    expect(h.processBatch([{ id: 'a', ts: ts(90) }])).toEqual([{ id: 'a', ts: ts(90) }]);
  });

  it('without columns every column is the key', () => {
    const h = new OperatorHarness([withWatermark('ts', '5 seconds'), dropDuplicatesWithinWatermark()]);
    expect(h.processBatch([{ id: 1, ts: ts(1) }, { id: 1, ts: ts(1) }, { id: 1, ts: ts(2) }])).toEqual([
      { id: 1, ts: ts(1) },
      { id: 1, ts: ts(2) },
    ]);
  });

  it('fails with the first batch when a pipeline hides the missing watermark from the start-time analysis', () => {
    const h = new OperatorHarness([pipe(map((b: MicroBatch<Row>) => b)), dropDuplicatesWithinWatermark('id')]);
    expect(() => h.processBatch([{ id: 1 }])).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED_OPERATION', message: WITHIN_WATERMARK_WITHOUT_WATERMARK.message }),
    );
  });

  it('is rejected at start without a watermark, with Spark\'s message', async () => {
    await expect(
      startQuery({ source: new MemoryStream<Row>(), pipeline: [dropDuplicatesWithinWatermark('id')], sink: memorySink({ name: 'ddw_nowm' }) }),
    ).rejects.toMatchObject({
      code: 'UNSUPPORTED_OPERATION',
      message: 'dropDuplicatesWithinWatermark is not supported on streaming DataFrames/DataSets without watermark',
    });
  });
});

describe('dropDuplicatesWithinWatermark in queries', () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

  it('after a union, uses the watermark delay of the first input (Spark keeps the first child\'s attributes)', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'weir-ddw-union-'));
    roots.push(root);
    const left = new MemoryStream<Row>({ name: 'left' });
    const right = new MemoryStream<Row>({ name: 'right' });
    const q = await startClockedQuery({
      inputs: [
        { source: left, pipeline: [withWatermark('ts', '20 seconds')] },
        { source: right, pipeline: [withWatermark('ts', '5 seconds')] },
      ],
      pipeline: [dropDuplicatesWithinWatermark('id')],
      outputMode: 'append',
      checkpointLocation: path.join(root, 'cp'),
      conf: { 'spark.sql.streaming.multipleWatermarkPolicy': 'max' },
    });
    try {
      left.addData({ id: 'a', ts: ts(0) }); // expires at 20 s (the first input's delay), not 5 s
      right.addData({ id: 'z', ts: ts(20) }); // max policy: wm -> 15 s
      await q.drain();
      right.addData({ id: 'a', ts: ts(21) }, { id: 'z', ts: ts(26) }); // a still held at wm 15; wm -> 21
      await q.drain();
      right.addData({ id: 'a', ts: ts(22) }); // a expired (20 <= 21): emitted again
      await q.drain();
      const ids = [...q.batches.values()].flat().map((r) => `${r.id as string}@${(r.ts as Date).getTime() / 1000 - T0 / 1000}`);
      expect(ids).toEqual(['a@0', 'z@20', 'a@22']);
    } finally {
      await q.stop();
    }
  });

  it('is refused at start where weir does not know the delay of the event-time column (after an aggregation)', async () => {
    await expect(
      startQuery({
        source: new MemoryStream<Row>(),
        pipeline: [withWatermark('ts', '10 seconds'), groupByKey('ts'), agg({ n: A.count() }), dropDuplicatesWithinWatermark('ts')],
        sink: memorySink({ name: 'ddw_after_agg' }),
      }),
    ).rejects.toMatchObject({ code: 'UNSUPPORTED_OPERATION', message: expect.stringContaining('needs the watermark delay of the event-time column ts') });
  });
});
