import {
  ArrayType,
  BinaryType,
  BooleanType,
  ByteType,
  DateType,
  DecimalType,
  DoubleType,
  FloatType,
  IntegerType,
  LongType,
  MapType,
  normalizeRow,
  normalizeValue,
  NullType,
  parseDataType,
  StringType,
  thrown,
  TimestampNTZType,
  TimestampType,
  toSchema,
} from './support';

describe('normalizeRow', () => {
  const schema = toSchema('word STRING, ts TIMESTAMP, n INT');

  it('keeps exactly the schema’s fields in schema order: missing → null, extra dropped', () => {
    const row = normalizeRow({ n: 3, extra: 'x', word: 'a' }, schema);
    expect(row).toEqual({ word: 'a', ts: null, n: 3 });
    expect(Object.keys(row)).toEqual(['word', 'ts', 'n']);
  });

  it('reads TIMESTAMP from a Date, epoch milliseconds or an ISO-8601 string (UTC by default)', () => {
    const expected = new Date(Date.UTC(2020, 0, 2, 3, 4, 5));
    for (const ts of [expected, expected.getTime(), '2020-01-02T03:04:05Z', '2020-01-02T03:04:05.000Z', '2020-01-02 03:04:05', '2020-01-02T05:04:05+02:00']) {
      expect(normalizeRow({ word: 'a', ts, n: 1 }, schema).ts).toEqual(expected);
    }
    expect(normalizeRow({ ts: 10_000 }, schema).ts).toEqual(new Date(10_000));
    expect(normalizeRow({ ts: BigInt(10_000) }, schema).ts).toEqual(new Date(10_000));
  });

  it('names the field in every error, nested paths included', () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ n: 'x' }, 'n', '[FIELD_DATA_TYPE_UNACCEPTABLE_WITH_NAME]'],
      [{ n: 1.5 }, 'n', '[FIELD_DATA_TYPE_UNACCEPTABLE_WITH_NAME]'],
      [{ n: 2 ** 31 }, 'n', '[VALUE_OUT_OF_BOUNDS]'],
      [{ ts: 'yesterday' }, 'ts', '[FIELD_DATA_TYPE_UNACCEPTABLE_WITH_NAME]'],
      [{ ts: new Date(NaN) }, 'ts', '[FIELD_DATA_TYPE_UNACCEPTABLE_WITH_NAME]'],
      [{ word: [42] }, 'word', '[FIELD_DATA_TYPE_UNACCEPTABLE_WITH_NAME]'],
    ];
    for (const [row, field, errorClass] of cases) {
      const e = thrown(() => normalizeRow(row, schema));
      expect(e.code).toBe('INVALID_ARGUMENT');
      expect(e.context.field).toBe(field);
      expect(e.message).toContain(errorClass);
      expect(e.message).toContain(`field ${field}:`);
    }
    const nested = toSchema('s STRUCT<a: INT, tags: ARRAY<STRING>>, m MAP<STRING, BIGINT>');
    expect(thrown(() => normalizeRow({ s: { a: 'q' } }, nested)).context.field).toBe('s.a');
    expect(thrown(() => normalizeRow({ s: { a: 1, tags: ['x', {}] } }, nested)).context.field).toBe('s.tags[1]');
    expect(thrown(() => normalizeRow({ m: { k: 'v' } }, nested)).context.field).toBe('m["k"]');
  });

  it('enforces NOT NULL on fields, array elements and map values', () => {
    const s = toSchema('id BIGINT NOT NULL, xs ARRAY<INT>, st STRUCT<a: INT NOT NULL>');
    const e = thrown(() => normalizeRow({ xs: [] }, s));
    expect(e.message).toContain('[FIELD_NOT_NULLABLE_WITH_NAME]');
    expect(e.context.field).toBe('id');
    expect(thrown(() => normalizeRow({ id: 1, st: {} }, s)).context.field).toBe('st.a');
    expect(normalizeRow({ id: 1, xs: [1, null], st: null }, s)).toEqual({ id: 1, xs: [1, null], st: null });
    const strict = new ArrayType(new IntegerType(), false);
    expect(thrown(() => normalizeValue([1, null], strict, 'xs')).context.field).toBe('xs[1]');
    const strictMap = new MapType(new StringType(), new IntegerType(), false);
    expect(thrown(() => normalizeValue({ a: null }, strictMap, 'm')).context.field).toBe('m["a"]');
  });

  it('rejects a row that is not an object', () => {
    expect(thrown(() => normalizeRow([1, 2] as unknown as Record<string, unknown>, schema)).code).toBe('INVALID_ARGUMENT');
    expect(thrown(() => normalizeRow(null as unknown as Record<string, unknown>, schema)).code).toBe('INVALID_ARGUMENT');
  });
});

