/**
 * Grouping by a column named in another case groups by the field it resolves to, as Spark's case-insensitive
 * analyzer does (`spark.sql.caseSensitive=false`), and the key column keeps the field's own name. It used to group
 * every row into one group under an undefined key.
 */
import { Session } from '../../index';
import { col, count } from '../../lib/sql/functions';

let spark: Session;
beforeAll(() => {
  spark = Session.builder().appName('group-by-case').getOrCreate();
});
afterAll(() => spark.stop());

const df = () => spark.createDataFrame([{ city: 'Oslo' }, { city: 'Rome' }, { city: 'Oslo' }], 'city STRING');

describe('groupBy a column named in another case', () => {
  it('DataFrame API: groupBy("CITY") and groupBy(col("CITY"))', async () => {
    for (const g of [df().groupBy('CITY'), df().groupBy(col('CITY'))]) {
      const out = g.agg(count('*').alias('n')).orderBy('city');
      expect(out.columns).toEqual(['city', 'n']);
      expect(await out.collect()).toEqual([{ city: 'Oslo', n: 2 }, { city: 'Rome', n: 1 }]);
    }
  });

  it('SQL: GROUP BY CITY', async () => {
    df().createOrReplaceTempView('cities');
    expect(await spark.sql('SELECT city, count(*) AS n FROM cities GROUP BY CITY ORDER BY city').collect()).toEqual([
      { city: 'Oslo', n: 2 },
      { city: 'Rome', n: 1 },
    ]);
  });
});
