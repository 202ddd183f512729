import {
  ArrayType,
  BinaryType,
  DateType,
  DecimalType,
  IntegerType,
  LongType,
  MapType,
  NullType,
  StringType,
  StructField,
  StructType,
  thrown,
  TimestampType,
  WeirErrorLike,
} from './support';

describe('StructType.add', () => {
  it('returns a new StructType and leaves the receiver alone', () => {
    const empty = new StructType();
    const one = empty.add('name', new StringType());
    const two = one.add('age', new IntegerType(), false);
    expect(empty.length).toBe(0);
    expect(one.fieldNames()).toEqual(['name']);
    expect(two.fieldNames()).toEqual(['name', 'age']);
    expect(two.fields[1].nullable).toBe(false);
    expect(Object.isFrozen(two.fields)).toBe(true);
  });

  it('parses type strings, PySpark JSON names and DDL names alike', () => {
    const s = new StructType()
      .add('a', 'string')
      .add('b', 'long')
      .add('c', 'bigint')
      .add('d', 'int')
      .add('e', 'integer')
      .add('f', 'array<string>')
      .add('g', 'map<string,int>')
      .add('h', 'struct<x:int,y:array<date>>')
      .add('i', 'decimal(10,2)')
      .add('j', 'TIMESTAMP');
    expect(s.simpleString()).toBe(
      'struct<a:string,b:bigint,c:bigint,d:int,e:int,f:array<string>,g:map<string,int>,h:struct<x:int,y:array<date>>,i:decimal(10,2),j:timestamp>',
    );
  });

  it('takes a StructField, metadata, or a comment', () => {
    const s = new StructType()
      .add(new StructField('a', new LongType(), false))
      .add('b', 'string', true, { comment: 'bee', other: 1 })
      .add('c', new IntegerType(), true, 'see');
    expect(s.toDDL()).toBe("a BIGINT NOT NULL,b STRING COMMENT 'bee',c INT COMMENT 'see'");
    expect(s.fields[1].metadata).toEqual({ comment: 'bee', other: 1 });
    expect(s.fields[2].getComment()).toBe('see');
  });

  it('rejects a missing type or a bad type string', () => {
    expect(() => new StructType().add('a', undefined as unknown as string)).toThrow(WeirErrorLike('INVALID_ARGUMENT'));
    expect(() => new StructType().add('a', 'strin')).toThrow(WeirErrorLike('INVALID_ARGUMENT', '[UNSUPPORTED_DATATYPE]'));
  });
});

describe('StructType lookups', () => {
  const s = StructType.fromDDL('id BIGINT, Name STRING, ts TIMESTAMP');

  it('finds fields case-insensitively, exact match first (spark.sql.caseSensitive=false)', () => {
    expect(s.getField('Name')?.dataType).toEqual(new StringType());
    expect(s.getField('name')?.name).toBe('Name');
    expect(s.getField('NAME')?.name).toBe('Name');
    expect(s.getField('missing')).toBeUndefined();
    expect(s.getField('name', true)).toBeUndefined();
    expect(s.fieldIndex('TS')).toBe(2);
    expect(s.getFieldIndex('nope')).toBeUndefined();
  });

  it('refuses an ambiguous match and prefers an exact one', () => {
    const dup = StructType.fromDDL('a INT, A STRING');
    expect(dup.getField('a')?.dataType).toEqual(new IntegerType());
    expect(dup.getField('A')?.dataType).toEqual(new StringType());
    const three = StructType.fromDDL('ab INT, Ab STRING');
    expect(() => three.getField('AB')).toThrow(WeirErrorLike('INVALID_ARGUMENT', '[AMBIGUOUS_REFERENCE_TO_FIELDS]'));
  });

  it('fieldIndex throws Spark’s FIELD_NOT_FOUND naming the field', () => {
    const e = thrown(() => s.fieldIndex('nope'));
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.message).toContain('[FIELD_NOT_FOUND]');
    expect(e.context.field).toBe('nope');
  });

  it('iterates its fields and exposes names and length', () => {
    expect([...s].map((f) => f.name)).toEqual(['id', 'Name', 'ts']);
    expect(s.names).toEqual(['id', 'Name', 'ts']);
    expect(s.length).toBe(3);
  });
});