describe('normalizeValue', () => {
  it('integral types take integral numbers in range, and bigints that convert exactly', () => {
    expect(normalizeValue(5, new IntegerType())).toBe(5);
    expect(Object.is(normalizeValue(-0, new LongType()), 0)).toBe(true);
    expect(normalizeValue(2n ** 40n, new LongType())).toBe(2 ** 40);
    expect(normalizeValue(2n ** 60n, new LongType())).toBe(2 ** 60); // exact as a double
    expect(thrown(() => normalizeValue(2n ** 60n + 1n, new LongType(), 'id')).message).toContain('[VALUE_OUT_OF_BOUNDS]');
    expect(thrown(() => normalizeValue(2n ** 63n, new LongType(), 'id')).message).toContain('[VALUE_OUT_OF_BOUNDS]');
    expect(thrown(() => normalizeValue(2 ** 63, new LongType(), 'id')).message).toContain('[VALUE_OUT_OF_BOUNDS]');
    expect(thrown(() => normalizeValue(128, new ByteType(), 'b')).message).toContain('[VALUE_OUT_OF_BOUNDS]');
    expect(thrown(() => normalizeValue('5', new IntegerType())).message).toContain('[FIELD_DATA_TYPE_UNACCEPTABLE]');
  });

  it('floating types take numbers (FLOAT rounded to 32 bits); DECIMAL rounds half up and checks precision', () => {
    expect(normalizeValue(0.1, new DoubleType())).toBe(0.1);
    expect(normalizeValue(0.1, new FloatType())).toBe(Math.fround(0.1));
    expect(normalizeValue(NaN, new DoubleType())).toBeNaN();
    expect(normalizeValue(12.345, new DecimalType(5, 2))).toBe(12.35);
    expect(normalizeValue('12.345', new DecimalType(5, 2))).toBe(12.35);
    expect(normalizeValue(7n, new DecimalType(5, 2))).toBe(7);
    expect(thrown(() => normalizeValue(1234.5, new DecimalType(5, 2), 'd')).message).toContain('[VALUE_OUT_OF_BOUNDS]');
    expect(thrown(() => normalizeValue(Infinity, new DecimalType(5, 2), 'd')).context.field).toBe('d');
  });

  it('DATE is a Date at UTC midnight, from a Date, epoch ms or a date string', () => {
    const day = new Date(Date.UTC(2020, 0, 2));
    expect(normalizeValue(new Date(Date.UTC(2020, 0, 2, 13, 5)), new DateType())).toEqual(day);
    expect(normalizeValue(Date.UTC(2020, 0, 2, 13, 5), new DateType())).toEqual(day);
    expect(normalizeValue('2020-01-02', new DateType())).toEqual(day);
    expect(normalizeValue('2020-01-02T23:00:00', new DateType())).toEqual(day);
    expect(thrown(() => normalizeValue('Jan 2', new DateType(), 'd')).context.field).toBe('d');
  });

  it('TIMESTAMP_NTZ reads the wall clock', () => {
    expect(normalizeValue('2020-01-02T03:04:05+08:00', new TimestampNTZType())).toEqual(new Date(Date.UTC(2020, 0, 2, 3, 4, 5)));
  });

  it('STRING, BOOLEAN, BINARY and VOID take only their own values', () => {
    expect(normalizeValue('x', new StringType())).toBe('x');
    expect(normalizeValue(false, new BooleanType())).toBe(false);
    const buf = Buffer.from('ab');
    expect(normalizeValue(buf, new BinaryType())).toBe(buf);
    expect(normalizeValue(new Uint8Array([1]).buffer, new BinaryType())).toEqual(new Uint8Array([1]));
    expect(normalizeValue(null, new NullType())).toBeNull();
    expect(normalizeValue(undefined, new StringType())).toBeNull();
    for (const [v, t] of [
      [{}, new StringType()],
      ['true', new BooleanType()],
      ['ab', new BinaryType()],
      [0, new NullType()],
    ] as const) {
      expect(thrown(() => normalizeValue(v, t, 'f')).message).toContain('[FIELD_DATA_TYPE_UNACCEPTABLE_WITH_NAME]');
    }
  });

  it('STRING stores a scalar as CAST(v AS STRING) prints it (PySpark 4 stores str(v))', () => {
    expect(normalizeValue(1, new StringType())).toBe('1');
    expect(normalizeValue(1.5, new StringType())).toBe('1.5');
    expect(normalizeValue(true, new StringType())).toBe('true');
    expect(normalizeValue(7n, new StringType())).toBe('7');
    expect(normalizeValue(new Date(1500), new StringType())).toBe('1970-01-01 00:00:01.5');
  });

  it('MAP becomes a Map, from a Map or a plain object (integral keys parsed)', () => {
    expect(normalizeValue({ a: 1, b: null }, parseDataType('map<string,int>'))).toEqual(new Map([['a', 1], ['b', null]]));
    expect(normalizeValue({ 1: 'x', 20: 'y' }, parseDataType('map<int,string>'))).toEqual(new Map([[1, 'x'], [20, 'y']]));
    const m = new Map<unknown, unknown>([[new Date(0), [1]]]);
    expect(normalizeValue(m, parseDataType('map<timestamp,array<int>>'))).toEqual(new Map([[new Date(0), [1]]]));
    expect(thrown(() => normalizeValue(new Map([[null, 1]]), parseDataType('map<string,int>'), 'm')).message).toContain('[NULL_MAP_KEY]');
    expect(thrown(() => normalizeValue({ x: 1 }, parseDataType('map<int,int>'), 'm')).code).toBe('INVALID_ARGUMENT');
  });

  it('STRUCT becomes a plain object, from an object or a positional array', () => {
    const t = parseDataType('struct<a:int,b:string>');
    expect(normalizeValue({ b: 'x', a: 1, c: 3 }, t)).toEqual({ a: 1, b: 'x' });
    expect(normalizeValue([1, 'x'], t)).toEqual({ a: 1, b: 'x' });
    expect(thrown(() => normalizeValue([1], t, 's')).message).toContain('[FIELD_STRUCT_LENGTH_MISMATCH_WITH_NAME]');
    expect(thrown(() => normalizeValue('x', t, 's')).context.field).toBe('s');
  });

  it('is idempotent on its own output', () => {
    const schema = toSchema('a BIGINT, ts TIMESTAMP, d DATE, m MAP<STRING, ARRAY<DOUBLE>>, s STRUCT<x: DECIMAL(6,2), b: BINARY>');
    const once = normalizeRow({ a: 1n, ts: '2020-01-01T00:00:00Z', d: '2020-01-01', m: { k: [1.5] }, s: [1.234, Buffer.from('z')] }, schema);
    expect(normalizeRow(once, schema)).toEqual(once);
    expect(once.ts).toBeInstanceOf(Date);
    expect(once.m).toBeInstanceOf(Map);
    expect(once.s).toEqual({ x: 1.23, b: Buffer.from('z') });
    expect(new TimestampType().typeName).toBe('timestamp');
  });
});
