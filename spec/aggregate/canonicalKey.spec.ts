import fc from 'fast-check';
import { canonicalKey } from '../../lib/aggregate';
import { expectWeirError } from '../support/expectWeirError';
import { numRuns } from './support/foldAggregate';

describe('canonicalKey', () => {
  it('tells kinds apart', () => {
    const values = [1, '1', true, 1n, null, new Date(1), [1], { 0: 1 }, new Uint8Array([1]), 'n1', '[1]', ''];
    const keys = values.map(canonicalKey);
    expect(new Set(keys).size).toBe(values.length);
  });

  it('is deep value equality: key order of objects, Date instants, bytes, NaN and -0', () => {
    expect(canonicalKey({ a: 1, b: { c: [new Date(5)] } })).toBe(canonicalKey({ b: { c: [new Date(5)] }, a: 1 }));
    expect(canonicalKey(new Uint8Array([1, 2]))).toBe(canonicalKey(Buffer.from([1, 2])));
    expect(canonicalKey(NaN)).toBe(canonicalKey(NaN));
    expect(canonicalKey(-0)).toBe(canonicalKey(0));
    expect(canonicalKey(null)).toBe(canonicalKey(undefined));
    expect(canonicalKey({ a: undefined })).toBe(canonicalKey({}));
    expect(canonicalKey(['a,b'])).not.toBe(canonicalKey(['a', 'b']));
  });

  it('agrees with structural equality on JSON-like values', () => {
    const json = fc.jsonValue({ maxDepth: 3 });
    fc.assert(
      fc.property(json, json, (a, b) => {
        const sameJson = JSON.stringify(sortDeep(a)) === JSON.stringify(sortDeep(b));
        expect(canonicalKey(a) === canonicalKey(b)).toBe(sameJson);
      }),
      { numRuns: numRuns * 4 },
    );
  });

  it('rejects Maps, class instances and functions with INVALID_ARGUMENT', async () => {
    await expectWeirError(() => canonicalKey(new Map()), 'INVALID_ARGUMENT');
    await expectWeirError(() => canonicalKey(new (class Point {})()), 'INVALID_ARGUMENT');
    await expectWeirError(() => canonicalKey(() => 1), 'INVALID_ARGUMENT');
  });
});

function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortDeep((v as Record<string, unknown>)[k])]),
    );
  }
  return Object.is(v, -0) ? 0 : v;
}
