import fc from 'fast-check';
import { BadValue, compileJsonRow } from '../../lib/formats/convertValue';
import { jsonFormat } from '../../lib/formats/jsonFormat';
import { compileJsonLineReader, type CopyText } from '../../lib/formats/jsonLineReader';
import { compileTimestampFormat } from '../../lib/formats/timestampFormat';
import { toSchema } from '../../lib/sql/types';
import { readWith } from './support';

const SCHEMA = toSchema('ts TIMESTAMP, level STRING, n BIGINT, i INT, d DOUBLE, f FLOAT, b BOOLEAN');

/** What the general path (JSON.parse + compileJsonRow) gives for a line: a row, or 'malformed'. */
function general(line: string, schema = SCHEMA): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return 'malformed';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'malformed';
  try {
    return compileJsonRow(schema, {})(parsed as Record<string, unknown>);
  } catch (e) {
    if (e instanceof BadValue) return 'malformed';
    throw e;
  }
}

const copyOf =
  (text: string): CopyText =>
  (from, to) =>
    Buffer.from(text.slice(from, to), 'latin1').toString('latin1');

/** The reader's answer on `line` alone (undefined = it leaves the line to the general path). */
function fast(line: string, schema = SCHEMA): unknown {
  const reader = compileJsonLineReader(schema, {}, copyOf(line));
  if (reader === undefined) throw new Error('no reader');
  return reader(line, 0, line.length);
}

/** The reader either gives exactly the general path's row, or leaves the line to it. */
function expectAgrees(line: string, schema = SCHEMA): unknown {
  const row = fast(line, schema);
  if (row !== undefined) {
    const expected = general(line, schema);
    expect(row).toEqual(expected);
    expect(Object.keys(row as object)).toEqual(schema.fields.map((f) => f.name));
    for (const f of schema.fields) expect(Object.is((row as Record<string, unknown>)[f.name], (expected as Record<string, unknown>)[f.name]) || f.dataType.typeName === 'timestamp').toBe(true);
  }
  return row;
}

