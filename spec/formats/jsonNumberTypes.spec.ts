import { collectNumberTypes, mergeNumberTypes, numberLiteralType } from '../../lib/formats/jsonNumberTypes';
import { jsonFormat } from '../../lib/formats/jsonFormat';
import { FormatOptions } from '../../lib/formats/FormatOptions';
import { DecimalType, DoubleType, LongType, type DataType } from '../../lib/values/types';
import { readWith } from './support';

const s = (t: DataType) => t.simpleString();

describe('jsonNumberTypes', () => {
  it("types a literal as Jackson and Spark do: BIGINT, DOUBLE, or with prefersDecimal BigDecimal's precision and scale", () => {
    expect(s(numberLiteralType('12', false))).toBe('bigint');
    expect(s(numberLiteralType('1.0', false))).toBe('double');
    expect(s(numberLiteralType('1e3', false))).toBe('double');
    expect(s(numberLiteralType('1.50', true))).toBe('decimal(3,2)');
    expect(s(numberLiteralType('-0.05', true))).toBe('decimal(2,2)');
    expect(s(numberLiteralType('123.4e-2', true))).toBe('decimal(4,3)');
    expect(s(numberLiteralType('1.5e2', true))).toBe('decimal(3,0)');
    expect(s(numberLiteralType('12', true))).toBe('bigint');
    expect(s(numberLiteralType(`0.${'1'.repeat(39)}`, true))).toBe('double');
    expect(s(numberLiteralType('99999999999999999999', false))).toBe('double');
  });

  it("merges with Spark's compatibleType", () => {
    expect(s(mergeNumberTypes(new DecimalType(3, 2), new DecimalType(5, 1)))).toBe('decimal(6,2)');
    expect(s(mergeNumberTypes(new DecimalType(3, 2), new LongType()))).toBe('decimal(22,2)');
    expect(s(mergeNumberTypes(new DecimalType(25, 2), new LongType()))).toBe('decimal(25,2)');
    expect(s(mergeNumberTypes(new DecimalType(3, 2), new DoubleType()))).toBe('double');
    expect(s(mergeNumberTypes(new DecimalType(38, 37), new DecimalType(38, 0)))).toBe('double');
  });

  it('collects by path (fields, array elements), records of a top-level array starting at the record', () => {
    const types = new Map<string, DataType>();
    collectNumberTypes('[{"a": 1, "b": {"c": [1.5, 2]}, "s": "1.5"}, {"a": 2.25}]', true, types);
    expect(Object.fromEntries([...types].map(([k, v]) => [k, s(v)]))).toEqual({
      '["a"]': 'decimal(22,2)',
      '["b","c","[]"]': 'decimal(21,1)',
    });
  });

  it('inference: 1.0 is DOUBLE (not BIGINT), and prefersDecimal gives decimals that read back', async () => {
    const text = '{"a": 1.0, "b": 2, "c": [0.10, 12.5], "d": {"e": 3.25}}\n{"a": 2.5, "b": 3, "d": {"e": 1}}\n';
    const infer = (options: Record<string, string> = {}) =>
      jsonFormat.inferSchema([{ path: 'a.json', bytes: Buffer.from(text) }], new FormatOptions(options)).simpleString();
    expect(infer()).toBe('struct<a:double,b:bigint,c:array<double>,d:struct<e:double>>');
    expect(infer({ prefersDecimal: 'true' })).toBe('struct<a:decimal(2,1),b:bigint,c:array<decimal(4,2)>,d:struct<e:decimal(22,2)>>');
    const rows = await readWith(jsonFormat, text, 'a DECIMAL(2,1), b BIGINT, c ARRAY<DECIMAL(4,2)>, d STRUCT<e: DECIMAL(22,2)>', { mode: 'FAILFAST' });
    expect(rows).toEqual([
      { a: 1, b: 2, c: [0.1, 12.5], d: { e: 3.25 } },
      { a: 2.5, b: 3, c: null, d: { e: 1 } },
    ]);
  });
});
