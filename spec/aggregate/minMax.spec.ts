import { max, min } from '../../lib/aggregate';
import { expectWeirError } from '../support/expectWeirError';
import { foldAll, roundTrip } from './support/foldAggregate';

describe('min and max', () => {
  it('are named min(v) and max(v)', () => {
    expect(min('v').name).toBe('min(v)');
    expect(max('v').name).toBe('max(v)');
  });

  it('are null without non-null input and ignore nulls', () => {
    for (const f of [min('v'), max('v')]) {
      expect(f.evaluate(f.init())).toBeNull();
      expect(f.evaluate(foldAll(f, [null, undefined]))).toBeNull();
    }
    expect(min('v').evaluate(foldAll(min('v'), [null, 3, undefined, 1, 2]))).toBe(1);
    expect(max('v').evaluate(foldAll(max('v'), [null, 3, undefined, 1, 2]))).toBe(3);
  });

  it('treat NaN as the largest number, as Spark', () => {
    expect(max('v').evaluate(foldAll(max('v'), [1, NaN, Infinity]))).toBeNaN();
    expect(min('v').evaluate(foldAll(min('v'), [NaN, 5, NaN]))).toBe(5);
    expect(min('v').evaluate(foldAll(min('v'), [NaN, NaN]))).toBeNaN();
  });

  it('work on strings in code-point order, Dates, booleans and bytes', () => {
    expect(min('v').evaluate(foldAll(min('v'), ['b', 'B', 'a']))).toBe('B');
    expect(max('v').evaluate(foldAll(max('v'), ['\uFFFF', '\u{1F600}']))).toBe('\u{1F600}');
    expect(min('v').evaluate(foldAll(min('v'), [new Date(5), new Date(2), new Date(9)]))).toEqual(new Date(2));
    expect(max('v').evaluate(foldAll(max('v'), [false, true, false]))).toBe(true);
    expect(max('v').evaluate(foldAll(max('v'), [new Uint8Array([1]), new Uint8Array([1, 0])]))).toEqual(new Uint8Array([1, 0]));
  });

  it('keep the earlier of equal values, in update and in merge', () => {
    const d1 = new Date(1);
    const d2 = new Date(1);
    expect(min('v').evaluate(foldAll(min('v'), [d1, d2]))).toBe(d1);
    expect(max('v').merge(d1, d2)).toBe(d1);
  });

  it('survive a msgpackr round trip of a Date buffer', () => {
    const f = max('v');
    expect(f.evaluate(f.merge(roundTrip(foldAll(f, [new Date(3)])), roundTrip(foldAll(f, [new Date(4)]))))).toEqual(new Date(4));
  });

  it('reject mixed kinds with INVALID_ARGUMENT', async () => {
    await expectWeirError(() => foldAll(min('v'), [1, 'a']), 'INVALID_ARGUMENT');
    await expectWeirError(() => max('v').merge('a', 1), 'INVALID_ARGUMENT');
  });
});
