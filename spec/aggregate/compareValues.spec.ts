import fc from 'fast-check';
import { compareValues } from '../../lib/aggregate';
import { expectWeirError } from '../support/expectWeirError';
import { numRuns } from './support/foldAggregate';

const sign = (n: number): number => Math.sign(n);

/** UTF-8 byte order, Spark's UTF8String.binaryCompare. */
function utf8Compare(a: string, b: string): number {
  return sign(Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
}

describe("compareValues (Spark's ordering for min/max)", () => {
  it('orders numbers numerically with NaN above everything and -0 equal to 0', () => {
    expect(compareValues(1, 2)).toBeLessThan(0);
    expect(compareValues(NaN, Infinity)).toBeGreaterThan(0);
    expect(compareValues(-Infinity, NaN)).toBeLessThan(0);
    expect(compareValues(NaN, NaN)).toBe(0);
    expect(compareValues(-0, 0)).toBe(0);
    expect(compareValues(3n, 2)).toBeGreaterThan(0);
    expect(compareValues(2n, 2)).toBe(0);
  });

  it('orders strings by code point (UTF-8 bytes), not UTF-16 code units', () => {
    expect('\uFFFF' < '\u{1F600}').toBe(false); // JS's own order disagrees
    expect(compareValues('\uFFFF', '\u{1F600}')).toBeLessThan(0);
    expect(compareValues('a', 'ab')).toBeLessThan(0);
    expect(compareValues('B', 'a')).toBeLessThan(0);
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 6 }), fc.string({ unit: 'grapheme', maxLength: 6 }), (a, b) => {
        expect(sign(compareValues(a, b))).toBe(utf8Compare(a, b));
      }),
      { numRuns: numRuns * 4 },
    );
  });

  it('orders booleans false < true, Dates by instant, bytes unsigned with a prefix first', () => {
    expect(compareValues(false, true)).toBeLessThan(0);
    expect(compareValues(new Date(2), new Date(1))).toBeGreaterThan(0);
    expect(compareValues(new Date(1), new Date(1))).toBe(0);
    expect(compareValues(new Uint8Array([1, 255]), new Uint8Array([2]))).toBeLessThan(0);
    expect(compareValues(new Uint8Array([0x80]), new Uint8Array([0x7f]))).toBeGreaterThan(0);
    expect(compareValues(new Uint8Array([1]), new Uint8Array([1, 0]))).toBeLessThan(0);
  });

  it('rejects values of different kinds, arrays and objects with INVALID_ARGUMENT naming the function', async () => {
    const e = await expectWeirError(() => compareValues(1, 'a', 'min'), 'INVALID_ARGUMENT');
    expect(e.context.function).toBe('min');
    await expectWeirError(() => compareValues([1], [2]), 'INVALID_ARGUMENT');
    await expectWeirError(() => compareValues({}, {}), 'INVALID_ARGUMENT');
    await expectWeirError(() => compareValues(new Date(0), 0), 'INVALID_ARGUMENT');
  });
});
