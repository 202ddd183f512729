/**
 * The expression parser: every construct of Spark's expression grammar weir supports, Spark's precedence,
 * literal typing, aliases, and errors with Spark's text and exact positions.
 */
import { ExpressionParser, parseExpression, parseExpressionList, parseSortOrder, MAX_DEPTH } from '../../../lib/sql/expr/parseExpression';
import { outputName, prettySql } from '../../../lib/sql/expr/outputName';
import { tokenize } from '../../../lib/sql/expr/lexer';
import type { Expr } from '../../../lib/sql/expr/Expr';
import { WeirError } from '../../../lib/errors';

const pretty = (text: string): string => prettySql(parseExpression(text));

function parseError(text: string): WeirError {
  try {
    parseExpression(text);
  } catch (e) {
    expect(e).toBeInstanceOf(WeirError);
    expect((e as WeirError).code).toBe('PARSE_ERROR');
    return e as WeirError;
  }
  throw new Error(`expected ${JSON.stringify(text)} not to parse`);
}

describe('literals', () => {
  it.each([
    ['1', 'int', 1],
    ['-1', 'int', -1],
    ['2147483647', 'int', 2147483647],
    ['-2147483648', 'int', -2147483648],
    ['2147483648', 'bigint', 2147483648],
    ['10L', 'bigint', 10],
    ['10S', 'smallint', 10],
    ['10Y', 'tinyint', 10],
    ['1.5', 'decimal(2,1)', 1.5],
    ['.5', 'decimal(1,1)', 0.5],
    ['0.001', 'decimal(3,3)', 0.001],
    ['1.50', 'decimal(3,2)', 1.5],
    ['1.5BD', 'decimal(2,1)', 1.5],
    ['1e3', 'double', 1000],
    ['1.5D', 'double', 1.5],
    ['1.5F', 'float', 1.5],
    ["'x'", 'string', 'x'],
    ['"x"', 'string', 'x'],
    ["'a' 'b' \"c\"", 'string', 'abc'],
    ['TRUE', 'boolean', true],
    ['false', 'boolean', false],
    ['NULL', 'void', null],
  ])('%s is %s', (text, type, value) => {
    const e = parseExpression(text);
    expect(e.kind).toBe('literal');
    if (e.kind !== 'literal') return;
    expect(e.dataType.simpleString()).toBe(type);
    expect(e.value).toBe(value);
  });

  it('unescapes strings as Spark does (\\% and \\_ stay escaped for LIKE)', () => {
    const e = parseExpression(String.raw`'a\nb\t\'\"\\\%\_\u0041\101\z'`);
    expect(e.kind === 'literal' && e.value).toBe('a\nb\t\'"\\\\%\\_AAz');
  });

  it('keeps raw strings raw', () => {
    const e = parseExpression(String.raw`r'\d+'`);
    expect(e.kind === 'literal' && e.value).toBe('\\d+');
  });

  it('types DATE, TIMESTAMP and X literals', () => {
    const d = parseExpression("DATE '2024-01-02'");
    expect(d.kind === 'literal' && (d.value as Date).toISOString()).toBe('2024-01-02T00:00:00.000Z');
    const t = parseExpression("TIMESTAMP '2024-01-02 03:04:05'");
    expect(t.kind === 'literal' && (t.value as Date).toISOString()).toBe('2024-01-02T03:04:05.000Z');
    const x = parseExpression("X'0A0b'");
    expect(x.kind === 'literal' && Array.from(x.value as Uint8Array)).toEqual([10, 11]);
    expect(parseError("DATE '2024-13-01'").message).toContain('[INVALID_TYPED_LITERAL]');
  });

  it('rejects out-of-range numeric literals with Spark\'s message', () => {
    expect(parseError('128Y').message).toContain('[INVALID_NUMERIC_LITERAL_RANGE] Numeric literal 128 is outside the valid range for tinyint');
    expect(parseError('9223372036854775808L').message).toContain('outside the valid range for bigint');
    expect(parseError('1'.repeat(39)).message).toContain('[DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION]');
  });

  it.each([
    ['INTERVAL 10 SECONDS', "INTERVAL '10' SECOND", 10_000_000, 0],
    ["INTERVAL '10' SECOND", "INTERVAL '10' SECOND", 10_000_000, 0],
    ['INTERVAL 5 SECONDS', "INTERVAL '05' SECOND", 5_000_000, 0],
    ['INTERVAL 1.5 SECONDS', "INTERVAL '01.5' SECOND", 1_500_000, 0],
    ['INTERVAL 1 HOUR 30 MINUTES', "INTERVAL '01:30' HOUR TO MINUTE", 5_400_000_000, 0],
    ['INTERVAL 1 DAY 30 MINUTES', "INTERVAL '1 00:30' DAY TO MINUTE", 88_200_000_000, 0],
    ["INTERVAL '1 02:03:04' DAY TO SECOND", "INTERVAL '1 02:03:04' DAY TO SECOND", 93_784_000_000, 0],
    ["INTERVAL '1' DAY", "INTERVAL '1' DAY", 86_400_000_000, 0],
    ['INTERVAL 2 WEEKS', "INTERVAL '14' DAY", 14 * 86_400_000_000, 0],
    ['INTERVAL 1 YEAR 2 MONTHS', "INTERVAL '1-2' YEAR TO MONTH", 0, 14],
    ["INTERVAL '1-2' YEAR TO MONTH", "INTERVAL '1-2' YEAR TO MONTH", 0, 14],
    ["INTERVAL -'3' HOURS", "INTERVAL '-03' HOUR", -10_800_000_000, 0],
    ["INTERVAL '1 day 2 hours'", "INTERVAL '1 02' DAY TO HOUR", 93_600_000_000, 0],
  ])('%s', (text, display, micros, months) => {
    const e = parseExpression(text);
    expect(e).toMatchObject({ kind: 'interval', display, micros, months });
    expect(outputName(e)).toBe(display);
  });

  it('rejects mixed year-month and day-time intervals', () => {
    expect(parseError('INTERVAL 1 YEAR 2 DAYS').message).toContain('Cannot mix year-month and day-time fields');
  });

  it('treats INTERVAL and DATE not followed by a value as column names', () => {
    expect(parseExpression('interval')).toMatchObject({ kind: 'column', name: 'interval' });
    expect(parseExpression('date + 1')).toMatchObject({ kind: 'binary', left: { kind: 'column', name: 'date' } });
  });
});

