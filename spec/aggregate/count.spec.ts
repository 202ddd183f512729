import { count } from '../../lib/aggregate';
import { foldAll } from './support/foldAggregate';

describe('count', () => {
  it("names count() and count('*') count(1), count(col) count(col), like Spark", () => {
    expect(count().name).toBe('count(1)');
    expect(count('*').name).toBe('count(1)');
    expect(count('v').name).toBe('count(v)');
    expect(count('a.b').name).toBe('count(a.b)');
  });

  it('counts rows, nulls included, with count()', () => {
    const f = count();
    const rows = [{ v: 1 }, { v: null }, {}];
    expect(f.evaluate(foldAll(f, rows.map(f.input)))).toBe(3);
    expect(f.evaluate(f.init())).toBe(0);
  });

  it('counts non-null values with count(col): null and missing do not count', () => {
    const f = count('v');
    const rows = [{ v: 1 }, { v: null }, {}, { v: 0 }, { v: '' }, { v: false }, { v: NaN }];
    expect(f.evaluate(foldAll(f, rows.map(f.input)))).toBe(5); // 1, 0, "", false, NaN
  });

  it('buffers a plain number and merges by addition', () => {
    const f = count('v');
    expect(f.init()).toBe(0);
    expect(f.merge(2, 3)).toBe(5);
  });
});
