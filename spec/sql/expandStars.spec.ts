/**
 * Star expansion as Spark does it: `*` and `s.*` in a select list, and stars among function arguments
 * (`struct("*")`, SQL `struct(*)`), which the seed's Kafka pipeline uses: `to_json(struct("*"))`.
 */
import { Session } from '../../lib/sql/dataframe/Session';
import { col, expr, from_json, struct, to_json } from '../../lib/sql/functions';

describe('star expansion', () => {
  const session = Session.builder().appName('stars').getOrCreate();
  afterAll(() => session.stop());
  const df = () =>
    session.createDataFrame([{ id: 1, value: '{"order_id":"o1","amount":50.5}' }], 'id INT, value STRING').select(
      col('id'),
      from_json(col('value'), 'order_id STRING, amount DOUBLE').alias('o'),
    );

  it("expands 's.*' into the struct's fields, in order, named by the field", async () => {
    const out = df().select('o.*');
    expect(out.columns).toEqual(['order_id', 'amount']);
    expect(await out.collect()).toEqual([{ order_id: 'o1', amount: 50.5 }]);
    expect((await df().select(col('id'), col('o.*')).collect())[0]).toEqual({ id: 1, order_id: 'o1', amount: 50.5 });
    expect((await df().selectExpr('o.*', 'id + 1 AS next').collect())[0]).toEqual({ order_id: 'o1', amount: 50.5, next: 2 });
  });

  it('expands a star among function arguments: to_json(struct("*")) and SQL to_json(struct(*))', async () => {
    const flat = df().select('o.*');
    expect(await flat.select(to_json(struct('*')).alias('value')).collect()).toEqual([{ value: '{"order_id":"o1","amount":50.5}' }]);
    expect(await flat.select(expr('to_json(struct(*)) AS value')).collect()).toEqual([{ value: '{"order_id":"o1","amount":50.5}' }]);
    expect(await df().select(to_json(struct('o.*')).alias('v')).collect()).toEqual([{ v: '{"order_id":"o1","amount":50.5}' }]);
  });

  it('keeps count(*) a row count', async () => {
    expect(await df().selectExpr('count(*) AS n').collect()).toEqual([{ n: 1 }]);
  });

  it("rejects a star on a column that is not a struct, with Spark's message", () => {
    expect(() => df().select('id.*').columns).toThrow(expect.objectContaining({ code: 'DATATYPE_MISMATCH', message: expect.stringContaining('Can only star expand struct data types') }));
  });
});
