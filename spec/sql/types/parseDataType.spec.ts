import fc from 'fast-check';
import {
  ArrayType,
  BinaryType,
  BooleanType,
  ByteType,
  DataType,
  dataTypeFromJson,
  DateType,
  DecimalType,
  DoubleType,
  FloatType,
  IntegerType,
  LongType,
  MapType,
  NullType,
  parseDataType,
  ShortType,
  StringType,
  StructField,
  StructType,
  thrown,
  TimestampNTZType,
  TimestampType,
  toSchema,
  WeirErrorLike,
} from './support';

const numRuns = Number(process.env.WEIR_PROPERTY_RUNS ?? 50);

describe('parseDataType', () => {
  it.each<[string, DataType]>([
    ['string', new StringType()],
    ['STRING', new StringType()],
    ['varchar(10)', new StringType()],
    ['char(3)', new StringType()],
    ['character(3)', new StringType()],
    ['bigint', new LongType()],
    ['long', new LongType()],
    ['int', new IntegerType()],
    ['integer', new IntegerType()],
    ['Int', new IntegerType()],
    ['smallint', new ShortType()],
    ['short', new ShortType()],
    ['tinyint', new ByteType()],
    ['byte', new ByteType()],
    ['double', new DoubleType()],
    ['float', new FloatType()],
    ['real', new FloatType()],
    ['boolean', new BooleanType()],
    ['bool', new BooleanType()],
    ['timestamp', new TimestampType()],
    ['timestamp_ltz', new TimestampType()],
    ['timestamp_ntz', new TimestampNTZType()],
    ['date', new DateType()],
    ['binary', new BinaryType()],
    ['void', new NullType()],
    ['decimal', new DecimalType(10, 0)],
    ['decimal(10,2)', new DecimalType(10, 2)],
    ['DECIMAL( 5 , 1 )', new DecimalType(5, 1)],
    ['decimal(7)', new DecimalType(7, 0)],
    ['dec(4,1)', new DecimalType(4, 1)],
    ['numeric(20)', new DecimalType(20, 0)],
    ['array<string>', new ArrayType(new StringType())],
    ['ARRAY< ARRAY<bigint> >', new ArrayType(new ArrayType(new LongType()))],
    ['map<string,int>', new MapType(new StringType(), new IntegerType())],
    ['map<string, array<map<int,boolean>>>', new MapType(new StringType(), new ArrayType(new MapType(new IntegerType(), new BooleanType())))],
    ['struct<a:int,b:string>', new StructType([new StructField('a', new IntegerType()), new StructField('b', new StringType())])],
    ['STRUCT<a INT, b STRING>', new StructType([new StructField('a', new IntegerType()), new StructField('b', new StringType())])],
    ['struct<>', new StructType()],
    ['struct<`a b`: int not null comment "c">', new StructType([new StructField('a b', new IntegerType(), false, { comment: 'c' })])],
    ['struct<a:array<struct<b:map<string,date>>>>', new StructType([new StructField('a', new ArrayType(new StructType([new StructField('b', new MapType(new StringType(), new DateType()))])))])],
  ])('%j', (text, expected) => {
    const t = parseDataType(text);
    expect(t.equals(expected)).toBe(true);
    expect(t.simpleString()).toBe(expected.simpleString());
  });

  it('reads a schema string as a struct, like Spark’s DataType.fromDDL', () => {
    expect(parseDataType('a INT, b STRING').simpleString()).toBe('struct<a:int,b:string>');
  });

  it.each([
    ['foo', '[UNSUPPORTED_DATATYPE]'],
    ['int(3)', '[UNSUPPORTED_DATATYPE]'],
    ['string(3)', '[UNSUPPORTED_DATATYPE]'],
    ['interval', '[UNSUPPORTED_DATATYPE]'],
    ['array<int', '[PARSE_SYNTAX_ERROR]'],
    ['map<int>', '[PARSE_SYNTAX_ERROR]'],
    ['struct<a int,>', '[PARSE_SYNTAX_ERROR]'],
    ['array<int> x', '[PARSE_SYNTAX_ERROR]'],
    ['decimal(40,2)', '[DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION]'],
    ['varchar', '[DATATYPE_MISSING_SIZE]'],
    ['', '[PARSE_EMPTY_STATEMENT]'],
    ['int @', '[PARSE_SYNTAX_ERROR]'],
    ['struct<`a: int>', '[PARSE_SYNTAX_ERROR]'],
  ])('rejects %j with %s', (text, errorClass) => {
    expect(() => parseDataType(text)).toThrow(WeirErrorLike('INVALID_ARGUMENT', errorClass));
  });

  it('puts the text and the position in the error context', () => {
    const e = thrown(() => parseDataType('map<string, foo>'));
    expect(e.context).toEqual({ ddl: 'map<string, foo>', position: 12 });
  });
});

