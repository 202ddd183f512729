import {
  ArrayType,
  AtomicType,
  BinaryType,
  BooleanType,
  ByteType,
  DataType,
  DataTypes,
  DateType,
  DecimalType,
  DoubleType,
  FloatType,
  FractionalType,
  IntegerType,
  IntegralType,
  LongType,
  MapType,
  NullType,
  NumericType,
  ShortType,
  StringType,
  StructField,
  StructType,
  TimestampNTZType,
  TimestampType,
  WeirErrorLike,
} from './support';

describe('atomic types', () => {
  // [type, typeName (PySpark typeName()), simpleString, sql, json, PySpark repr] — checked against pyspark 4.0.1
  it.each<[DataType, string, string, string, string, string]>([
    [new StringType(), 'string', 'string', 'STRING', '"string"', 'StringType()'],
    [new LongType(), 'long', 'bigint', 'BIGINT', '"long"', 'LongType()'],
    [new IntegerType(), 'integer', 'int', 'INT', '"integer"', 'IntegerType()'],
    [new ShortType(), 'short', 'smallint', 'SMALLINT', '"short"', 'ShortType()'],
    [new ByteType(), 'byte', 'tinyint', 'TINYINT', '"byte"', 'ByteType()'],
    [new DoubleType(), 'double', 'double', 'DOUBLE', '"double"', 'DoubleType()'],
    [new FloatType(), 'float', 'float', 'FLOAT', '"float"', 'FloatType()'],
    [new BooleanType(), 'boolean', 'boolean', 'BOOLEAN', '"boolean"', 'BooleanType()'],
    [new TimestampType(), 'timestamp', 'timestamp', 'TIMESTAMP', '"timestamp"', 'TimestampType()'],
    [new TimestampNTZType(), 'timestamp_ntz', 'timestamp_ntz', 'TIMESTAMP_NTZ', '"timestamp_ntz"', 'TimestampNTZType()'],
    [new DateType(), 'date', 'date', 'DATE', '"date"', 'DateType()'],
    [new BinaryType(), 'binary', 'binary', 'BINARY', '"binary"', 'BinaryType()'],
    [new NullType(), 'void', 'void', 'VOID', '"void"', 'NullType()'],
    [new DecimalType(), 'decimal', 'decimal(10,0)', 'DECIMAL(10,0)', '"decimal(10,0)"', 'DecimalType(10,0)'],
    [new DecimalType(10, 2), 'decimal', 'decimal(10,2)', 'DECIMAL(10,2)', '"decimal(10,2)"', 'DecimalType(10,2)'],
  ])('%s', (type, typeName, simple, sql, json, repr) => {
    expect(type.typeName).toBe(typeName);
    expect(type.simpleString()).toBe(simple);
    expect(type.catalogString()).toBe(simple);
    expect(type.sql()).toBe(sql);
    expect(type.json()).toBe(json);
    expect(type.toString()).toBe(repr);
    expect(String(type)).toBe(repr);
  });

  it('compare structurally, never by identity', () => {
    expect(new StringType().equals(new StringType())).toBe(true);
    expect(new StringType().equals(new BinaryType())).toBe(false);
    expect(new LongType().equals(new IntegerType())).toBe(false);
    expect(new DecimalType(10, 2).equals(new DecimalType(10, 2))).toBe(true);
    expect(new DecimalType(10, 2).equals(new DecimalType(10, 3))).toBe(false);
    expect(new DecimalType().equals(new DecimalType(10, 0))).toBe(true);
  });

  it('sit in Spark’s hierarchy (AtomicType > NumericType > IntegralType/FractionalType)', () => {
    for (const t of [new ByteType(), new ShortType(), new IntegerType(), new LongType()]) {
      expect(t).toBeInstanceOf(IntegralType);
      expect(t).toBeInstanceOf(NumericType);
    }
    for (const t of [new FloatType(), new DoubleType(), new DecimalType()]) expect(t).toBeInstanceOf(FractionalType);
    for (const t of [new StringType(), new BooleanType(), new DateType(), new TimestampType(), new BinaryType()]) {
      expect(t).toBeInstanceOf(AtomicType);
      expect(t).not.toBeInstanceOf(NumericType);
    }
    expect(new NullType()).not.toBeInstanceOf(AtomicType);
    expect(new IntegerType().bits).toBe(32);
    expect([new ByteType().minValue, new ByteType().maxValue]).toEqual([-128, 127]);
    expect([new ShortType().minValue, new IntegerType().maxValue]).toEqual([-32768, 2147483647]);
  });

  it('DECIMAL checks its precision and scale like Spark', () => {
    expect(() => new DecimalType(39, 0)).toThrow(WeirErrorLike('INVALID_ARGUMENT', '[DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION]'));
    expect(() => new DecimalType(5, 6)).toThrow(WeirErrorLike('INVALID_ARGUMENT'));
    expect(() => new DecimalType(5, -1)).toThrow(WeirErrorLike('INVALID_ARGUMENT'));
    expect(() => new DecimalType(5.5, 1)).toThrow(WeirErrorLike('INVALID_ARGUMENT'));
    expect(new DecimalType(38, 38).simpleString()).toBe('decimal(38,38)');
    expect(new DecimalType(20, 2).isWiderThan(new DecimalType(10, 2))).toBe(true);
    expect(new DecimalType(20, 2).isWiderThan(new DecimalType(10, 3))).toBe(false);
  });
});