describe('identifiers and columns', () => {
  it('parses struct paths into column parts', () => {
    expect(parseExpression('window.start')).toEqual({ kind: 'column', name: 'window.start', parts: ['window', 'start'] });
    expect(parseExpression('`a.b`.c')).toEqual({ kind: 'column', name: '`a.b`.c', parts: ['a.b', 'c'] });
    expect(parseExpression('`we``ird`')).toEqual({ kind: 'column', name: '`we``ird`', parts: ['we`ird'] });
    expect(parseExpression('`AND`')).toEqual({ kind: 'column', name: 'AND', parts: ['AND'] });
  });

  it('reads a field of a parenthesized or computed expression as field access', () => {
    expect(parseExpression('(s).a')).toEqual({ kind: 'field', child: { kind: 'column', name: 's', parts: ['s'] }, name: 'a' });
    expect(parseExpression('struct(a).a')).toMatchObject({ kind: 'field', name: 'a', child: { kind: 'call', name: 'struct' } });
    expect(parseExpression('arr[0]')).toMatchObject({ kind: 'subscript', index: { kind: 'literal', value: 0 } });
    expect(parseExpression("m['k'].x")).toMatchObject({ kind: 'field', name: 'x', child: { kind: 'subscript' } });
  });

  it('parses * and t.*', () => {
    expect(parseExpression('*')).toEqual({ kind: 'column', name: '*', parts: ['*'] });
    expect(parseExpression('t.*')).toEqual({ kind: 'column', name: 't.*', parts: ['t', '*'] });
  });

  it('lets non-reserved keywords be column names', () => {
    for (const w of ['window', 'first', 'last', 'year', 'count', 'timestamp', 'key', 'value', 'data']) {
      expect(parseExpression(w)).toMatchObject({ kind: 'column', name: w });
    }
  });

  it('takes identifiers with leading digits as Spark\'s lexer does', () => {
    expect(parseExpression('123abc')).toMatchObject({ kind: 'column', name: '123abc' });
    expect(parseExpression('10Lx')).toMatchObject({ kind: 'column', name: '10Lx' });
  });
});

