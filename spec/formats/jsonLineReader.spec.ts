import fc from 'fast-check';
import { BadValue, compileJsonRow, isoInstantAt } from '../../lib/formats/convertValue';
import { jsonFormat } from '../../lib/formats/jsonFormat';
import { isAscii } from 'node:buffer';
import { compileJsonLineReader, isoInstantBytes, minuteCache } from '../../lib/formats/jsonLineReader';
import { compileTimestampFormat } from '../../lib/formats/timestampFormat';
import { toSchema } from '../../lib/values/types';
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

/**
 * The reader's answer on `line` alone, as the file's UTF-8 bytes (undefined = it leaves the line to the general
 * path). An ASCII line is read both with and without its text (the two must agree).
 */
function fast(line: string, schema = SCHEMA): unknown {
  const reader = compileJsonLineReader(schema, {});
  if (reader === undefined) throw new Error('no reader');
  const bytes = Buffer.from(line, 'utf8');
  const row = reader.read(bytes, undefined, 0);
  if (row !== undefined) expect(reader.end).toBe(bytes.length);
  if (isAscii(bytes)) {
    const withText = compileJsonLineReader(schema, {})!.read(bytes, bytes.toString('latin1'), 0);
    expect(withText).toEqual(row);
  }
  // Followed by another line, the same answer, ending at the LF.
  const followed = Buffer.concat([bytes, Buffer.from('\n{}\n')]);
  const next = compileJsonLineReader(schema, {})!;
  expect(next.read(followed, undefined, 0)).toEqual(row);
  if (row !== undefined) expect(next.end).toBe(bytes.length);
  return row;
}

