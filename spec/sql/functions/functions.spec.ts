/**
 * `weir-streams/functions` and `Column`: Spark's names for every builder (checked against PySpark 4.0.1's
 * `df.select(...).columns`), Column immutability and methods, and evaluation through the analyzer.
 */
import * as F from '../../../lib/sql/functions';
import { Column, col, lit, when } from '../../../lib/sql/functions';
import { compileExpr, findTimeWindow, isAggregate, isGenerator, toAggregateFunction } from '../../../lib/sql/expr/analyze';
import { StructType, IntegerType } from '../../../lib/values/types';
import { WeirError } from '../../../lib/errors';

/** A fixed evaluation context (the batch time every aggregate is compiled with). */
const FROZEN = () => ({ batchTimestampMs: 0 });

const schema = StructType.fromDDL('a INT, d DOUBLE, word STRING, b BOOLEAN, n INT, s STRUCT<a: INT, word: STRING>, arr ARRAY<INT>, ts TIMESTAMP');
const row = { a: 1, d: 2.5, word: 'hello', b: true, n: null, s: { a: 1, word: 'hello' }, arr: [1, 2], ts: new Date('2024-01-01T00:00:07Z') };
const ctx = { batchTimestampMs: 0 };
const evaluate = (c: Column): unknown => compileExpr(c.expr, schema).evaluate(row, ctx);

