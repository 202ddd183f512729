/**
 * CAST rule by rule. Every expected value here is what Spark 4.0.1 answers with spark.sql.ansi.enabled=false and
 * spark.sql.session.timeZone=UTC (the wider table lives in golden/spark-casts.json).
 */
import {
  ArrayType,
  BinaryType,
  BooleanType,
  ByteType,
  canCast,
  castToString,
  castValue,
  DataType,
  DateType,
  DecimalType,
  DoubleType,
  FloatType,
  IntegerType,
  LongType,
  NullType,
  parseDataType,
  ShortType,
  StringType,
  stringToTimestamp,
  StructType,
  thrown,
  TimestampNTZType,
  TimestampType,
  WeirErrorLike,
} from './support';

const int = new IntegerType();
const long = new LongType();
const double = new DoubleType();
const float = new FloatType();
const str = new StringType();
const bool = new BooleanType();
const ts = new TimestampType();
const date = new DateType();
const utc = (iso: string): Date => new Date(`${iso}Z`);

describe('string → integral', () => {
  it.each<[string, DataType, number | null]>([
    ['1', int, 1],
    [' 12 ', int, 12],
    ['\t5\n', int, 5],
    ['1.5', int, 1],
    ['-1.9', int, -1],
    ['.5', int, 0],
    ['1.', int, 1],
    ['+7', int, 7],
    ['1e3', int, null],
    ['abc', int, null],
    ['', int, null],
    ['-', int, null],
    ['1.5x', int, null],
    ['2147483647', int, 2147483647],
    ['2147483648', int, null],
    ['2147483648', long, 2147483648],
    ['9223372036854775808', long, null],
    ['127', new ByteType(), 127],
    ['128', new ByteType(), null],
    ['-32769', new ShortType(), null],
  ])('%j AS %s → %j', (s, to, expected) => {
    expect(castValue(s, to)).toBe(expected);
  });
});

describe('string → double / float / boolean', () => {
  it.each<[string, DataType, number | null]>([
    ['1.5', double, 1.5],
    [' 1e3 ', double, 1000],
    ['1.5d', double, 1.5],
    ['inf', double, Infinity],
    ['-Infinity', double, -Infinity],
    ['0x10', double, null],
    ['abc', double, null],
    ['1.1', float, Math.fround(1.1)],
  ])('%j AS %s → %j', (s, to, expected) => {
    expect(castValue(s, to)).toBe(expected);
  });

  it('reads NaN', () => {
    expect(castValue('NaN', double)).toBeNaN();
    expect(castValue('nan', float)).toBeNaN();
  });

  it.each<[string, boolean | null]>([
    ['true', true],
    ['T', true],
    [' yes ', true],
    ['y', true],
    ['1', true],
    ['false', false],
    ['F', false],
    ['no', false],
    ['n', false],
    ['0', false],
    ['2', null],
    ['tru', null],
  ])('%j AS BOOLEAN → %j', (s, expected) => {
    expect(castValue(s, bool)).toBe(expected);
  });
});

