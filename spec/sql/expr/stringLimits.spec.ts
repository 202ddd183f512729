/**
 * A string function asked for a result longer than V8 can hold fails with a named error instead of killing the
 * process (V8's "invalid size" is fatal and cannot be caught): lpad, rpad and repeat, constant-folded and per row.
 */
import { Session } from '../../../index';
import { expectWeirError } from '../../support/expectWeirError';

let spark: Session;
beforeAll(() => {
  spark = Session.builder().appName('string-limits').getOrCreate();
});
afterAll(() => spark.stop());

const df = () => spark.createDataFrame([{ s: 'ab', n: 2147483647 }], 's STRING, n INT');

describe('string results past the length limit', () => {
  it.each(["lpad('a', 2147483647)", 'lpad(s, n)', "rpad(s, n, 'xy')", 'repeat(s, n)'])('%s is INVALID_ARGUMENT naming the function', async (e) => {
    const err = await expectWeirError(() => df().selectExpr(e).collect(), 'INVALID_ARGUMENT');
    expect(err.message).toMatch(/^The result of (lpad|rpad|repeat) would be \d+ characters long/);
  });

  it('ordinary lengths still work', async () => {
    expect(await df().selectExpr("lpad(s, 5, 'x') AS l", "rpad(s, 3) AS r", 'repeat(s, 2) AS t').collect()).toEqual([{ l: 'xxxab', r: 'ab ', t: 'abab' }]);
  });
});
