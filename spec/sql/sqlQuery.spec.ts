/**
 * `session.sql` planning (`lib/sql/dataframe/sqlQuery.ts`): the parsed SELECT onto DataFrame calls — DISTINCT,
 * NULLS FIRST/LAST, table qualifiers, GROUP BY / ORDER BY positions, aggregates in HAVING and ORDER BY, items
 * over group keys — with Spark's results and error classes, on batch and streaming DataFrames.
 */
import { MemoryStream, Session } from '../../index';
import { WeirError } from '../../lib/errors';

let spark: Session;
beforeAll(() => {
  spark = Session.builder().appName('sqlQuery').getOrCreate();
  spark
    .createDataFrame(
      [
        { name: 'Ann', age: 31, city: 'Oslo' },
        { name: 'Bob', age: 22, city: 'Oslo' },
        { name: 'Cid', age: 45, city: 'Rome' },
        { name: 'Dee', age: null, city: 'Rome' },
        { name: 'Bob', age: 22, city: 'Oslo' },
      ],
      'name STRING, age INT, city STRING',
    )
    .createOrReplaceTempView('people');
  spark
    .createDataFrame(
      [
        { word: 'a', ts: new Date('2024-01-01T00:00:01Z') },
        { word: 'a', ts: new Date('2024-01-01T00:00:04Z') },
        { word: 'b', ts: new Date('2024-01-01T00:10:31Z') },
      ],
      'word STRING, ts TIMESTAMP',
    )
    .createOrReplaceTempView('events');
});
afterAll(() => spark.stop());

const rows = (sql: string) => spark.sql(sql).collect();

function failure(sql: string): WeirError {
  try {
    void spark.sql(sql).columns;
  } catch (e) {
    expect(e).toBeInstanceOf(WeirError);
    return e as WeirError;
  }
  throw new Error(`expected ${JSON.stringify(sql)} to fail`);
}

describe('SELECT DISTINCT and ORDER BY ... NULLS FIRST/LAST', () => {
  it('DISTINCT is distinct() over the SELECT list; ALL keeps every row', async () => {
    expect(await rows('SELECT DISTINCT city FROM people ORDER BY city')).toEqual([{ city: 'Oslo' }, { city: 'Rome' }]);
    expect(await rows('SELECT DISTINCT name, age FROM people ORDER BY name')).toHaveLength(4);
    expect(await rows('SELECT ALL city FROM people')).toHaveLength(5);
    expect(await rows('SELECT DISTINCT count(*) AS n FROM people GROUP BY city ORDER BY n')).toEqual([{ n: 2 }, { n: 3 }]);
  });

  it('null ordering: ASC NULLS FIRST and DESC NULLS LAST by default, either when written', async () => {
    const names = async (order: string) => (await rows(`SELECT DISTINCT name, age FROM people ORDER BY age ${order}, name`)).map((r) => r['name']);
    expect(await names('')).toEqual(['Dee', 'Bob', 'Ann', 'Cid']);
    expect(await names('ASC NULLS LAST')).toEqual(['Bob', 'Ann', 'Cid', 'Dee']);
    expect(await names('DESC')).toEqual(['Cid', 'Ann', 'Bob', 'Dee']);
    expect(await names('DESC NULLS FIRST')).toEqual(['Dee', 'Cid', 'Ann', 'Bob']);
  });
});

describe('table names and qualifiers', () => {
  it('t.col and t.* with t the alias, or the table name without one', async () => {
    expect(await rows('SELECT p.name FROM people AS p WHERE p.age > 30 ORDER BY p.age')).toEqual([{ name: 'Ann' }, { name: 'Cid' }]);
    expect(await rows('SELECT people.name FROM people WHERE people.city = \'Rome\' ORDER BY name')).toEqual([{ name: 'Cid' }, { name: 'Dee' }]);
    expect(spark.sql('SELECT p.* FROM people p').columns).toEqual(['name', 'age', 'city']);
    expect(await rows('SELECT P.city, count(*) AS n FROM people p GROUP BY p.city HAVING count(*) > 2')).toEqual([{ city: 'Oslo', n: 3 }]);
  });

  it('with an alias the table name is no qualifier (Spark)', () => {
    expect(failure('SELECT people.name FROM people p').code).toBe('UNRESOLVED_COLUMN');
  });

  it('a struct column named like the qualifier is still read as a struct when the table has no such column', async () => {
    spark
      .createDataFrame([{ w: { start: 1, end: 2 } }], 'w STRUCT<start: INT, end: INT>')
      .createOrReplaceTempView('w');
    expect(await rows('SELECT w.start, w.end FROM w')).toEqual([{ start: 1, end: 2 }]);
  });

  it('an unknown table is TABLE_OR_VIEW_NOT_FOUND, qualified names included', () => {
    expect(failure('SELECT * FROM nowhere').code).toBe('TABLE_OR_VIEW_NOT_FOUND');
    expect(failure('SELECT * FROM db.people').code).toBe('TABLE_OR_VIEW_NOT_FOUND');
  });
});