describe('output names match PySpark 4.0.1', () => {
  it.each<[string, () => Column, string]>([
    ["col('a') + 1", () => col('a').plus(1), '(a + 1)'],
    ["col('a').cast('int')", () => col('a').cast('int'), 'a'],
    ["(col('a') + 1).cast('string')", () => col('a').plus(1).cast('string'), 'CAST((a + 1) AS STRING)'],
    ["col('a').alias('z').cast('string')", () => col('a').alias('z').cast('string'), 'z'],
    ["col('a').cast('int').cast('string')", () => col('a').cast('int').cast('string'), 'a'],
    ["lit('x')", () => lit('x'), 'x'],
    ['lit(1)', () => lit(1), '1'],
    ['lit(1.5)', () => lit(1.5), '1.5'],
    ['lit(null)', () => lit(null), 'NULL'],
    ['lit(true)', () => lit(true), 'true'],
    ['lit(Date)', () => lit(new Date(Date.UTC(2024, 0, 2, 3, 4, 5))), "TIMESTAMP '2024-01-02 03:04:05'"],
    ["col('a') != 1", () => col('a').neq(1), '(NOT (a = 1))'],
    ["col('a').between(1, 3)", () => col('a').between(1, 3), '((a >= 1) AND (a <= 3))'],
    ["like('h%')", () => col('word').like('h%'), 'word LIKE h%'],
    ["rlike('h.*')", () => col('word').rlike('h.*'), 'RLIKE(word, h.*)'],
    ["isin('a', 'b')", () => col('word').isin('a', 'b'), '(word IN (a, b))'],
    ['isNull', () => col('n').isNull(), '(n IS NULL)'],
    ['isNotNull', () => col('n').isNotNull(), '(n IS NOT NULL)'],
    ['~b', () => col('b').not(), '(NOT b)'],
    ['-a', () => col('a').negate(), 'negative(a)'],
    ['when/otherwise', () => when(col('a').gt(1), 'x').otherwise('y'), 'CASE WHEN (a > 1) THEN x ELSE y END'],
    ['when', () => when(col('a').gt(1), lit(1)), 'CASE WHEN (a > 1) THEN 1 END'],
    ["count('*')", () => F.count('*'), 'count(1)'],
    ["count('a')", () => F.count('a'), 'count(a)'],
    ["countDistinct('a', 'word')", () => F.countDistinct('a', 'word'), 'count(DISTINCT a, word)'],
    ["mean('a')", () => F.mean('a'), 'avg(a)'],
    ["avg('a')", () => F.avg('a'), 'avg(a)'],
    ["first('a')", () => F.first('a'), 'first(a)'],
    ["first('a', true)", () => F.first('a', true), 'first(a)'],
    ["approx_count_distinct('a', 0.1)", () => F.approx_count_distinct('a', 0.1), 'approx_count_distinct(a)'],
    ["collect_list('a')", () => F.collect_list('a'), 'collect_list(a)'],
    ["sum('a')", () => F.sum('a'), 'sum(a)'],
    ["split('word', ' ')", () => F.split('word', ' '), 'split(word,  , -1)'],
    ["split('word', ',', 2)", () => F.split('word', ',', 2), 'split(word, ,, 2)'],
    ["round('d')", () => F.round('d'), 'round(d, 0)'],
    ["round('d', 1)", () => F.round('d', 1), 'round(d, 1)'],
    ["struct('a', 'word')", () => F.struct('a', 'word'), 'struct(a, word)'],
    ['struct(expr, alias)', () => F.struct(col('a').plus(1), col('word').alias('w')), 'struct((a + 1), word AS w)'],
    ['to_json(struct)', () => F.to_json(F.struct('a', 'ts')), 'to_json(struct(a, ts))'],
    ["from_json('word', 'x INT')", () => F.from_json('word', 'x INT'), 'from_json(word)'],
    ["explode('arr')", () => F.explode('arr'), 'col'],
    ["getField('a')", () => col('s').getField('a'), 's.a'],
    ['getItem(0)', () => col('arr').getItem(0), 'arr[0]'],
    ["col('s.a')", () => col('s.a'), 'a'],
    ['window', () => F.window('ts', '10 seconds'), 'window'],
    ['sliding window', () => F.window('ts', '10 seconds', '5 seconds'), 'window'],
    ['session_window', () => F.session_window('ts', '5 minutes'), 'session_window'],
    ["to_timestamp('word')", () => F.to_timestamp('word'), 'to_timestamp(word)'],
    ["to_timestamp('word', fmt)", () => F.to_timestamp('word', 'yyyy-MM-dd'), 'to_timestamp(word, yyyy-MM-dd)'],
    ["timestamp_seconds('a')", () => F.timestamp_seconds('a'), 'timestamp_seconds(a)'],
    ['current_timestamp()', () => F.current_timestamp(), 'current_timestamp()'],
    ['current_date()', () => F.current_date(), 'current_date()'],
    ['coalesce', () => F.coalesce('n', 'a'), 'coalesce(n, a)'],
    ['concat', () => F.concat('word', lit('!')), 'concat(word, !)'],
    ['concat_ws', () => F.concat_ws('-', 'word', 'word'), 'concat_ws(-, word, word)'],
    ['upper', () => F.upper('word'), 'upper(word)'],
    ['length', () => F.length('word'), 'length(word)'],
    ['abs', () => F.abs('a'), 'abs(a)'],
    ['substring', () => F.substring('word', 1, 2), 'substring(word, 1, 2)'],
    ['trim', () => F.trim('word'), 'trim(word)'],
    ['date_format', () => F.date_format('ts', 'yyyy-MM'), 'date_format(ts, yyyy-MM)'],
    ['year', () => F.year('ts'), 'year(ts)'],
    ['isnull', () => F.isnull('n'), '(n IS NULL)'],
    ['isnan', () => F.isnan('d'), 'isnan(d)'],
    ['greatest', () => F.greatest('a', 'n'), 'greatest(a, n)'],
    ['least', () => F.least('a', 'n'), 'least(a, n)'],
    ['asc', () => col('a').asc(), 'a ASC NULLS FIRST'],
    ['eqNullSafe(null)', () => col('a').eqNullSafe(null), '(a <=> NULL)'],
    ['mod', () => col('a').mod(2), '(a % 2)'],
    ['divide', () => col('a').divide(2), '(a / 2)'],
    ['and', () => col('b').and(lit(true)), '(b AND true)'],
    ['or', () => col('b').or(col('b')), '(b OR b)'],
    ['window_time', () => F.window_time('window'), 'window_time(window)'],
    ['expr', () => F.expr('count(*) AS n'), 'n'],
    ['alias', () => F.upper('word').alias('w'), 'w'],
  ])('%s → %s', (_label, build, name) => {
    const c = build();
    expect(c.toString()).toBe(name);
    expect(String(c)).toBe(name);
  });
});

