/**
 * Issue #16 item 13 (parser part): a flat chain of operators is not deep. 1,000 `+` or `OR` terms were refused as
 * "nests deeper than 500 levels" and 20,000 in `session.sql` failed; now chains parse, compile and evaluate with
 * Spark's left-deep semantics (types, wrap-around, names, three-valued logic), while real nesting past the limit
 * and trees built too deep through the API get named errors, never a RangeError.
 */
import fc from 'fast-check';
import { Session } from '../../../index';
import { StructType } from '../../../lib/values/types';
import type { Expr } from '../../../lib/sql/expr/Expr';
import { compileExpr } from '../../../lib/sql/expr/compile/compileExpr';
import { parseExpression } from '../../../lib/sql/expr/parseExpression';
import { expectWeirError } from '../../support/expectWeirError';

const schema = StructType.fromDDL('a INT, b BIGINT, s STRING, t BOOLEAN, u BOOLEAN');
const ctx = { batchTimestampMs: 0 };
const evaluate = (sql: string, row: Record<string, unknown>): unknown => compileExpr(parseExpression(sql), schema).evaluate(row, ctx);
const chain = (n: number, term: (i: number) => string, op: string): string => Array.from({ length: n }, (_, i) => term(i)).join(` ${op} `);

let spark: Session;
beforeAll(() => {
  spark = Session.builder().appName('flat-chains').getOrCreate();
});
afterAll(() => spark.stop());

describe('flat chains of operators', () => {
  it.each(['+', '-', '*', 'OR', 'AND', '||', '&', '|'])('1,000 terms of %s parse', (op) => {
    expect(() => parseExpression(chain(1000, () => 'a', op))).not.toThrow();
  });

  it('1,000 + terms evaluate to their sum', () => {
    expect(evaluate(chain(1000, () => 'a', '+'), { a: 3 })).toBe(3000);
  });

  it('20,000 OR terms evaluate, with three-valued logic', () => {
    const e = chain(20000, (i) => `a = ${i}`, 'OR');
    expect(evaluate(e, { a: 19999 })).toBe(true);
    expect(evaluate(e, { a: -1 })).toBe(false);
    expect(evaluate(e, { a: null })).toBe(null);
  });

  it('20,000 AND terms: false decides, null otherwise stays null', () => {
    const e = chain(20000, (i) => (i === 12345 ? 't' : 'true'), 'AND');
    expect(evaluate(e, { t: true })).toBe(true);
    expect(evaluate(e, { t: false })).toBe(false);
    expect(evaluate(e, { t: null })).toBe(null);
  });

  it('20,000 + terms keep INT wrap-around, and a BIGINT at the end widens only the last step', () => {
    expect(evaluate(chain(20000, () => 'a', '+'), { a: 2147483647 })).toBe(((2147483647 * 20000) | 0));
    // ((a + a) + ... + a) wraps in INT, then + b is BIGINT: the left-deep order of Spark, not a rebalanced sum.
    const wrapped = (2147483647 * 3) | 0;
    expect(evaluate(`${chain(3, () => 'a', '+')} + b`, { a: 2147483647, b: 0 })).toBe(wrapped);
    expect(evaluate(`${chain(20000, () => 'a', '+')} + b`, { a: 1, b: 10 })).toBe(20010);
  });

  it('20,000 || terms concatenate', () => {
    expect(evaluate(chain(20000, () => 's', '||'), { s: 'ab' })).toBe('ab'.repeat(20000));
  });

  it('a chain keeps Spark output names', () => {
    expect(compileExpr(parseExpression('a + a + a'), schema).name).toBe('((a + a) + a)');
    const long = compileExpr(parseExpression(chain(200, () => 'a', '+')), schema).name;
    expect(long).toBe(`${'('.repeat(199)}a${' + a)'.repeat(199)}`);
  });

  it('property: any chain of + and - (or of *) over INTs equals the left fold with Java wrap-around', () => {
    const links = fc.oneof(
      fc.array(fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: -1000, max: 1000 })), { minLength: 1, maxLength: 400 }),
      fc.array(fc.tuple(fc.constant('*'), fc.integer({ min: -1000, max: 1000 })), { minLength: 1, maxLength: 400 }),
    );
    fc.assert(
      fc.property(links, fc.integer(), (links, start) => {
        const sql = `a${links.map(([op, v]) => ` ${op} ${v}`).join('')}`;
        let expected = start | 0;
        for (const [op, v] of links) expected = op === '+' ? (expected + v) | 0 : op === '-' ? (expected - v) | 0 : Math.imul(expected, v);
        expect(evaluate(sql, { a: start | 0 })).toBe(expected);
      }),
      { numRuns: 150 },
    );
  });

  it('property: any chain of AND (or of OR) over true, false, null equals the left fold in three-valued logic', () => {
    const v = fc.constantFrom(true, false, null);
    const links = fc.constantFrom('AND', 'OR').chain((op) => fc.array(fc.tuple(fc.constant(op), v), { minLength: 1, maxLength: 400 }));
    fc.assert(
      fc.property(v, links, (first, links) => {
        const lit = (x: boolean | null): string => (x === null ? 'CAST(NULL AS BOOLEAN)' : String(x));
        const sql = `t${links.map(([op, x]) => ` ${op} ${x === null ? 'u' : lit(x)}`).join('')}`;
        let acc: boolean | null = first;
        for (const [op, x] of links) {
          if (op === 'AND') acc = acc === false || x === false ? false : acc === null || x === null ? null : true;
          else acc = acc === true || x === true ? true : acc === null || x === null ? null : false;
        }
        expect(evaluate(sql, { t: first, u: null })).toBe(acc);
      }),
      { numRuns: 150 },
    );
  });

  it('session.sql with 20,000 OR terms in SELECT and WHERE', async () => {
    spark.createDataFrame([{ a: 1 }, { a: 30000 }], 'a INT').createOrReplaceTempView('chains');
    const e = chain(20000, (i) => `a = ${i}`, 'OR');
    expect(await spark.sql(`SELECT a, ${e} AS hit FROM chains WHERE ${e}`).collect()).toEqual([{ a: 1, hit: true }]);
  });

  it('DataFrame.filter with 20,000 OR terms', async () => {
    const df = spark.createDataFrame([{ a: 1 }, { a: 30000 }], 'a INT');
    expect(await df.filter(chain(20000, (i) => `a = ${i}`, 'OR')).collect()).toEqual([{ a: 1 }]);
  });

  it('DataFrame.selectExpr with 20,000 OR terms (its aggregate check walks the chain iteratively)', async () => {
    const df = spark.createDataFrame([{ a: 1 }, { a: 30000 }], 'a INT');
    expect(await df.selectExpr(`${chain(20000, (i) => `a = ${i}`, 'OR')} AS hit`).collect()).toEqual([{ hit: true }, { hit: false }]);
  });
});

