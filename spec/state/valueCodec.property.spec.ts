/**
 * The state codec's spliced encoding (values with properties declared immutable by `rememberEncoding`) must give
 * exactly msgpackr's bytes for the same value, whatever the value, which of its properties are remembered, and
 * however often a remembered object is encoded again.
 */
import fc from 'fast-check';
import { Packr } from 'msgpackr';
import { decodeValue, encodeValue, rememberEncoding } from '../../lib/state/valueCodec';

/** The codec's msgpackr configuration, built independently (what an older weir wrote). */
const reference = new Packr({ useRecords: false, structuredClone: false, copyBuffers: true });
const context = { operatorId: 'spec', batchId: 0 };

const leaf = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.boolean(),
  fc.constant(null),
  fc.date({ noInvalidDate: true }),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  fc.uint8Array({ maxLength: 8 }),
);
const value = fc.letrec((tie) => ({
  any: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
  array: fc.array(tie('any'), { maxLength: 4 }),
  object: fc.dictionary(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('k', 'b', '__proto__', 'hasOwnProperty', '0', '12')), tie('any'), {
    maxKeys: 5,
  }),
})).any;

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('valueCodec: spliced encoding of remembered properties', () => {
  it('gives msgpackr bytes, also when a remembered object is encoded again', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('k', 'b', 'hasOwnProperty')), value, { minKeys: 1, maxKeys: 6 }),
        fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        (object, remember) => {
          Object.keys(object).forEach((key, i) => {
            const v = object[key];
            if (remember[i] && typeof v === 'object' && v !== null) rememberEncoding(v);
          });
          const expected = hex(reference.pack(object));
          expect(hex(encodeValue(object, context))).toBe(expected);
          expect(hex(encodeValue({ ...object }, context))).toBe(expected); // the remembered bytes, reused
          expect(decodeValue(encodeValue(object, context))).toEqual(decodeValue(reference.pack(object)));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('gives msgpackr bytes for arrays of integers (written without msgpackr)', () => {
    const k = { key: 1 };
    rememberEncoding(k);
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.nat(), fc.integer({ min: 0, max: 2 ** 32 + 5 }), fc.constantFrom(0, -0, 127, 128, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32, -1, 0.5)), { maxLength: 17 }),
        (b) => {
          expect(hex(encodeValue({ k, b }, context))).toBe(hex(reference.pack({ k, b })));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("an aggregation's group: a remembered key with a new buffer array each batch", () => {
    const k = { window: { start: new Date(0), end: new Date(10_000) }, key: 7 };
    rememberEncoding(k);
    for (const n of [1, 300, 70_000, 2 ** 40, -1.5]) {
      expect(hex(encodeValue({ k, b: [n] }, context))).toBe(hex(reference.pack({ k, b: [n] })));
    }
  });
});