describe('treeString (printSchema), golden from Spark 4.0.1', () => {
  it('prints the brief’s schema', () => {
    const s = StructType.fromDDL(
      'name STRING, age INT, ts TIMESTAMP, tags ARRAY<STRING>, m MAP<STRING,INT>, s STRUCT<a: INT, b: STRING>',
    );
    expect(s.treeString()).toBe(
      'root\n' +
        ' |-- name: string (nullable = true)\n' +
        ' |-- age: integer (nullable = true)\n' +
        ' |-- ts: timestamp (nullable = true)\n' +
        ' |-- tags: array (nullable = true)\n' +
        ' |    |-- element: string (containsNull = true)\n' +
        ' |-- m: map (nullable = true)\n' +
        ' |    |-- key: string\n' +
        ' |    |-- value: integer (valueContainsNull = true)\n' +
        ' |-- s: struct (nullable = true)\n' +
        ' |    |-- a: integer (nullable = true)\n' +
        ' |    |-- b: string (nullable = true)\n',
    );
  });

  const nested = new StructType([
    new StructField(
      'a',
      new ArrayType(new StructType([new StructField('x', new LongType(), false)]), false),
    ),
    new StructField(
      'm',
      new MapType(
        new StructType([new StructField('k', new StringType())]),
        new ArrayType(new IntegerType(), true),
        false,
      ),
      false,
      { comment: 'hey', x: 1 },
    ),
    new StructField('we\nird\tname', new BinaryType()),
    new StructField('a.b', new DateType()),
    new StructField('', new StructType([]).add('d', new DecimalType(10, 2))),
    new StructField('n', new NullType()),
  ]);

  it('nests arrays of structs, maps with struct keys, decimals and void, and escapes names', () => {
    expect(nested.treeString()).toBe(
      'root\n' +
        ' |-- a: array (nullable = true)\n' +
        ' |    |-- element: struct (containsNull = false)\n' +
        ' |    |    |-- x: long (nullable = false)\n' +
        ' |-- m: map (nullable = false)\n' +
        ' |    |-- key: struct\n' +
        ' |    |    |-- k: string (nullable = true)\n' +
        ' |    |-- value: array (valueContainsNull = false)\n' +
        ' |    |    |-- element: integer (containsNull = true)\n' +
        ' |-- we\\nird\\tname: binary (nullable = true)\n' +
        ' |-- a.b: date (nullable = true)\n' +
        ' |-- : struct (nullable = true)\n' +
        ' |    |-- d: decimal(10,2) (nullable = true)\n' +
        ' |-- n: void (nullable = true)\n',
    );
  });

  it('cuts the tree at maxDepth', () => {
    expect(nested.treeString(2)).toBe(
      'root\n' +
        ' |-- a: array (nullable = true)\n' +
        ' |    |-- element: struct (containsNull = false)\n' +
        ' |-- m: map (nullable = false)\n' +
        ' |    |-- key: struct\n' +
        ' |    |-- value: array (valueContainsNull = false)\n' +
        ' |-- we\\nird\\tname: binary (nullable = true)\n' +
        ' |-- a.b: date (nullable = true)\n' +
        ' |-- : struct (nullable = true)\n' +
        ' |    |-- d: decimal(10,2) (nullable = true)\n' +
        ' |-- n: void (nullable = true)\n',
    );
    expect(nested.treeString(0)).toBe(nested.treeString());
    expect(new StructType().treeString()).toBe('root\n');
  });

  it('prints toDDL, sql and json of the same schema as Spark', () => {
    expect(nested.toDDL()).toBe(
      "a ARRAY<STRUCT<x: BIGINT NOT NULL>>,m MAP<STRUCT<k: STRING>, ARRAY<INT>> NOT NULL COMMENT 'hey',`we\nird\tname` BINARY,`a.b` DATE,`` STRUCT<d: DECIMAL(10,2)>,n VOID",
    );
    expect(nested.sql()).toBe(
      "STRUCT<a: ARRAY<STRUCT<x: BIGINT NOT NULL>>, m: MAP<STRUCT<k: STRING>, ARRAY<INT>> NOT NULL COMMENT 'hey', `we\nird\tname`: BINARY, `a.b`: DATE, ``: STRUCT<d: DECIMAL(10,2)>, n: VOID>",
    );
    expect(nested.simpleString()).toBe(
      'struct<a:array<struct<x:bigint>>,m:map<struct<k:string>,array<int>>,we\nird\tname:binary,a.b:date,:struct<d:decimal(10,2)>,n:void>',
    );
    expect(JSON.parse(nested.json()).fields[1]).toEqual({
      name: 'm',
      type: {
        type: 'map',
        keyType: { type: 'struct', fields: [{ name: 'k', type: 'string', nullable: true, metadata: {} }] },
        valueType: { type: 'array', elementType: 'integer', containsNull: true },
        valueContainsNull: false,
      },
      nullable: false,
      metadata: { comment: 'hey', x: 1 },
    });
    expect(StructType.fromDDL(nested.toDDL()).toDDL()).toBe(nested.toDDL());
    expect(StructType.fromJson(nested.json()).equals(nested)).toBe(true);
    expect(StructType.fromJson(JSON.parse(nested.json())).equals(nested)).toBe(true);
  });
});

describe('StructType strings', () => {
  it('elides fields past the 25th in simpleString, never in catalogString (Spark’s maxToStringFields)', () => {
    let wide = new StructType();
    for (let i = 0; i < 30; i++) wide = wide.add(`c${i}`, new IntegerType());
    expect(wide.simpleString()).toBe(
      `struct<${Array.from({ length: 25 }, (_, i) => `c${i}:int`).join(',')},... 5 more fields>`,
    );
    expect(wide.catalogString()).toBe(`struct<${Array.from({ length: 30 }, (_, i) => `c${i}:int`).join(',')}>`);
  });

  it('StructField has comments, DDL and a PySpark repr', () => {
    const f = new StructField('ts', new TimestampType(), false).withComment("it's");
    expect(f.getComment()).toBe("it's");
    expect(f.toDDL()).toBe("ts TIMESTAMP NOT NULL COMMENT 'it\\'s'");
    expect(f.sql()).toBe("ts: TIMESTAMP NOT NULL COMMENT 'it\\'s'");
    expect(new StructField('a', new LongType(), false).toString()).toBe("StructField('a', LongType(), False)");
    expect(Object.isFrozen(f.metadata)).toBe(true);
  });

  it('fromJson insists on a struct', () => {
    expect(() => StructType.fromJson('"long"')).toThrow(WeirErrorLike('INVALID_ARGUMENT'));
  });
});
