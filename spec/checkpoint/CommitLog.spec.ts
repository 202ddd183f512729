import { CommitLog, commitCodec } from '../../lib/checkpoint/CommitLog';
import { encodeLogFile } from '../../lib/checkpoint/logFile';
import { MemoryCheckpointStore } from '../../lib/checkpoint/MemoryCheckpointStore';

describe('CommitLog', () => {
  it('writes v1 and one JSON line, and reads it back', async () => {
    const store = new MemoryCheckpointStore();
    const log = new CommitLog(store);
    await log.add(4, { nextBatchWatermarkMs: 12000, queryId: 'q' });
    expect((await store.read('commits/4'))?.toString().split('\n').slice(0, 2)).toEqual([
      'v1',
      '{"nextBatchWatermarkMs":12000,"queryId":"q"}',
    ]);
    expect(await log.get(4)).toEqual({ nextBatchWatermarkMs: 12000, queryId: 'q' });
  });

  it('reports malformed entries as corrupt', async () => {
    const store = new MemoryCheckpointStore();
    const log = new CommitLog(store);
    const bad = [[], ['{}'], ['{"nextBatchWatermarkMs":0}'], ['{"nextBatchWatermarkMs":null,"queryId":"q"}'], ['{"nextBatchWatermarkMs":0,"queryId":"q"}', 'extra']];
    for (const [i, lines] of bad.entries()) {
      await store.writeAtomic(`commits/${i}`, encodeLogFile(1, lines));
      expect((await log.inspect(i))?.kind).toBe('corrupt');
    }
    expect(commitCodec.version).toBe(1);
  });
});
