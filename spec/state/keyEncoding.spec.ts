/**
 * Order-preserving keys: byte order == tuple order and decode(encode(x)) == x (fast-check properties; numRuns
 * from WEIR_PROPERTY_RUNS), plus the edge cases the properties might rarely hit.
 */
import fc from 'fast-check';
import { ErrorCodes } from '../../lib/errors';
import { compareKeys, decodeKey, encodeKey, keyRange, prefixUpperBound, type KeyPart } from '../../lib/state/keyEncoding';
import { expectWeirError } from '../support/expectWeirError';

const numRuns = Number(process.env.WEIR_PROPERTY_RUNS ?? 300);

const KIND_ORDER = ['null', 'false', 'true', 'number', 'date', 'string', 'bytes'] as const;

function kind(part: KeyPart): (typeof KIND_ORDER)[number] {
  if (part === null) return 'null';
  if (part === false) return 'false';
  if (part === true) return 'true';
  if (typeof part === 'number') return 'number';
  if (typeof part === 'string') return 'string';
  if (part instanceof Date) return 'date';
  return 'bytes';
}

function compareNumbers(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number(Number.isNaN(a)) - Number(Number.isNaN(b));
  return a < b ? -1 : a > b ? 1 : 0; // -0 and 0 are equal
}

function compareSequences(a: ArrayLike<number>, b: ArrayLike<number>): number {
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

const codePoints = (s: string): number[] => Array.from(s, (c) => c.codePointAt(0)!);

/** The tuple order of the KeyPart documentation, written independently of the encoding. */
function compareTuples(a: readonly KeyPart[], b: readonly KeyPart[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
    const x = a[i]!;
    const y = b[i]!;
    const kx = KIND_ORDER.indexOf(kind(x));
    const ky = KIND_ORDER.indexOf(kind(y));
    if (kx !== ky) return kx - ky;
    let c = 0;
    if (typeof x === 'number') c = compareNumbers(x, y as number);
    else if (x instanceof Date) c = compareNumbers(x.getTime(), (y as Date).getTime());
    else if (typeof x === 'string') c = compareSequences(codePoints(x), codePoints(y as string));
    else if (x instanceof Uint8Array) c = compareSequences(x, y as Uint8Array);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/** What decode(encode(x)) must give: x with -0 as 0. */
function normalize(parts: readonly KeyPart[]): KeyPart[] {
  return parts.map((p) => (typeof p === 'number' && p === 0 ? 0 : p));
}

const interestingChars = fc.constantFrom('\u0000', '\u0001', 'a', 'b', '\u007f', '\u00ff', 'é', '\uffff', '\ue000', '😀', '𝄞');
const partArb: fc.Arbitrary<KeyPart> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.double(), // includes -0, NaN, ±Infinity, subnormals
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
  fc.maxSafeInteger(),
  fc.constantFrom(0, -0, 2 ** 32, 2 ** 32 + 1, -(2 ** 32), 1_700_000_000_000, -1_700_000_000_000),
  fc.date({ noInvalidDate: true }),
  fc.string({ unit: interestingChars, maxLength: 6 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.uint8Array({ maxLength: 6 }).map((a) => a.map((b) => (b % 3 === 0 ? 0 : b === 1 ? 0xff : b))),
);
const tupleArb = fc.array(partArb, { maxLength: 4 });

describe('keyEncoding', () => {
  it('decode(encode(x)) == x (property)', () => {
    fc.assert(
      fc.property(tupleArb, (tuple) => {
        expect(decodeKey(encodeKey(tuple))).toEqual(normalize(tuple));
      }),
      { numRuns },
    );
  });

  it('byte order == tuple order (property)', () => {
    fc.assert(
      fc.property(tupleArb, tupleArb, (a, b) => {
        expect(Math.sign(compareKeys(encodeKey(a), encodeKey(b)))).toBe(Math.sign(compareTuples(a, b)));
      }),
      { numRuns: numRuns * 3 },
    );
  });

  it('byte order == tuple order for tuples sharing a prefix (property)', () => {
    fc.assert(
      fc.property(tupleArb, tupleArb, tupleArb, (prefix, a, b) => {
        const x = [...prefix, ...a];
        const y = [...prefix, ...b];
        expect(Math.sign(compareKeys(encodeKey(x), encodeKey(y)))).toBe(Math.sign(compareTuples(x, y)));
      }),
      { numRuns },
    );
  });

  it('keyRange(prefix) holds exactly the tuples extending prefix (property)', () => {
    fc.assert(
      fc.property(tupleArb, tupleArb, (prefix, other) => {
        const { gte, lt } = keyRange(prefix);
        const extension = encodeKey([...prefix, ...other]);
        expect(compareKeys(gte, extension) <= 0 && compareKeys(extension, lt) < 0).toBe(true);
        const candidate = encodeKey(other);
        const inside = compareKeys(gte, candidate) <= 0 && compareKeys(candidate, lt) < 0;
        const extendsPrefix =
          other.length >= prefix.length && compareTuples(other.slice(0, prefix.length), prefix) === 0;
        expect(inside).toBe(extendsPrefix);
      }),
      { numRuns },
    );
  });

  it('orders epoch-ms timestamps and longs beyond 2^32, negatives first', () => {
    const values = [-(2 ** 53), -(2 ** 33), -(2 ** 32) - 1, -1, -0.5, 0, 0.5, 1, 2 ** 31, 2 ** 32, 2 ** 32 + 1, 1_700_000_000_000, 2 ** 53];
    const encoded = values.map((v) => encodeKey([v]));
    for (let i = 1; i < encoded.length; i += 1) expect(compareKeys(encoded[i - 1]!, encoded[i]!)).toBeLessThan(0);
    expect(decodeKey(encodeKey([2 ** 53 - 1]))).toEqual([2 ** 53 - 1]);
  });

  it('stores -0 as 0 and NaN after +Infinity', () => {
    expect(encodeKey([-0])).toEqual(encodeKey([0]));
    expect(Object.is(decodeKey(encodeKey([-0]))[0], 0)).toBe(true);
    expect(compareKeys(encodeKey([Infinity]), encodeKey([NaN]))).toBeLessThan(0);
    expect(decodeKey(encodeKey([NaN]))[0]).toBeNaN();
  });

  it('round-trips Dates as Dates, ordered by time', () => {
    const [d] = decodeKey(encodeKey([new Date(-1)]));
    expect(d).toBeInstanceOf(Date);
    expect((d as Date).getTime()).toBe(-1);
    expect(compareKeys(encodeKey([new Date(-1)]), encodeKey([new Date(1)]))).toBeLessThan(0);
  });

  it('escapes 0x00 in strings so that "a" < "a\\0" < "a\\0\\0" < "a\\u0001", also with parts after them', () => {
    const order = [['a'], ['a', null], ['a', 'z'], ['a\u0000'], ['a\u0000', 5], ['a\u0000\u0000'], ['a\u0001']];
    const encoded = order.map((t) => encodeKey(t));
    for (let i = 1; i < encoded.length; i += 1) expect(compareKeys(encoded[i - 1]!, encoded[i]!)).toBeLessThan(0);
    expect(decodeKey(encodeKey(['a\u0000b', 'c']))).toEqual(['a\u0000b', 'c']);
  });

  it('is a byte prefix of its extensions', () => {
    const prefix = encodeKey([1_700_000_000_000, 'user']);
    const full = encodeKey([1_700_000_000_000, 'user', 7]);
    expect(full.subarray(0, prefix.length)).toEqual(prefix);
  });

  it('prefixUpperBound increments the last byte below 0xFF and has no bound for empty or all-0xFF prefixes', () => {
    expect(prefixUpperBound(Uint8Array.of(1, 2, 3))).toEqual(Uint8Array.of(1, 2, 4));
    expect(prefixUpperBound(Uint8Array.of(1, 0xff, 0xff))).toEqual(Uint8Array.of(2));
    expect(prefixUpperBound(Uint8Array.of(0xff))).toBeUndefined();
    expect(prefixUpperBound(new Uint8Array(0))).toBeUndefined();
    const prefix = Uint8Array.of(4, 0xfe);
    expect(prefixUpperBound(prefix)).toEqual(Uint8Array.of(4, 0xff));
    expect(prefix).toEqual(Uint8Array.of(4, 0xfe)); // not mutated
  });

  it('prefixUpperBound bounds every key with the prefix (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 5 }), fc.uint8Array({ maxLength: 5 }), (prefix, rest) => {
        const bound = prefixUpperBound(prefix);
        const key = Uint8Array.from([...prefix, ...rest]);
        if (bound === undefined) expect(prefix.every((b) => b === 0xff)).toBe(true);
        else {
          expect(compareKeys(key, bound)).toBeLessThan(0);
          expect(compareKeys(prefix, bound)).toBeLessThan(0);
        }
      }),
      { numRuns },
    );
  });

  it('rejects what it cannot encode or decode with INVALID_ARGUMENT', async () => {
    await expectWeirError(() => encodeKey([undefined as unknown as KeyPart]), ErrorCodes.INVALID_ARGUMENT);
    await expectWeirError(() => encodeKey([{} as unknown as KeyPart]), ErrorCodes.INVALID_ARGUMENT);
    await expectWeirError(() => encodeKey([new Date(NaN)]), ErrorCodes.INVALID_ARGUMENT);
    const e = await expectWeirError(() => encodeKey(['ok', 'lone \ud800 surrogate']), ErrorCodes.INVALID_ARGUMENT);
    expect(e.context.keyPart).toBe(1);
    await expectWeirError(() => decodeKey(Uint8Array.of(0x99)), ErrorCodes.INVALID_ARGUMENT);
    await expectWeirError(() => decodeKey(Uint8Array.of(0x04, 1, 2)), ErrorCodes.INVALID_ARGUMENT);
    await expectWeirError(() => decodeKey(Uint8Array.of(0x06, 0x61)), ErrorCodes.INVALID_ARGUMENT);
    await expectWeirError(() => decodeKey(Uint8Array.of(0x06, 0xc3, 0x00)), ErrorCodes.INVALID_ARGUMENT);
  });

  it('never mutates or aliases its input, also when it is a Node Buffer', () => {
    const buffer = Buffer.from(encodeKey([-1, 'a\u0000', Uint8Array.of(1, 2)]));
    const before = Buffer.from(buffer);
    const parts = decodeKey(buffer);
    expect(parts).toEqual([-1, 'a\u0000', Uint8Array.of(1, 2)]);
    (parts[2] as Uint8Array)[0] = 9;
    expect(buffer).toEqual(before);
    const prefix = Buffer.from([1, 2]);
    prefixUpperBound(prefix);
    expect([...prefix]).toEqual([1, 2]);
  });

  it('encodes long strings and byte arrays', () => {
    const long = 'x\u0000é'.repeat(5000);
    const bytes = Uint8Array.from({ length: 20_000 }, (_, i) => i % 256);
    expect(decodeKey(encodeKey([long, bytes]))).toEqual([long, bytes]);
  });
});
