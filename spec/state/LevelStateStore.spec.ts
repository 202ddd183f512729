/**
 * LevelStateStore: the shared contract on a real temp folder, plus what only the LevelDB store promises: version
 * continuity (sync open, cached reads as plain values, a bounded cache kept across batches, dropped on rollback),
 * one database per query shared by operators, the folder lock, and the sync option.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { StateStore } from '../../lib/contracts';
import { ErrorCodes } from '../../lib/errors';
import { encodeKey } from '../../lib/state/keyEncoding';
import { LevelStateStoreProvider } from '../../lib/state/LevelStateStoreProvider';
import { expectWeirError } from '../support/expectWeirError';
import { describeStateStoreContract } from './stateStoreContract';

describeStateStoreContract('LevelStateStore', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'weir-state-'));
  return {
    newProvider: () => new LevelStateStoreProvider(dir),
    cleanup: () => fs.rm(dir, { recursive: true, force: true }),
  };
});

describe('LevelStateStore', () => {
  let dir: string;
  const providers: LevelStateStoreProvider[] = [];
  const newProvider = (options?: ConstructorParameters<typeof LevelStateStoreProvider>[1]): LevelStateStoreProvider => {
    const provider = new LevelStateStoreProvider(dir, options);
    providers.push(provider);
    return provider;
  };
  const key = (n: number): Uint8Array => encodeKey(['w', n]);

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'weir-state-'));
  });
  afterEach(async () => {
    for (const p of providers.splice(0)) await p.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('keeps one LevelDB at <statePath>/leveldb and its identity file beside it', async () => {
    const provider = newProvider();
    expect(provider.location).toBe(path.join(dir, 'leveldb'));
    await (await provider.open('a', 0)).commit();
    await (await provider.open('b', 0)).commit();
    expect(await fs.readdir(dir)).toEqual(['leveldb', 'leveldb-identity']);
    expect(await fs.readdir(path.join(dir, 'leveldb'))).toContain('CURRENT');
  });

  it('continues versions in memory: the next open is synchronous and the hot keys are answered without LevelDB', async () => {
    const provider = newProvider();
    const first = await provider.open('agg', 0);
    for (let i = 0; i < 1000; i += 1) first.put(key(i), { count: i });
    await first.commit();
    for (let batch = 1; batch <= 3; batch += 1) {
      const store = provider.open('agg', batch);
      expect(store).not.toBeInstanceOf(Promise);
      const s = store as StateStore<{ count: number }>;
      const keys = Array.from({ length: 1000 }, (_, i) => key(i));
      const values = s.getMany(keys);
      expect(values).not.toBeInstanceOf(Promise); // all 1,000 windows from the cache
      const one = s.get(key(7));
      expect(one).toEqual({ count: 7 + batch - 1 });
      (values as { count: number }[]).forEach((v, i) => s.put(keys[i]!, { count: v.count + 1 }));
      await s.commit();
      expect(s.metrics().customMetrics).toMatchObject({ cacheMissCount: 0, cacheEntries: 1000 });
    }
  });

  it('bounds the read cache and still reads every key correctly', async () => {
    const provider = newProvider({ cacheMaxEntries: 10 });
    const s0 = await provider.open('op', 0);
    for (let i = 0; i < 100; i += 1) s0.put(key(i), i);
    await s0.commit();
    expect(s0.metrics().customMetrics?.cacheEntries).toBe(10);
    const s1 = await provider.open('op', 1);
    expect(await s1.getMany(Array.from({ length: 100 }, (_, i) => key(i)))).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(s1.metrics().customMetrics?.cacheEntries).toBe(10);
    expect(await s1.get(key(0))).toBe(0);
  });

  it('works with the cache disabled', async () => {
    const provider = newProvider({ cacheMaxEntries: 0 });
    const s0 = await provider.open('op', 0);
    s0.put(key(1), 'one');
    await s0.commit();
    const s1 = await provider.open('op', 1);
    const read = s1.get(key(1));
    expect(read).toBeInstanceOf(Promise);
    expect(await read).toBe('one');
  });

  it('caches misses as absent and LevelDB reads as values for the next batch', async () => {
    const provider = newProvider();
    await (await provider.open('op', 0)).commit();
    const restart = newProvider();
    await provider.close();
    const s1 = await restart.open('op', 1);
    expect(await s1.get(key(1))).toBeUndefined(); // read from LevelDB
    expect(s1.get(key(1))).toBeUndefined(); // now a plain cached answer
    await s1.commit();
    const s2 = restart.open('op', 2) as StateStore;
    expect(s2.get(key(1))).toBeUndefined();
  });

  it('drops the cache on rollback: the re-run sees version N-1, not the cached version N', async () => {
    const provider = newProvider();
    const s0 = await provider.open('op', 0);
    s0.put(key(1), 'v0');
    await s0.commit();
    const s1 = provider.open('op', 1) as StateStore;
    expect(s1.get(key(1))).toBe('v0');
    s1.put(key(1), 'v1');
    s1.put(key(2), 'v1');
    await s1.commit();
    const rerun = provider.open('op', 1);
    expect(rerun).toBeInstanceOf(Promise); // a rollback reads LevelDB
    const store = await rerun;
    expect(await store.get(key(1))).toBe('v0');
    expect(await store.get(key(2))).toBeUndefined();
  });

  it('answers range without LevelDB while the committed state is empty', async () => {
    const provider = newProvider();
    const s0 = await provider.open('op', 0);
    s0.put(key(2), 2);
    s0.put(key(1), 1);
    expect(s0.range()).toEqual([
      [key(1), 1],
      [key(2), 2],
    ]);
  });

  it('refuses a second provider on the same folder while the first is open (CONCURRENT_QUERY)', async () => {
    const first = newProvider();
    await (await first.open('op', 0)).commit();
    const second = newProvider();
    const error = await expectWeirError(() => second.open('op', 1), ErrorCodes.CONCURRENT_QUERY);
    expect(error.context.path).toBe(path.join(dir, 'leveldb'));
    await first.close();
    expect((await second.open('op', 1)).version).toBe(1);
  });

  it('reopens lazily after close on the same provider instance', async () => {
    const provider = newProvider();
    const s0 = await provider.open('op', 0);
    s0.put(key(1), 1);
    await s0.commit();
    await provider.close();
    expect(await (await provider.open('op', 1)).get(key(1))).toBe(1);
  });

  it('supersedes open stores on close', async () => {
    const provider = newProvider();
    const s0 = await provider.open('op', 0);
    await provider.close();
    await expectWeirError(() => s0.commit(), ErrorCodes.STATE_STORE_CLOSED);
  });

  it('rejects a database written in an unknown format (CHECKPOINT_UNSUPPORTED_VERSION)', async () => {
    const { Level } = await import('level');
    const db = new Level<Uint8Array, Uint8Array>(path.join(dir, 'leveldb'), { keyEncoding: 'view', valueEncoding: 'view' });
    await db.put(Uint8Array.from([0x00, ...Buffer.from('weir-state-format')]), Uint8Array.of(9));
    await db.close();
    await expectWeirError(() => newProvider().open('op', 0), ErrorCodes.CHECKPOINT_UNSUPPORTED_VERSION);
  });

  it('rejects bad options with INVALID_ARGUMENT', async () => {
    await expectWeirError(() => new LevelStateStoreProvider(''), ErrorCodes.INVALID_ARGUMENT);
    await expectWeirError(() => new LevelStateStoreProvider(dir, { cacheMaxEntries: -1 }), ErrorCodes.INVALID_ARGUMENT);
  });

  it('commits with sync: true as well (and reports the cost of fsync per commit)', async () => {
    const best: Record<string, number> = { 'sync=false': Infinity, 'sync=true': Infinity };
    for (let round = 0; round < 2; round += 1) {
      for (const sync of [false, true]) {
        const provider = newProvider({ sync });
        const operatorId = `op-${sync}-${round}`;
        const batches = 50;
        const started = performance.now();
        for (let batch = 0; batch < batches; batch += 1) {
          const store = await provider.open(operatorId, batch);
          for (let i = 0; i < 100; i += 1) store.put(key(i), { batch, i });
          await store.commit();
        }
        const name = `sync=${sync}`;
        best[name] = Math.min(best[name]!, (performance.now() - started) / batches);
        await provider.close();
      }
    }
    const check = await newProvider({ sync: true }).open('op-true-1', 50);
    expect(await check.get(key(3))).toEqual({ batch: 49, i: 3 });
    process.stdout.write(
      `LevelStateStore ms per batch (100 puts, best of 2): ${Object.entries(best)
        .map(([name, ms]) => `${name} ${ms.toFixed(2)}`)
        .join(', ')}\n`,
    );
  });
});
