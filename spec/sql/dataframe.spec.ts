/**
 * The DataFrame face on batch and streaming DataFrames: one planner onto the operator pipeline.
 */
import { MemoryStream, Session } from '../../index';
import { avg, col, count, expr, lit, max, sum, upper, when, window } from '../../lib/sql/functions';

let spark: Session;
beforeAll(() => {
  spark = Session.builder().appName('dataframe').getOrCreate();
});
afterAll(() => spark.stop());

const people = () =>
  spark.createDataFrame(
    [
      { name: 'Ann', age: 31, city: 'Oslo' },
      { name: 'Bob', age: 22, city: 'Oslo' },
      { name: 'Cid', age: 45, city: 'Rome' },
      { name: 'Dee', age: null, city: 'Rome' },
    ],
    'name STRING, age INT, city STRING',
  );

describe('batch DataFrames', () => {
  it('select, filter with a SQL string, withColumn, drop, withColumnRenamed', async () => {
    const df = people()
      .filter('age > 25')
      .withColumn('older', col('age').plus(1))
      .withColumn('NAME', upper(col('name')))
      .drop('city')
      .withColumnRenamed('older', 'next_age');
    expect(df.columns).toEqual(['NAME', 'age', 'next_age']);
    expect(await df.collect()).toEqual([
      { NAME: 'ANN', age: 31, next_age: 32 },
      { NAME: 'CID', age: 45, next_age: 46 },
    ]);
    expect(await df.count()).toBe(2);
  });

  it('groupBy with agg, selectExpr with aggregates, orderBy and limit', async () => {
    const byCity = await people()
      .groupBy('city')
      .agg(count('*').alias('n'), avg('age').alias('mean'), max('age'))
      .orderBy(col('city'))
      .collect();
    expect(byCity).toEqual([
      { city: 'Oslo', n: 2, mean: 26.5, 'max(age)': 31 },
      { city: 'Rome', n: 2, mean: 45, 'max(age)': 45 },
    ]);
    expect(await people().selectExpr('count(*) AS n', 'sum(age) AS total').collect()).toEqual([{ n: 4, total: 98 }]);
    expect(await people().orderBy(col('age').desc()).limit(2).select('name').collect()).toEqual([{ name: 'Cid' }, { name: 'Ann' }]);
  });

  it('when/otherwise, lit, expr and null semantics', async () => {
    const rows = await people()
      .select(col('name'), when(col('age').geq(30), lit('30+')).otherwise('young').alias('band'), expr('age * 2 AS twice'))
      .collect();
    expect(rows).toEqual([
      { name: 'Ann', band: '30+', twice: 62 },
      { name: 'Bob', band: 'young', twice: 44 },
      { name: 'Cid', band: '30+', twice: 90 },
      { name: 'Dee', band: 'young', twice: null },
    ]);
  });

  it("fails unknown columns at analysis with Spark's message and candidates", () => {
    expect(() => people().select('agee').columns).toThrow(
      expect.objectContaining({ code: 'UNRESOLVED_COLUMN', message: expect.stringContaining('`agee` cannot be resolved') }),
    );
    expect(() => people().filter('__proto__ > 1').columns).toThrow(expect.objectContaining({ code: 'UNRESOLVED_COLUMN' }));
  });

  it('printSchema in Spark tree format', () => {
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(people().printSchema()).toBe(
        'root\n |-- name: string (nullable = true)\n |-- age: integer (nullable = true)\n |-- city: string (nullable = true)\n',
      );
    } finally {
      write.mockRestore();
    }
  });

  it('cache(), persist() and unpersist() are hints that change no result (Spark returns the same Dataset)', async () => {
    const df = people().filter('age > 25');
    expect(df.cache()).toBe(df);
    expect(df.persist('MEMORY_AND_DISK')).toBe(df);
    expect(await df.cache().count()).toBe(2);
    expect(df.unpersist()).toBe(df);
  });

  it('session.sql over a temp view', async () => {
    people().createOrReplaceTempView('people');
    const rows = await spark
      .sql('SELECT city, count(*) AS n, sum(age) AS total FROM people WHERE age IS NOT NULL GROUP BY city HAVING count(*) > 1 ORDER BY city')
      .collect();
    expect(rows).toEqual([{ city: 'Oslo', n: 2, total: 53 }]);
    expect(await spark.sql('SELECT name FROM people WHERE age < 30 LIMIT 5').collect()).toEqual([{ name: 'Bob' }]);
    expect(() => spark.sql('SELECT * FROM nowhere')).toThrow(expect.objectContaining({ code: 'TABLE_OR_VIEW_NOT_FOUND' }));
  });
});

describe('streaming DataFrames', () => {
  it('a windowed count with watermark in append mode, queried through a memory table with session.sql', async () => {
    const input = new MemoryStream(spark, 'word STRING, ts TIMESTAMP');
    const counts = input
      .toDF()
      .withWatermark('ts', '10 seconds')
      .groupBy(window(col('ts'), '10 seconds'), col('word'))
      .agg(count('*').alias('n'), sum(lit(1)).alias('ones'));
    const query = await counts.writeStream.format('memory').queryName('windowCounts').outputMode('append').start();
    input.addData({ word: 'a', ts: '2024-01-01T00:00:01Z' }, { word: 'a', ts: '2024-01-01T00:00:04Z' }, { word: 'b', ts: '2024-01-01T00:00:31Z' });
    await query.processAllAvailable();
    const rows = await spark.sql('SELECT window.start AS start, word, n FROM windowCounts').collect();
    expect(rows).toEqual([{ start: new Date('2024-01-01T00:00:00Z'), word: 'a', n: 2 }]);
    await query.stop();
  });

  it("rejects query shapes at start with Spark's messages", async () => {
    const input = new MemoryStream(spark, 'word STRING');
    await expect(input.toDF().groupBy('word').count().writeStream.format('memory').queryName('x1').outputMode('append').start()).rejects.toMatchObject({
      code: 'UNSUPPORTED_OPERATION',
      message: expect.stringContaining('[STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION] Invalid streaming output mode: append. This output mode is not supported for streaming aggregations without watermark on streaming DataFrames/DataSets. SQLSTATE: 42KDE'),
    });
    await expect(input.toDF().orderBy('word').writeStream.format('memory').queryName('x2').start()).rejects.toMatchObject({
      code: 'UNSUPPORTED_OPERATION',
      message: expect.stringContaining('Sorting is not supported on streaming DataFrames/Datasets'),
    });
    await expect(input.toDF().union(spark.createDataFrame([{ word: 'z' }])).writeStream.format('memory').queryName('x3').start()).rejects.toMatchObject({
      message: 'Union between streaming and batch DataFrames/Datasets is not supported',
    });
    await expect(input.toDF().writeStream.format('orc').start('/tmp/x')).rejects.toMatchObject({ code: 'DATA_SOURCE_NOT_FOUND' });
    expect(() => spark.readStream.format('nope').load()).toThrow(expect.objectContaining({ code: 'DATA_SOURCE_NOT_FOUND' }));
    expect(() => spark.readStream.format('rate-micro-batch').load()).toThrow(expect.objectContaining({ code: 'MISSING_OPTION' }));
  });
});
