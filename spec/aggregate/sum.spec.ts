import { sum } from '../../lib/aggregate';
import { expectWeirError } from '../support/expectWeirError';
import { foldAll } from './support/foldAggregate';

describe('sum', () => {
  const f = sum('v');

  it('is named sum(v)', () => expect(f.name).toBe('sum(v)'));

  it('is null without non-null input, and ignores nulls otherwise', () => {
    expect(f.evaluate(f.init())).toBeNull();
    expect(f.evaluate(foldAll(f, [null, undefined]))).toBeNull();
    expect(f.evaluate(foldAll(f, [1, null, 2, undefined, 3]))).toBe(6);
    expect(f.evaluate(foldAll(f, [0]))).toBe(0);
  });

  it('merges with null as the identity', () => {
    expect(f.merge(null, null)).toBeNull();
    expect(f.merge(null, 2)).toBe(2);
    expect(f.merge(2, null)).toBe(2);
    expect(f.merge(2, 3)).toBe(5);
  });

  it('propagates NaN and infinities like double arithmetic', () => {
    expect(f.evaluate(foldAll(f, [1, NaN]))).toBeNaN();
    expect(f.evaluate(foldAll(f, [Infinity, 1]))).toBe(Infinity);
  });

  it("casts strings like Spark's non-ANSI cast (unparsable is null) and bigints to numbers", () => {
    expect(f.evaluate(foldAll(f, ['12', ' 3 ', 'x', '', '0x10', 1n]))).toBe(16);
    expect(f.evaluate(foldAll(f, ['nope']))).toBeNull();
  });

  it('rejects booleans, Dates and objects with INVALID_ARGUMENT', async () => {
    await expectWeirError(() => f.update(null, true), 'INVALID_ARGUMENT');
    await expectWeirError(() => f.update(null, new Date()), 'INVALID_ARGUMENT');
    await expectWeirError(() => f.update(null, { a: 1 }), 'INVALID_ARGUMENT');
  });

  it('sums integers exactly up to 2^53 (documented: JS doubles, no long overflow)', () => {
    expect(f.evaluate(foldAll(f, [2 ** 52, 2 ** 52 - 1]))).toBe(2 ** 53 - 1);
  });
});