describe('Column', () => {
  it('is immutable', () => {
    const a = col('a');
    const b = a.plus(1);
    a.alias('x');
    expect(a.toString()).toBe('a');
    expect(b.toString()).toBe('(a + 1)');
    expect(Object.isFrozen(a.expr) || a.expr.kind === 'column').toBe(true);
  });

  it('treats method arguments as literals and function arguments as column names', () => {
    expect(evaluate(col('word').eq('hello'))).toBe(true);
    expect(evaluate(F.coalesce('n', 'a'))).toBe(1);
    expect(evaluate(col('a').eq(col('a')))).toBe(true);
  });

  it('evaluates operators with Spark semantics', () => {
    expect(evaluate(col('a').plus(1))).toBe(2);
    expect(evaluate(col('a').divide(0))).toBeNull();
    expect(evaluate(col('n').plus(1))).toBeNull();
    expect(evaluate(col('n').eqNullSafe(null))).toBe(true);
    expect(evaluate(col('a').isin([1, 2]))).toBe(true);
    expect(evaluate(col('a').between(0, 1))).toBe(true);
    expect(evaluate(col('word').like('h_llo'))).toBe(true);
    expect(evaluate(col('word').ilike('H%'))).toBe(true);
    expect(evaluate(col('word').startswith('he'))).toBe(true);
    expect(evaluate(col('word').endswith('lo'))).toBe(true);
    expect(evaluate(col('word').contains('ell'))).toBe(true);
    expect(evaluate(col('word').substr(2, 3))).toBe('ell');
    expect(evaluate(col('s').getField('word'))).toBe('hello');
    expect(evaluate(col('arr').getItem(1))).toBe(2);
    expect(evaluate(col('arr').getItem(9))).toBeNull();
    expect(evaluate(col('a').cast(new IntegerType()).cast('string'))).toBe('1');
    expect(evaluate(col('a').negate())).toBe(-1);
    expect(evaluate(col('a').bitwiseOR(2))).toBe(3);
    expect(evaluate(when(col('a').gt(5), 'big').when(col('a').gt(0), 'small').otherwise('none'))).toBe('small');
  });

  it('enforces when/otherwise chaining', () => {
    expect(() => col('a').otherwise(1)).toThrow(WeirError);
    expect(() => when(col('b'), 1).otherwise(2).otherwise(3)).toThrow(WeirError);
    expect(() => when(col('b'), 1).otherwise(2).when(col('b'), 3)).toThrow(WeirError);
  });

  it('builds sort orders with Spark\'s null defaults', () => {
    expect(col('a').desc().expr).toMatchObject({ kind: 'sortOrder', ascending: false, nullsFirst: false });
    expect(F.asc_nulls_last('a').expr).toMatchObject({ kind: 'sortOrder', ascending: true, nullsFirst: false });
    expect(col('a').desc().asc().expr).toMatchObject({ kind: 'sortOrder', child: { kind: 'column' }, ascending: true });
  });

  it('rejects bad column names and non-expressions', () => {
    expect(() => col('`a')).toThrow(WeirError);
    expect(() => col('a..b')).toThrow(WeirError);
    expect(() => new Column({} as never)).toThrow(WeirError);
    expect(() => lit({} as never)).toThrow(WeirError);
    expect(() => F.upper(3 as never)).toThrow(WeirError);
  });

  it('parses backquoted names in col()', () => {
    expect(col('`a.b`').expr).toEqual({ kind: 'column', name: '`a.b`', parts: ['a.b'] });
    expect(col('window.start').expr).toEqual({ kind: 'column', name: 'window.start', parts: ['window', 'start'] });
    expect(col('*').expr).toEqual({ kind: 'column', name: '*', parts: ['*'] });
  });
});

