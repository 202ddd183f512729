import { noopSink, NoopSink } from '../../../connectors/noop/noopSink';
import { sinkContract, testBatchInfo } from '../../support/sinkContract';

sinkContract({
  name: 'noopSink',
  delivery: 'idempotent',
  create: () => {
    const sink = noopSink();
    return { sink, output: () => ({ numRows: sink.numRows, numBatches: sink.numBatches }) };
  },
});

describe('noopSink', () => {
  it('discards rows and counts them per distinct batch', async () => {
    const sink = noopSink<{ v: number }>();
    expect(sink).toBeInstanceOf(NoopSink);
    expect(sink.lastBatchOutputRows).toBe(-1);
    await sink.addBatch(0, [{ v: 1 }, { v: 2 }], testBatchInfo(0));
    await sink.addBatch(1, [], testBatchInfo(1));
    await sink.addBatch(1, [{ v: 3 }], testBatchInfo(1));
    await sink.addBatch(2, [{ v: 4 }], testBatchInfo(2, 'complete'));
    expect(sink.numRows).toBe(3);
    expect(sink.numBatches).toBe(3);
    expect(sink.lastBatchOutputRows).toBe(1);
  });
});