describe('GROUP BY, HAVING and ORDER BY over aggregates', () => {
  it('GROUP BY n and ORDER BY n are SELECT-list positions', async () => {
    expect(await rows('SELECT city AS c, max(age) AS m FROM people GROUP BY 1 ORDER BY 2 DESC')).toEqual([
      { c: 'Rome', m: 45 },
      { c: 'Oslo', m: 31 },
    ]);
    expect(await rows('SELECT name, age FROM people WHERE age IS NOT NULL ORDER BY 2, 1 DESC LIMIT 2')).toEqual([
      { name: 'Bob', age: 22 },
      { name: 'Bob', age: 22 },
    ]);
  });

  it("positions out of range, on an aggregate, or with a star fail with Spark's error classes", () => {
    expect(failure('SELECT city, count(*) FROM people GROUP BY 3').message).toBe(
      '[GROUP_BY_POS_OUT_OF_RANGE] GROUP BY position 3 is not in select list (valid range is [1, 2]). SQLSTATE: 42805',
    );
    expect(failure('SELECT city, count(*) FROM people GROUP BY 0').message).toMatch(/^\[GROUP_BY_POS_OUT_OF_RANGE\] GROUP BY position 0 /);
    expect(failure('SELECT city, count(*) FROM people GROUP BY 2').message).toBe(
      '[GROUP_BY_POS_AGGREGATE] GROUP BY 2 refers to an expression count(1) that contains an aggregate function. Aggregate functions are not allowed in GROUP BY. SQLSTATE: 42903',
    );
    expect(failure('SELECT * FROM people GROUP BY 1').message).toMatch(/^\[STAR_GROUP_BY_POS\]/);
    expect(failure('SELECT name FROM people ORDER BY 2').message).toBe(
      '[ORDER_BY_POS_OUT_OF_RANGE] ORDER BY position 2 is not in select list (valid range is [1, 1]). SQLSTATE: 42805',
    );
    expect(failure('SELECT name FROM people ORDER BY 2').context).toMatchObject({ sql: 'SELECT name FROM people ORDER BY 2' });
  });

  it('ORDER BY an aggregate: of the SELECT list, or a hidden one dropped again', async () => {
    expect(await rows('SELECT city, count(*) AS n FROM people GROUP BY city ORDER BY count(*) DESC')).toEqual([
      { city: 'Oslo', n: 3 },
      { city: 'Rome', n: 2 },
    ]);
    const df = spark.sql('SELECT city FROM people GROUP BY city ORDER BY max(age) DESC, city');
    expect(df.columns).toEqual(['city']);
    expect(await df.collect()).toEqual([{ city: 'Rome' }, { city: 'Oslo' }]);
  });

  it('HAVING on an aggregate that is not selected, and on a SELECT alias', async () => {
    expect(await rows('SELECT city, count(*) FROM people GROUP BY city HAVING max(age) > 40')).toEqual([{ city: 'Rome', 'count(1)': 2 }]);
    expect(await rows('SELECT city, count(*) AS n FROM people GROUP BY city HAVING n > 2')).toEqual([{ city: 'Oslo', n: 3 }]);
  });

  it('GROUP BY a SELECT alias that is no column of the table is the aliased expression (groupByAliases)', async () => {
    expect(await rows('SELECT upper(city) AS u, count(*) AS n FROM people GROUP BY u ORDER BY u')).toEqual([
      { u: 'OSLO', n: 3 },
      { u: 'ROME', n: 2 },
    ]);
    // A column of that name wins, as in Spark.
    expect(await rows('SELECT upper(city) AS name, count(*) AS n FROM people GROUP BY city, name ORDER BY n DESC, name LIMIT 1')).toEqual([
      { name: 'OSLO', n: 2 },
    ]);
  });

  it('GROUP BY without aggregates gives the distinct groups', async () => {
    const df = spark.sql('SELECT city FROM people GROUP BY city ORDER BY city');
    expect(df.columns).toEqual(['city']);
    expect(await df.collect()).toEqual([{ city: 'Oslo' }, { city: 'Rome' }]);
  });

  it('items over the group keys keep Spark\'s names; a column that is not grouped is MISSING_AGGREGATION', async () => {
    expect(await rows('SELECT upper(city), count(*) AS n FROM people GROUP BY city ORDER BY n')).toEqual([
      { 'upper(city)': 'ROME', n: 2 },
      { 'upper(city)': 'OSLO', n: 3 },
    ]);
    expect(spark.sql('SELECT CITY, count(*) FROM people GROUP BY city').columns).toEqual(['CITY', 'count(1)']);
    expect(await rows('SELECT upper(city) AS u, count(*) AS n FROM people GROUP BY upper(city) ORDER BY u')).toEqual([
      { u: 'OSLO', n: 3 },
      { u: 'ROME', n: 2 },
    ]);
    const e = failure('SELECT city, name, count(*) FROM people GROUP BY city');
    expect(e.code).toBe('UNSUPPORTED_OPERATION');
    expect(e.message).toBe(
      '[MISSING_AGGREGATION] The non-aggregating expression "name" is based on columns which are not participating in the GROUP BY clause.\n' +
        'Add the columns or the expression to the GROUP BY, aggregate the expression, or use "any_value(name)" if you do not care which of the values within a group is returned. SQLSTATE: 42803',
    );
  });

  it('time windows: fields of the window key and expressions over them', async () => {
    expect(await rows("SELECT window.start, count(*) AS n FROM events GROUP BY window(ts, '10 minutes') ORDER BY window.start")).toEqual([
      { start: new Date('2024-01-01T00:00:00Z'), n: 2 },
      { start: new Date('2024-01-01T00:10:00Z'), n: 1 },
    ]);
    const df = spark.sql("SELECT minute(window.start), word FROM events GROUP BY window(ts, '10 minutes'), word ORDER BY word");
    expect(df.columns).toEqual(['minute(window.start)', 'word']);
    expect(await df.collect()).toEqual([
      { 'minute(window.start)': 0, word: 'a' },
      { 'minute(window.start)': 10, word: 'b' },
    ]);
  });
});