describe('compileJsonLineReader', () => {
  it('reads a flat record in schema order, keys missing from the line null', () => {
    expect(expectAgrees('{"ts":"2024-01-01T00:00:01.250Z","level":"warn","n":42,"i":-7,"d":1.5e3,"f":0.1,"b":true}')).toEqual({
      ts: new Date(Date.UTC(2024, 0, 1, 0, 0, 1, 250)),
      level: 'warn',
      n: 42,
      i: -7,
      d: 1500,
      f: Math.fround(0.1),
      b: true,
    });
    expect(expectAgrees('{"level":"x","b":false}')).toEqual({ ts: null, level: 'x', n: null, i: null, d: null, f: null, b: false });
    expect(expectAgrees('{}')).toEqual({ ts: null, level: null, n: null, i: null, d: null, f: null, b: null });
    expect(expectAgrees('{ "level" : "x" , "n" : null }  ')).toEqual({ ts: null, level: 'x', n: null, i: null, d: null, f: null, b: null });
    expect(expectAgrees('{"ts":"2024-02-29T23:59:59.123456789+05:30"}')).toEqual(expect.objectContaining({ ts: new Date(Date.UTC(2024, 1, 29, 18, 29, 59, 123)) }));
    expect(Object.is((expectAgrees('{"n":-0}') as { n: number }).n, -0)).toBe(true);
  });

  it.each([
    ['keys out of order', '{"level":"x","ts":"2024-01-01T00:00:00Z"}'],
    ['a duplicate key', '{"level":"x","level":"y"}'],
    ['an extra key', '{"level":"x","other":1}'],
    ['an escape', '{"level":"a\\"b"}'],
    ['a unicode escape', '{"level":"\\u0041"}'],
    ['a raw control character', '{"level":"a\u0001b"}'],
    ['a tab', '{"level":\t"a"}'],
    ['a number for a string', '{"level":5}'],
    ['a string for a number', '{"n":"5"}'],
    ['a fraction for BIGINT', '{"n":1.0}'],
    ['an exponent for BIGINT', '{"n":1e3}'],
    ['INT out of range', '{"i":2147483648}'],
    ['16 digits', '{"n":1234567890123456}'],
    ['a leading zero', '{"n":01}'],
    ['a bare minus', '{"n":-}'],
    ['a dot without digits', '{"d":1.}'],
    ['an exponent without digits', '{"d":1e}'],
    ['a timestamp that is not ISO', '{"ts":"2024-01-01 00:00:00"}'],
    ['an invalid date', '{"ts":"2023-02-29T00:00:00Z"}'],
    ['a number for a timestamp', '{"ts":1700000000}'],
    ['nesting', '{"level":{"a":1}}'],
    ['truncated', '{"level":"x"'],
    ['trailing garbage', '{"level":"x"}x'],
    ['a trailing comma', '{"level":"x",}'],
    ['an array', '[1,2]'],
    ['TRUE', '{"b":TRUE}'],
    ['nul', '{"n":nul}'],
  ])('leaves %s to the general path', (_what, line) => {
    expect(fast(line)).toBeUndefined();
  });

  it('long strings are copied (not slices of the file), or left to the general path without a copy', () => {
    const long = 'x'.repeat(40);
    const line = `{"level":"${long}"}`;
    expect(expectAgrees(line)).toEqual(expect.objectContaining({ level: long }));
    expect(compileJsonLineReader(SCHEMA, {})?.(line, 0, line.length)).toBeUndefined();
    const short = '{"level":"abc"}';
    expect(compileJsonLineReader(SCHEMA, {})?.(short, 0, short.length)).toEqual(expect.objectContaining({ level: 'abc' }));
  });

  it('short strings repeat from the cache only when equal', () => {
    const reader = compileJsonLineReader(SCHEMA, {}, () => 'unused')!;
    const text = '{"level":"warn"}\n{"level":"wars"}\n{"level":"warn"}\n{"level":"war"}';
    const rows = text.split('\n').map((line, k, all) => {
      const start = all.slice(0, k).reduce((s, l) => s + l.length + 1, 0);
      return reader(text, start, start + line.length);
    });
    expect(rows.map((r) => r?.level)).toEqual(['warn', 'wars', 'warn', 'war']);
  });

  it('is not compiled for types it does not read, a timestampFormat, or names JSON escapes', () => {
    expect(compileJsonLineReader(toSchema('a ARRAY<INT>'), {})).toBeUndefined();
    expect(compileJsonLineReader(toSchema('a DATE'), {})).toBeUndefined();
    expect(compileJsonLineReader(toSchema('a DECIMAL(10,2)'), {})).toBeUndefined();
    expect(compileJsonLineReader(toSchema('a TIMESTAMP'), { timestampFormat: compileTimestampFormat('yyyy') })).toBeUndefined();
    expect(compileJsonLineReader(toSchema('`a"b` STRING'), {})).toBeUndefined();
    expect(compileJsonLineReader(toSchema('a INT, a STRING'), {})).toBeUndefined();
    expect(compileJsonLineReader(toSchema('`__proto__` STRING'), {})).toBeUndefined();
  });

  it('agrees with JSON.parse + compileJsonRow on generated lines', () => {
    const value = fc.oneof(
      fc.constant('null'),
      fc.constant('true'),
      fc.constant('false'),
      fc.integer().map(String),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)),
      fc.bigInt({ min: -(10n ** 17n), max: 10n ** 17n }).map(String),
      fc.date({ min: new Date(-62_000_000_000_000), max: new Date(250_000_000_000_000), noInvalidDate: true }).map((d) => JSON.stringify(d.toISOString())),
      fc.string({ maxLength: 20 }).map((s) => JSON.stringify(s)),
      fc.string({ unit: 'binary', maxLength: 5 }).map((s) => `"${s}"`),
      fc.constantFrom('"2024-01-01T00:00:00+01:00"', '"2024-13-01T00:00:00Z"', '1.', '-', '01', '{}', '[]', '"\\"', '1e400'),
    );
    const key = fc.constantFrom('ts', 'level', 'n', 'i', 'd', 'f', 'b', 'other');
    const line = fc
      .array(fc.tuple(key, value, fc.constantFrom('', ' ')), { maxLength: 8 })
      .map((kvs) => `{${kvs.map(([k, v, sp]) => `"${k}":${sp}${v}`).join(',')}}`);
    fc.assert(
      fc.property(line, (l) => {
        expectAgrees(l);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('jsonFormat with the fast reader', () => {
  it('gives the same rows as the general path for a file mixing fast and general lines', async () => {
    const lines = [
      '{"ts":"2024-01-01T00:00:00.001Z","level":"warn","n":1}',
      '{"level":"a\\"b","n":2}',
      '',
      '{"n":"bad"}',
      `{"level":"${'y'.repeat(30)}","n":3}`,
      '{"level":"é","n":4}',
      '{"ts":"2024-01-01T00:00:00.002Z","level":"warn","n":5}',
    ];
    const schema = 'ts TIMESTAMP, level STRING, n BIGINT, _corrupt_record STRING';
    const rows = await readWith(jsonFormat, Buffer.from(lines.join('\n'), 'utf8'), schema, {}, 'mixed.json');
    expect(rows).toEqual([
      { ts: new Date(Date.UTC(2024, 0, 1, 0, 0, 0, 1)), level: 'warn', n: 1, _corrupt_record: null },
      { ts: null, level: 'a"b', n: 2, _corrupt_record: null },
      { ts: null, level: null, n: null, _corrupt_record: '{"n":"bad"}' },
      { ts: null, level: 'y'.repeat(30), n: 3, _corrupt_record: null },
      { ts: null, level: 'é', n: 4, _corrupt_record: null },
      { ts: new Date(Date.UTC(2024, 0, 1, 0, 0, 0, 2)), level: 'warn', n: 5, _corrupt_record: null },
    ]);
  });
});
