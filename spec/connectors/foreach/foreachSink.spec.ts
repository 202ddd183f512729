import { foreachSink, ForeachSink, type ForeachWriter } from '../../../connectors/foreach/foreachSink';
import { ErrorCodes, WeirError } from '../../../lib/errors';
import type { Row } from '../../../lib/contracts';
import { sinkContract, testBatchInfo, type SinkDelivery } from '../../support/sinkContract';

/** A writer recording every call. */
function recordingWriter(overrides: Partial<ForeachWriter<Row>> = {}): { writer: ForeachWriter<Row>; calls: unknown[][] } {
  const calls: unknown[][] = [];
  const writer: ForeachWriter<Row> = {
    open: (partitionId, epochId) => {
      calls.push(['open', partitionId, epochId]);
      return overrides.open ? overrides.open(partitionId, epochId) : true;
    },
    process: (row) => {
      calls.push(['process', row]);
      return overrides.process?.(row);
    },
    close: (error) => {
      calls.push(['close', error]);
      return overrides.close?.(error);
    },
  };
  return { writer, calls };
}

async function rejection(promise: Promise<unknown>): Promise<WeirError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WeirError);
  return error as WeirError;
}

sinkContract({
  name: 'foreachSink',
  delivery: 'atLeastOnce',
  create: () => {
    const seen: { batchId: number; rows: Row[] }[] = [];
    const sink = foreachSink<Row>({
      open: (_partitionId, epochId) => {
        seen.push({ batchId: epochId, rows: [] });
        return true;
      },
      process: (row) => void seen[seen.length - 1].rows.push(row),
    });
    return { sink, deliveries: (): SinkDelivery[] => seen };
  },
});