describe('LIMIT', () => {
  it('LIMIT n, LIMIT 0 and LIMIT ALL', async () => {
    expect(await rows('SELECT name FROM people LIMIT 2')).toHaveLength(2);
    expect(await rows('SELECT name FROM people LIMIT 0')).toEqual([]);
    expect(await rows('SELECT name FROM people LIMIT ALL')).toHaveLength(5);
  });

  it('a negative LIMIT is the DataFrame limit() error', () => {
    expect(() => spark.sql('SELECT name FROM people LIMIT -1')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('streaming DataFrames through session.sql', () => {
  it('a grouped SELECT over a streaming temp view, written in complete mode', async () => {
    const input = new MemoryStream(spark, 'word STRING');
    input.toDF().createOrReplaceTempView('words');
    const counts = spark.sql('SELECT w.word, count(*) AS n FROM words w GROUP BY w.word HAVING count(*) > 1');
    expect(counts.isStreaming).toBe(true);
    const query = await counts.writeStream.format('memory').queryName('sqlCounts').outputMode('complete').start();
    input.addData({ word: 'a' }, { word: 'b' }, { word: 'a' });
    await query.processAllAvailable();
    expect(await rows('SELECT word, n FROM sqlCounts ORDER BY 1')).toEqual([{ word: 'a', n: 2 }]);
    await query.stop();
  });

  it('SELECT DISTINCT over a stream is a streaming deduplication (append mode)', async () => {
    const input = new MemoryStream(spark, 'word STRING');
    input.toDF().createOrReplaceTempView('moreWords');
    const query = await spark.sql('SELECT DISTINCT word FROM moreWords').writeStream.format('memory').queryName('sqlDistinct').start();
    input.addData({ word: 'a' }, { word: 'b' }, { word: 'a' });
    await query.processAllAvailable();
    input.addData({ word: 'b' }, { word: 'c' });
    await query.processAllAvailable();
    expect(await rows('SELECT word FROM sqlDistinct ORDER BY word')).toEqual([{ word: 'a' }, { word: 'b' }, { word: 'c' }]);
    await query.stop();
  });
});