describe('string → timestamp / date (UTC session)', () => {
  it.each<[string, Date | null]>([
    ['2020-01-02 03:04:05', utc('2020-01-02T03:04:05')],
    ['2020-01-02T03:04:05.123Z', utc('2020-01-02T03:04:05.123')],
    ['2020-01-02T03:04:05.123456Z', utc('2020-01-02T03:04:05.123')], // microseconds truncated
    ['2020-01-02T03:04:05+02:00', utc('2020-01-02T01:04:05')],
    ['2020-01-02 03:04:05 America/New_York', utc('2020-01-02T08:04:05')],
    ['2020-03-08 02:30:00 America/New_York', utc('2020-03-08T07:30:00')], // in the DST gap: moved forward
    ['2020-11-01 01:30:00 America/New_York', utc('2020-11-01T05:30:00')], // in the overlap: the earlier instant
    ['2020-01-02 03:04:05 UTC+3', utc('2020-01-02T00:04:05')],
    ['2020-01-02 03:04:05 CST', utc('2020-01-02T09:04:05')],
    ['2020-01-02 03:04', utc('2020-01-02T03:04:00')],
    ['2020-01-02', utc('2020-01-02T00:00:00')],
    ['2020-1-2', utc('2020-01-02T00:00:00')],
    ['2020', utc('2020-01-01T00:00:00')],
    ['2020-02-30', null],
    ['2020-01-02T03:04Z', null],
    ['2020-01-02 25:04:05', null],
    ['2020-01-02 03:04:05 Foo/Bar', null],
    ['x', null],
  ])('%j AS TIMESTAMP', (s, expected) => {
    expect(castValue(s, ts)).toEqual(expected);
  });

  it('a time alone is on today’s date, as in Spark (the clock is injectable)', () => {
    const now = Date.UTC(2024, 5, 30, 23, 0, 0);
    expect(stringToTimestamp('12:30:00', { nowMs: now })).toBe(Date.UTC(2024, 5, 30, 12, 30, 0));
    expect(stringToTimestamp('T01:02:03.5', { nowMs: now })).toBe(Date.UTC(2024, 5, 30, 1, 2, 3, 500));
    expect(stringToTimestamp('12:30:00', { withoutTimeZone: true })).toBeNull();
  });

  it('TIMESTAMP_NTZ drops the zone', () => {
    expect(castValue('2020-01-02 03:04:05+08:00', new TimestampNTZType())).toEqual(utc('2020-01-02T03:04:05'));
  });

  it.each<[string, Date | null]>([
    ['2020-01-02', utc('2020-01-02T00:00:00')],
    ['2020-01-02 03:04:05', utc('2020-01-02T00:00:00')],
    ['2020-01-02Tfoo', utc('2020-01-02T00:00:00')],
    [' 2020-01-02 ', utc('2020-01-02T00:00:00')],
    ['2020-01', utc('2020-01-01T00:00:00')],
    ['2020-01x', null],
    ['2020-13-02', null],
    ['202-01-02', null],
  ])('%j AS DATE', (s, expected) => {
    expect(castValue(s, date)).toEqual(expected);
  });
});

describe('numbers → string', () => {
  it.each<[unknown, DataType | undefined, string]>([
    [1, undefined, '1'],
    [1, int, '1'],
    [1, double, '1.0'],
    [0.1, undefined, '0.1'],
    [1e21, double, '1.0E21'],
    [1e7, double, '1.0E7'],
    [1234567, double, '1234567.0'],
    [0.001, double, '0.001'],
    [0.0001, double, '1.0E-4'],
    [-0, double, '-0.0'],
    [NaN, double, 'NaN'],
    [Infinity, double, 'Infinity'],
    [123456789.123, double, '1.23456789123E8'],
    [Math.fround(1.1), float, '1.1'],
    [Math.fround(16777217), float, '1.6777216E7'],
    [Math.fround(2147483647), float, '2.14748365E9'], // JDK 17's Float.toString
    [1, new DecimalType(10, 2), '1.00'],
    [0, new DecimalType(38, 10), '0E-10'],
    [123456789012345678n, undefined, '123456789012345678'],
    [true, undefined, 'true'],
  ])('%p AS STRING (from %s) → %j', (v, from, expected) => {
    expect(castValue(v, str, from)).toBe(expected);
    expect(castToString(v, from)).toBe(expected);
  });
});

