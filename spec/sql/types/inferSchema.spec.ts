import {
  ArrayType,
  DoubleType,
  inferSchema,
  IntegerType,
  LongType,
  normalizeRow,
  NullType,
  StringType,
  StructType,
  thrown,
  typeOfValue,
  WeirErrorLike,
} from './support';

describe('inferSchema, like PySpark 4.0.1’s createDataFrame on dicts', () => {
  // [rows, PySpark's schema.simpleString() with spark.sql.pyspark.inferNestedDictAsStruct.enabled=true]
  it.each<[Record<string, unknown>[], string]>([
    [[{ name: 'a', n: 1, x: 1.5, ok: true }], 'struct<n:bigint,name:string,ok:boolean,x:double>'],
    [[{ a: 1 }, { a: 'x' }], 'struct<a:string>'],
    [[{ a: 1 }, { b: 2 }], 'struct<a:bigint,b:bigint>'],
    [[{ b: 1 }, { a: 2 }], 'struct<b:bigint,a:bigint>'],
    [[{ a: null }, { a: 2 }], 'struct<a:bigint>'],
    [[{ a: [1, null] }, { a: [] }], 'struct<a:array<bigint>>'],
    [[{ a: [1, 'x'] }], 'struct<a:array<string>>'],
    [[{ s: { x: 1 } }, { s: { y: 'z' } }], 'struct<s:struct<x:bigint,y:string>>'],
    [[{ s: { x: 1 } }, { s: { x: 'z' } }], 'struct<s:struct<x:string>>'],
    [[{ s: { y: 1, x: 2 } }], 'struct<s:struct<y:bigint,x:bigint>>'],
    [[{ t: new Date(0), b: Buffer.from('x') }], 'struct<b:binary,t:timestamp>'],
    [[{ a: true }, { a: 'x' }], 'struct<a:string>'],
    [[{ a: { k: [1] } }, { a: { k: null } }], 'struct<a:struct<k:array<bigint>>>'],
  ])('%j → %s', (rows, expected) => {
    const schema = inferSchema(rows);
    expect(schema.simpleString()).toBe(expected);
    expect(schema.fields.every((f) => f.nullable)).toBe(true);
    for (const row of rows) expect(() => normalizeRow(row, schema)).not.toThrow();
  });

  it.each<[Record<string, unknown>[], string]>([
    [[{ a: 1 }, { a: true }], 'Can not merge type `LongType` and `BooleanType`'],
    [[{ a: [1] }, { a: 1 }], 'Can not merge type `ArrayType` and `LongType`'],
  ])('fails on %j with PySpark’s CANNOT_MERGE_TYPE', (rows, text) => {
    const e = thrown(() => inferSchema(rows));
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.message).toContain('[CANNOT_MERGE_TYPE]');
    expect(e.message).toContain(text);
    expect(e.context.field).toBe('a');
  });

  it('weir’s rules: BIGINT and DOUBLE merge to DOUBLE (JS has one number type); all-null is VOID; Map is MAP', () => {
    expect(inferSchema([{ n: 1 }, { n: 2.5 }]).simpleString()).toBe('struct<n:double>');
    expect(inferSchema([{ n: [1, 2.5] }]).simpleString()).toBe('struct<n:array<double>>');
    expect(inferSchema([{ a: null }, { a: undefined }]).fields[0].dataType).toEqual(new NullType());
    expect(inferSchema([{ m: new Map([['k', 1]]) }]).simpleString()).toBe('struct<m:map<string,bigint>>');
    expect(inferSchema([{ big: 2 ** 60, n: 5n }]).simpleString()).toBe('struct<big:double,n:bigint>');
  });

  it('keeps property order with sortFields: false', () => {
    expect(inferSchema([{ word: 'a', count: 1 }], { sortFields: false }).fieldNames()).toEqual(['word', 'count']);
    expect(inferSchema([{ word: 'a', count: 1 }]).fieldNames()).toEqual(['count', 'word']);
  });

  it('names the nested field that conflicts', () => {
    expect(thrown(() => inferSchema([{ s: { x: 1 } }, { s: { x: [1] } }])).context.field).toBe('s.x');
  });

  it('rejects no rows, non-object rows and values with no SQL type', () => {
    expect(() => inferSchema([])).toThrow(WeirErrorLike('INVALID_ARGUMENT', '[CANNOT_INFER_EMPTY_SCHEMA]'));
    expect(() => inferSchema([1 as unknown as Record<string, unknown>])).toThrow(WeirErrorLike('INVALID_ARGUMENT'));
    expect(thrown(() => inferSchema([{ f: () => 1 }])).context.field).toBe('f');
  });
});

describe('typeOfValue, like lit()', () => {
  it.each<[unknown, string]>([
    [1, 'int'],
    [-(2 ** 31), 'int'],
    [2 ** 31, 'bigint'],
    [2 ** 53 - 1, 'bigint'],
    [2 ** 53 + 2, 'double'],
    [1.5, 'double'],
    [-0, 'double'],
    [NaN, 'double'],
    [Infinity, 'double'],
    [5n, 'bigint'],
    [2n ** 70n, 'decimal(38,0)'],
    ['s', 'string'],
    [true, 'boolean'],
    [new Date(0), 'timestamp'],
    [new Uint8Array([1]), 'binary'],
    [null, 'void'],
    [undefined, 'void'],
    [[1, 2], 'array<int>'],
    [[1, 2.5], 'array<double>'],
    [[1, 2 ** 40], 'array<bigint>'],
    [[1, 'a'], 'array<string>'],
    [[], 'array<void>'],
    [[[1], [2.5]], 'array<array<double>>'],
    [new Map([['a', 1]]), 'map<string,int>'],
    [{ a: 1, b: 's' }, 'struct<a:int,b:string>'],
  ])('%p → %s', (v, expected) => {
    expect(typeOfValue(v).simpleString()).toBe(expected);
  });

  it('tracks nullability of elements, values and fields', () => {
    expect(typeOfValue([1, null])).toEqual(new ArrayType(new IntegerType(), true));
    expect(typeOfValue([1]).equals(new ArrayType(new IntegerType(), false))).toBe(true);
    expect((typeOfValue({ a: null }) as StructType).treeString()).toBe('root\n |-- a: void (nullable = true)\n');
    expect((typeOfValue({ a: 1 }) as StructType).treeString()).toBe('root\n |-- a: integer (nullable = false)\n');
    expect(typeOfValue(2 ** 40)).toEqual(new LongType());
    expect(typeOfValue('x')).toEqual(new StringType());
    expect(typeOfValue(0.5)).toEqual(new DoubleType());
  });

  it('rejects values with no SQL type', () => {
    for (const v of [() => 1, Symbol('s'), [1, [2]], 2n ** 130n]) {
      expect(() => typeOfValue(v)).toThrow(WeirErrorLike('INVALID_ARGUMENT'));
    }
  });
});