describe('operators and precedence (Spark: OR < AND < NOT < predicates < comparison < | < ^ < & < + - || < * / % DIV < unary)', () => {
  it.each([
    ['1 + 2 * 3', '(1 + (2 * 3))'],
    ['(1 + 2) * 3', '((1 + 2) * 3)'],
    ['a - b - c', '((a - b) - c)'],
    ['a * b % c div d', '(((a * b) % c) div d)'],
    ['-a * b', '((- a) * b)'],
    ['- -a', '(- (- a))'],
    ['a + -1', '(a + -1)'],
    ['~a & b', '(~a & b)'],
    ['a | b ^ c & d', '(a | (b ^ (c & d)))'],
    ['a + b = c', '((a + b) = c)'],
    ['a = b = c', '((a = b) = c)'],
    ['a || b || c', 'concat(concat(a, b), c)'],
    ['a || b = c', '(concat(a, b) = c)'],
    ['NOT a = b', '(NOT (a = b))'],
    ['NOT a AND b', '((NOT a) AND b)'],
    ['a OR b AND c', '(a OR (b AND c))'],
    ['a AND b OR c AND d', '((a AND b) OR (c AND d))'],
    ['!a', '(NOT a)'],
    ['NOT NOT b', '(NOT (NOT b))'],
    ['a + 1 BETWEEN 1 AND 3', 'between((a + 1), 1, 3)'],
    ['a BETWEEN 1 AND 3 AND b', '(between(a, 1, 3) AND b)'],
    ['a NOT BETWEEN 1 AND 3', '(NOT between(a, 1, 3))'],
    ['a IN (1, 2) OR b', '((a IN (1, 2)) OR b)'],
    ['a NOT IN (1)', '(NOT (a IN (1)))'],
    ['a IS NULL AND b IS NOT NULL', '((a IS NULL) AND (b IS NOT NULL))'],
    ['a IS NOT DISTINCT FROM b', '(a <=> b)'],
    ['a IS DISTINCT FROM b', '(NOT (a <=> b))'],
    ['a IS TRUE', '(a <=> true)'],
    ['a IS NOT FALSE', '(NOT (a <=> false))'],
    ['a IS UNKNOWN', '(a IS NULL)'],
    ['a == 1', '(a = 1)'],
    ['a <> 1', '(NOT (a = 1))'],
    ['a != 1', '(NOT (a = 1))'],
    ['a <=> NULL', '(a <=> NULL)'],
    ["w LIKE 'a%' ESCAPE '!'", "w LIKE a% ESCAPE '!'"],
    ["w NOT LIKE 'a%'", '(NOT w LIKE a%)'],
    ["w ILIKE 'A%'", 'ilike(w, A%)'],
    ["w RLIKE '^a'", 'RLIKE(w, ^a)'],
    ["w NOT REGEXP '^a'", '(NOT RLIKE(w, ^a))'],
    ['1 << 2', '(1 << 2)'],
    ['a::int + 1', '(CAST(a AS INT) + 1)'],
    ['-a::int', '(- CAST(a AS INT))'],
    ["ts + INTERVAL '1' DAY", "ts + INTERVAL '1' DAY"],
  ])('%s → %s', (text, expected) => {
    expect(pretty(text)).toBe(expected);
  });
});

