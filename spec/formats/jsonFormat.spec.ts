import { jsonFormat } from '../../lib/formats/jsonFormat';
import { FormatOptions } from '../../lib/formats/FormatOptions';
import { toSchema } from '../../lib/values/types';
import { expectWeirError } from '../support/expectWeirError';
import { readWith } from './support';

const SCHEMA = 'id BIGINT, name STRING';
const WITH_CORRUPT = 'id BIGINT, name STRING, _corrupt_record STRING';

/**
 * The bad-input corpus: one file, one record per line (line numbers in comments).
 *   1 good
 *   2 truncated JSON
 *   3 wrong type (id is a string)
 *   4 invalid UTF-8 inside a string
 *   5 good, with a 10 MB value
 *   6 a NUL byte inside a string
 *   7 blank (not a record)
 *   8 a JSON array (not an object)
 *   9 good
 */
const TEN_MB = 'x'.repeat(10 * 1024 * 1024);
const corpus = Buffer.concat([
  Buffer.from('\uFEFF{"id":1,"name":"a"}\n', 'utf8'), // with a BOM at the start of the file
  Buffer.from('{"id":2,"name":"b"\n', 'utf8'),
  Buffer.from('{"id":"three","name":"c"}\n', 'utf8'),
  Buffer.concat([Buffer.from('{"id":4,"name":"', 'utf8'), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n', 'utf8')]),
  Buffer.from(`{"id":5,"name":"${TEN_MB}"}\n`, 'utf8'),
  Buffer.concat([Buffer.from('{"id":6,"name":"x', 'utf8'), Buffer.from([0]), Buffer.from('y"}\n', 'utf8')]),
  Buffer.from('   \n', 'utf8'),
  Buffer.from('[1,2]\n', 'utf8'),
  Buffer.from('{"id":9,"name":"i","extra":true}\n', 'utf8'),
]);

describe('jsonFormat: the bad-input corpus', () => {
  it('PERMISSIVE keeps every record: 8 rows, malformed ones null but for what parsed, raw text in _corrupt_record', async () => {
    const rows = await readWith(jsonFormat, corpus, WITH_CORRUPT, {}, 'corpus.json');
    expect(rows).toHaveLength(8);
    expect(rows.map((r) => r.id)).toEqual([1, null, null, null, 5, null, null, 9]);
    expect(rows[0]).toEqual({ id: 1, name: 'a', _corrupt_record: null }); // the BOM is not part of the record
    expect(rows[2]).toEqual({ id: null, name: 'c', _corrupt_record: '{"id":"three","name":"c"}' }); // partial result
    expect(rows[1]?._corrupt_record).toBe('{"id":2,"name":"b"');
    expect(rows[3]?._corrupt_record).toContain('\uFFFD');
    expect((rows[4]?.name as string).length).toBe(TEN_MB.length);
    expect(rows[6]?._corrupt_record).toBe('[1,2]');
    expect(rows.filter((r) => r._corrupt_record !== null)).toHaveLength(5);
  });

  it('PERMISSIVE without a corrupt-record column keeps the rows with nulls', async () => {
    const rows = await readWith(jsonFormat, corpus, SCHEMA, { mode: 'PERMISSIVE' });
    expect(rows).toHaveLength(8);
    expect(rows.filter((r) => r.id === null && r.name === null)).toHaveLength(4);
  });

  it('DROPMALFORMED keeps exactly the 3 good records', async () => {
    const rows = await readWith(jsonFormat, corpus, SCHEMA, { mode: 'DROPMALFORMED' });
    expect(rows.map((r) => r.id)).toEqual([1, 5, 9]);
  });

  it('FAILFAST fails with MALFORMED_RECORD naming the file and line 2', async () => {
    const e = await expectWeirError(() => readWith(jsonFormat, corpus, SCHEMA, { mode: 'FAILFAST' }, '/data/corpus.json'), 'MALFORMED_RECORD');
    expect(e.context).toMatchObject({ path: '/data/corpus.json', line: 2 });
    expect(e.message).toContain('Parse Mode: FAILFAST');
  });

  it('FAILFAST names the line of each kind of damage', async () => {
    const lines = corpus.toString('latin1').split('\n');
    for (const [line, expected] of [[3, 'wrong type'], [4, 'invalid UTF-8'], [6, 'NUL'], [8, 'array']] as const) {
      const one = Buffer.from(`{"id":1,"name":"ok"}\n${lines[line - 1]}\n`, 'latin1');
      const e = await expectWeirError(() => readWith(jsonFormat, one, SCHEMA, { mode: 'FAILFAST' }, `${expected}.json`), 'MALFORMED_RECORD');
      expect(e.context.line).toBe(2);
      expect(e.context.path).toBe(`${expected}.json`);
    }
  });

  it('rejects an unknown mode', async () => {
    await expectWeirError(() => readWith(jsonFormat, '{}', SCHEMA, { mode: 'lenient' }), 'INVALID_ARGUMENT');
  });
});

describe('jsonFormat: values', () => {
  it('converts to the schema as Spark does (no loose casts)', async () => {
    const rows = await readWith(
      jsonFormat,
      '{"i":1,"d":2,"b":true,"s":5,"ts":"2024-01-02T03:04:05.678Z","day":"2024-01-02","a":[1,2],"st":{"x":"y"}}\n',
      'i INT, d DOUBLE, b BOOLEAN, s STRING, ts TIMESTAMP, day DATE, a ARRAY<INT>, st STRUCT<x: STRING>',
    );
    expect(rows).toEqual([
      { i: 1, d: 2, b: true, s: '5', ts: new Date('2024-01-02T03:04:05.678Z'), day: new Date('2024-01-02T00:00:00Z'), a: [1, 2], st: { x: 'y' } },
    ]);
    const bad = await readWith(jsonFormat, '{"i":1.5}\n{"i":3000000000}\n{"b":"true"}\n', 'i INT, b BOOLEAN', { mode: 'DROPMALFORMED' });
    expect(bad).toEqual([]);
  });

  it('reads timestampFormat', async () => {
    const rows = await readWith(jsonFormat, '{"ts":"02/01/2024 03:04"}\n', 'ts TIMESTAMP', { timestampFormat: 'dd/MM/yyyy HH:mm' });
    expect(rows).toEqual([{ ts: new Date(Date.UTC(2024, 0, 2, 3, 4)) }]);
  });

  it('multiLine: one document per file, an object or an array of objects', async () => {
    expect(await readWith(jsonFormat, '{\n "id": 1,\n "name": "a"\n}\n', SCHEMA, { multiLine: 'true' })).toEqual([{ id: 1, name: 'a' }]);
    expect(await readWith(jsonFormat, '[{"id": 1},\n {"id": 2}]', SCHEMA, { multiLine: 'true' })).toEqual([
      { id: 1, name: null },
      { id: 2, name: null },
    ]);
    const e = await expectWeirError(() => readWith(jsonFormat, '{\n "id": 1,\n', SCHEMA, { multiLine: 'true', mode: 'FAILFAST' }, 'm.json'), 'MALFORMED_RECORD');
    expect(e.context).toMatchObject({ path: 'm.json', line: 1 });
  });

  it('writes Spark JSON lines (nulls omitted, Java doubles, ISO timestamps) that read back equal', async () => {
    const schema = toSchema('id BIGINT, x DOUBLE, name STRING, ts TIMESTAMP, day DATE, tags ARRAY<STRING>');
    const rows = [
      { id: 1, x: 1, name: 'a"\n\\b', ts: new Date('2024-01-02T03:04:05.006Z'), day: new Date('2024-01-02T00:00:00Z'), tags: ['p', 'q'] },
      { id: 2, x: 1.5e20, name: null, ts: null, day: null, tags: null },
    ];
    const bytes = Buffer.from(await jsonFormat.write(rows, schema, new FormatOptions()));
    expect(bytes.toString('utf8')).toBe(
      '{"id":1,"x":1.0,"name":"a\\"\\n\\\\b","ts":"2024-01-02T03:04:05.006Z","day":"2024-01-02","tags":["p","q"]}\n' +
        '{"id":2,"x":1.5E20}\n',
    );
    expect(await readWith(jsonFormat, bytes, schema)).toEqual(rows);
  });

  it('infers a schema from the records (malformed ones left out)', () => {
    const schema = jsonFormat.inferSchema([{ path: 'a', bytes: Buffer.from('{"b":1,"a":"x"}\n{"c":1.5}\n{broken\n') }], new FormatOptions());
    expect(schema.simpleString()).toBe('struct<a:string,b:bigint,c:double>');
  });
});

describe('jsonFormat: the ISO-8601 fast path agrees with the general timestamp parser', () => {
  it('on instants, fractions, offsets, and falls back on every other shape', async () => {
    const { stringToTimestamp } = await import('../../lib/values/types');
    const cases = [
      '2024-01-02T03:04:05Z',
      '2024-01-02T03:04:05.6Z',
      '2024-01-02T03:04:05.678Z',
      '2024-01-02T03:04:05.678901Z',
      '2024-01-02T03:04:05+02:00',
      '2024-01-02T03:04:05.5-11:30',
      '2024-02-29T00:00:00Z',
      '2023-02-29T00:00:00Z',
      '2024-13-01T00:00:00Z',
      '2024-01-02T24:00:00Z',
      '2024-01-02 03:04:05Z',
      '2024-01-02T03:04:05',
      '2024-01-02T03:04:05.Z',
      '0001-01-01T00:00:00Z',
    ];
    for (const c of cases) {
      const rows = await readWith(jsonFormat, `${JSON.stringify({ ts: c })}\n`, 'ts TIMESTAMP', { mode: 'PERMISSIVE' });
      const expected = stringToTimestamp(c);
      expect([c, (rows[0]?.ts as Date | null)?.getTime() ?? null]).toEqual([c, expected]);
    }
  });
});

describe('jsonFormat: the LF fast path and the general line reader agree', () => {
  const records = [
    '{"id":1,"name":"a"}',
    '{"name":"b","id":2}', // other key order: a new row object
    '{"id":3}', // missing key
    '{"id":4,"name":"d","extra":[1]}', // extra key
    '{"id":"5","name":"e"}', // wrong type
    '{"id":6,"name":"f"', // truncated
    '',
    '  {"id":7,"name":"g"}', // leading blank
    '[{"id":8},{"id":9}]', // an array of records
    '"just a string"',
    '{"id":10,"name":"x\u0000y"}',
  ];
  for (const mode of ['PERMISSIVE', 'DROPMALFORMED']) {
    it(`${mode}: LF (fast path) and CRLF (general path) give the same rows`, async () => {
      const schema = 'id BIGINT, name STRING, _corrupt_record STRING';
      const lf = await readWith(jsonFormat, `${records.join('\n')}\n`, schema, { mode });
      const crlf = await readWith(jsonFormat, `${records.join('\r\n')}\r\n`, schema, { mode });
      expect(lf).toEqual(crlf);
      expect(lf.map((r) => r.id)).toEqual(
        mode === 'PERMISSIVE' ? [1, 2, 3, 4, null, null, 7, 8, 9, null, null] : [1, 2, 3, 4, 7, 8, 9],
      );
      for (const r of lf) expect(Object.keys(r)).toEqual(['id', 'name', '_corrupt_record']);
    });
  }
  it('FAILFAST: the same line from both paths', async () => {
    for (const sep of ['\n', '\r\n']) {
      const e = await expectWeirError(() => readWith(jsonFormat, records.join(sep), 'id BIGINT, name STRING', { mode: 'FAILFAST' }, 'f.json'), 'MALFORMED_RECORD');
      expect(e.context.line).toBe(5);
    }
  });
});

describe('jsonFormat: schema inference as Spark widens', () => {
  it('a field of conflicting types becomes STRING, a field null everywhere becomes STRING', () => {
    const bytes = Buffer.from('{"a":{"x":1},"b":1,"n":null}\n{"a":5,"b":2.5,"n":null}\n');
    expect(jsonFormat.inferSchema([{ path: 'a', bytes }], new FormatOptions()).simpleString()).toBe('struct<a:string,b:double,n:string>');
  });
});

describe('jsonFormat: Spark options', () => {
  const infer = (text: string, options: Record<string, string> = {}) =>
    jsonFormat.inferSchema([{ path: 'a.json', bytes: Buffer.from(text) }], new FormatOptions(options)).simpleString();

  it('allowComments, allowSingleQuotes, allowUnquotedFieldNames: as Jackson reads them (single quotes on by default, as in Spark)', async () => {
    const text = "// a header comment\n{'id': 1, /* inline */ \"s\": 'it\\'s \"x\"'}\n{id: 2, s: 'b'} // trailing\n/* only a comment */\n";
    const all = { allowComments: 'true', allowSingleQuotes: 'true', allowUnquotedFieldNames: 'true' };
    expect(await readWith(jsonFormat, text, 'id INT, s STRING', { ...all, mode: 'FAILFAST' })).toEqual([
      { id: 1, s: 'it\'s "x"' },
      { id: 2, s: 'b' },
    ]);
    // Each feature alone allows only its own syntax.
    expect(await readWith(jsonFormat, text, 'id INT, s STRING', { mode: 'DROPMALFORMED' })).toEqual([]);
    expect(await readWith(jsonFormat, '{"id": 1} // c\n', 'id INT', { allowComments: 'true', mode: 'FAILFAST' })).toEqual([{ id: 1 }]);
    await expectWeirError(() => readWith(jsonFormat, "{'id': 1}\n", 'id INT', { allowComments: 'true', allowSingleQuotes: 'false', mode: 'FAILFAST' }), 'MALFORMED_RECORD');
    // Spark 4.0.1 (pyspark): single quotes are on unless switched off, and then \' is an escape in any string.
    const quotes = '{"s": "it\\\'s"}\n{\'s\': \'x\'}\n{"s": "a\\qb"}\n';
    const corrupt = (i: number) => ({ s: null, _corrupt_record: quotes.split('\n')[i] });
    expect(await readWith(jsonFormat, quotes, 's STRING, _corrupt_record STRING', {})).toEqual([
      { s: "it's", _corrupt_record: null },
      { s: 'x', _corrupt_record: null },
      corrupt(2),
    ]);
    expect(await readWith(jsonFormat, quotes, 's STRING, _corrupt_record STRING', { allowSingleQuotes: 'false' })).toEqual([corrupt(0), corrupt(1), corrupt(2)]);
    await expectWeirError(() => readWith(jsonFormat, '{id: 1}\n', 'id INT', { allowSingleQuotes: 'true', mode: 'FAILFAST' }), 'MALFORMED_RECORD');
    // Comment markers inside strings are text.
    expect(await readWith(jsonFormat, '{"s": "a // b /* c */"}\n', 's STRING', { allowComments: 'true' })).toEqual([{ s: 'a // b /* c */' }]);
    expect(infer(text, all)).toBe('struct<id:bigint,s:string>');
    await expectWeirError(() => readWith(jsonFormat, text, 'id INT', { allowComments: 'sometimes' }), 'INVALID_ARGUMENT');
  });

  it("allowNumericLeadingZeros, allowBackslashEscapingAnyCharacter, allowUnquotedControlChars: Spark 4.0.1's rows", async () => {
    // The rows pyspark 4.0.1 read from this file with each option set (schema a DOUBLE, s STRING, _corrupt_record).
    const text = [
      '{"a": 007, "s": "x"}',
      '{"a": -007.5, "s": "y"}',
      '{"a": 0, "s": "\\q\\w"}',
      '{"a": 1, "s": "tab\there"}',
      '{"a": 00, "s": "\\u0041\\/"}',
      '{"a": 1, "s": "c\\\\d"}',
    ].join('\n') + '\n';
    const lines = text.split('\n');
    const bad = (i: number) => ({ a: null, s: null, _corrupt_record: lines[i] });
    const ok = (a: number, s: string) => ({ a, s, _corrupt_record: null });
    const ddl = 'a DOUBLE, s STRING, _corrupt_record STRING';
    expect(await readWith(jsonFormat, text, ddl, {})).toEqual([bad(0), bad(1), bad(2), bad(3), bad(4), ok(1, 'c\\d')]);
    expect(await readWith(jsonFormat, text, ddl, { allowNumericLeadingZeros: 'true' })).toEqual([
      ok(7, 'x'), ok(-7.5, 'y'), bad(2), bad(3), ok(0, 'A/'), ok(1, 'c\\d'),
    ]);
    expect(await readWith(jsonFormat, text, ddl, { allowBackslashEscapingAnyCharacter: 'true' })).toEqual([
      bad(0), bad(1), ok(0, 'qw'), bad(3), bad(4), ok(1, 'c\\d'),
    ]);
    expect(await readWith(jsonFormat, text, ddl, { allowUnquotedControlChars: 'true' })).toEqual([
      bad(0), bad(1), bad(2), ok(1, 'tab\there'), bad(4), ok(1, 'c\\d'),
    ]);
    const all = { allowNumericLeadingZeros: 'true', allowBackslashEscapingAnyCharacter: 'true', allowUnquotedControlChars: 'true' };
    expect(await readWith(jsonFormat, text, ddl, all)).toEqual([ok(7, 'x'), ok(-7.5, 'y'), ok(0, 'qw'), ok(1, 'tab\there'), ok(0, 'A/'), ok(1, 'c\\d')]);
  });

  it('primitivesAsString and dropFieldIfAllNull (inference)', () => {
    const text = '{"a":1,"b":true,"c":{"d":2.5,"e":null},"n":null,"arr":[],"o":{},"l":[1]}\n{"a":2,"n":null}\n';
    expect(infer(text)).toBe('struct<a:bigint,arr:array<string>,b:boolean,c:struct<d:double,e:string>,l:array<bigint>,n:string>');
    expect(infer(text, { primitivesAsString: 'true' })).toBe(
      'struct<a:string,arr:array<string>,b:string,c:struct<d:string,e:string>,l:array<string>,n:string>',
    );
    expect(infer(text, { dropFieldIfAllNull: 'true' })).toBe('struct<a:bigint,b:boolean,c:struct<d:double>,l:array<bigint>>');
  });

  it('allowNonNumericNumbers (on by default, as Spark): NaN and Infinity tokens read as numbers; off makes them malformed', async () => {
    const text = '{"x": NaN, "s": -Infinity}\n{"x": +INF, "s": "a"}\n{"x": 1.5, "s": null}\n';
    expect(await readWith(jsonFormat, text, 'x DOUBLE, s STRING', { mode: 'FAILFAST' })).toEqual([
      { x: NaN, s: '-Infinity' },
      { x: Infinity, s: 'a' },
      { x: 1.5, s: null },
    ]);
    expect(await readWith(jsonFormat, text, 'x DOUBLE, s STRING', { allowNonNumericNumbers: 'false', mode: 'DROPMALFORMED' })).toEqual([{ x: 1.5, s: null }]);
  });

  it('primitivesAsString reads numbers and booleans as their text', async () => {
    expect(await readWith(jsonFormat, '{"a":1,"b":true}\n', 'a STRING, b STRING')).toEqual([{ a: '1', b: 'true' }]);
  });

  it('lineSep on read and write; an empty one is refused', async () => {
    const schema = toSchema('id INT, s STRING');
    const rows = [{ id: 1, s: 'a\nb' }, { id: 2, s: null }];
    const bytes = Buffer.from(await jsonFormat.write(rows, schema, new FormatOptions({ lineSep: '\u0001' })));
    expect(bytes.toString()).toBe('{"id":1,"s":"a\\nb"}\u0001{"id":2}\u0001');
    expect(await readWith(jsonFormat, bytes, schema, { lineSep: '\u0001', mode: 'FAILFAST' })).toEqual(rows);
    expect(infer('{"a":1}||{"a":2.5}||', { lineSep: '||' })).toBe('struct<a:double>');
    const e = await expectWeirError(() => readWith(jsonFormat, '{}', schema, { lineSep: '' }), 'INVALID_ARGUMENT');
    expect(e.context.option).toBe('lineSep');
  });

  it('encoding on read, write and inference (UTF-16 with a BOM, ISO-8859-1)', async () => {
    const schema = toSchema('s STRING');
    const rows = [{ s: 'héllo 😀' }];
    for (const encoding of ['UTF-16', 'UTF-16LE', 'UTF-16BE']) {
      const bytes = Buffer.from(await jsonFormat.write(rows, schema, new FormatOptions({ encoding })));
      expect(bytes.equals(Buffer.from(`${JSON.stringify(rows[0])}\n`))).toBe(false);
      expect(await readWith(jsonFormat, bytes, schema, { encoding, mode: 'FAILFAST' })).toEqual(rows);
      expect(jsonFormat.inferSchema([{ path: 'a', bytes }], new FormatOptions({ encoding })).simpleString()).toBe('struct<s:string>');
    }
    expect(await readWith(jsonFormat, Buffer.from('{"s":"caf\u00e9"}\n', 'latin1'), schema, { encoding: 'ISO-8859-1' })).toEqual([{ s: 'café' }]);
    await expectWeirError(() => readWith(jsonFormat, '{}', schema, { encoding: 'UTF-7' }), 'INVALID_ARGUMENT');
  });

  it('dateFormat on write and read', async () => {
    const schema = toSchema('d DATE, a ARRAY<DATE>');
    const rows = [{ d: new Date(Date.UTC(2024, 1, 29)), a: [new Date(Date.UTC(2023, 11, 31))] }];
    const text = Buffer.from(await jsonFormat.write(rows, schema, new FormatOptions({ dateFormat: 'dd/MM/yyyy' }))).toString();
    expect(text).toBe('{"d":"29/02/2024","a":["31/12/2023"]}\n');
    expect(await readWith(jsonFormat, text, schema, { dateFormat: 'dd/MM/yyyy', mode: 'FAILFAST' })).toEqual(rows);
    expect(Buffer.from(await jsonFormat.write(rows, schema, new FormatOptions())).toString()).toBe('{"d":"2024-02-29","a":["2023-12-31"]}\n');
  });

  it('ignoreNullFields=false writes null struct fields; null map values and array elements are always written', async () => {
    const schema = toSchema('id INT, s STRUCT<x: INT, y: INT>, m MAP<STRING, INT>, a ARRAY<INT>');
    const rows = [{ id: null, s: { x: 1, y: null }, m: new Map([['k', null]]), a: [null, 1] }];
    const dflt = Buffer.from(await jsonFormat.write(rows, schema, new FormatOptions())).toString();
    expect(dflt).toBe('{"s":{"x":1},"m":{"k":null},"a":[null,1]}\n');
    const kept = Buffer.from(await jsonFormat.write(rows, schema, new FormatOptions({ ignoreNullFields: 'false' }))).toString();
    expect(kept).toBe('{"id":null,"s":{"x":1,"y":null},"m":{"k":null},"a":[null,1]}\n');
    expect(await readWith(jsonFormat, kept, schema)).toEqual(rows);
  });
});
