import { foreachBatchSink, ForeachBatchSink } from '../../../connectors/foreach/foreachBatchSink';
import { ErrorCodes, WeirError } from '../../../lib/errors';
import type { Row, SinkBatchInfo } from '../../../lib/contracts';
import { sinkContract, testBatchInfo, type SinkDelivery } from '../../support/sinkContract';

async function rejection(promise: Promise<unknown>): Promise<WeirError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WeirError);
  return error as WeirError;
}

sinkContract({
  name: 'foreachBatchSink',
  delivery: 'atLeastOnce',
  create: () => {
    const seen: SinkDelivery[] = [];
    const sink = foreachBatchSink((rows, batchId) => void seen.push({ batchId, rows: [...rows] }));
    return { sink, deliveries: () => seen };
  },
});

describe('foreachBatchSink', () => {
  it('hands each batch and its id to the function, no-data batches included', async () => {
    const seen: [number, readonly Row[]][] = [];
    const sink = foreachBatchSink((rows, batchId) => void seen.push([batchId, rows]));
    expect(sink).toBeInstanceOf(ForeachBatchSink);
    await sink.addBatch(0, [{ v: 1 }], testBatchInfo(0));
    await sink.addBatch(1, [], testBatchInfo(1));
    expect(seen).toEqual([
      [0, [{ v: 1 }]],
      [1, []],
    ]);
    expect(sink.lastBatchOutputRows).toBe(-1);
  });

  it('awaits the function before addBatch resolves', async () => {
    let done = false;
    const sink = foreachBatchSink(async () => {
      await new Promise((resolve) => setImmediate(resolve));
      done = true;
    });
    await sink.addBatch(0, [], testBatchInfo(0));
    expect(done).toBe(true);
  });

  it('re-delivery calls the function again with the same batch id: the idempotency key', async () => {
    const committed = new Map<number, readonly Row[]>();
    let calls = 0;
    const sink = foreachBatchSink((rows, batchId) => {
      calls += 1;
      if (committed.has(batchId)) return;
      committed.set(batchId, rows);
    });
    await sink.addBatch(0, [{ v: 1 }], testBatchInfo(0));
    await sink.addBatch(0, [{ v: 1 }], testBatchInfo(0));
    expect(calls).toBe(2);
    expect([...committed]).toEqual([[0, [{ v: 1 }]]]);
  });

  it('wraps a failure of the function in SINK_ERROR with the batch id and cause', async () => {
    const boom = new Error('boom');
    const sync = foreachBatchSink(() => {
      throw boom;
    });
    const error = await rejection(sync.addBatch(9, [], testBatchInfo(9)));
    expect(error.code).toBe(ErrorCodes.SINK_ERROR);
    expect(error.context.batchId).toBe(9);
    expect(error.cause).toBe(boom);

    const async = foreachBatchSink(async () => Promise.reject(boom));
    const asyncError = await rejection(async.addBatch(2, [], testBatchInfo(2)));
    expect(asyncError.code).toBe(ErrorCodes.SINK_ERROR);
    expect(asyncError.cause).toBe(boom);
  });

  it('toBatch turns the rows into what the function receives (the DataFrame face extension point)', async () => {
    const seen: unknown[] = [];
    const sink = foreachBatchSink<Row, { size: number; mode: string }>(
      (batch, batchId) => void seen.push([batchId, batch]),
      { toBatch: (rows, info: SinkBatchInfo) => ({ size: rows.length, mode: info.outputMode }) },
    );
    await sink.addBatch(4, [{ v: 1 }, { v: 2 }], testBatchInfo(4, 'update'));
    expect(seen).toEqual([[4, { size: 2, mode: 'update' }]]);
  });

  it.each([
    [undefined, undefined],
    ['f', undefined],
    [() => undefined, { toBatch: 3 }],
  ])('rejects bad arguments (%p, %p) with INVALID_ARGUMENT', (fn, options) => {
    let code: string | undefined;
    try {
      foreachBatchSink(fn as never, options as never);
    } catch (e) {
      code = (e as WeirError).code;
    }
    expect(code).toBe(ErrorCodes.INVALID_ARGUMENT);
  });
});