describe('timestamps and dates ↔ numbers and strings', () => {
  it('prints timestamps as yyyy-MM-dd HH:mm:ss[.fraction] in UTC, trailing zeros stripped', () => {
    expect(castValue(utc('2020-01-02T03:04:05.120'), str)).toBe('2020-01-02 03:04:05.12');
    expect(castValue(utc('2020-01-02T03:04:05'), str)).toBe('2020-01-02 03:04:05');
    expect(castValue(new Date(1500), str)).toBe('1970-01-01 00:00:01.5');
    expect(castValue(utc('2020-01-02T00:00:00'), str, date)).toBe('2020-01-02');
    expect(castValue(utc('0001-01-01T00:00:00'), str)).toBe('0001-01-01 00:00:00');
  });

  it('converts epoch seconds both ways (floored)', () => {
    expect(castValue(utc('2020-01-02T03:04:05.900'), long)).toBe(1577934245);
    expect(castValue(utc('1969-12-31T23:59:59.500'), long)).toBe(-1);
    expect(castValue(utc('2020-01-02T03:04:05.500'), double)).toBe(1577934245.5);
    expect(castValue(utc('2020-01-02T03:04:05.500'), int)).toBe(1577934245);
    expect(castValue(new Date(253402300799999), int)).toBeNull(); // seconds past INT: null, not wrapped
    expect(castValue(utc('2020-01-02T03:04:05'), bool)).toBe(true);
    expect(castValue(1577934245, ts, long)).toEqual(utc('2020-01-02T03:04:05'));
    expect(castValue(1.5, ts)).toEqual(new Date(1500));
    expect(castValue(NaN, ts)).toBeNull();
    expect(castValue(true, ts)).toEqual(new Date(0)); // 1 µs in Spark
  });

  it('moves between DATE and TIMESTAMP at UTC midnight; DATE → numeric is null', () => {
    expect(castValue(utc('2020-01-02T00:00:00'), ts, date)).toEqual(utc('2020-01-02T00:00:00'));
    expect(castValue(utc('2020-01-02T23:04:05'), date)).toEqual(utc('2020-01-02T00:00:00'));
    expect(castValue(utc('1969-12-31T23:04:05'), date)).toEqual(utc('1969-12-31T00:00:00'));
    expect(castValue(utc('2020-01-02T00:00:00'), int, date)).toBeNull();
    expect(castValue(utc('2020-01-02T00:00:00'), bool, date)).toBeNull();
  });
});

describe('numeric ↔ numeric and boolean', () => {
  it.each<[unknown, DataType, DataType | undefined, unknown]>([
    [1e20, int, double, 2147483647], // saturates
    [-1e20, long, double, -(2 ** 63)],
    [NaN, int, double, 0],
    [1.9, int, double, 1],
    [-1.9, int, double, -1],
    [3000000000, int, long, -1294967296], // wraps
    [300, new ByteType(), int, 44],
    [1e10, new ShortType(), double, -1], // saturates to INT, then wraps
    [70000.7, new ShortType(), double, 4464],
    [true, int, undefined, 1],
    [false, double, undefined, 0],
    [2, bool, undefined, true],
    [0, bool, double, false],
    [NaN, bool, double, true],
    [2 ** 40, long, undefined, 2 ** 40],
    [2 ** 40, float, long, Math.fround(2 ** 40)],
    ['12.345', new DecimalType(5, 2), undefined, 12.35],
    ['12.355', new DecimalType(5, 2), undefined, 12.36],
    ['-12.355', new DecimalType(5, 2), undefined, -12.36],
    ['1234.5', new DecimalType(5, 2), undefined, null], // overflow → null
    [2.5, new DecimalType(5, 0), double, 3], // half up
    [12.355, new DecimalType(5, 2), double, 12.36], // rounds the shortest decimal of the double
    [12.5, int, new DecimalType(5, 1), 12],
    [-12.5, int, new DecimalType(5, 1), -12],
    [true, new DecimalType(3, 1), undefined, 1],
    [7n, double, undefined, 7],
  ])('%p AS %s (from %s) → %p', (v, to, from, expected) => {
    expect(castValue(v, to, from)).toBe(expected);
  });

  it('prints a saturated BIGINT as Long.MaxValue', () => {
    expect(castValue(castValue(1e30, long, double), str, long)).toBe('9223372036854775807');
  });
});

describe('binary', () => {
  it('encodes strings and integral types like Spark', () => {
    expect(Buffer.from(castValue('abc', new BinaryType()) as Uint8Array).toString()).toBe('abc');
    expect([...(castValue(258, new BinaryType(), int) as Uint8Array)]).toEqual([0, 0, 1, 2]);
    expect([...(castValue(-2, new BinaryType(), long) as Uint8Array)]).toEqual([255, 255, 255, 255, 255, 255, 255, 254]);
    expect([...(castValue(1, new BinaryType(), new ByteType()) as Uint8Array)]).toEqual([1]);
    expect(castValue(Buffer.from('ABC'), str)).toBe('ABC');
  });
});