/** The reader either gives exactly the general path's row, or leaves the line to it. */
function expectAgrees(line: string, schema = SCHEMA): unknown {
  const row = fast(line, schema);
  if (row !== undefined) {
    // What a file holding the line's UTF-8 bytes says (a lone surrogate is written as U+FFFD).
    const expected = general(Buffer.from(line, 'utf8').toString('utf8'), schema);
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

  it('reads long strings and strings of any characters (decoded from their own bytes)', () => {
    for (const v of ['x'.repeat(40), 'é', 'naïve café', '日本語のテキスト', '😀 emoji', 'a\u2028b', '\uFEFFbom', `${'é'.repeat(20)}x`]) {
      expect(expectAgrees(`{"level":${JSON.stringify(v)}}`)).toEqual(expect.objectContaining({ level: v }));
    }
  });

  it('reads keys of any characters', () => {
    const schema = toSchema('`clé` STRING, `日本` BIGINT, `😀` DOUBLE');
    expect(expectAgrees('{"clé":"v","日本":5,"😀":1.5}', schema)).toEqual({ clé: 'v', 日本: 5, '😀': 1.5 });
    expect(fast('{"cle":"v"}', schema)).toBeUndefined();
  });

  it('short strings repeat from the cache only when equal', () => {
    for (const withText of [true, false]) {
      const reader = compileJsonLineReader(SCHEMA, {})!;
      // Values sharing their first bytes (the guess by the first four bytes), longer, shorter, with an escape after.
      const text = [
        '{"level":"warn"}',
        '{"level":"wars"}',
        '{"level":"warn"}',
        '{"level":"war"}',
        '{"level":"warn"}',
        '{"level":"warning"}',
        '{"level":"warn"}',
        '{"level":"warn\\"x"}',
        '{"level":"warn\\u0041"}',
        '{"level":"war"}',
        '{"level":"wa"}',
        '{"level":"w"}',
        '{"level":"wa"}',
      ].join('\n');
      const bytes = Buffer.from(text, 'latin1');
      const rows = text.split('\n').map((line, k, all) => {
        const start = all.slice(0, k).reduce((s, l) => s + l.length + 1, 0);
        const row = reader.read(bytes, withText ? text : undefined, start);
        if (row !== undefined) expect(reader.end).toBe(start + line.length);
        return row;
      });
      expect(rows.map((r) => r?.level)).toEqual(['warn', 'wars', 'warn', 'war', 'warn', 'warning', 'warn', undefined, undefined, 'war', 'wa', 'w', 'wa']);
    }
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
    fc.assert(
      fc.property(lineArb, (l) => {
        expectAgrees(l);
      }),
      { numRuns: 3000 },
    );
  });

  it('reads every number JSON.parse reads the same (the exact fast path of fractions and exponents)', () => {
    const schema = toSchema('d DOUBLE, f FLOAT');
    const number = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)),
      fc
        .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 18n }), fc.option(fc.stringMatching(/^[0-9]{1,18}$/)), fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.integer({ min: 0, max: 400 }))))
        .map(([neg, int, frac, exp]) => `${neg ? '-' : ''}${int}${frac === null ? '' : `.${frac}`}${exp === null ? '' : `${exp[0]}${exp[1]}${exp[2]}`}`),
    );
    fc.assert(
      fc.property(number, number, (d, f) => {
        const row = expectAgrees(`{"d":${d},"f":${f}}`, schema) as Record<string, number> | undefined;
        if (row !== undefined) {
          expect(Object.is(row.d, JSON.parse(d))).toBe(true);
          expect(Object.is(row.f, Math.fround(JSON.parse(f)))).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('isoInstantBytes', () => {
  it('agrees with isoInstantAt (the general path) on generated instants and near misses, the minute cache shared', () => {
    const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
    const instant = fc
      .tuple(
        fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0')),
        two(13),
        two(32),
        fc.constantFrom('T', 't', ' '),
        two(24),
        two(60),
        two(60),
        fc.constantFrom('', '.', '.5', '.12', '.123', '.1234', '.123456789', '.1234567890', '.x'),
        fc.constantFrom('Z', 'z', '', '+01:00', '-11:30', '+19:00', '+0100', '-05:61', 'Z ', '\\u005A'),
      )
      .map(([y, mo, d, t, h, mi, sec, frac, zone]) => `${y}-${mo}-${d}${t}${h}:${mi}:${sec}${frac}${zone}`);
    const a = { prefix: '', ms: 0 };
    const b = minuteCache();
    fc.assert(
      fc.property(fc.array(instant, { minLength: 1, maxLength: 5 }), (instants) => {
        for (const s of instants) {
          const bytes = Buffer.from(`"${s}"`, 'latin1');
          expect([s, isoInstantBytes(bytes, 1, bytes.length - 1, b)]).toEqual([s, isoInstantAt(s, 0, s.length, a)]);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

/** Values of every kind, of the schema's types and not, with escapes, unicode and nesting. */
const valueArb = fc.oneof(
  fc.constant('null'),
  fc.constant('true'),
  fc.constant('false'),
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)),
  fc.bigInt({ min: -(10n ** 17n), max: 10n ** 17n }).map(String),
  fc.date({ min: new Date(-62_000_000_000_000), max: new Date(250_000_000_000_000), noInvalidDate: true }).map((d) => JSON.stringify(d.toISOString())),
  fc.string({ maxLength: 20 }).map((s) => JSON.stringify(s)),
  fc.string({ unit: 'grapheme', maxLength: 20 }).map((s) => JSON.stringify(s)),
  fc.string({ unit: 'grapheme', maxLength: 20 }).map((s) => `"${s.replace(/["\\]/g, '')}"`),
  fc.string({ unit: 'binary', maxLength: 5 }).map((s) => `"${s}"`),
  fc.json({ maxDepth: 2 }),
  fc.constantFrom('"2024-01-01T00:00:00+01:00"', '"2024-13-01T00:00:00Z"', '1.', '-', '01', '{}', '[]', '"\\"', '1e400', '-0', '-0.0', '1E-7', '"\\u00e9"', '"é"'),
);
const keyArb = fc.constantFrom('ts', 'level', 'n', 'i', 'd', 'f', 'b', 'other', 'lével');
const spaceArb = fc.constantFrom('', '', ' ', '  ', '\t', '\u00a0');
/** Strings that need escapes, or hold unicode, control characters, quotes and backslashes. */
const trickyStringArb = fc
  .array(fc.constantFrom('a', 'Z', ' ', '"', '\\', '/', '\n', '\t', '\r', '\u0001', '\u001f', '\u007f', 'é', '\u2028', '\uFFFD', '😀', '\uD800', '日'), { maxLength: 14 })
  .map((cs) => cs.join(''));
/** A value for a field of SCHEMA: mostly of its own type, written as JSON would, sometimes raw or of another type. */
const fieldValueArb: Record<string, fc.Arbitrary<string>> = {
  ts: fc.oneof(
    fc.date({ min: new Date(-62_000_000_000_000), max: new Date(250_000_000_000_000), noInvalidDate: true }).map((d) => JSON.stringify(d.toISOString())),
    fc.constantFrom('"2024-01-01T00:00:00.000Z"', '"2024-01-01T00:00:59.999Z"', '"2024-01-01T00:00:00.000+01:00"', '"2024-01-01T00:00:00.0001Z"', '"2024-01-01T00:00:60.000Z"', '"2024-01-01T00:00:00.000z"', '"2024-01-01T00:00:00.000Z\\"'),
  ),
  level: fc.oneof(
    trickyStringArb.map((v) => JSON.stringify(v)),
    trickyStringArb.map((v) => `"${v.replace(/"/g, '')}"`),
    fc.string({ unit: 'grapheme', maxLength: 30 }).map((v) => JSON.stringify(v)),
    // Long values whose escapes, raw control characters and non-ASCII come after the hashed first bytes.
    fc.tuple(fc.nat({ max: 40 }), trickyStringArb).map(([k, v]) => JSON.stringify('a'.repeat(k) + v)),
    fc.tuple(fc.nat({ max: 40 }), trickyStringArb).map(([k, v]) => `"${'a'.repeat(k)}${v.replace(/"/g, '')}"`),
  ),
  n: fc.oneof(fc.bigInt({ min: -(10n ** 17n), max: 10n ** 17n }).map(String), fc.constantFrom('-0', '0', '1.0', '1e2', '9007199254740993')),
  i: fc.oneof(fc.integer().map(String), fc.constantFrom('2147483647', '2147483648', '-2147483649')),
  d: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)), fc.constantFrom('1e400', '-0.0', '0.1', '5e-324', '1.7976931348623157e308')),
  f: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)), fc.constantFrom('3.4028235e38', '1e39', '0.1')),
  b: fc.constantFrom('true', 'false', 'TRUE', 'tru', '"true"'),
};
/** Lines of SCHEMA's shape (fields in order, some left out): what the reader mostly accepts, and near misses. */
const schemaLineArb = fc
  .tuple(...Object.entries(fieldValueArb).map(([k, v]) => fc.option(fc.tuple(fc.constant(k), v, spaceArb), { freq: 3 })))
  .map((kvs) => `{${kvs.flatMap((kv) => (kv === null ? [] : [`"${kv[0]}":${kv[2]}${kv[1]}`])).join(',')}}`);
/** A JSON-lines line: mostly flat records, with odd whitespace, and some lines that are not records at all. */
const lineArb = fc.oneof(
  { weight: 8, arbitrary: schemaLineArb },
  { weight: 8, arbitrary: fc.array(fc.tuple(keyArb, valueArb, spaceArb, spaceArb), { maxLength: 8 }).map((kvs) => `{${kvs.map(([k, v, s1, s2]) => `${s1}"${k}"${s2}:${s1}${v}${s2}`).join(',')}}`) },
  { weight: 1, arbitrary: fc.tuple(spaceArb, valueArb, spaceArb).map(([a, v, b]) => `${a}${v}${b}`) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '{', '{"level":"x"', '{"level":"x"}}', '[{"level":"a"},{"n":1}]', '{"level":"x",}', '\uFEFF{"level":"x"}') },
);

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

describe('jsonFormat: the fast path (bytes, LF) and the general line reader agree on generated files', () => {
  const schema = 'ts TIMESTAMP, level STRING, n BIGINT, i INT, d DOUBLE, f FLOAT, b BOOLEAN, _corrupt_record STRING';
  const invalidUtf8 = fc.constantFrom(Buffer.from([0xc3, 0x28]), Buffer.from([0xff]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xe2, 0x82]));
  /** A file: generated lines joined by LF, sometimes ending without one, sometimes with a byte that is not UTF-8. */
  const fileArb = fc
    .tuple(fc.array(lineArb, { maxLength: 12 }), fc.boolean(), fc.option(fc.tuple(invalidUtf8, fc.nat()), { freq: 5 }))
    .map(([lines, trailing, bad]) => {
      // No CR: with one, both paths split lines at it too (CRLF is checked in jsonFormat.spec.ts).
      const bytes = Buffer.from(`${lines.join('\n')}${trailing ? '\n' : ''}`.replace(/\r/g, ''), 'utf8');
      if (bad === null || bytes.length === 0) return bytes;
      const at = bad[1] % bytes.length;
      return Buffer.concat([bytes.subarray(0, at), bad[0], bytes.subarray(at)]);
    });

  /** Files of few distinct values, so that the reader's caches hit, miss and collide across lines. */
  const pooledLineArb = fc
    .tuple(
      fc.constantFrom('"warn"', '"wars"', '"war"', '"warning"', '"w"', '"u1"', '"u12"', '"u123"', '"u1234567890123"', '"é"', '"a\\"b"', '"warn "', 'null', '5'),
      fc.constantFrom('"2024-01-01T00:00:00.000Z"', '"2024-01-01T00:00:00.001Z"', '"2024-01-01T00:01:00.000Z"', '"2024-01-01T00:00:00Z"', '"2024-01-01T00:00:00.000+00:00"'),
      fc.constantFrom('1', '-1', '1.5', 'null', '"1"'),
      spaceArb,
    )
    .map(([level, ts, n, sp]) => `{"ts":${ts},"level":${sp}${level},"n":${n}}`);
  const pooledFileArb = fc.array(pooledLineArb, { maxLength: 40 }).map((lines) => Buffer.from(lines.join('\n'), 'utf8'));

  for (const [mode, files] of [
    ['PERMISSIVE', fileArb],
    ['DROPMALFORMED', fileArb],
    ['FAILFAST', fileArb],
    ['PERMISSIVE (few distinct values)', pooledFileArb],
  ] as const) {
    it(`${mode}: the same rows, or the same failure`, async () => {
      await fc.assert(
        fc.asyncProperty(files, async (bytes) => {
          // lineSep '\n' splits the same lines but takes the general path (splitLines, JSON.parse) for every one.
          const read = async (options: Record<string, string>) => {
            try {
              return { rows: await readWith(jsonFormat, bytes, schema, { mode: mode.split(' ')[0] as string, ...options }, 'gen.json') };
            } catch (e) {
              return { error: (e as { context?: unknown }).context };
            }
          };
          const fastRows = await read({});
          const generalRows = await read({ lineSep: '\n' });
          // Dates by their time (an invalid Date is not equal to itself under toEqual).
          const plain = (x: unknown) => JSON.stringify(x, function (k, v) {
            const raw = (this as Record<string, unknown>)[k];
            return raw instanceof Date ? `Date(${raw.getTime()})` : typeof v === 'number' && Object.is(v, -0) ? '-0' : v;
          });
          expect(plain(fastRows)).toEqual(plain(generalRows));
          for (const r of fastRows.rows ?? []) expect(Object.keys(r)).toEqual(['ts', 'level', 'n', 'i', 'd', 'f', 'b', '_corrupt_record']);
        }),
        { numRuns: 500 },
      );
    });
  }
});