describe('StructType.fromDDL', () => {
  it('reads NOT NULL, COMMENT, backquoted names and nested types', () => {
    const s = StructType.fromDDL(
      "`first name` STRING NOT NULL COMMENT 'given', `x``y` BIGINT, ts TIMESTAMP COMMENT \"when\\n\", s STRUCT<a: INT NOT NULL, b: ARRAY<STRING>>",
    );
    expect(s.fields.map((f) => [f.name, f.dataType.simpleString(), f.nullable, f.getComment()])).toEqual([
      ['first name', 'string', false, 'given'],
      ['x`y', 'bigint', true, undefined],
      ['ts', 'timestamp', true, 'when\n'],
      ['s', 'struct<a:int,b:array<string>>', true, undefined],
    ]);
    expect((s.fields[3].dataType as StructType).fields[0].nullable).toBe(false);
  });

  it('takes keywords as field names, as Spark does by default', () => {
    expect(StructType.fromDDL('timestamp TIMESTAMP, comment STRING, not INT').fieldNames()).toEqual([
      'timestamp',
      'comment',
      'not',
    ]);
  });

  it('also reads PySpark’s `a: int, b: string` and `struct<...>` schema strings', () => {
    const expected = StructType.fromDDL('a INT, b STRING');
    expect(StructType.fromDDL('a: int, b: string').equals(expected)).toBe(true);
    expect(StructType.fromDDL('struct<a:int,b:string>').equals(expected)).toBe(true);
  });

  it('rejects what Spark rejects', () => {
    for (const [ddl, errorClass] of [
      ['a int,', '[PARSE_SYNTAX_ERROR]'],
      ['a int default 5', '[PARSE_SYNTAX_ERROR]'],
      ['a int not null not null', '[PARSE_SYNTAX_ERROR]'],
      ["a string comment 'x' 'y'", '[PARSE_SYNTAX_ERROR]'],
      ['a bogus', '[UNSUPPORTED_DATATYPE]'],
      ['123 int', '[PARSE_SYNTAX_ERROR]'],
      ['   ', '[PARSE_EMPTY_STATEMENT]'],
    ]) {
      expect(() => StructType.fromDDL(ddl)).toThrow(WeirErrorLike('INVALID_ARGUMENT', errorClass));
    }
  });

  it.each([
    'name STRING, age INT, ts TIMESTAMP, tags ARRAY<STRING>, m MAP<STRING,INT>, s STRUCT<a: INT, b: STRING>',
    "a BIGINT NOT NULL COMMENT 'it\\'s', b DOUBLE COMMENT 'say \"hi\"'",
    '`a b` INT, `c.d` ARRAY<STRUCT<`e f`: DECIMAL(38,18) NOT NULL>>, `` VOID',
    'm MAP<STRUCT<k: STRING>, ARRAY<MAP<INT, BINARY>>> NOT NULL, d DATE, t TIMESTAMP_NTZ, s SMALLINT, y TINYINT, r REAL',
    's STRUCT<>, e ARRAY<STRUCT<>>',
  ])('round-trips %j through toDDL', (ddl) => {
    const once = StructType.fromDDL(ddl);
    const twice = StructType.fromDDL(once.toDDL());
    expect(twice.equals(once)).toBe(true);
    expect(twice.toDDL()).toBe(once.toDDL());
    expect(StructType.fromJson(once.json()).equals(once)).toBe(true);
  });
});