describe('complex types', () => {
  it('print arrays, structs and maps like Spark', () => {
    expect(castValue([1, 2, null], str)).toBe('[1, 2, null]');
    expect(castValue([], str)).toBe('[]');
    expect(castValue({ a: 1, b: 'a', c: null }, str)).toBe('{1, a, null}');
    expect(castValue(new Map<unknown, unknown>([[1, 'a'], [2, null]]), str)).toBe('{1 -> a, 2 -> null}');
    expect(castValue([[1], []], str)).toBe('[[1], []]');
    expect(castValue({}, str)).toBe('{}');
    const t = parseDataType('array<struct<a:double,b:timestamp>>');
    expect(castValue([{ a: 1, b: utc('2020-01-01T00:00:00') }, null], str, t)).toBe('[{1.0, 2020-01-01 00:00:00}, null]');
    expect(castValue(new Map([['a', [Math.fround(1)]]]), str, parseDataType('map<string,array<float>>'))).toBe('{a -> [1.0]}');
    expect(castValue([1, 'x'], str)).toBe('[1, x]');
  });

  it('cast element-wise', () => {
    expect(castValue(['1', 'x'], parseDataType('array<int>'))).toEqual([1, null]);
    expect(castValue({ x: 1, y: '2' }, parseDataType('struct<a:string,b:int>'))).toEqual({ a: '1', b: 2 });
    expect(castValue([1, '2'], parseDataType('struct<a:string,b:int>'), parseDataType('struct<x:int,y:string>'))).toEqual({
      a: '1',
      b: 2,
    });
    expect(castValue(new Map([[1, 2.5]]), parseDataType('map<string,int>'))).toEqual(new Map([['1', 2]]));
  });
});

describe('null and impossible casts', () => {
  it('null stays null', () => {
    for (const t of [int, str, ts, date, new ArrayType(int), new NullType()]) {
      expect(castValue(null, t)).toBeNull();
      expect(castValue(undefined, t)).toBeNull();
    }
    expect(castToString(null)).toBeNull();
  });

  it.each<[DataType, DataType]>([
    [int, date],
    [bool, date],
    [new BinaryType(), int],
    [ts, new BinaryType()],
    [str, new ArrayType(int)],
    [new ArrayType(int), int],
    [parseDataType('struct<a:int,b:int>'), parseDataType('struct<a:int>')],
    [parseDataType('map<string,string>'), parseDataType('map<int,int>')], // a key could become null
    [str, new NullType()],
    [new TimestampNTZType(), long],
  ])('canCast(%s, %s) is false and castValue throws Spark’s analysis error', (from, to) => {
    expect(canCast(from, to)).toBe(false);
    const sample: Record<string, unknown> = { integer: 1, boolean: true, binary: new Uint8Array([1]), timestamp: new Date(0), string: 'x', array: [1], struct: { a: 1, b: 2 }, map: new Map([['1', '2']]), timestamp_ntz: new Date(0) };
    const e = thrown(() => castValue(sample[from.typeName], to, from));
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.message).toContain('[DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION]');
    expect(e.message).toContain(`cannot cast "${from.sql()}" to "${to.sql()}"`);
  });

  it.each<[string, string]>([
    ['string', 'int'],
    ['int', 'string'],
    ['date', 'int'],
    ['timestamp', 'date'],
    ['double', 'timestamp'],
    ['array<string>', 'array<int>'],
    ['struct<a:int,b:string>', 'struct<x:string,y:string>'],
    ['map<int,string>', 'map<string,int>'],
    ['void', 'map<int,int>'],
  ])('canCast(%s, %s) is true', (from, to) => {
    expect(canCast(parseDataType(from), parseDataType(to))).toBe(true);
  });

  it('rejects values with no SQL type', () => {
    expect(() => castValue(() => 1, str)).toThrow(WeirErrorLike('INVALID_ARGUMENT', '[UNSUPPORTED_FEATURE.LITERAL_TYPE]'));
  });

  it('ignores a `from` the value does not fit and reads the value instead', () => {
    expect(castValue('12', long, int)).toBe(12);
    expect(castValue(1.5, str, int)).toBe('1.5');
  });

  it('keeps structs as plain objects keyed by the target names', () => {
    const to = parseDataType('struct<x:int>') as StructType;
    expect(castValue({ a: '5' }, to, parseDataType('struct<a:string>'))).toEqual({ x: 5 });
  });
});
