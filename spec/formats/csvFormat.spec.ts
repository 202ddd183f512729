import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { csvFormat } from '../../lib/formats/csvFormat';
import { FormatOptions } from '../../lib/formats/FormatOptions';
import { toSchema } from '../../lib/values/types';
import { expectWeirError } from '../support/expectWeirError';
import { readWith } from './support';

const SCHEMA = 'id INT, name STRING, ts TIMESTAMP';

describe('csvFormat', () => {
  it('reads with header, sep, quote, escape, nullValue and timestampFormat', async () => {
    const text = 'id;name;ts\n1;\'a;b\';01/02/2024 03:04\n2;NA;NA\n3;\'it\\\'s\';\n';
    const rows = await readWith(csvFormat, text, SCHEMA, {
      header: 'true',
      sep: ';',
      quote: "'",
      escape: '\\',
      nullValue: 'NA',
      timestampFormat: 'dd/MM/yyyy HH:mm',
    });
    expect(rows).toEqual([
      { id: 1, name: 'a;b', ts: new Date(Date.UTC(2024, 1, 1, 3, 4)) },
      { id: 2, name: null, ts: null },
      { id: 3, name: "it's", ts: null },
    ]);
  });

  it('applies the parse modes to bad tokens, wrong token counts and unclosed quotes', async () => {
    // line 1 good; 2 wrong type; 3 too few tokens; 4 too many; 5 unclosed quote (to the end of the file)
    const text = '1,a,2024-01-01 00:00:00\nx,b,2024-01-01\n3,c\n4,d,2024-01-01 00:00:00,extra\n5,"e,2024-01-01\n';
    const permissive = await readWith(csvFormat, text, `${SCHEMA}, _corrupt_record STRING`);
    expect(permissive.map((r) => [r.id, r.name, r._corrupt_record])).toEqual([
      [1, 'a', null],
      [null, 'b', 'x,b,2024-01-01'],
      [3, 'c', '3,c'],
      [4, 'd', '4,d,2024-01-01 00:00:00,extra'],
      [null, null, '5,"e,2024-01-01\n'],
    ]);
    expect(await readWith(csvFormat, text, SCHEMA, { mode: 'DROPMALFORMED' })).toEqual([
      { id: 1, name: 'a', ts: new Date(Date.UTC(2024, 0, 1)) },
    ]);
    const e = await expectWeirError(() => readWith(csvFormat, text, SCHEMA, { mode: 'FAILFAST' }, 'in.csv'), 'MALFORMED_RECORD');
    expect(e.context).toMatchObject({ path: 'in.csv', line: 2 });
  });

  it('writes with Spark quoting rules and reads its own output back', async () => {
    const schema = toSchema('id INT, name STRING, ts TIMESTAMP, x DOUBLE');
    const rows = [
      { id: 1, name: 'plain', ts: new Date('2024-01-02T03:04:05.006Z'), x: 1 },
      { id: 2, name: 'a,b', ts: null, x: 0.5 },
      { id: 3, name: 'say "hi"', ts: null, x: null },
      { id: 4, name: 'two\nlines', ts: null, x: null },
      { id: 5, name: '', ts: null, x: null },
      { id: null, name: null, ts: null, x: null },
    ];
    const options = new FormatOptions({ header: 'true' });
    const text = Buffer.from(await csvFormat.write(rows, schema, options)).toString('utf8');
    expect(text).toBe(
      'id,name,ts,x\n1,plain,2024-01-02T03:04:05.006Z,1.0\n2,"a,b",,0.5\n3,"say \\"hi\\"",,\n4,"two\nlines",,\n5,"",,\n,,,\n',
    );
    const back = await readWith(csvFormat, text, schema, { header: 'true' });
    // Spark reads an empty quoted string as null too (emptyValue), so row 5's name comes back null.
    expect(back).toEqual(rows.map((r) => (r.id === 5 ? { ...r, name: null } : r)));
  });

  it('infers a schema: names from the header, types with inferSchema', () => {
    const file = { path: 'a.csv', bytes: Buffer.from('a,b,c\n1,x,2.5\n3000000000,y,3\n') };
    expect(csvFormat.inferSchema([file], new FormatOptions({ header: 'true' })).simpleString()).toBe('struct<a:string,b:string,c:string>');
    expect(csvFormat.inferSchema([file], new FormatOptions({ header: 'true', inferSchema: 'true' })).simpleString()).toBe(
      'struct<a:bigint,b:string,c:double>',
    );
    expect(csvFormat.inferSchema([{ path: 'b.csv', bytes: Buffer.from('1,2\n') }], new FormatOptions()).fieldNames()).toEqual(['_c0', '_c1']);
  });
  describe('Spark options', () => {
    const write = async (rows: Array<Record<string, unknown>>, ddl: string, options: Record<string, string> = {}) =>
      Buffer.from(await csvFormat.write(rows, toSchema(ddl), new FormatOptions(options)));

    it('comment: lines starting with the comment character are skipped (only at a line start)', async () => {
      const text = '# a comment\nid,name\n1,a#b\n#2,b\n3,c\n';
      expect(await readWith(csvFormat, text, 'id INT, name STRING', { header: 'true', comment: '#' })).toEqual([
        { id: 1, name: 'a#b' },
        { id: 3, name: 'c' },
      ]);
      // Without the option, '# a comment' is the header and '#2' is a malformed INT.
      const e = await expectWeirError(() => readWith(csvFormat, text, 'id INT, name STRING', { header: 'true', mode: 'FAILFAST' }), 'MALFORMED_RECORD');
      expect(e.context.line).toBe(2);
      // A first value starting with the comment character is written quoted, so it reads back as data.
      const bytes = await write([{ v: '#x' }, { v: 'y#' }], 'v STRING', { comment: '#' });
      expect(bytes.toString()).toBe('"#x"\ny#\n');
      expect(await readWith(csvFormat, bytes, 'v STRING', { comment: '#' })).toEqual([{ v: '#x' }, { v: 'y#' }]);
      await expectWeirError(() => readWith(csvFormat, text, 'id INT', { comment: '//' }), 'INVALID_ARGUMENT');
    });

    it('ignoreLeadingWhiteSpace / ignoreTrailingWhiteSpace: off on read, on on write (Spark\'s defaults)', async () => {
      const text = '  a  , " b " \n';
      expect(await readWith(csvFormat, text, 'x STRING, y STRING')).toEqual([{ x: '  a  ', y: ' " b " ' }]);
      expect(await readWith(csvFormat, text, 'x STRING, y STRING', { ignoreLeadingWhiteSpace: 'true', ignoreTrailingWhiteSpace: 'true' })).toEqual([
        { x: 'a', y: ' b ' },
      ]);
      expect(await readWith(csvFormat, '  a  ,  b\n', 'x STRING, y STRING', { ignoreLeadingWhiteSpace: 'true' })).toEqual([{ x: 'a  ', y: 'b' }]);
      expect(await readWith(csvFormat, '  a  ,  b\n', 'x STRING, y STRING', { ignoreTrailingWhiteSpace: 'true' })).toEqual([{ x: '  a', y: '  b' }]);
      expect((await write([{ x: '  a  ' }], 'x STRING')).toString()).toBe('a\n');
      expect((await write([{ x: '  a  ' }], 'x STRING', { ignoreLeadingWhiteSpace: 'false' })).toString()).toBe('  a\n');
      expect((await write([{ x: '  a  ' }], 'x STRING', { ignoreLeadingWhiteSpace: 'false', ignoreTrailingWhiteSpace: 'false' })).toString()).toBe('  a  \n');
      await expectWeirError(() => readWith(csvFormat, text, 'x STRING', { ignoreLeadingWhiteSpace: 'yes' }), 'INVALID_ARGUMENT');
    });

    it('emptyValue and nullValue: an unquoted empty token is null, a quoted one is emptyValue, then nullValue is null', async () => {
      const text = '1,"",\n';
      const ddl = 'id INT, s STRING, t STRING';
      expect(await readWith(csvFormat, text, ddl)).toEqual([{ id: 1, s: null, t: null }]);
      expect(await readWith(csvFormat, text, ddl, { nullValue: 'NA' })).toEqual([{ id: 1, s: '', t: null }]);
      expect(await readWith(csvFormat, text, ddl, { emptyValue: 'EMPTY' })).toEqual([{ id: 1, s: 'EMPTY', t: null }]);
      expect(await readWith(csvFormat, '1,NA,\n', ddl, { nullValue: 'NA' })).toEqual([{ id: 1, s: null, t: null }]);
      expect((await write([{ id: 1, s: '', t: null }], ddl)).toString()).toBe('1,"",\n');
      expect((await write([{ id: 1, s: '', t: null }], ddl, { emptyValue: 'EMPTY', nullValue: 'NA' })).toString()).toBe('1,EMPTY,NA\n');
    });

    it('lineSep: one (or two) characters, on read and on write', async () => {
      const ddl = 'id INT, s STRING';
      expect(await readWith(csvFormat, '1,a|2,"b|c"|', ddl, { lineSep: '|' })).toEqual([{ id: 1, s: 'a' }, { id: 2, s: 'b|c' }]);
      const bytes = await write([{ id: 1, s: 'a' }, { id: 2, s: 'b|c' }], ddl, { lineSep: '|' });
      expect(bytes.toString()).toBe('1,a|2,"b|c"|');
      expect(await readWith(csvFormat, bytes, ddl, { lineSep: '|' })).toEqual([{ id: 1, s: 'a' }, { id: 2, s: 'b|c' }]);
      expect((await write([{ id: 1, s: 'a' }], ddl, { lineSep: '\r\n' })).toString()).toBe('1,a\r\n');
      for (const lineSep of ['', '|||']) {
        const e = await expectWeirError(() => readWith(csvFormat, '1,a', ddl, { lineSep }), 'INVALID_ARGUMENT');
        expect(e.context.option).toBe('lineSep');
      }
    });

    it('encoding (charset): UTF-16 with a byte order mark, UTF-16LE/BE, ISO-8859-1, US-ASCII; unknown names refused', async () => {
      const rows = [{ id: 1, s: 'héllo, wörld' }, { id: 2, s: '€ 😀' }];
      const ddl = 'id INT, s STRING';
      const utf16 = await write(rows, ddl, { encoding: 'UTF-16' });
      expect([...utf16.subarray(0, 4)]).toEqual([0xfe, 0xff, 0x00, 0x31]); // Java's UTF-16: big-endian with a BOM, then '1'
      expect(await readWith(csvFormat, utf16, ddl, { encoding: 'utf-16' })).toEqual(rows);
      for (const charset of ['UTF-16LE', 'UTF-16BE']) {
        expect(await readWith(csvFormat, await write(rows, ddl, { charset }), ddl, { charset })).toEqual(rows);
      }
      expect(await readWith(csvFormat, Buffer.from('1,h\u00e9\n', 'utf16le'), ddl, { encoding: 'UTF-16LE' })).toEqual([{ id: 1, s: 'hé' }]);
      const latin1 = await write(rows, ddl, { encoding: 'ISO-8859-1' });
      expect(latin1.includes(0xe9)).toBe(true); // é as one byte
      // € and 😀 are not in ISO-8859-1: written as '?', as Java's encoder does.
      expect(await readWith(csvFormat, latin1, ddl, { encoding: 'latin1' })).toEqual([rows[0], { id: 2, s: '? ?' }]);
      expect(await readWith(csvFormat, Buffer.from([0x31, 0x2c, 0x61, 0xe9, 0x0a]), ddl, { encoding: 'US-ASCII' })).toEqual([{ id: 1, s: 'a\uFFFD' }]);
      const e = await expectWeirError(() => readWith(csvFormat, '1,a', ddl, { encoding: 'EBCDIC-FR' }), 'INVALID_ARGUMENT');
      expect(e.context).toMatchObject({ option: 'encoding', value: 'EBCDIC-FR' });
      await expectWeirError(() => csvFormat.write(rows, toSchema(ddl), new FormatOptions({ charset: 'KOI8-R' })), 'INVALID_ARGUMENT');
    });

    it('nanValue, positiveInf, negativeInf: tokens FLOAT and DOUBLE fields read as NaN and infinities', async () => {
      const ddl = 'x DOUBLE, f FLOAT, s STRING';
      expect(await readWith(csvFormat, 'NaN,Inf,NaN\n-Inf,Infinity,Inf\n', ddl, { mode: 'FAILFAST' })).toEqual([
        { x: NaN, f: Infinity, s: 'NaN' },
        { x: -Infinity, f: Infinity, s: 'Inf' },
      ]);
      const custom = { nanValue: 'n/a', positiveInf: 'big', negativeInf: 'small', mode: 'FAILFAST' };
      expect(await readWith(csvFormat, 'n/a,big,n/a\nsmall,NaN,x\n', ddl, custom)).toEqual([
        { x: NaN, f: Infinity, s: 'n/a' },
        { x: -Infinity, f: NaN, s: 'x' },
      ]);
      await expectWeirError(() => readWith(csvFormat, 'big\n', 'n INT', custom), 'MALFORMED_RECORD');
    });

    it('quoteAll writes every non-null value quoted (and reads back the same)', async () => {
      const ddl = 'id INT, s STRING, t STRING';
      const bytes = await write([{ id: 1, s: 'a', t: null }, { id: 2, s: '', t: 'x"y' }], ddl, { quoteAll: 'true', header: 'true' });
      expect(bytes.toString()).toBe('"id","s","t"\n"1","a",\n"2","","x\\"y"\n');
      expect(await readWith(csvFormat, bytes, ddl, { header: 'true', nullValue: 'NA' })).toEqual([{ id: 1, s: 'a', t: null }, { id: 2, s: '', t: 'x"y' }]);
    });

    describe("quoting and escaping on write: Spark 4.0.1's bytes (spec/formats/golden/csvWriteQuoting.json)", () => {
      // Made by tools/spark-golden/csv_write_quoting.py; each case is one option set.
      const golden = JSON.parse(readFileSync(path.join(__dirname, 'golden', 'csvWriteQuoting.json'), 'utf8')) as {
        values: string[];
        rows: string[][];
        cases: Array<{ name: string; options: Record<string, string>; single: string[]; multi: string[] }>;
      };
      it.each(golden.cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
        const single = await write(golden.values.map((a) => ({ a })), 'a STRING', c.options);
        expect(single.toString().split('\n').slice(0, -1)).toEqual(c.single);
        const multi = await write(golden.rows.map(([a, b, c2, d]) => ({ a, b, c: c2, d })), 'a STRING, b STRING, c STRING, d STRING', c.options);
        expect(multi.toString().split('\n').slice(0, -1)).toEqual(c.multi);
        // What weir wrote reads back (Spark's own reader trims the whitespace Spark kept unquoted on write).
        if (c.name !== 'whitespace kept' && c.options.charToEscapeQuoteEscaping === undefined) {
          const back = await readWith(csvFormat, single, 'a STRING', { ...c.options, mode: 'FAILFAST' });
          expect(back.map((r) => r.a)).toEqual(golden.values.map((v) => (v === ' "x" ' ? '"x"' : v)));
        }
      });
    });

    it('maxColumns and maxCharsPerColumn fail the read in every parse mode, naming file and line (as Spark)', async () => {
      const text = '1,2,3\nabcdefghij,1,2\n6,7,8,9\n4,5\n';
      for (const mode of ['PERMISSIVE', 'DROPMALFORMED', 'FAILFAST']) {
        const columns = await expectWeirError(() => readWith(csvFormat, text, 'a STRING, b STRING, c STRING', { maxColumns: '3', mode }), 'MALFORMED_RECORD');
        expect(columns.message).toMatch(/line 3 has 4 columns, more than maxColumns \(3\)/);
        const chars = await expectWeirError(() => readWith(csvFormat, text, 'a STRING, b STRING, c STRING', { maxCharsPerColumn: '5', mode }), 'MALFORMED_RECORD');
        expect(chars.message).toMatch(/Length of parsed input \(10\) at line 2 exceeds .*\(5\)/);
        expect(chars.context).toMatchObject({ line: 2, option: 'maxCharsPerColumn' });
      }
      expect(await readWith(csvFormat, text, 'a STRING, b STRING, c STRING', { maxColumns: '4', maxCharsPerColumn: '-1', mode: 'DROPMALFORMED' })).toHaveLength(2);
      expect((await expectWeirError(() => readWith(csvFormat, text, 'a STRING', { maxColumns: '0' }), 'INVALID_ARGUMENT')).message).toMatch(/maxColumns/);
    });

    it('charToEscapeQuoteEscaping other than the escape character is refused on read, with the reason', async () => {
      const e = await expectWeirError(() => readWith(csvFormat, '"a"\n', 'a STRING', { charToEscapeQuoteEscaping: '#' }), 'INVALID_ARGUMENT');
      expect(e.message).toMatch(/not supported by weir/);
    });

    it('dateFormat on read and write', async () => {
      const rows = [{ day: new Date(Date.UTC(2024, 1, 29)) }];
      const bytes = await write(rows, 'day DATE', { dateFormat: 'dd/MM/yyyy' });
      expect(bytes.toString()).toBe('29/02/2024\n');
      expect(await readWith(csvFormat, bytes, 'day DATE', { dateFormat: 'dd/MM/yyyy' })).toEqual(rows);
    });
  });
});