describe('foreachSink', () => {
  it('opens partition 0 with the batch id as epoch, processes each row in order, closes with null', async () => {
    const { writer, calls } = recordingWriter();
    const sink = foreachSink(writer);
    expect(sink).toBeInstanceOf(ForeachSink);
    await sink.addBatch(5, [{ v: 1 }, { v: 2 }], testBatchInfo(5));
    expect(calls).toEqual([['open', 0, 5], ['process', { v: 1 }], ['process', { v: 2 }], ['close', null]]);
    expect(sink.lastBatchOutputRows).toBe(2);
  });

  it('awaits async open, process and close one at a time', async () => {
    const log: string[] = [];
    const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
    const sink = foreachSink<{ v: number }>({
      open: async () => {
        await tick();
        log.push('open');
        return true;
      },
      process: async (row) => {
        log.push(`start ${row.v}`);
        await tick();
        log.push(`end ${row.v}`);
      },
      close: async () => {
        await tick();
        log.push('close');
      },
    });
    await sink.addBatch(0, [{ v: 1 }, { v: 2 }], testBatchInfo(0));
    expect(log).toEqual(['open', 'start 1', 'end 1', 'start 2', 'end 2', 'close']);
  });

  it('open false: processes nothing but still calls close(null)', async () => {
    const { writer, calls } = recordingWriter({ open: () => false });
    await foreachSink(writer).addBatch(1, [{ v: 1 }], testBatchInfo(1));
    expect(calls).toEqual([['open', 0, 1], ['close', null]]);
  });

  it('open resolving false asynchronously is honoured too', async () => {
    const { writer, calls } = recordingWriter({ open: async () => false });
    await foreachSink(writer).addBatch(1, [{ v: 1 }], testBatchInfo(1));
    expect(calls).toEqual([['open', 0, 1], ['close', null]]);
  });

  it('process throws: close(error) is called, then SINK_ERROR with the batch id and cause', async () => {
    const boom = new Error('boom');
    const { writer, calls } = recordingWriter({
      process: (row) => {
        if (row.v === 2) throw boom;
      },
    });
    const sink = foreachSink(writer);
    const error = await rejection(sink.addBatch(3, [{ v: 1 }, { v: 2 }, { v: 3 }], testBatchInfo(3)));
    expect(error.code).toBe(ErrorCodes.SINK_ERROR);
    expect(error.context.batchId).toBe(3);
    expect(error.context.phase).toBe('process');
    expect(error.cause).toBe(boom);
    expect(calls).toEqual([['open', 0, 3], ['process', { v: 1 }], ['process', { v: 2 }], ['close', boom]]);
    expect(sink.lastBatchOutputRows).toBe(-1);
  });

  it('an async process rejection is handled the same way', async () => {
    const boom = new Error('async boom');
    const { writer, calls } = recordingWriter({ process: async () => Promise.reject(boom) });
    const error = await rejection(foreachSink(writer).addBatch(0, [{ v: 1 }], testBatchInfo(0)));
    expect(error.code).toBe(ErrorCodes.SINK_ERROR);
    expect(error.cause).toBe(boom);
    expect(calls.at(-1)).toEqual(['close', boom]);
  });

  it('keeps the process error when close(error) throws as well', async () => {
    const boom = new Error('boom');
    const closeFailure = new Error('close failed');
    const { writer } = recordingWriter({
      process: () => {
        throw boom;
      },
      close: () => {
        throw closeFailure;
      },
    });
    const error = await rejection(foreachSink(writer).addBatch(0, [{ v: 1 }], testBatchInfo(0)));
    expect(error.code).toBe(ErrorCodes.SINK_ERROR);
    expect(error.cause).toBe(boom);
    expect(error.context.closeError).toBe(closeFailure);
  });

  it('open throws: close is not called (Spark), SINK_ERROR', async () => {
    const boom = new Error('cannot connect');
    const { writer, calls } = recordingWriter({
      open: () => {
        throw boom;
      },
    });
    const error = await rejection(foreachSink(writer).addBatch(2, [{ v: 1 }], testBatchInfo(2)));
    expect(error.code).toBe(ErrorCodes.SINK_ERROR);
    expect(error.context).toMatchObject({ batchId: 2, phase: 'open', partitionId: 0 });
    expect(error.cause).toBe(boom);
    expect(calls).toEqual([['open', 0, 2]]);
  });

  it('close(null) throws: SINK_ERROR', async () => {
    const boom = new Error('flush failed');
    const { writer } = recordingWriter({
      close: () => {
        throw boom;
      },
    });
    const error = await rejection(foreachSink(writer).addBatch(0, [], testBatchInfo(0)));
    expect(error.code).toBe(ErrorCodes.SINK_ERROR);
    expect(error.context.phase).toBe('close');
    expect(error.cause).toBe(boom);
  });

  it('calls the writer again with the same epoch id when a batch is re-delivered', async () => {
    const { writer, calls } = recordingWriter();
    const sink = foreachSink(writer);
    await sink.addBatch(0, [{ v: 1 }], testBatchInfo(0));
    await sink.addBatch(0, [{ v: 1 }], testBatchInfo(0));
    expect(calls.filter((c) => c[0] === 'open')).toEqual([
      ['open', 0, 0],
      ['open', 0, 0],
    ]);
  });

  it('open and close are optional (as in PySpark)', async () => {
    const rows: Row[] = [];
    await foreachSink({ process: (row) => void rows.push(row) }).addBatch(0, [{ v: 1 }], testBatchInfo(0));
    expect(rows).toEqual([{ v: 1 }]);
  });

  const noop = (): void => undefined;
  it.each<[unknown]>([[null], [{}], [{ process: 1 }], [{ process: noop, open: true }], [{ process: noop, close: 'x' }]])(
    'rejects a bad writer %p with INVALID_ARGUMENT',
    (writer) => {
      let code: string | undefined;
      try {
        foreachSink(writer as never);
      } catch (e) {
        code = (e as WeirError).code;
      }
      expect(code).toBe(ErrorCodes.INVALID_ARGUMENT);
    },
  );
});
