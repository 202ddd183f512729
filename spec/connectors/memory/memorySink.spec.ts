import { memorySink, MemorySink } from '../../../connectors/memory/memorySink';
import { ErrorCodes, WeirError } from '../../../lib/errors';
import { sinkContract, testBatchInfo } from '../../support/sinkContract';

sinkContract({
  name: 'memorySink',
  delivery: 'idempotent',
  create: () => {
    const sink = memorySink({ name: 'contract' });
    return { sink, output: () => ({ rows: sink.rows(), latestBatchId: sink.latestBatchId }) };
  },
});

describe('memorySink', () => {
  it('is a table named by its name, empty at first', () => {
    const sink = memorySink({ name: 'counts' });
    expect(sink).toBeInstanceOf(MemorySink);
    expect(sink.name).toBe('counts');
    expect(sink.description).toBe('MemorySink');
    expect(sink.rows()).toEqual([]);
    expect(sink.lastBatch()).toEqual([]);
    expect(sink.batches().size).toBe(0);
    expect(sink.latestBatchId).toBeUndefined();
    expect(sink.lastBatchOutputRows).toBe(-1);
  });

  it.each([[{ name: '' }], [{ name: 42 }], [{}], [undefined]])('rejects bad options %p', (options) => {
    expect(() => memorySink(options as never)).toThrow(WeirError);
    try {
      memorySink(options as never);
    } catch (e) {
      expect((e as WeirError).code).toBe(ErrorCodes.INVALID_ARGUMENT);
    }
  });

  it('append: appends each batch', async () => {
    const sink = memorySink<{ v: number }>({ name: 't' });
    await sink.addBatch(0, [{ v: 1 }, { v: 2 }], testBatchInfo(0, 'append'));
    await sink.addBatch(1, [{ v: 3 }], testBatchInfo(1, 'append'));
    expect(sink.rows()).toEqual([{ v: 1 }, { v: 2 }, { v: 3 }]);
    expect(sink.lastBatch()).toEqual([{ v: 3 }]);
    expect([...sink.batches()]).toEqual([
      [0, [{ v: 1 }, { v: 2 }]],
      [1, [{ v: 3 }]],
    ]);
    expect(sink.latestBatchId).toBe(1);
    expect(sink.lastBatchOutputRows).toBe(1);
  });

  it('complete: replaces the table with each batch', async () => {
    const sink = memorySink<{ k: string; n: number }>({ name: 't' });
    await sink.addBatch(0, [{ k: 'a', n: 1 }], testBatchInfo(0, 'complete'));
    await sink.addBatch(1, [{ k: 'a', n: 2 }, { k: 'b', n: 1 }], testBatchInfo(1, 'complete'));
    expect(sink.rows()).toEqual([
      { k: 'a', n: 2 },
      { k: 'b', n: 1 },
    ]);
    expect([...sink.batches().keys()]).toEqual([1]);
    await sink.addBatch(2, [], testBatchInfo(2, 'complete'));
    expect(sink.rows()).toEqual([]);
    expect(sink.latestBatchId).toBe(2);
  });

  it('update: appends the updated rows (as Spark MemorySink does)', async () => {
    const sink = memorySink<{ k: string; n: number }>({ name: 't' });
    await sink.addBatch(0, [{ k: 'a', n: 1 }], testBatchInfo(0, 'update'));
    await sink.addBatch(1, [{ k: 'a', n: 2 }], testBatchInfo(1, 'update'));
    expect(sink.rows()).toEqual([
      { k: 'a', n: 1 },
      { k: 'a', n: 2 },
    ]);
  });

  it('ignores a batch id <= the latest one it holds', async () => {
    const sink = memorySink<{ v: number }>({ name: 't' });
    await sink.addBatch(3, [{ v: 1 }], testBatchInfo(3));
    await sink.addBatch(3, [{ v: 99 }], testBatchInfo(3));
    await sink.addBatch(2, [{ v: 98 }], testBatchInfo(2));
    expect(sink.rows()).toEqual([{ v: 1 }]);
    await sink.addBatch(3, [{ v: 97 }], testBatchInfo(3, 'complete'));
    expect(sink.rows()).toEqual([{ v: 1 }]);
    expect(sink.latestBatchId).toBe(3);
  });

  it('counts an empty batch as the latest batch', async () => {
    const sink = memorySink<{ v: number }>({ name: 't' });
    await sink.addBatch(0, [{ v: 1 }], testBatchInfo(0));
    await sink.addBatch(1, [], testBatchInfo(1));
    expect(sink.latestBatchId).toBe(1);
    expect(sink.lastBatch()).toEqual([]);
    await sink.addBatch(1, [{ v: 2 }], testBatchInfo(1));
    expect(sink.rows()).toEqual([{ v: 1 }]);
  });

  it('clear() empties the table and forgets the latest batch id (Spark)', async () => {
    const sink = memorySink<{ v: number }>({ name: 't' });
    await sink.addBatch(5, [{ v: 1 }], testBatchInfo(5));
    sink.clear();
    expect(sink.rows()).toEqual([]);
    expect(sink.latestBatchId).toBeUndefined();
    await sink.addBatch(0, [{ v: 2 }], testBatchInfo(0));
    expect(sink.rows()).toEqual([{ v: 2 }]);
  });

  it('hands out copies', async () => {
    const sink = memorySink<{ v: number }>({ name: 't' });
    await sink.addBatch(0, [{ v: 1 }], testBatchInfo(0));
    sink.rows().push({ v: 2 });
    sink.lastBatch().push({ v: 3 });
    sink.batches().get(0)?.push({ v: 4 });
    expect(sink.rows()).toEqual([{ v: 1 }]);
  });
});