describe('real nesting still has a limit, with a named error', () => {
  it.each([
    ['600 parentheses', `${'('.repeat(600)}a${')'.repeat(600)}`],
    ['600 nested + in parentheses', `${'(a + '.repeat(600)}a${')'.repeat(600)}`],
    ['600 NOTs', `${'NOT '.repeat(600)}t`],
  ])('%s is PARSE_ERROR naming the limit', async (_name, sql) => {
    const e = await expectWeirError(() => parseExpression(sql), 'PARSE_ERROR');
    expect(e.message).toContain('nests deeper than 500 levels');
  });

  it('a tree built 5,000 levels deep without the parser is UNSUPPORTED_OPERATION at compile time, not a RangeError', async () => {
    let e: Expr = { kind: 'column', name: 'a' };
    for (let i = 0; i < 5000; i++) e = { kind: 'binary', op: '+', left: { kind: 'column', name: 'a' }, right: e };
    const err = await expectWeirError(() => compileExpr(e, schema), 'UNSUPPORTED_OPERATION');
    expect(err.message).toMatch(/^The expression nests 5001 levels deep, past weir's limit of 1000/);
  });

  it('a left-deep chain of 100,000 links built without the parser compiles and evaluates', () => {
    let e: Expr = { kind: 'column', name: 'a' };
    for (let i = 0; i < 100000; i++) e = { kind: 'binary', op: '+', left: e, right: { kind: 'column', name: 'a' } };
    expect(compileExpr(e, schema).evaluate({ a: 1 }, ctx)).toBe(100001);
  });
});