/** Arbitrary weir types, comments and awkward names included. */
const arbType: fc.Arbitrary<DataType> = fc.letrec<{ type: DataType }>((tie) => ({
  type: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom<DataType>(
      new StringType(),
      new LongType(),
      new IntegerType(),
      new ShortType(),
      new ByteType(),
      new DoubleType(),
      new FloatType(),
      new BooleanType(),
      new TimestampType(),
      new TimestampNTZType(),
      new DateType(),
      new BinaryType(),
      new NullType(),
    ),
    fc.integer({ min: 1, max: 38 }).chain((p) => fc.integer({ min: 0, max: p }).map((s) => new DecimalType(p, s))),
    fc.tuple(tie('type'), fc.boolean()).map(([e, n]) => new ArrayType(e, n)),
    fc.tuple(tie('type'), tie('type'), fc.boolean()).map(([k, v, n]) => new MapType(k, v, n)),
    fc
      .array(
        fc.tuple(
          fc.oneof(fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,5}$/), fc.string({ maxLength: 6 })),
          tie('type'),
          fc.boolean(),
          fc.option(fc.string({ maxLength: 8 }).filter((c) => !c.includes('\\')), { nil: undefined }),
        ),
        { maxLength: 4 },
      )
      .map((fs) => new StructType(fs.map(([n, t, nullable, c]) => new StructField(n, t, nullable, c === undefined ? {} : { comment: c })))),
  ),
})).type;

describe('round-trip properties', () => {
  it('parseDataType(t.sql()) equals t, and so does dataTypeFromJson(t.json())', () => {
    fc.assert(
      fc.property(arbType, (t) => {
        expect(parseDataType(t.sql()).equalsIgnoreNullability(t)).toBe(true);
        expect(dataTypeFromJson(t.json()).equals(t)).toBe(true);
        expect(parseDataType(t.sql()).sql()).toBe(t.sql());
      }),
      { numRuns },
    );
  });

  it('StructType.fromDDL(s.toDDL()) equals s, nullability and comments included', () => {
    const arbSchema = arbType.filter((t): t is StructType => t instanceof StructType && t.length > 0);
    fc.assert(
      fc.property(arbSchema, (s) => {
        // ARRAY and MAP nullability is not part of DDL: Spark reads them back as nullable.
        const back = StructType.fromDDL(s.toDDL());
        expect(back.toDDL()).toBe(s.toDDL());
        expect(back.equalsIgnoreNullability(s)).toBe(true);
      }),
      { numRuns },
    );
  });
});

describe('toSchema', () => {
  it('passes a StructType through and parses DDL, PySpark strings and JSON', () => {
    const s = new StructType().add('word', 'string').add('ts', 'timestamp');
    expect(toSchema(s)).toBe(s);
    expect(toSchema('word STRING, ts TIMESTAMP').equals(s)).toBe(true);
    expect(toSchema('word: string, ts: timestamp').equals(s)).toBe(true);
    expect(toSchema('struct<word:string,ts:timestamp>').equals(s)).toBe(true);
    expect(toSchema(s.json()).equals(s)).toBe(true);
  });

  it('rejects non-schemas', () => {
    expect(() => toSchema(42 as unknown as string)).toThrow(WeirErrorLike('INVALID_ARGUMENT'));
    expect(() => toSchema('{"type":"array","elementType":"long","containsNull":true}')).toThrow(WeirErrorLike('INVALID_ARGUMENT'));
    expect(() => toSchema('word STRIN')).toThrow(WeirErrorLike('INVALID_ARGUMENT', '[UNSUPPORTED_DATATYPE]'));
  });
});

describe('dataTypeFromJson', () => {
  it('reads Spark’s JSON, bare names and old spellings', () => {
    expect(dataTypeFromJson('"long"').equals(new LongType())).toBe(true);
    expect(dataTypeFromJson('integer').equals(new IntegerType())).toBe(true);
    expect(dataTypeFromJson('null').equals(new NullType())).toBe(true);
    expect(dataTypeFromJson('decimal').equals(new DecimalType(10, 0))).toBe(true);
    expect(dataTypeFromJson('decimal(12, 3)').equals(new DecimalType(12, 3))).toBe(true);
    expect(dataTypeFromJson('varchar(5)').equals(new StringType())).toBe(true);
    expect(
      dataTypeFromJson({ type: 'struct', fields: [{ name: 'a', type: 'long', nullable: false, metadata: {} }] }).equals(
        new StructType([new StructField('a', new LongType(), false)]),
      ),
    ).toBe(true);
  });

  it.each(['"lung"', '{"type":"udt"}', '{"type":"struct"}', '[1]', '{"type":"array","elementType":"long","containsNull":"yes"}'])(
    'rejects %s with INVALID_JSON_DATA_TYPE',
    (json) => {
      expect(() => dataTypeFromJson(json)).toThrow(WeirErrorLike('INVALID_ARGUMENT', '[INVALID_JSON_DATA_TYPE]'));
    },
  );
});
