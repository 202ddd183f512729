/**
 * MemoryStateStore: the shared contract, plus what only the memory store promises (plain values everywhere, a
 * storage that outlives providers and admits one provider at a time).
 */
import { ErrorCodes, isWeirError } from '../../lib/errors';
import { encodeKey } from '../../lib/state/keyEncoding';
import { MemoryStateStorage } from '../../lib/state/MemoryStateStorage';
import { MemoryStateStoreProvider } from '../../lib/state/MemoryStateStoreProvider';
import { expectWeirError } from '../support/expectWeirError';
import { describeStateStoreContract } from './stateStoreContract';

describeStateStoreContract('MemoryStateStore', async () => {
  const storage = new MemoryStateStorage();
  return { newProvider: () => new MemoryStateStoreProvider({ storage }) };
});

describe('MemoryStateStore', () => {
  const key = encodeKey(['k']);

  it('answers open, get, getMany and range with plain values, never Promises', async () => {
    const provider = new MemoryStateStoreProvider();
    const s0 = provider.open('op', 0);
    expect(s0).not.toBeInstanceOf(Promise);
    s0.put(key, { n: 1 });
    expect(s0.get(key)).toEqual({ n: 1 });
    await s0.commit();
    const s1 = provider.open('op', 1);
    expect(s1.get(key)).toEqual({ n: 1 });
    expect(s1.getMany([key, encodeKey(['x'])])).toEqual([{ n: 1 }, undefined]);
    expect(s1.range()).toEqual([[key, { n: 1 }]]);
    await provider.close();
  });

  it('commits synchronously: the next open sees the batch without awaiting commit', () => {
    const provider = new MemoryStateStoreProvider();
    const s0 = provider.open('op', 0);
    s0.put(key, 1);
    void s0.commit();
    expect(provider.open('op', 1).get(key)).toBe(1);
  });

  it('throws open errors synchronously', () => {
    const provider = new MemoryStateStoreProvider();
    let thrown: unknown;
    try {
      provider.open('op', 3);
    } catch (e) {
      thrown = e;
    }
    expect(isWeirError(thrown, ErrorCodes.STATE_VERSION_MISMATCH)).toBe(true);
  });

  it('admits one provider per storage at a time (CONCURRENT_QUERY), until it is closed', async () => {
    const storage = new MemoryStateStorage();
    const first = new MemoryStateStoreProvider({ storage });
    first.open('op', 0);
    const second = new MemoryStateStoreProvider({ storage });
    await expectWeirError(() => second.open('op', 0), ErrorCodes.CONCURRENT_QUERY);
    await first.close();
    expect(second.open('op', 0).version).toBe(0);
    expect(storage.operatorIds()).toEqual(['op']);
  });
});
