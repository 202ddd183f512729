/**
 * GroupIndex against the definition of grouping (two rows share a group iff their key tuples have the same
 * keyId), for mixes of small integers (array-indexed levels), large and negative integers, -0, NaN, fractions,
 * strings and nulls, in any order.
 */
import fc from 'fast-check';
import { GroupIndex } from '../../../operators/internal/groupIndex';
import { keyId } from '../../../operators/internal/groupKey';

const value = fc.oneof(
  fc.integer({ min: 0, max: 200 }),
  fc.integer({ min: 0, max: 100_000 }),
  fc.integer({ min: -5, max: 5 }),
  fc.constantFrom(-0, 0, NaN, 0.5, 65_535, 65_536, 2 ** 31, null, '1', 'a'),
);

describe('GroupIndex', () => {
  it('groups rows exactly by keyId of their key values, in first-seen order', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(value, value), { maxLength: 400 }), (keys) => {
        const index = new GroupIndex<{ rows: number[] }>(['a', 'b'], () => ({ rows: [] }));
        keys.forEach(([a, b], i) => index.find({ a, b }).rows.push(i));
        const expected = new Map<string, number[]>();
        keys.forEach(([a, b], i) => {
          const id = keyId([a, b]);
          expected.set(id, [...(expected.get(id) ?? []), i]);
        });
        expect(index.groups.map((g) => g.payload.rows)).toEqual([...expected.values()]);
      }),
      { numRuns: 300 },
    );
  });

  it('one column of ascending small integers stays in one array level; scattered large ones in the Map', () => {
    const index = new GroupIndex<number[]>(['k'], () => []);
    for (let i = 0; i < 3000; i += 1) index.find({ k: i % 1000 }).push(i);
    for (const k of [60_000, 65_535, 7, 1e9]) index.find({ k }).push(-1);
    expect(index.groups).toHaveLength(1003);
    expect(index.find({ k: 999 })).toEqual([999, 1999, 2999]);
    expect(index.find({ k: -0 })).toBe(index.find({ k: 0 }));
  });
});
