import { collectList, collect_list } from '../../lib/aggregate';
import { foldAll, foldChunks } from './support/foldAggregate';

describe('collectList', () => {
  const f = collectList('v');

  it("is named collect_list(v) and exported under Spark's name too", () => {
    expect(f.name).toBe('collect_list(v)');
    expect(collect_list).toBe(collectList);
  });

  it('is [] without non-null input and drops nulls, keeping duplicates in arrival order', () => {
    expect(f.evaluate(f.init())).toEqual([]);
    expect(f.evaluate(foldAll(f, [null, undefined]))).toEqual([]);
    expect(f.evaluate(foldAll(f, [3, null, 1, 3, undefined, 2]))).toEqual([3, 1, 3, 2]);
  });

  it('keeps arrival order across batches', () => {
    expect(f.evaluate(foldChunks(f, [['a', 'b'], [], [null, 'c'], ['a']]))).toEqual(['a', 'b', 'c', 'a']);
  });

  it('returns a copy from evaluate and merges into a new array', () => {
    const buf = foldAll(f, [1]);
    const out = f.evaluate(buf);
    out.push(99);
    expect(f.evaluate(buf)).toEqual([1]);
    const other = foldAll(f, [2]);
    expect(f.merge(buf, other)).toEqual([1, 2]);
    expect(buf).toEqual([1]);
    expect(other).toEqual([2]);
  });
});