describe('CASE, CAST, calls', () => {
  it('parses searched and simple CASE', () => {
    expect(pretty("CASE WHEN a > 1 THEN 'x' WHEN a > 0 THEN 'y' ELSE 'z' END")).toBe('CASE WHEN (a > 1) THEN x WHEN (a > 0) THEN y ELSE z END');
    expect(pretty('CASE a WHEN 1 THEN 2 END')).toBe('CASE WHEN (a = 1) THEN 2 END');
  });

  it('parses CAST, TRY_CAST and :: with complex types', () => {
    expect(parseExpression('CAST(a AS DECIMAL(10, 2))')).toMatchObject({ kind: 'cast', to: { precision: 10, scale: 2 } });
    expect(pretty('CAST(a AS ARRAY<STRUCT<x: INT, y: MAP<STRING, BIGINT>>>)')).toBe('CAST(a AS ARRAY<STRUCT<x: INT, y: MAP<STRING, BIGINT>>>)');
    expect(pretty('TRY_CAST(a AS INT)')).toBe('TRY_CAST(a AS INT)');
    expect(pretty('a::array<int>')).toBe('CAST(a AS ARRAY<INT>)');
    expect(pretty('a::int::string')).toBe('CAST(CAST(a AS INT) AS STRING)');
  });

  it('parses count(*), DISTINCT, IGNORE NULLS', () => {
    expect(parseExpression('count(*)')).toEqual({ kind: 'call', name: 'count', args: [], distinct: false, star: true });
    expect(parseExpression('COUNT(DISTINCT a, b)')).toMatchObject({ kind: 'call', name: 'count', distinct: true });
    expect(parseExpression('first(a) IGNORE NULLS')).toMatchObject({ kind: 'call', name: 'first', args: [{}, { value: true }] });
    expect(parseExpression('last(a IGNORE NULLS)')).toMatchObject({ kind: 'call', name: 'last', args: [{}, { value: true }] });
    expect(parseExpression('count(distinct)')).toMatchObject({ kind: 'call', distinct: false, args: [{ kind: 'column', name: 'distinct' }] });
  });

  it('parses the special call forms', () => {
    expect(pretty('substring(w FROM 2 FOR 3)')).toBe('substring(w, 2, 3)');
    expect(pretty("trim(BOTH 'x' FROM w)")).toBe('TRIM(BOTH x FROM w)');
    expect(pretty("trim(LEADING 'x' FROM w)")).toBe('TRIM(LEADING x FROM w)');
    expect(pretty('trim(TRAILING FROM w)')).toBe('rtrim(w)');
    expect(pretty('extract(YEAR FROM ts)')).toBe('extract(YEAR FROM ts)');
    expect(pretty('struct(a, b AS c)')).toBe('struct(a, b AS c)');
    expect(pretty('(a, b)')).toBe('named_struct(a, a, b, b)');
    expect(pretty('current_timestamp')).toBe('current_timestamp()');
    expect(pretty('CURRENT_DATE')).toBe('current_date()');
  });

  it('rejects what weir does not support with a syntax error', () => {
    expect(parseError('a IN (SELECT 1)').message).toContain('subqueries are not supported');
    expect(parseError('sum(a) OVER (PARTITION BY b)').message).toContain('window functions');
    expect(parseError('transform(xs, x -> x + 1)').message).toContain('lambda');
    expect(parseError('a = ?').message).toContain('parameter markers');
  });
});

describe('aliases', () => {
  it.each([
    ['count(*) AS n', 'n'],
    ['count(*) n', 'n'],
    ['a AS `weird name`', 'weird name'],
    ['a `b`', 'b'],
    ['upper(word) w', 'w'],
  ])('%s is named %s', (text, name) => {
    expect(outputName(parseExpression(text))).toBe(name);
  });

  it('parses a multi-alias for generators', () => {
    expect(parseExpression('explode(m) AS (k, v)')).toMatchObject({ kind: 'alias', names: ['k', 'v'] });
  });

  it('parses lists and sort orders', () => {
    expect(parseExpressionList('a, b AS c, count(*)').map(outputName)).toEqual(['a', 'c', 'count(1)']);
    expect(parseSortOrder('a DESC')).toMatchObject({ kind: 'sortOrder', ascending: false, nullsFirst: false });
    expect(parseSortOrder('a')).toMatchObject({ kind: 'sortOrder', ascending: true, nullsFirst: true });
    expect(parseSortOrder('a ASC NULLS LAST')).toMatchObject({ ascending: true, nullsFirst: false });
  });
});

