/**
 * The contract every StateStoreProvider / StateStore passes (abstract-level style: one suite, every
 * implementation). Versioning, abort, one-version rollback, range merging, getMany, metrics, restart, errors.
 */
import type { StateStore, StateStoreProvider } from '../../lib/contracts';
import { ErrorCodes } from '../../lib/errors';
import { decodeKey as decodeKeyParts, encodeKey, keyRange, type KeyPart } from '../../lib/state/keyEncoding';
import { expectWeirError } from '../support/expectWeirError';

/** What an implementation hands the suite, once per test. */
export interface ProviderFixture {
  /** A provider on this test's storage (temp folder / MemoryStateStorage); every call uses the same storage. */
  newProvider(): StateStoreProvider;
  /** Removes the storage; providers made by `newProvider` are closed by the suite first. */
  cleanup?(): Promise<void>;
}

const k = (...parts: KeyPart[]): Uint8Array => encodeKey(parts);

/** Runs the StateStore contract against providers made by `setup` (called once per test). */
export function describeStateStoreContract(name: string, setup: () => Promise<ProviderFixture>): void {
  describe(`StateStore contract: ${name}`, () => {
    let fixture: ProviderFixture;
    let providers: StateStoreProvider[];
    let provider: StateStoreProvider;

    const newProvider = (): StateStoreProvider => {
      const p = fixture.newProvider();
      providers.push(p);
      return p;
    };
    const open = async (batchId: number, operatorId = 'op', on = provider): Promise<StateStore> =>
      await on.open(operatorId, batchId);
    /** Opens `batchId`, applies `writes` (undefined = delete), commits. */
    const commitBatch = async (batchId: number, writes: Record<string, unknown>, operatorId = 'op'): Promise<StateStore> => {
      const store = await open(batchId, operatorId);
      for (const [key, value] of Object.entries(writes)) {
        if (value === undefined) store.delete(k(key));
        else store.put(k(key), value);
      }
      expect(await store.commit()).toBe(batchId);
      return store;
    };
    /** Everything the store shows, as `{ key: value }` with string keys. */
    const contents = async (store: StateStore): Promise<Record<string, unknown>> => {
      const out: Record<string, unknown> = {};
      for (const [key, value] of await store.range()) out[String(decodeFirst(key))] = value;
      return out;
    };

    beforeEach(async () => {
      fixture = await setup();
      providers = [];
      provider = newProvider();
    });
    afterEach(async () => {
      for (const p of providers) await p.close();
      await fixture.cleanup?.();
    });

    it('opens batch 0 empty at version 0', async () => {
      const store = await open(0);
      expect(store.operatorId).toBe('op');
      expect(store.version).toBe(0);
      expect(await store.get(k('a'))).toBeUndefined();
      expect(await store.range()).toEqual([]);
      expect(store.metrics()).toMatchObject({ numRowsTotal: 0, numRowsUpdated: 0, numRowsRemoved: 0 });
      expect(await store.commit()).toBe(0);
    });

    it('reads its own writes; commit makes them version N, which batch N+1 sees', async () => {
      const s0 = await open(0);
      s0.put(k('a'), 1);
      s0.put(k('b'), { nested: [1, 'two', null] });
      s0.put(k('c'), 'gone soon');
      s0.delete(k('c'));
      expect(await s0.get(k('a'))).toBe(1);
      expect(await s0.get(k('c'))).toBeUndefined();
      expect(await s0.commit()).toBe(0);

      const s1 = await open(1);
      expect(s1.version).toBe(1);
      expect(await s1.get(k('a'))).toBe(1);
      expect(await s1.get(k('b'))).toEqual({ nested: [1, 'two', null] });
      expect(await s1.get(k('c'))).toBeUndefined();
      s1.put(k('a'), 2);
      await s1.commit();
      expect(await (await open(2)).get(k('a'))).toBe(2);
    });

    it('round-trips values: Dates as Dates, bytes, big and negative numbers, unicode, nested objects', async () => {
      const value = {
        at: new Date(1_700_000_000_123),
        before1970: new Date(-86_400_000),
        bytes: Uint8Array.from([0, 1, 255]),
        buffer: Buffer.from('buf'),
        big: 2 ** 40 + 3,
        negative: -(2 ** 45),
        fraction: -1.5,
        extremes: [Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, Infinity, -Infinity],
        text: 'héllo \u0000 😀',
        flag: false,
        none: null,
        list: [{ deep: { deeper: [new Date(0)] } }],
      };
      const s0 = await open(0);
      s0.put(k('v'), value);
      s0.put(k('nan'), NaN);
      s0.put(k('date'), new Date(5));
      await s0.commit();
      const s1 = await open(1);
      const read = (await s1.get(k('v'))) as typeof value;
      expect(read.at).toBeInstanceOf(Date);
      expect(read.at.getTime()).toBe(1_700_000_000_123);
      expect(read.before1970.getTime()).toBe(-86_400_000);
      expect(read.bytes).toBeInstanceOf(Uint8Array);
      expect([...read.bytes]).toEqual([0, 1, 255]);
      expect(Buffer.from(read.buffer).toString()).toBe('buf');
      expect({ ...read, bytes: undefined, buffer: undefined }).toEqual({ ...value, bytes: undefined, buffer: undefined });
      expect(await s1.get(k('nan'))).toBeNaN();
      expect(await s1.get(k('date'))).toEqual(new Date(5));
    });

    it('refuses undefined values with INVALID_ARGUMENT', async () => {
      const store = await open(0);
      await expectWeirError(() => store.put(k('a'), undefined), ErrorCodes.INVALID_ARGUMENT);
    });

    it('never aliases values: mutating what was put or read changes nothing stored, also across abort', async () => {
      const s0 = await open(0);
      const value = { count: 1, list: [1] };
      s0.put(k('a'), value);
      value.count = 99;
      value.list.push(2);
      expect(await s0.get(k('a'))).toEqual({ count: 1, list: [1] });
      const reusedKey = Buffer.from(k('buf')); // a Buffer: its slice() would be a view
      s0.put(reusedKey, 'kept');
      reusedKey.fill(0x41);
      expect(await s0.get(k('buf'))).toBe('kept');
      await s0.commit();

      // get, mutate, put, abort: the committed value must not have moved
      const s1 = await open(1);
      const read = (await s1.get(k('a'))) as { count: number };
      read.count += 1;
      s1.put(k('a'), read);
      await s1.abort();
      const again = await open(1);
      expect(await again.get(k('a'))).toEqual({ count: 1, list: [1] });
      const bytes = (await again.range({ gte: k('a'), lt: k('b') }))[0]!;
      (bytes[1] as { count: number }).count = 1000;
      bytes[0][0] = 0; // the returned key is a copy too
      expect(await again.get(k('a'))).toEqual({ count: 1, list: [1] });
    });

    it('abort drops the writes; the batch can be opened again', async () => {
      await commitBatch(0, { a: 1 });
      const s1 = await open(1);
      s1.put(k('a'), 2);
      s1.put(k('b'), 3);
      s1.delete(k('a'));
      await s1.abort();
      const retry = await open(1);
      expect(await contents(retry)).toEqual({ a: 1 });
      retry.put(k('b'), 4);
      await retry.commit();
      expect(await contents(await open(2))).toEqual({ a: 1, b: 4 });
    });

    it('re-opening a batch whose version is committed rolls back exactly one version (values and deletes)', async () => {
      await commitBatch(0, { a: 'a0', b: 'b0', c: 'c0' });
      await commitBatch(1, { a: 'a1', b: undefined, d: 'd1', nothing: undefined });
      // batch 1 committed its state, then "crashed" before commits/1: the engine re-runs batch 1
      const rerun = await open(1);
      expect(await contents(rerun)).toEqual({ a: 'a0', b: 'b0', c: 'c0' });
      expect(await rerun.get(k('d'))).toBeUndefined();
      expect(rerun.metrics().numRowsTotal).toBe(3);
      rerun.put(k('e'), 'e1');
      await rerun.commit();
      expect(await contents(await open(2))).toEqual({ a: 'a0', b: 'b0', c: 'c0', e: 'e1' });
    });

    it('rolls back version 0 to the empty state', async () => {
      await commitBatch(0, { a: 1 });
      const rerun = await open(0);
      expect(await contents(rerun)).toEqual({});
      expect(rerun.metrics().numRowsTotal).toBe(0);
    });

    it('rolls back only one version: a second step back is a version mismatch', async () => {
      await commitBatch(0, { a: 0 });
      await commitBatch(1, { a: 1 });
      await (await open(1)).abort(); // rolled back to version 0
      const error = await expectWeirError(() => open(0), ErrorCodes.STATE_VERSION_MISMATCH);
      expect(error.context).toMatchObject({ operatorId: 'op', batchId: 0, foundVersion: 0 });
      expect(await contents(await open(1))).toEqual({ a: 0 });
    });

    it('fails with STATE_VERSION_MISMATCH (operatorId, batchId, foundVersion) on a version gap or a newer version', async () => {
      await commitBatch(0, { a: 1 });
      await commitBatch(1, { a: 2 });
      const ahead = await expectWeirError(() => open(3), ErrorCodes.STATE_VERSION_MISMATCH);
      expect(ahead.context).toMatchObject({ operatorId: 'op', batchId: 3, foundVersion: 1 });
      const behind = await expectWeirError(() => open(0), ErrorCodes.STATE_VERSION_MISMATCH);
      expect(behind.context).toMatchObject({ operatorId: 'op', batchId: 0, foundVersion: 1 });
      const fresh = await expectWeirError(() => open(5, 'never-committed'), ErrorCodes.STATE_VERSION_MISMATCH);
      expect(fresh.context).toMatchObject({ operatorId: 'never-committed', batchId: 5, foundVersion: -1 });
      // nothing was damaged by the failed opens
      expect(await contents(await open(2))).toEqual({ a: 2 });
    });

    it('rejects bad open arguments with INVALID_ARGUMENT', async () => {
      await expectWeirError(() => provider.open('', 0), ErrorCodes.INVALID_ARGUMENT);
      await expectWeirError(() => provider.open('op', -1), ErrorCodes.INVALID_ARGUMENT);
      await expectWeirError(() => provider.open('op', 1.5), ErrorCodes.INVALID_ARGUMENT);
    });

    it('range merges pending writes and deletes with committed entries, in byte order, within gte/lt', async () => {
      const key = (n: number): Uint8Array => k('t', n);
      const s0 = await open(0);
      for (const n of [-5_000_000_000, -1, 0, 3, 2 ** 33, 10]) s0.put(key(n), `v${n}`);
      s0.put(k('other'), 'x');
      await s0.commit();

      const s1 = await open(1);
      s1.delete(key(0)); // hides a committed entry
      s1.put(key(3), 'new3'); // replaces one
      s1.put(key(5), 'v5'); // adds one between committed ones
      s1.put(key(-(2 ** 40)), 'first'); // adds one before all
      s1.delete(key(7)); // deleting an absent key shows nothing
      s1.put(key(99), 'tmp');
      s1.delete(key(99)); // a pending put then delete shows nothing
      const all = (await s1.range(keyRange(['t']))).map(([key, value]) => [decodeKey2(key), value]);
      expect(all).toEqual([
        [-(2 ** 40), 'first'],
        [-5_000_000_000, 'v-5000000000'],
        [-1, 'v-1'],
        [3, 'new3'],
        [5, 'v5'],
        [10, 'v10'],
        [2 ** 33, `v${2 ** 33}`],
      ]);
      const window = (await s1.range({ gte: key(-1), lt: key(10) })).map(([key]) => decodeKey2(key));
      expect(window).toEqual([-1, 3, 5]);
      expect((await s1.range({ gte: key(6) })).map(([key]) => decodeKeyParts(key))).toEqual([
        ['t', 10],
        ['t', 2 ** 33],
      ]);
      expect((await s1.range({ lt: key(0) })).map(([key]) => decodeKeyParts(key))).toEqual([
        ['other'], // 'other' < 't'
        ['t', -(2 ** 40)],
        ['t', -5_000_000_000],
        ['t', -1],
      ]);
      expect(await s1.range({ gte: key(11), lt: key(12) })).toEqual([]);
      expect((await s1.range()).length).toBe(8);
    });

    it('range returns keys in byte order also for thousands of keys written over several batches', async () => {
      const expected: number[] = [];
      for (let batch = 0; batch < 3; batch += 1) {
        const store = await open(batch);
        for (let i = 0; i < 1000; i += 1) {
          const n = (i * 7919 + batch * 104729) % 100_000 - 50_000;
          store.put(k(n), n);
          expected.push(n);
        }
        await store.commit();
      }
      const store = await open(3);
      const unique = [...new Set(expected)].sort((a, b) => a - b);
      expect((await store.range()).map(([, v]) => v)).toEqual(unique);
      expect(store.metrics().numRowsTotal).toBe(unique.length);
    });

    it('getMany answers pending, deleted, committed and absent keys in order', async () => {
      await commitBatch(0, { a: 1, b: 2, c: 3 });
      const store = await open(1);
      store.put(k('a'), 10);
      store.delete(k('b'));
      store.put(k('new'), 'n');
      expect(await store.getMany([k('a'), k('b'), k('c'), k('zz'), k('new'), k('c')])).toEqual([10, undefined, 3, undefined, 'n', 3]);
      expect(await store.getMany([])).toEqual([]);
    });

    it('keeps operators apart, also when one id is a prefix of another', async () => {
      const ids = ['a', 'ab', 'a\u0000b', 'a!b', 'ö/x'];
      for (const id of ids) await commitBatch(0, { shared: id, [`own-${id}`]: 1 }, id);
      for (const id of ids) {
        const store = await open(1, id);
        expect(await contents(store)).toEqual({ shared: id, [`own-${id}`]: 1 });
        expect(store.metrics().numRowsTotal).toBe(2);
      }
    });

    it('reports metrics: rows total, updated (keys put), removed (existing keys deleted), commit time, memory', async () => {
      await commitBatch(0, { a: 1, b: 2, c: 3 });
      const store = await open(1);
      store.put(k('a'), 11); // update
      store.put(k('d'), 4); // insert
      store.put(k('d'), 5); // same key again
      store.delete(k('b')); // remove
      store.delete(k('absent')); // not a removal
      await store.get(k('c'));
      await store.commit();
      const m = store.metrics();
      expect(m).toMatchObject({ numRowsTotal: 3, numRowsUpdated: 2, numRowsRemoved: 1 });
      expect(m.commitTimeMs).toBeGreaterThanOrEqual(0);
      expect(m.memoryUsedBytes).toBeGreaterThan(0);
      const next = await open(2);
      expect(next.metrics()).toMatchObject({ numRowsTotal: 3, numRowsUpdated: 0, numRowsRemoved: 0 });
    });

    it('a restarted provider on the same storage sees the committed state and can still roll back one version', async () => {
      await commitBatch(0, { a: 1, b: 2 });
      await commitBatch(1, { a: 10, b: undefined, c: 3 });
      const s2 = await open(2);
      s2.put(k('uncommitted'), true);
      await provider.close();

      const restarted = newProvider();
      const next = await open(2, 'op', restarted);
      expect(await contents(next)).toEqual({ a: 10, c: 3 });
      expect(next.metrics().numRowsTotal).toBe(2);
      await next.abort();
      const rerun = await open(1, 'op', restarted);
      expect(await contents(rerun)).toEqual({ a: 1, b: 2 });
      expect(rerun.metrics().numRowsTotal).toBe(2);
      await rerun.commit();
      await restarted.close();
      expect(await contents(await open(2, 'op', newProvider()))).toEqual({ a: 1, b: 2 });
    });

    it('memo: kept across committed batches, rebuilt after abort, rollback, a version gap or a restart', async () => {
      let builds = 0;
      const build = (): { n: number } => {
        builds += 1;
        return { n: 0 };
      };
      const s0 = await open(0);
      const m0 = await s0.memo(build);
      m0.n += 1;
      expect(await s0.memo(build)).toBe(m0); // same object within the batch
      await s0.commit();
      const s1 = await open(1);
      expect(await s1.memo(build)).toBe(m0); // continues version 0
      expect(builds).toBe(1);
      await s1.abort(); // the batch's mutations are unknown: dropped
      const retry = await open(1);
      const m1 = await retry.memo(build);
      expect(m1).not.toBe(m0);
      expect(builds).toBe(2);
      await retry.commit();
      // Re-running committed batch 1 rolls back: the memo of version 1 is dropped.
      const rerun = await open(1);
      expect(await rerun.memo(build)).not.toBe(m1);
      expect(builds).toBe(3);
      await rerun.commit();
      // A store opened without taking the memo, then committed, leaves none (nothing describes version 2).
      await (await open(2)).commit();
      await open(3).then((s) => s.memo(build));
      expect(builds).toBe(4);
      await provider.close();
      const restarted = newProvider();
      await open(3, 'op', restarted).then((s) => s.memo(build));
      expect(builds).toBe(5);
      await expectWeirError(async () => s0.memo(build), ErrorCodes.STATE_STORE_CLOSED); // committed store
    });

    it('a store is unusable after commit or abort; abort after commit and a second commit are harmless', async () => {
      const s0 = await open(0);
      s0.put(k('a'), 1);
      await s0.commit();
      await expectWeirError(() => s0.put(k('a'), 2), ErrorCodes.STATE_STORE_CLOSED);
      await expectWeirError(() => s0.get(k('a')), ErrorCodes.STATE_STORE_CLOSED);
      expect(await s0.commit()).toBe(0);
      await s0.abort();
      const s1 = await open(1);
      await s1.abort();
      await expectWeirError(() => s1.delete(k('a')), ErrorCodes.STATE_STORE_CLOSED);
      await expectWeirError(() => s1.commit(), ErrorCodes.STATE_STORE_CLOSED);
      expect(await contents(await open(1))).toEqual({ a: 1 });
    });

    it('opening the operator again supersedes the open store: its writes are dropped and it cannot commit', async () => {
      await commitBatch(0, { a: 1 });
      const first = await open(1);
      first.put(k('a'), 'lost');
      const second = await open(1);
      await expectWeirError(() => first.commit(), ErrorCodes.STATE_STORE_CLOSED);
      expect(await second.get(k('a'))).toBe(1);
    });

    it('a provider can be closed with nothing opened, and twice', async () => {
      await provider.close();
      await provider.close();
    });
  });
}

function decodeFirst(key: Uint8Array): KeyPart {
  return decodeKeyParts(key)[0]!;
}

function decodeKey2(key: Uint8Array): KeyPart {
  return decodeKeyParts(key)[1]!;
}
