import {
  aggregateRows,
  approxCountDistinct,
  avg,
  collectList,
  count,
  first,
  last,
  max,
  min,
  sum,
} from '../../lib/aggregate';

describe('aggregateRows (the batch oracle)', () => {
  const rows = [
    { k: 'a', v: 1 },
    { k: 'b', v: null },
    { k: 'a', v: 3 },
    { k: 'b', v: 2 },
    { k: 'a', v: null },
  ];

  it('aggregates per group in first-seen order, key columns first', () => {
    expect(
      aggregateRows(rows, ['k'], {
        n: count(),
        nv: count('v'),
        s: sum('v'),
        a: avg('v'),
        lo: min('v'),
        hi: max('v'),
        f: first('v'),
        l: last('v'),
        list: collectList('v'),
        d: approxCountDistinct('v'),
      }),
    ).toEqual([
      { k: 'a', n: 3, nv: 2, s: 4, a: 2, lo: 1, hi: 3, f: 1, l: null, list: [1, 3], d: 2 },
      { k: 'b', n: 2, nv: 1, s: 2, a: 2, lo: 2, hi: 2, f: null, l: 2, list: [2], d: 1 },
    ]);
  });

  it('groups by deep value equality of a key function', () => {
    const events = [
      { user: { id: 1 }, at: new Date(0) },
      { user: { id: 1 }, at: new Date(0) },
      { user: { id: 2 }, at: new Date(0) },
    ];
    expect(aggregateRows(events, (r) => ({ user: r.user, at: r.at }), { n: count() })).toEqual([
      { user: { id: 1 }, at: new Date(0), n: 2 },
      { user: { id: 2 }, at: new Date(0), n: 1 },
    ]);
  });

  it('names nested key columns by their path and groups missing keys as null', () => {
    expect(aggregateRows([{ a: { b: 1 } }, {}, { a: { b: 1 } }], ['a.b'], { n: count() })).toEqual([
      { 'a.b': 1, n: 2 },
      { 'a.b': null, n: 1 },
    ]);
  });

  it('yields one row for a global aggregation, even of no rows (Spark batch semantics)', () => {
    expect(aggregateRows([], [], { n: count(), s: sum('v'), l: collectList('v') })).toEqual([{ n: 0, s: null, l: [] }]);
    expect(aggregateRows(rows, [], { n: count(), s: sum('v') })).toEqual([{ n: 5, s: 6 }]);
    expect(aggregateRows([], () => ({}), { n: count() })).toEqual([]);
  });
});