describe('errors: Spark text and positions', () => {
  it.each([
    ['a +', 'end of input', 3],
    ['(a', 'end of input', 2],
    ['a + + + ', 'end of input', 8],
    ['a b c', "'c': extra input 'c'", 4],
    ['SELECT 1', "'1': extra input '1'", 7],
    ["'abc", "'''", 0],
    ['a BETWEEN 1', 'end of input', 11],
    ['f(a,', 'end of input', 4],
    ['a = = b', "'='", 4],
    ['CASE WHEN a END', "'END'", 12],
    ['a $ b', "'$'", 2],
  ])('%s fails at or near %s, position %d', (text, near, position) => {
    const e = parseError(text);
    expect(e.message.split('\n')[0]).toBe(`[PARSE_SYNTAX_ERROR] Syntax error at or near ${near}. SQLSTATE: 42601 (line 1, pos ${position})`);
    expect(e.context.position).toBe(position);
    expect(e.context.text).toBe(text);
  });

  it('shows the == SQL == block with carets', () => {
    expect(parseError('a +').message).toBe('[PARSE_SYNTAX_ERROR] Syntax error at or near end of input. SQLSTATE: 42601 (line 1, pos 3)\n\n== SQL ==\na +\n---^^^\n');
  });

  it('counts lines and positions on later lines', () => {
    const e = parseError('a +\n  ) b');
    expect(e.message.split('\n')[0]).toContain("at or near ')'");
    expect(e.message.split('\n')[0]).toContain('(line 2, pos 2)');
    expect(e.context.position).toBe(6);
  });

  it('reports an empty statement', () => {
    expect(parseError('').message).toContain('[PARSE_EMPTY_STATEMENT]');
    expect(parseError('  -- just a comment').message).toContain('[PARSE_EMPTY_STATEMENT]');
  });

  it('reports unsupported types at the type', () => {
    const e = parseError('CAST(a AS foo)');
    expect(e.message).toBe('[UNSUPPORTED_DATATYPE] Unsupported data type "FOO". SQLSTATE: 0A000\n== SQL (line 1, position 11) ==\nCAST(a AS foo)\n          ^^^\n');
  });

  it('reports unclosed comments and backquotes', () => {
    expect(parseError('a /* b').message).toContain('[UNCLOSED_BRACKETED_COMMENT]');
    expect(parseError('`a').context.position).toBe(0);
  });

  it('limits nesting instead of overflowing the stack', () => {
    const deep = `${'('.repeat(MAX_DEPTH + 10)}a${')'.repeat(MAX_DEPTH + 10)}`;
    expect(parseError(deep).message).toContain(`deeper than ${MAX_DEPTH}`);
    const nestedChain = `${'(a + '.repeat(MAX_DEPTH + 10)}a${')'.repeat(MAX_DEPTH + 10)}`;
    expect(parseError(nestedChain).message).toContain(`deeper than ${MAX_DEPTH}`);
    // A flat chain is not deep (issue #16 item 13): it parses whatever its length.
    const longChain = Array.from({ length: MAX_DEPTH + 10 }, () => 'a').join(' + ');
    expect(() => parseExpression(longChain)).not.toThrow();
  });

  it('rejects a non-string input with PARSE_ERROR', () => {
    expect(() => parseExpression(42 as unknown as string)).toThrow(WeirError);
  });
});

describe('comments and whitespace', () => {
  it('skips -- and nested /* */ comments', () => {
    expect(pretty('a -- trailing\n + 1')).toBe('(a + 1)');
    expect(pretty('/* a /* nested */ comment */ a')).toBe('a');
  });
});

describe('ExpressionParser (for statement parsers)', () => {
  it('parses an expression embedded in a longer text and stops at the next keyword', () => {
    const p = new ExpressionParser('a + 1 AS x, b FROM t');
    const items: Expr[] = [p.parseNamedExpression()];
    while (p.acceptOp(',')) items.push(p.parseNamedExpression());
    expect(items.map(outputName)).toEqual(['x', 'b']);
    expect(p.isWord('FROM')).toBe(true);
    p.expectWord('FROM');
    expect(p.identifier()).toBe('t');
    p.expectEnd();
  });

  it('exposes tokens with exact ranges', () => {
    const tokens = tokenize("a+'b c'");
    expect(tokens.map((t) => [t.kind, t.start, t.end])).toEqual([
      ['ident', 0, 1],
      ['op', 1, 2],
      ['string', 2, 7],
      ['eof', 7, 7],
    ]);
  });
});
