import { MemoryCheckpointStore } from '../../lib/checkpoint/MemoryCheckpointStore';
import { MetadataLog } from '../../lib/checkpoint/MetadataLog';
import { describeCheckpointStoreContract } from './checkpointStoreContract';

describeCheckpointStoreContract('MemoryCheckpointStore', async () => {
  const store = new MemoryCheckpointStore();
  // Writes are atomic in memory, so planting is just writing.
  return { store, plant: (relative, data) => store.writeAtomic(relative, data) };
});

describe('MemoryCheckpointStore as a fault injector', () => {
  it('stores the exact bytes it is given, so torn and corrupt files are injected by writing them', async () => {
    const store = new MemoryCheckpointStore();
    const log = new MetadataLog(store, 'log', { version: 1, encode: (v: string) => [v], decode: (lines) => lines[0] ?? '' });
    await log.add(0, 'intact');
    const good = (await store.read('log/0')) as Buffer;
    await store.writeAtomic('log/1', good.subarray(0, good.length - 3));
    const flipped = Buffer.from(good);
    flipped[4] = (flipped[4] as number) ^ 0x01;
    await store.writeAtomic('log/2', flipped);
    expect(await log.inspect(0)).toEqual({ kind: 'ok', value: 'intact' });
    expect((await log.inspect(1))?.kind).toBe('torn');
    expect((await log.inspect(2))?.kind).toBe('corrupt');
  });
});
