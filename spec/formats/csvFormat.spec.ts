import { csvFormat } from '../../lib/formats/csvFormat';
import { FormatOptions } from '../../lib/formats/FormatOptions';
import { toSchema } from '../../lib/sql/types';
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
});
