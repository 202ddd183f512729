import { collectSet, collect_set } from '../../lib/aggregate';
import { foldAll, foldChunks, roundTrip } from './support/foldAggregate';

describe('collectSet', () => {
  const f = collectSet('v');

  it("is named collect_set(v) and exported under Spark's name too", () => {
    expect(f.name).toBe('collect_set(v)');
    expect(collect_set).toBe(collectSet);
  });

  it('is [] without non-null input and drops nulls', () => {
    expect(f.evaluate(f.init())).toEqual([]);
    expect(f.evaluate(foldAll(f, [null, undefined]))).toEqual([]);
  });

  it('keeps distinct values in first-seen order', () => {
    expect(f.evaluate(foldAll(f, [3, 1, 3, null, 2, 1]))).toEqual([3, 1, 2]);
    expect(f.evaluate(foldAll(f, [1, '1', true, 1n]))).toEqual([1, '1', true, 1n]);
  });

  it('compares Dates, objects, arrays and bytes by value', () => {
    const out = f.evaluate(
      foldAll(f, [
        new Date(1),
        new Date(1),
        { a: 1, b: [2] },
        { b: [2], a: 1 },
        [1, { x: null }],
        [1, { x: null }],
        new Uint8Array([1]),
        new Uint8Array([1]),
        NaN,
        NaN,
        -0,
        0,
      ]),
    );
    expect(out).toEqual([new Date(1), { a: 1, b: [2] }, [1, { x: null }], new Uint8Array([1]), NaN, -0]);
  });

  it('keeps first-seen order across batches and after a msgpackr round trip of the state', () => {
    expect(f.evaluate(foldChunks(f, [['b', 'a'], ['a', 'c'], [], ['b', 'd']]))).toEqual(['b', 'a', 'c', 'd']);
    const decoded = roundTrip(foldAll(f, ['x', 'y']));
    expect(f.evaluate(f.update(decoded, 'x'))).toEqual(['x', 'y']); // keys rebuilt for a decoded buffer
  });

  it('merges into a new array without mutating either buffer', () => {
    const a = foldAll(f, [1, 2]);
    const b = foldAll(f, [2, 3]);
    const merged = f.merge(a, b);
    expect(merged).toEqual([1, 2, 3]);
    f.update(merged, 4);
    expect(a).toEqual([1, 2]);
    expect(b).toEqual([2, 3]);
    expect(f.evaluate(f.update(a, 3))).toEqual([1, 2, 3]);
  });
});
