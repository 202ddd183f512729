import { parquetFileSchema, parquetFormat } from '../../lib/formats/parquetFormat';
import { textFormat } from '../../lib/formats/textFormat';
import { FormatOptions } from '../../lib/formats/FormatOptions';
import { ArrayType, IntegerType, LongType, MapType, StringType, StructField, StructType, toSchema } from '../../lib/values/types';
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

  it("refuses a file that is not Parquet (or is cut) with DATA_FILE_DAMAGED, Spark's CANNOT_READ_FILE_FOOTER", async () => {
    const e = await expectWeirError(() => readWith(parquetFormat, 'not parquet', 'a INT', {}, '/x/bad.parquet'), 'DATA_FILE_DAMAGED');
    expect(e.context.path).toBe('/x/bad.parquet');
    expect(e.message).toContain('[FAILED_READ_FILE.CANNOT_READ_FILE_FOOTER] Encountered error while reading file /x/bad.parquet. Could not read footer.');
    expect(e.getSqlState()).toBe('KD001');
  });
});

describe('parquetFormat: arrays, maps and structs', () => {
  const nested = toSchema(
    'id INT, a ARRAY<INT>, aa ARRAY<ARRAY<STRING>>, arr_s ARRAY<STRUCT<x: INT, y: STRING>>, m MAP<STRING, BIGINT>, ' +
      'mi MAP<INT, ARRAY<DOUBLE>>, ms MAP<STRING, STRUCT<ok: BOOLEAN>>, s STRUCT<tags: ARRAY<STRING>, kv: MAP<STRING, STRING>, ts: TIMESTAMP>, ' +
      'am ARRAY<MAP<STRING, INT>>',
  );
  const rows = [
    {
      id: 1,
      a: [1, null, 3],
      aa: [['x'], [], null, ['y', null]],
      arr_s: [{ x: 1, y: 'one' }, null, { x: null, y: null }],
      m: new Map([['k', 9_007_199_254_740_991], ['null', null]]),
      mi: new Map([[-5, [0.5, null]], [10, []], [2, null]]),
      ms: new Map([['a', { ok: true }], ['b', null]]),
      s: { tags: ['t'], kv: new Map([['1', 'one']]), ts: new Date('2024-01-02T03:04:05.678Z') },
      am: [new Map([['a', 1], ['b', null]]), null, new Map()],
    },
    { id: 2, a: [], aa: [], arr_s: [], m: new Map(), mi: new Map(), ms: new Map(), s: { tags: [], kv: new Map(), ts: null }, am: [] },
    { id: 3, a: null, aa: null, arr_s: null, m: null, mi: null, ms: null, s: null, am: null },
  ];

  it('writes Spark\'s three-level LIST and MAP groups and reads every value back (nulls, empties, nesting)', async () => {
    const bytes = Buffer.from(await parquetFormat.write(rows, nested, new FormatOptions()));
    expect(parquetFileSchema(bytes).simpleString()).toBe(nested.simpleString());
    const elements = (await import('hyparquet')).parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)).schema;
    const names = elements.map((e) => `${e.name}${e.converted_type ? `(${e.converted_type})` : ''}:${e.repetition_type ?? ''}`);
    // Spark's ParquetSchemaConverter layout (writeLegacyFormat=false).
    expect(names.slice(1, 5)).toEqual(['id:OPTIONAL', 'a(LIST):OPTIONAL', 'list:REPEATED', 'element:OPTIONAL']);
    expect(names.slice(15, 19)).toEqual(['m(MAP):OPTIONAL', 'key_value:REPEATED', 'key(UTF8):REQUIRED', 'value:OPTIONAL']);
    expect(await readWith(parquetFormat, bytes, nested)).toEqual(rows);
  });

  it('keeps NOT NULL elements, values and fields required', async () => {
    const strict = new StructType([
      new StructField('a', new ArrayType(new IntegerType(), false), false),
      new StructField('m', new MapType(new StringType(), new LongType(), false), true),
    ]);
    const bytes = Buffer.from(await parquetFormat.write([{ a: [1, 2], m: new Map([['k', 1]]) }], strict, new FormatOptions()));
    const back = parquetFileSchema(bytes);
    expect((back.fields[0]?.dataType as ArrayType).containsNull).toBe(false);
    expect(back.fields[0]?.nullable).toBe(false);
    expect((back.fields[1]?.dataType as MapType).valueContainsNull).toBe(false);
    expect(await readWith(parquetFormat, bytes, strict)).toEqual([{ a: [1, 2], m: new Map([['k', 1]]) }]);
    // A null where the schema says NOT NULL, and a null map key (Spark's NULL_MAP_KEY), are named errors.
    await expectWeirError(() => parquetFormat.write([{ a: [1, null], m: null }], strict, new FormatOptions()), 'SINK_ERROR');
    const nullKey = await expectWeirError(() => parquetFormat.write([{ a: [], m: new Map([[null, 1]]) }], strict, new FormatOptions()), 'SINK_ERROR');
    expect(nullKey.message).toContain('NULL_MAP_KEY');
  });

  it('refuses map keys whose text form does not convert back, with a named error', async () => {
    for (const ddl of ['m MAP<DATE, INT>', 'm MAP<TIMESTAMP, INT>', 'm MAP<BINARY, INT>', 's STRUCT<m: MAP<STRUCT<a: INT>, INT>>']) {
      const e = await expectWeirError(() => parquetFormat.write([], toSchema(ddl), new FormatOptions()), 'INVALID_ARGUMENT');
      expect(e.context.format).toBe('parquet');
    }
    // A user schema asking to read such a map is refused the same way, before the file is decoded.
    const read = await expectWeirError(() => readWith(parquetFormat, 'not parquet', 'a ARRAY<MAP<DATE, INT>>'), 'INVALID_ARGUMENT');
    expect(read.context.column).toBe('a');
    const ok = await parquetFormat.write([{ m: new Map([[true, 1], [false, null]]) }], toSchema('m MAP<BOOLEAN, INT>'), new FormatOptions());
    expect(await readWith(parquetFormat, Buffer.from(ok), 'm MAP<BOOLEAN, INT>')).toEqual([{ m: new Map([[true, 1], [false, null]]) }]);
  });
});

describe('textFormat', () => {
  it('one row per line (LF, CRLF, CR), wholetext, and writing one string column', async () => {
    expect(await readWith(textFormat, 'a\r\nb\rc\n\nd', 'value STRING')).toEqual([{ value: 'a' }, { value: 'b' }, { value: 'c' }, { value: '' }, { value: 'd' }]);
    expect(await readWith(textFormat, 'a\nb\n', 'value STRING', { wholetext: 'true' })).toEqual([{ value: 'a\nb\n' }]);
    const bytes = await textFormat.write([{ value: 'x' }, { value: 'y' }], toSchema('value STRING'), new FormatOptions());
    expect(Buffer.from(bytes).toString()).toBe('x\ny\n');
    const custom = await textFormat.write([{ value: 'x' }, { value: 'y' }], toSchema('value STRING'), new FormatOptions({ lineSep: ';' }));
    expect(Buffer.from(custom).toString()).toBe('x;y;');
    expect(await readWith(textFormat, Buffer.from(custom), 'value STRING', { lineSep: ';' })).toEqual([{ value: 'x' }, { value: 'y' }]);
    await expectWeirError(() => textFormat.write([{ value: null }], toSchema('value STRING'), new FormatOptions()), 'SINK_ERROR');
    await expectWeirError(() => textFormat.write([], toSchema('a STRING, b STRING'), new FormatOptions()), 'UNSUPPORTED_OPERATION');
  });
});
