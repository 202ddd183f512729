import { lastValueFrom, toArray } from 'rxjs';
import { observableSink, ObservableSink, type SinkBatch } from '../../../connectors/observable/observableSink';
import { ErrorCodes, WeirError } from '../../../lib/errors';
import type { Row } from '../../../lib/contracts';
import { sinkContract, testBatchInfo } from '../../support/sinkContract';

sinkContract({
  name: 'observableSink',
  delivery: 'idempotent',
  create: () => {
    const sink = observableSink();
    const seen: unknown[] = [];
    sink.batches$.subscribe({
      next: (b: SinkBatch<Row>) => seen.push(b),
      error: (e: unknown) => seen.push({ error: String(e) }),
      complete: () => seen.push('complete'),
    });
    return { sink, output: () => [...seen] };
  },
});

describe('observableSink', () => {
  it('emits batches and rows to subscribers, hot', async () => {
    const sink = observableSink<{ v: number }>();
    expect(sink).toBeInstanceOf(ObservableSink);
    await sink.addBatch(0, [{ v: 0 }], testBatchInfo(0)); // nobody listens yet: lost
    const batches = lastValueFrom(sink.batches$.pipe(toArray()));
    const rows = lastValueFrom(sink.rows$.pipe(toArray()));
    await sink.addBatch(1, [{ v: 1 }, { v: 2 }], testBatchInfo(1, 'update'));
    await sink.addBatch(2, [], testBatchInfo(2, 'update'));
    await sink.addBatch(3, [{ v: 3 }], testBatchInfo(3, 'update'));
    await sink.close?.();
    expect(await batches).toEqual([
      { batchId: 1, rows: [{ v: 1 }, { v: 2 }], outputMode: 'update' },
      { batchId: 2, rows: [], outputMode: 'update' },
      { batchId: 3, rows: [{ v: 3 }], outputMode: 'update' },
    ]);
    expect(await rows).toEqual([{ v: 1 }, { v: 2 }, { v: 3 }]);
  });

  it('does not emit a re-delivered batch id twice', async () => {
    const sink = observableSink<{ v: number }>();
    const ids: number[] = [];
    sink.batches$.subscribe((b) => ids.push(b.batchId));
    for (const id of [0, 0, 1, 0, 1, 2]) await sink.addBatch(id, [{ v: id }], testBatchInfo(id));
    expect(ids).toEqual([0, 1, 2]);
    expect(sink.lastBatchOutputRows).toBe(1);
  });

  it('emits frozen copies of the rows', async () => {
    const sink = observableSink<{ v: number }>();
    const seen: SinkBatch<{ v: number }>[] = [];
    sink.batches$.subscribe((b) => seen.push(b));
    const rows = [{ v: 1 }];
    await sink.addBatch(0, rows, testBatchInfo(0));
    rows.push({ v: 2 });
    expect(seen[0].rows).toEqual([{ v: 1 }]);
    expect(Object.isFrozen(seen[0].rows)).toBe(true);
  });

  it('errors its streams when closed with an error, and then refuses batches', async () => {
    const sink = observableSink();
    const failure = new Error('query failed');
    const batches = lastValueFrom(sink.batches$);
    const rows = lastValueFrom(sink.rows$);
    await sink.close?.(failure);
    await expect(batches).rejects.toBe(failure);
    await expect(rows).rejects.toBe(failure);
    const error = await sink.addBatch(0, [], testBatchInfo(0)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WeirError);
    expect((error as WeirError).code).toBe(ErrorCodes.SINK_ERROR);
    expect((error as WeirError).context.batchId).toBe(0);
  });

  it('completes on close(null) and ignores a second close', async () => {
    const sink = observableSink();
    let completed = 0;
    sink.batches$.subscribe({ complete: () => (completed += 1) });
    await sink.close?.(null);
    await sink.close?.(new Error('late'));
    expect(completed).toBe(1);
  });
});
