import { parquetFileSchema, parquetFormat } from '../../lib/formats/parquetFormat';
import { textFormat } from '../../lib/formats/textFormat';
import { FormatOptions } from '../../lib/formats/FormatOptions';
import { toSchema } from '../../lib/sql/types';
import { expectWeirError } from '../support/expectWeirError';
import { readWith } from './support';

describe('parquetFormat', () => {
  const schema = toSchema(
    'b TINYINT, s SMALLINT, i INT NOT NULL, l BIGINT, f FLOAT, d DOUBLE, dec DECIMAL(10,2), ok BOOLEAN, name STRING, ' +
      'bin BINARY, day DATE, ts TIMESTAMP, w STRUCT<start: TIMESTAMP, end: TIMESTAMP, n: BIGINT>',
  );
  const rows = [
    {
      b: -3, s: 300, i: 7, l: 9_007_199_254_740_991, f: 1.5, d: -0.25, dec: 12.34, ok: true, name: 'é "x"', bin: Buffer.from([0, 255]),
      day: new Date('2024-02-29T00:00:00Z'), ts: new Date('2024-01-02T03:04:05.678Z'),
      w: { start: new Date('2024-01-01T00:00:00Z'), end: new Date('2024-01-01T00:01:00Z'), n: 3 },
    },
    { b: null, s: null, i: 0, l: null, f: null, d: null, dec: null, ok: null, name: null, bin: null, day: null, ts: null, w: null },
  ];

  it('writes every supported type and reads it back with the same schema and values', async () => {
    const bytes = Buffer.from(await parquetFormat.write(rows, schema, new FormatOptions()));
    expect(bytes.subarray(0, 4).toString()).toBe('PAR1');
    expect(parquetFileSchema(bytes).simpleString()).toBe(schema.simpleString());
    expect(parquetFileSchema(bytes).fields.find((f) => f.name === 'i')?.nullable).toBe(false);
    const back = await readWith(parquetFormat, bytes, schema);
    expect(back).toEqual(rows);
  });

  it('names the extension by codec and writes uncompressed on request', async () => {
    expect(parquetFormat.extension(new FormatOptions())).toBe('.snappy.parquet');
    expect(parquetFormat.extension(new FormatOptions({ compression: 'none' }))).toBe('.parquet');
    const bytes = Buffer.from(await parquetFormat.write(rows, schema, new FormatOptions({ compression: 'uncompressed' })));
    expect(await readWith(parquetFormat, bytes, schema)).toEqual(rows);
  });

  it('refuses arrays and maps with a named error, and a file that is not Parquet with SOURCE_ERROR', async () => {
    await expectWeirError(() => parquetFormat.write([{ a: [1] }], toSchema('a ARRAY<INT>'), new FormatOptions()), 'INVALID_ARGUMENT');
    const e = await expectWeirError(() => readWith(parquetFormat, 'not parquet', 'a INT', {}, '/x/bad.parquet'), 'SOURCE_ERROR');
    expect(e.context.path).toBe('/x/bad.parquet');
  });
});

describe('textFormat', () => {
  it('one row per line (LF, CRLF, CR), wholetext, and writing one string column', async () => {
    expect(await readWith(textFormat, 'a\r\nb\rc\n\nd', 'value STRING')).toEqual([{ value: 'a' }, { value: 'b' }, { value: 'c' }, { value: '' }, { value: 'd' }]);
    expect(await readWith(textFormat, 'a\nb\n', 'value STRING', { wholetext: 'true' })).toEqual([{ value: 'a\nb\n' }]);
    const bytes = await textFormat.write([{ value: 'x' }, { value: 'y' }], toSchema('value STRING'), new FormatOptions());
    expect(Buffer.from(bytes).toString()).toBe('x\ny\n');
    await expectWeirError(() => textFormat.write([{ value: null }], toSchema('value STRING'), new FormatOptions()), 'SINK_ERROR');
    await expectWeirError(() => textFormat.write([], toSchema('a STRING, b STRING'), new FormatOptions()), 'UNSUPPORTED_OPERATION');
  });
});
