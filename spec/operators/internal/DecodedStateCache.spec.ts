import { DecodedStateCache } from '../../../operators/internal/DecodedStateCache';
import { MemoryStateStoreProvider } from '../../../lib/state/MemoryStateStoreProvider';
import type { StateStore } from '../../../lib/contracts';

describe('DecodedStateCache', () => {
  it('clears itself when a new key would pass the limit, and keeps updating known keys', () => {
    const cache = new DecodedStateCache<number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('b', 3);
    expect([cache.size, cache.get('a'), cache.get('b')]).toEqual([2, 1, 3]);
    cache.set('c', 4);
    expect([cache.size, cache.get('a'), cache.get('c')]).toEqual([1, undefined, 4]);
    cache.delete('c');
    expect(cache.get('c')).toBeUndefined();
  });

  it('lives in the store memo: kept while versions continue, gone after an aborted batch', async () => {
    const provider = new MemoryStateStoreProvider();
    const open = async (batchId: number) => (await provider.open('agg', batchId)) as StateStore;
    const s0 = await open(0);
    const c0 = await DecodedStateCache.of<string>(s0);
    c0.set('k', 'v0');
    await s0.commit();
    const s1 = await open(1);
    const c1 = await DecodedStateCache.of<string>(s1);
    expect(c1).toBe(c0);
    expect(c1.get('k')).toBe('v0');
    c1.set('k', 'v1');
    await s1.abort();
    const again = await open(1);
    const c2 = await DecodedStateCache.of<string>(again);
    expect(c2).not.toBe(c0);
    expect(c2.get('k')).toBeUndefined();
    await provider.close();
  });
});
