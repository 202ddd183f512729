import { approxCountDistinct, approx_count_distinct, aggregateRows } from '../../lib/aggregate';
import { expectWeirError } from '../support/expectWeirError';
import { foldAll, roundTrip, viewPackr } from './support/foldAggregate';

describe('approxCountDistinct', () => {
  it("is named like Spark's column and exported under Spark's name too", () => {
    expect(approxCountDistinct('v').name).toBe('approx_count_distinct(v)');
    expect(approxCountDistinct('v', 0.01).name).toBe('approx_count_distinct(v)');
    expect(approx_count_distinct).toBe(approxCountDistinct);
  });

  it('ignores nulls and is 0 (not null) without non-null input, as Spark', () => {
    const f = approxCountDistinct('v');
    expect(f.evaluate(f.init())).toBe(0);
    expect(f.evaluate(foldAll(f, [null, undefined, null]))).toBe(0);
    expect(f.evaluate(foldAll(f, [null, 'a', undefined, 'a', 'b']))).toBe(2);
  });

  it('uses a 512-register sketch for the default rsd and 2^p registers otherwise', () => {
    expect(approxCountDistinct('v').init()).toHaveLength(512);
    expect(approxCountDistinct('v', 0.01).init()).toHaveLength(16384);
  });

  it("rejects an rsd above 39% at construction with Spark's message and INVALID_ARGUMENT", async () => {
    const e = await expectWeirError(() => approxCountDistinct('v', 0.5), 'INVALID_ARGUMENT');
    expect(e.message).toBe('HLL++ requires at least 4 bits for addressing. Use a lower error, at most 39%.');
  });

  it('never writes into a decoded buffer that is a view into the encoded bytes', () => {
    const f = approxCountDistinct('v');
    const encoded = viewPackr.pack(foldAll(f, ['a', 'b']));
    const before = Buffer.from(encoded);
    const decoded = viewPackr.unpack(encoded) as Uint8Array;
    expect(decoded.byteOffset > 0 || decoded.buffer.byteLength !== decoded.byteLength).toBe(true); // a view
    const updated = foldAll({ ...f, init: () => decoded }, ['c', 'd', 'e', 'f']);
    expect(f.evaluate(updated)).toBe(6);
    expect(Buffer.from(encoded)).toEqual(before);
  });

  it('merges without mutating either buffer', () => {
    const f = approxCountDistinct('v');
    const a = roundTrip(foldAll(f, [1, 2, 3]));
    const b = roundTrip(foldAll(f, [3, 4]));
    const [ac, bc] = [Array.from(a), Array.from(b)];
    expect(f.evaluate(f.merge(a, b))).toBe(4);
    expect(Array.from(a)).toEqual(ac);
    expect(Array.from(b)).toEqual(bc);
  });

  it('counts per group in aggregateRows', () => {
    const rows = [
      { k: 'x', u: 'alice' },
      { k: 'x', u: 'bob' },
      { k: 'y', u: 'alice' },
      { k: 'x', u: 'alice' },
    ];
    expect(aggregateRows(rows, ['k'], { users: approxCountDistinct('u') })).toEqual([
      { k: 'x', users: 2 },
      { k: 'y', users: 1 },
    ]);
  });
});
