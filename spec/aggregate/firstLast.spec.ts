import { first, last } from '../../lib/aggregate';
import { foldAll, foldChunks, roundTrip } from './support/foldAggregate';

describe('first and last', () => {
  it('are named first(v) and last(v)', () => {
    expect(first('v').name).toBe('first(v)');
    expect(first('v', true).name).toBe('first(v)');
    expect(last('v').name).toBe('last(v)');
  });

  it('are null without input', () => {
    for (const f of [first('v'), last('v'), first('v', true), last('v', true)]) expect(f.evaluate(f.init())).toBeNull();
  });

  it('keep a null first/last value unless ignoreNulls', () => {
    expect(first('v').evaluate(foldAll(first('v'), [null, 1, 2]))).toBeNull();
    expect(first('v', true).evaluate(foldAll(first('v', true), [null, 1, 2]))).toBe(1);
    expect(last('v').evaluate(foldAll(last('v'), [1, 2, undefined]))).toBeNull();
    expect(last('v', true).evaluate(foldAll(last('v', true), [1, 2, undefined]))).toBe(2);
    expect(first('v', true).evaluate(foldAll(first('v', true), [null, undefined]))).toBeNull();
  });

  it('distinguish "saw a null" from "saw nothing" across merges', () => {
    const f = first('v');
    const sawNull = roundTrip(foldAll(f, [null]));
    expect(sawNull).toEqual({ value: null, set: true });
    expect(f.evaluate(f.merge(sawNull, foldAll(f, [5])))).toBeNull();
    expect(f.evaluate(f.merge(f.init(), foldAll(f, [5])))).toBe(5);
    const l = last('v');
    expect(l.evaluate(l.merge(foldAll(l, [5]), foldAll(l, [null])))).toBeNull();
    expect(l.evaluate(l.merge(foldAll(l, [5]), l.init()))).toBe(5);
  });

  it('follow arrival order across batches: earlier batch first, later batch last', () => {
    const batches = [[null, 'a'], [], ['b', 'c'], [null]];
    expect(first('v').evaluate(foldChunks(first('v'), batches))).toBeNull();
    expect(first('v', true).evaluate(foldChunks(first('v', true), batches))).toBe('a');
    expect(last('v').evaluate(foldChunks(last('v'), batches))).toBeNull();
    expect(last('v', true).evaluate(foldChunks(last('v', true), batches))).toBe('c');
  });

  it('merge without mutating either buffer', () => {
    const f = last('v');
    const a = foldAll(f, [1]);
    const b = foldAll(f, [2]);
    const merged = f.merge(a, b);
    f.update(merged, 3);
    expect(a).toEqual({ value: 1, set: true });
    expect(b).toEqual({ value: 2, set: true });
  });
});