describe('complex types', () => {
  const arr = new ArrayType(new StringType());
  const map = new MapType(new StringType(), new IntegerType());
  const struct = new StructType([new StructField('a', new IntegerType()), new StructField('b', new StringType())]);

  it('print like Spark', () => {
    expect([arr.typeName, arr.simpleString(), arr.sql()]).toEqual(['array', 'array<string>', 'ARRAY<STRING>']);
    expect([map.typeName, map.simpleString(), map.sql()]).toEqual(['map', 'map<string,int>', 'MAP<STRING, INT>']);
    expect([struct.typeName, struct.simpleString(), struct.sql()]).toEqual([
      'struct',
      'struct<a:int,b:string>',
      'STRUCT<a: INT, b: STRING>',
    ]);
    expect(arr.json()).toBe('{"type":"array","elementType":"string","containsNull":true}');
    expect(map.json()).toBe('{"type":"map","keyType":"string","valueType":"integer","valueContainsNull":true}');
    expect(new StructType().json()).toBe('{"type":"struct","fields":[]}');
    expect(arr.toString()).toBe('ArrayType(StringType(), True)');
    expect(new MapType(new StringType(), new IntegerType(), false).toString()).toBe('MapType(StringType(), IntegerType(), False)');
    expect(struct.toString()).toBe(
      "StructType([StructField('a', IntegerType(), True), StructField('b', StringType(), True)])",
    );
  });

  it('default containsNull / valueContainsNull / nullable to true, as PySpark', () => {
    expect(arr.containsNull).toBe(true);
    expect(map.valueContainsNull).toBe(true);
    expect(new StructField('x', new LongType()).nullable).toBe(true);
    expect(new StructField('x', new LongType()).metadata).toEqual({});
  });

  it('compare nullability with equals, and ignore it with equalsIgnoreNullability / sameType', () => {
    const a = new ArrayType(new IntegerType(), true);
    const b = new ArrayType(new IntegerType(), false);
    expect(a.equals(b)).toBe(false);
    expect(a.equalsIgnoreNullability(b)).toBe(true);
    const m1 = new MapType(new StringType(), a, true);
    const m2 = new MapType(new StringType(), b, false);
    expect(m1.equals(m2)).toBe(false);
    expect(m1.sameType(m2)).toBe(true);
    const s1 = new StructType([new StructField('Name', new StringType(), true, { comment: 'x' })]);
    const s2 = new StructType([new StructField('name', new StringType(), false)]);
    expect(s1.equals(s2)).toBe(false);
    expect(s1.equalsIgnoreNullability(s2)).toBe(false); // names differ in case
    expect(s1.sameType(s2)).toBe(true); // spark.sql.caseSensitive=false
    expect(s1.equals(new StructType([new StructField('Name', new StringType(), true, { comment: 'x' })]))).toBe(true);
    expect(s1.equals(new StructType([new StructField('Name', new StringType(), true)]))).toBe(false); // metadata
    expect(new StructType().equals(new StructType([]))).toBe(true);
    expect(new ArrayType(new IntegerType()).equals(new IntegerType())).toBe(false);
  });

  it('reject a non-DataType where a type belongs', () => {
    expect(() => new ArrayType('string' as unknown as DataType)).toThrow(WeirErrorLike('INVALID_ARGUMENT'));
    expect(() => new MapType(new StringType(), undefined as unknown as DataType)).toThrow(WeirErrorLike('INVALID_ARGUMENT'));
    expect(() => new StructField('a', 'int' as unknown as DataType)).toThrow(WeirErrorLike('INVALID_ARGUMENT'));
    expect(() => new StructType([{ name: 'a' } as unknown as StructField])).toThrow(WeirErrorLike('INVALID_ARGUMENT'));
  });
});

describe('DataTypes (Java API)', () => {
  it('has shared instances and factories', () => {
    const s = DataTypes.createStructType([
      DataTypes.createStructField('a', DataTypes.IntegerType, false),
      DataTypes.createStructField('b', DataTypes.createArrayType(DataTypes.StringType), true),
      DataTypes.createStructField('c', DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType, false), true),
      DataTypes.createStructField('d', DataTypes.createDecimalType(5, 2), true),
    ]);
    expect(s.toDDL()).toBe('a INT NOT NULL,b ARRAY<STRING>,c MAP<STRING, BIGINT>,d DECIMAL(5,2)');
    expect(DataTypes.fromDDL('map<string,array<int>>').simpleString()).toBe('map<string,array<int>>');
    expect(DataTypes.fromJson('"long"').equals(new LongType())).toBe(true);
    expect(Object.isFrozen(DataTypes)).toBe(true);
  });
});