describe('functions evaluate through the analyzer', () => {
  it('evaluates scalar functions', () => {
    expect(evaluate(F.upper('word'))).toBe('HELLO');
    expect(evaluate(F.concat_ws('-', 'word', 'word'))).toBe('hello-hello');
    expect(evaluate(F.split('word', 'l'))).toEqual(['he', '', 'o']);
    expect(evaluate(F.struct('a', 'word'))).toEqual({ a: 1, word: 'hello' });
    expect(evaluate(F.to_json(F.struct('a', 'ts')))).toBe('{"a":1,"ts":"2024-01-01T00:00:07.000Z"}');
    expect(evaluate(F.from_json(lit('{"x": 3}'), 'x INT'))).toEqual({ x: 3 });
    expect(evaluate(F.from_json(lit('{"x": 3}'), new StructType().add('x', 'int')))).toEqual({ x: 3 });
    expect(evaluate(F.from_json(lit('[1,2]'), 'array<int>'))).toEqual([1, 2]);
    expect((evaluate(F.from_json(lit('{"t": "01/02/2024"}'), 't TIMESTAMP', { timestampFormat: 'MM/dd/yyyy' })) as { t: Date }).t.toISOString()).toBe(
      '2024-01-02T00:00:00.000Z',
    );
    expect((evaluate(F.to_timestamp(lit('2024-01-02'), 'yyyy-MM-dd')) as Date).toISOString()).toBe('2024-01-02T00:00:00.000Z');
    expect((evaluate(F.timestamp_seconds(lit(1.5))) as Date).getTime()).toBe(1500);
    expect((evaluate(F.current_timestamp()) as Date).getTime()).toBe(0);
    expect(evaluate(F.coalesce('n', 'a'))).toBe(1);
    expect(evaluate(F.length('word'))).toBe(5);
    expect(evaluate(F.abs(lit(-3)))).toBe(3);
    expect(evaluate(F.round(lit(2.345), 2))).toBe(2.35);
    expect(evaluate(F.substring('word', 2, 3))).toBe('ell');
    expect(evaluate(F.trim(lit('  x ')))).toBe('x');
    expect(evaluate(F.date_format('ts', 'HH:mm:ss'))).toBe('00:00:07');
    expect(evaluate(F.second('ts'))).toBe(7);
    expect(evaluate(F.isnull('n'))).toBe(true);
    expect(evaluate(F.isnan(lit(NaN)))).toBe(true);
    expect(evaluate(F.greatest('a', lit(3)))).toBe(3);
    expect(evaluate(F.least('a', 'n'))).toBe(1);
    expect(evaluate(F.size('arr'))).toBe(2);
    expect(evaluate(F.array_contains('arr', 2))).toBe(true);
    expect(evaluate(F.element_at('arr', 1))).toBe(1);
    expect(evaluate(F.create_map(lit('k'), 'a'))).toEqual(new Map([['k', 1]]));
    expect(evaluate(F.regexp_replace('word', 'l+', 'L'))).toBe('heLo');
    expect(evaluate(F.lit([1, 2]))).toEqual([1, 2]);
  });

  it('windows: evaluates tumbling windows and exposes them to the planner', () => {
    expect(evaluate(F.window('ts', '10 seconds'))).toEqual({ start: new Date('2024-01-01T00:00:00Z'), end: new Date('2024-01-01T00:00:10Z') });
    expect(findTimeWindow(F.window('ts', '10 seconds', null, '5 seconds').expr)).toMatchObject({
      duration: '10 seconds',
      slide: '10 seconds',
      startTime: '5 seconds',
      spec: { windowMs: 10_000, slideMs: 10_000, startMs: 5_000 },
    });
    expect(findTimeWindow(F.session_window('ts', F.expr("'1 minute'")).expr)).toMatchObject({ kind: 'session_window', gap: '1 minute' });
  });

  it('aggregates and generators', () => {
    expect(isAggregate(F.count('*').alias('n').expr)).toBe(true);
    expect(isGenerator(F.explode('arr').alias('x').expr)).toBe(true);
    const f = toAggregateFunction(F.sum(col('a').multiply(2)).expr, schema, { streaming: true, context: FROZEN });
    expect(f.name).toBe('sum((a * 2))');
    expect(f.evaluate(f.update(f.update(f.init(), f.input(row)), f.input(row)))).toBe(4);
    expect(() => toAggregateFunction(F.countDistinct('a').expr, schema, { streaming: true, context: FROZEN })).toThrow(WeirError);
    const first = toAggregateFunction(F.first('n', true).expr, schema, { streaming: true, context: FROZEN });
    expect(first.evaluate(first.update(first.update(first.init(), null), 5))).toBe(5);
  });
});
