import fc from 'fast-check';
import { canonicalKey } from '../../lib/values/canonicalKey';
import { compareValues, valuesEqual } from '../../lib/values/compare';
import { expectWeirError } from '../support/expectWeirError';
import { numRuns } from '../aggregate/support/foldAggregate';

const sign = (n: number): number => Math.sign(n);

/** UTF-8 byte order, Spark's UTF8String.binaryCompare. */
function utf8Compare(a: string, b: string): number {
  return sign(Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
}

describe("compareValues (Spark's ordering: min/max, sorts, comparisons)", () => {
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

  it('orders arrays element by element (a null element first, then the shorter) and structs field by field', () => {
    expect(compareValues([1, 2], [1, 3])).toBeLessThan(0);
    expect(compareValues([1, 2], [1])).toBeGreaterThan(0);
    expect(compareValues([1, null], [1, 0])).toBeLessThan(0);
    expect(compareValues([[2]], [[1, 5]])).toBeGreaterThan(0);
    expect(compareValues({ a: 1, b: 'x' }, { a: 1, b: 'y' })).toBeLessThan(0);
    expect(compareValues({ a: null, b: 9 }, { a: 0, b: 0 })).toBeLessThan(0);
  });

  it('rejects values of different kinds and maps with INVALID_ARGUMENT naming the function', async () => {
    const e = await expectWeirError(() => compareValues(1, 'a', 'min'), 'INVALID_ARGUMENT');
    expect(e.context.function).toBe('min');
    await expectWeirError(() => compareValues([1], ['a']), 'INVALID_ARGUMENT');
    await expectWeirError(() => compareValues(new Map(), new Map()), 'INVALID_ARGUMENT');
    await expectWeirError(() => compareValues(new Date(0), 0), 'INVALID_ARGUMENT');
  });
});

/** Values of one generated Spark type (a column holds one type): atoms, arrays and structs of them, with nulls. */
const atom = fc.oneof(
  fc.constant(fc.oneof(fc.double(), fc.constantFrom(0, -0, NaN, Infinity, -Infinity), fc.integer())),
  fc.constant(fc.string({ unit: 'grapheme', maxLength: 4 })),
  fc.constant(fc.boolean()),
  fc.constant(fc.integer({ min: -5, max: 5 }).map((n) => new Date(n))),
  fc.constant(fc.uint8Array({ maxLength: 3 })),
  fc.constant(fc.bigInt({ min: -5n, max: 5n })),
);
const typed: fc.Arbitrary<fc.Arbitrary<unknown>> = fc.letrec<{ t: fc.Arbitrary<unknown> }>((tie) => ({
  t: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    atom,
    tie('t').map((el) => fc.array(fc.option(el as fc.Arbitrary<unknown>, { nil: null }), { maxLength: 3 })),
    fc.tuple(tie('t'), tie('t')).map(([x, y]) => fc.record({ a: fc.option(x as fc.Arbitrary<unknown>, { nil: null }), b: y as fc.Arbitrary<unknown> })),
  ),
})).t as fc.Arbitrary<fc.Arbitrary<unknown>>;
const threeOfOneType = typed.chain((arb) => fc.tuple(arb, arb, arb));

describe('compare, equals and the identity key agree (one value layer)', () => {
  it('compare = 0 iff valuesEqual iff the canonical keys are equal; compare is antisymmetric and transitive', () => {
    fc.assert(
      fc.property(threeOfOneType, ([a, b, c]) => {
        const ab = sign(compareValues(a, b));
        expect(sign(compareValues(b, a))).toBe(-ab || 0);
        expect(valuesEqual(a, b)).toBe(ab === 0);
        expect(canonicalKey(a) === canonicalKey(b)).toBe(ab === 0);
        expect(compareValues(a, a)).toBe(0);
        if (ab <= 0 && sign(compareValues(b, c)) <= 0) expect(sign(compareValues(a, c))).toBeLessThanOrEqual(0);
      }),
      { numRuns: numRuns * 4 },
    );
  });
});
