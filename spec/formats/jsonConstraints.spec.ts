/**
 * Issue #16 item 5: a JSON value nested 100,000 levels deep made every parse mode fail with `Maximum call stack
 * size exceeded`. Jackson's StreamReadConstraints (Spark's JSON parser) make such a record malformed: nesting
 * deeper than 1,000, a number longer than 1,000 characters, a string longer than 20,000,000. The record then goes
 * to the parse mode, on the fast line path, the general path, multiLine and schema inference alike.
 */
import { jsonFormat } from '../../lib/formats/jsonFormat';
import { FormatOptions } from '../../lib/formats/FormatOptions';
import { JSON_READ_LIMITS, jsonConstraintViolation } from '../../lib/values/jsonReadLimits';
import { fromJson } from '../../lib/sql/expr/json';
import { StructType } from '../../lib/values/types';
import { expectWeirError } from '../support/expectWeirError';
import { readWith } from './support';

const deep = (levels: number): string => `${'['.repeat(levels)}${']'.repeat(levels)}`;
const WITH_CORRUPT = 'a INT, b STRING, _corrupt_record STRING';

const cases: ReadonlyArray<readonly [string, string, RegExp]> = [
  ['100,000 levels of arrays', `{"a":2,"b":${deep(100000)}}`, /^Document nesting depth \(1001\) exceeds the maximum allowed \(1000, from `StreamReadConstraints\.getMaxNestingDepth\(\)`\)$/],
  ['100,000 levels of objects', `{"a":2,"b":${'{"x":'.repeat(100000)}1${'}'.repeat(100000)}}`, /^Document nesting depth \(1001\) exceeds/],
  ['a number of 1,001 digits', `{"a":2,"b":${'9'.repeat(1001)}}`, /^Number value length \(1001\) exceeds the maximum allowed \(1000, from `StreamReadConstraints\.getMaxNumberLength\(\)`\)$/],
  ['a string of 20,000,001 characters', `{"a":2,"b":"${'x'.repeat(20_000_001)}"}`, /^String value length \(20000001\) exceeds the maximum allowed \(20000000, from `StreamReadConstraints\.getMaxStringLength\(\)`\)$/],
];

const file = (record: string): string => `{"a":1}\n${record}\n{"a":3}\n`;

describe("Jackson's read limits make a record malformed", () => {
  it.each(cases)('%s: PERMISSIVE keeps the raw text in _corrupt_record', async (_name, record) => {
    const rows = await readWith(jsonFormat, file(record), WITH_CORRUPT, {}, 'deep.json');
    expect(rows.map((r) => r.a)).toEqual([1, null, 3]);
    expect(rows[1]!._corrupt_record).toBe(record);
    expect(rows[1]!.b).toBe(null);
  });

  it.each(cases)('%s: DROPMALFORMED drops it', async (_name, record) => {
    const rows = await readWith(jsonFormat, file(record), 'a INT, b STRING', { mode: 'DROPMALFORMED' }, 'deep.json');
    expect(rows).toEqual([{ a: 1, b: null }, { a: 3, b: null }]);
  });

  it.each(cases)("%s: FAILFAST is MALFORMED_RECORD naming file, line and Jackson's reason", async (_name, record, reason) => {
    const e = await expectWeirError(() => readWith(jsonFormat, file(record), 'a INT, b STRING', { mode: 'FAILFAST' }, '/data/deep.json'), 'MALFORMED_RECORD');
    expect(e.message).toMatch(/^\[MALFORMED_RECORD_IN_PARSING\.WITHOUT_SUGGESTION\] Malformed records are detected in record parsing: /);
    expect(e.context).toMatchObject({ path: '/data/deep.json', line: 2 });
    expect(String(e.context.reason)).toMatch(reason);
  });

  it('multiLine: a deep document is one malformed record', async () => {
    const text = `{"a":2,\n"b":${deep(100000)}}`;
    const rows = await readWith(jsonFormat, text, WITH_CORRUPT, { multiLine: 'true' }, 'deep.json');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.a).toBe(null);
    expect(rows[0]!._corrupt_record).toBe(text);
  });

  it('a relaxed-syntax record (single quotes, comments) past the limit is malformed too', async () => {
    const rows = await readWith(jsonFormat, `{'a':2, /* c */ 'b':${deep(5000)}}`, WITH_CORRUPT, { allowSingleQuotes: 'true', allowComments: 'true' }, 'deep.json');
    expect(rows[0]!._corrupt_record).toBe(`{'a':2, /* c */ 'b':${deep(5000)}}`);
  });

  it('schema inference leaves a deep record out instead of overflowing', () => {
    const schema = jsonFormat.inferSchema([{ path: 'a.json', bytes: Buffer.from(file(`{"a":2,"b":${deep(100000)}}`)) }], new FormatOptions());
    expect(schema.simpleString()).toBe('struct<a:bigint>');
  });

  it('exactly at the limits a record is read: 1,000 levels, 1,000 digits', async () => {
    const rows = await readWith(jsonFormat, `{"a":1,"b":${deep(999)}}\n{"a":2,"b":${'1'.repeat(1000)}}\n`, WITH_CORRUPT, {}, 'ok.json');
    expect(rows.map((r) => r._corrupt_record)).toEqual([null, null]);
    expect(rows[0]!.b).toBe(deep(999));
    expect(rows.map((r) => r.a)).toEqual([1, 2]);
  });

  it('the scan ignores brackets and digits inside strings, and short texts are not scanned', () => {
    expect(jsonConstraintViolation(`{"s":"${'['.repeat(5000)}${'9'.repeat(5000)}"}`)).toBeUndefined();
    expect(jsonConstraintViolation(`{"s":"a\\"${'['.repeat(2000)}"}`)).toBeUndefined();
    expect(jsonConstraintViolation(deep(JSON_READ_LIMITS.maxNestingDepth))).toBeUndefined();
    expect(jsonConstraintViolation(deep(JSON_READ_LIMITS.maxNestingDepth + 1))).toMatch(/^Document nesting depth \(1001\)/);
    expect(jsonConstraintViolation(`{"${'k'.repeat(50_001)}":1}`)).toMatch(/^Name length \(50001\) exceeds the maximum allowed \(50000/);
  });

  it.each(cases)('%s: from_json gives the struct of nulls of malformed input', (_name, record) => {
    expect(fromJson(record, StructType.fromDDL('a INT, b STRING'))).toEqual({ a: null, b: null });
    expect(fromJson(record, StructType.fromDDL('a INT, b ARRAY<STRING>'))).toEqual({ a: null, b: null });
  });

  it('from_json at the limit still reads', () => {
    expect(fromJson(`{"a":2,"b":${deep(999)}}`, StructType.fromDDL('a INT, b STRING'))).toEqual({ a: 2, b: deep(999) });
  });
});
