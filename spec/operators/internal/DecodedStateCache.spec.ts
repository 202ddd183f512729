import { DecodedStateCache, isCodecStable } from '../../../operators/internal/DecodedStateCache';
import { aggregate as A, agg, groupByKey } from '../../../operators';
import { OperatorHarness } from '../../../lib/testing';
import { MemoryStateStoreProvider } from '../../../lib/state/MemoryStateStoreProvider';
import { LevelStateStoreProvider } from '../../../lib/state/LevelStateStoreProvider';
import type { StateStore } from '../../../lib/contracts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

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

  it("estimates its heap bytes, and the store counts them in memoryUsedBytes (LevelDB and memory)", async () => {
    const group = (i: number) => ({ k: { window: { start: new Date(0), end: new Date(10_000) }, key: `user-${i}` }, b: [i] });
    const small = new DecodedStateCache<unknown>();
    expect(small.memoryBytes()).toBe(0);
    for (let i = 0; i < 10; i += 1) small.set(`id-${i}`, group(i));
    const large = new DecodedStateCache<unknown>();
    for (let i = 0; i < 1000; i += 1) large.set(`id-${i}`, group(i));
    expect(small.memoryBytes()).toBeGreaterThan(10 * 200);
    // Sampled and scaled: same-shaped entries give a proportional estimate.
    const ratio = large.memoryBytes() / small.memoryBytes();
    expect(ratio).toBeGreaterThan(95);
    expect(ratio).toBeLessThan(106);
    const before = large.memoryBytes();
    large.delete('id-500');
    expect(large.memoryBytes()).toBeLessThan(before);

    const dir = mkdtempSync(path.join(tmpdir(), 'weir-decoded-bytes-'));
    try {
      for (const provider of [new MemoryStateStoreProvider(), new LevelStateStoreProvider(dir)]) {
        const s0 = (await provider.open('agg', 0)) as StateStore;
        s0.put(Uint8Array.of(1), 'x');
        await s0.commit();
        const without = s0.metrics().memoryUsedBytes;
        const s1 = (await provider.open('agg', 1)) as StateStore;
        const cache = await DecodedStateCache.of<unknown>(s1);
        for (let i = 0; i < 100; i += 1) cache.set(`id-${i}`, group(i));
        s1.put(Uint8Array.of(1), 'x');
        expect(s1.metrics().memoryUsedBytes).toBeGreaterThanOrEqual(without + cache.memoryBytes());
        await s1.commit();
        expect(s1.metrics().memoryUsedBytes).toBe(without + cache.memoryBytes());
        await provider.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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

describe('the aggregation with its decoded groups', () => {
  it('gives the same rows uninterrupted and after a restart when a buffer holds a value the codec changes (-0)', () => {
    const ops = () => [groupByKey('word'), agg({ hi: A.max('v'), f: A.first('o') })];
    const batches = [[{ word: 'a', v: -0, o: -0 }], [{ word: 'a', v: -1, o: 5 }]];
    const uninterrupted = new OperatorHarness(ops(), { outputMode: 'update' });
    const straight = batches.map((b) => uninterrupted.processBatch(b));
    const first = new OperatorHarness(ops(), { outputMode: 'update' });
    first.processBatch(batches[0]!);
    const restored = OperatorHarness.restore(ops(), first.snapshot(), { outputMode: 'update' });
    const after = restored.processBatch(batches[1]!);
    expect(Object.is(after[0]!.hi, straight[1]![0]!.hi)).toBe(true);
    expect(Object.is(after[0]!.f, straight[1]![0]!.f)).toBe(true);
  });

  it('isCodecStable: what the state codec gives back unchanged', () => {
    const stable = [null, 'x', true, 1.5, NaN, new Date(0), [1, 'a', { b: [null] }], { window: { start: new Date(1), end: new Date(2) }, key: 3 }];
    const unstable = [-0, undefined, 1n, new Map(), new Set(), new Uint8Array(1), new Date(NaN), [1, -0], { a: undefined }, new (class X {})(), new Array<number>(2)];
    expect(stable.map((v) => isCodecStable(v, 0))).toEqual(stable.map(() => true));
    expect(unstable.map((v) => isCodecStable(v, 0))).toEqual(unstable.map(() => false));
  });
});
