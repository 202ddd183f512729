import { columnAccessor, columnDisplayName, count, sum } from '../../lib/aggregate';
import type { AggregateSpec } from '../../lib/aggregate';
import { expectWeirError } from '../support/expectWeirError';

describe('column arguments', () => {
  it('reads a top-level column, missing as undefined', () => {
    expect(columnAccessor('v')({ v: 3 })).toBe(3);
    expect(columnAccessor('v')({})).toBeUndefined();
  });

  it('reads nested fields of plain objects with a.b and a.b.c, undefined through null or primitives', () => {
    expect(columnAccessor('a.b')({ a: { b: 1 } })).toBe(1);
    expect(columnAccessor('a.b')({ a: null })).toBeUndefined();
    expect(columnAccessor('a.b')({ a: 5 })).toBeUndefined();
    expect(columnAccessor('a.b.c')({ a: { b: { c: 'x' } } })).toBe('x');
    expect(columnAccessor('a.b.c')({ a: { b: null } })).toBeUndefined();
  });

  it('keeps dots inside backquotes, with `` for a backquote', () => {
    expect(columnAccessor('`a.b`')({ 'a.b': 7, a: { b: 8 } })).toBe(7);
    expect(columnAccessor('x.`a.b`')({ x: { 'a.b': 9 } })).toBe(9);
    expect(columnAccessor('`a``b`')({ 'a`b': 1 })).toBe(1);
  });

  it('takes a function of the row as is', () => {
    const price = (r: Record<string, unknown>): unknown => (r.p as number) * 2;
    expect(columnAccessor(price)({ p: 2 })).toBe(4);
    expect(columnDisplayName(price)).toBe('price');
    expect(columnDisplayName((r) => r.p)).toBe('expr');
    expect(sum((r) => r.p).name).toBe('sum(expr)');
  });

  it('rejects an empty name or an unclosed backquote with INVALID_ARGUMENT', async () => {
    await expectWeirError(() => columnAccessor(''), 'INVALID_ARGUMENT');
    await expectWeirError(() => columnAccessor('`a.b'), 'INVALID_ARGUMENT');
  });

  it('composes into an AggregateSpec keyed by output column', () => {
    const c = count();
    const spec: AggregateSpec = { [c.name]: c, total: sum('amount') };
    expect(Object.keys(spec)).toEqual(['count(1)', 'total']);
  });
});
