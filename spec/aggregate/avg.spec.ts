import { avg } from '../../lib/aggregate';
import { foldAll, roundTrip } from './support/foldAggregate';

describe('avg', () => {
  const f = avg('v');

  it('is named avg(v)', () => expect(f.name).toBe('avg(v)'));

  it('is null without non-null input', () => {
    expect(f.evaluate(f.init())).toBeNull();
    expect(f.evaluate(foldAll(f, [null, undefined]))).toBeNull();
  });

  it('averages the non-null values only', () => {
    expect(f.evaluate(foldAll(f, [1, null, 2]))).toBe(1.5);
    expect(f.evaluate(foldAll(f, ['4', 'x', 2]))).toBe(3);
  });

  it('buffers { sum, count } as plain data and merges component-wise without mutating', () => {
    const a = roundTrip(foldAll(f, [1, 2]));
    const b = roundTrip(foldAll(f, [6]));
    expect(a).toEqual({ sum: 3, count: 2 });
    expect(f.merge(a, b)).toEqual({ sum: 9, count: 3 });
    expect(a).toEqual({ sum: 3, count: 2 });
    expect(f.evaluate(f.merge(a, b))).toBe(3);
  });
});
