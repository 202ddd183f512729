/**
 * The statement parser of `session.sql` (`lib/sql/dataframe/parseSelect.ts`): its grammar, Spark's syntax errors
 * at the offending token, the shapes it reports as unsupported, and two properties: a generated SELECT (over
 * generated identifiers, literals and aggregates, with random keyword case, comments and quoting) parses into
 * the AST it was printed from; any text either parses or fails with a WeirError.
 */
import fc from 'fast-check';
import { parseSelect, type SelectStatement } from '../../lib/sql/dataframe/parseSelect';
import type { BinaryOp, Expr, SortOrderExpr } from '../../lib/sql/expr/Expr';
import { columnRef, NOT_AN_ALIAS, parseExpression } from '../../lib/sql/expr/parseExpression';
import { literalOf } from '../../lib/sql/expr/typeSupport';
import { WeirError } from '../../lib/errors';

const col = (...parts: string[]): Expr => columnRef(parts);
const STAR: Expr = { kind: 'column', name: '*', parts: ['*'] };
const sort = (child: Expr, ascending = true, nullsFirst = ascending): SortOrderExpr => ({ kind: 'sortOrder', child, ascending, nullsFirst });

function failure(sql: string): WeirError {
  try {
    parseSelect(sql);
  } catch (e) {
    expect(e).toBeInstanceOf(WeirError);
    return e as WeirError;
  }
  throw new Error(`expected ${JSON.stringify(sql)} to fail`);
}

describe('parseSelect: the grammar', () => {
  it('SELECT items FROM table, with every clause', () => {
    expect(parseSelect('SELECT city, count(*) AS n FROM people WHERE age > 1 GROUP BY city HAVING count(*) > 1 ORDER BY city DESC LIMIT 5')).toEqual({
      distinct: false,
      items: [col('city'), { kind: 'alias', name: 'n', child: { kind: 'call', name: 'count', args: [], distinct: false, star: true } }],
      from: { parts: ['people'] },
      where: parseExpression('age > 1'),
      groupBy: [col('city')],
      having: parseExpression('count(*) > 1'),
      orderBy: [sort(col('city'), false)],
      limit: 5,
    } satisfies SelectStatement);
  });

  it('the smallest statement has no optional clause', () => {
    expect(parseSelect('SELECT * FROM t')).toEqual({ distinct: false, items: [STAR], from: { parts: ['t'] }, groupBy: [], orderBy: [] });
  });

  it('keywords are case-insensitive; a trailing ; and comments are allowed', () => {
    const expected = parseSelect('SELECT a FROM t WHERE b = 1 ORDER BY a LIMIT 1');
    expect(parseSelect('select a from t where b = 1 order by a limit 1;')).toEqual(expected);
    expect(parseSelect('SeLeCt a -- the column\nFROM /* a /* nested */ comment */ t\nWHERE b = 1 ORDER\tBY a LiMiT 1 ; -- done')).toEqual(expected);
  });

  it('DISTINCT and ALL', () => {
    expect(parseSelect('SELECT DISTINCT a, b FROM t').distinct).toBe(true);
    expect(parseSelect('SELECT ALL a FROM t')).toEqual(parseSelect('SELECT a FROM t'));
    expect(parseSelect('SELECT DISTINCT(a) FROM t')).toMatchObject({ distinct: true, items: [col('a')] });
    expect(parseSelect('SELECT DISTINCT * FROM t')).toMatchObject({ distinct: true, items: [STAR] });
    // The word alone is a column, as in Spark.
    expect(parseSelect('SELECT all FROM t')).toMatchObject({ distinct: false, items: [col('all')] });
    expect(parseSelect('SELECT distinct, b FROM t')).toMatchObject({ distinct: false, items: [col('distinct'), col('b')] });
  });

  it('* and t.*', () => {
    expect(parseSelect('SELECT *, t.*, `my t`.* FROM t').items).toEqual([
      STAR,
      { kind: 'column', name: 't.*', parts: ['t', '*'] },
      { kind: 'column', name: '`my t`.*', parts: ['my t', '*'] },
    ]);
  });

  it('aliases with and without AS, backquoted ones included', () => {
    expect(parseSelect('SELECT a AS x, b y, c AS `the c`, d `d``s`, e FROM t').items).toEqual([
      { kind: 'alias', name: 'x', child: col('a') },
      { kind: 'alias', name: 'y', child: col('b') },
      { kind: 'alias', name: 'the c', child: col('c') },
      { kind: 'alias', name: 'd`s', child: col('d') },
      col('e'),
    ]);
  });

  it('table names: backquoted, qualified, with an alias with or without AS', () => {
    expect(parseSelect('SELECT a FROM `my table`').from).toEqual({ parts: ['my table'] });
    expect(parseSelect('SELECT a FROM db.t').from).toEqual({ parts: ['db', 't'] });
    expect(parseSelect('SELECT p.a FROM people p').from).toEqual({ parts: ['people'], alias: 'p' });
    expect(parseSelect('SELECT p.a FROM people AS `p`').from).toEqual({ parts: ['people'], alias: 'p' });
    // A clause keyword after the table is the clause, not an alias.
    for (const next of ['WHERE a', 'GROUP BY a', 'HAVING a', 'ORDER BY a', 'LIMIT 1']) {
      expect(parseSelect(`SELECT a FROM t ${next}`).from).toEqual({ parts: ['t'] });
    }
  });

  it('time, date and timestamp alone are columns; window.end is a field', () => {
    expect(parseSelect('SELECT time, date, timestamp FROM t WHERE time = 1 ORDER BY date').items).toEqual([col('time'), col('date'), col('timestamp')]);
    expect(parseSelect('SELECT time, date FROM t ORDER BY timestamp').orderBy).toEqual([sort(col('timestamp'))]);
    expect(parseSelect("SELECT window.start, window.end FROM t WHERE s = 'x.end' ORDER BY window.end").items).toEqual([col('window', 'start'), col('window', 'end')]);
    // ... while typed literals keep their meaning.
    expect(parseSelect("SELECT a FROM t WHERE d = DATE '2024-01-01'").where).toEqual(parseExpression("d = DATE '2024-01-01'"));
  });

  it('ORDER BY keys with ASC/DESC and NULLS FIRST/LAST (Spark defaults: ASC NULLS FIRST, DESC NULLS LAST)', () => {
    expect(parseSelect('SELECT a FROM t ORDER BY a, b ASC, c DESC, d NULLS LAST, e DESC NULLS FIRST, f ASC NULLS LAST').orderBy).toEqual([
      sort(col('a'), true, true),
      sort(col('b'), true, true),
      sort(col('c'), false, false),
      sort(col('d'), true, false),
      sort(col('e'), false, true),
      sort(col('f'), true, false),
    ]);
  });

  it('GROUP BY expressions and positions, LIMIT n and LIMIT ALL', () => {
    expect(parseSelect("SELECT count(*) FROM t GROUP BY window(ts, '10 minutes'), 2, upper(a)").groupBy).toEqual([
      parseExpression("window(ts, '10 minutes')"),
      literalOf(2),
      parseExpression('upper(a)'),
    ]);
    expect(parseSelect('SELECT a FROM t LIMIT 0').limit).toBe(0);
    expect(parseSelect('SELECT a FROM t LIMIT -1').limit).toBe(-1);
    expect(parseSelect('SELECT a FROM t LIMIT ALL')).not.toHaveProperty('limit');
  });

  it('expressions are those of expr(): the same trees', () => {
    const items = ['x::int', "CASE WHEN a > 1 THEN 'big' ELSE 'small' END", 'a IS DISTINCT FROM b', 'count(DISTINCT a)', 'INTERVAL 10 SECONDS', "s RLIKE '^a'", '`weird col`.f[0]'];
    expect(parseSelect(`SELECT ${items.join(', ')} FROM t`).items).toEqual(items.map((i) => parseExpression(i)));
  });
});

describe('parseSelect: syntax errors', () => {
  it.each([
    ['SELECT name FROM people WHERE', 'end of input', 29],
    ['SELECT name FROM', 'end of input', 16],
    ['SELECT FROM people', "'FROM'", 7],
    ['SELECT a, FROM t', "'FROM'", 10],
    ['SELECT a FROM t ORDER a', "'a'", 22],
    ['SELECT a FROM t GROUP a', "'a'", 22],
    ['SELECT a FROM t ORDER BY a NULLS', 'end of input', 32],
    ['SELECT a FROM t ORDER BY a NULLS MIDDLE', "'MIDDLE'", 33],
    ['SELECT a b c FROM t', "'c'", 11],
    ['SELECT a FROM t WHERE a = ', 'end of input', 26],
    ['SELECT (a FROM t', "'FROM'", 10],
    ['SELEC a FROM t', "'SELEC'", 0],
  ])('%s → at or near %s', (sql, near, position) => {
    const e = failure(sql);
    expect(e.code).toBe('PARSE_ERROR');
    expect(e.message.split('\n')[0]).toBe(`[PARSE_SYNTAX_ERROR] Syntax error at or near ${near}. SQLSTATE: 42601 (line 1, pos ${position})`);
    expect(e.context).toMatchObject({ sql, position });
  });

  it('a clause out of order is extra input, with Spark\'s hint', () => {
    const e = failure('SELECT a FROM t LIMIT 1 WHERE a > 1');
    expect(e.message.split('\n')[0]).toBe("[PARSE_SYNTAX_ERROR] Syntax error at or near 'WHERE': extra input 'WHERE'. SQLSTATE: 42601 (line 1, pos 24)");
  });

  it('the message carries Spark\'s == SQL == block with a caret under the token, on the token\'s line', () => {
    const sql = 'SELECT a\nFROM t\nORDER a';
    expect(failure(sql).message).toBe(`[PARSE_SYNTAX_ERROR] Syntax error at or near 'a'. SQLSTATE: 42601 (line 3, pos 6)\n\n== SQL ==\nSELECT a\nFROM t\nORDER a\n------^^^\n`);
  });

  it('errors of the expression parser and the lexer carry the SQL too', () => {
    expect(failure("SELECT a FROM t WHERE a = 'open").context).toMatchObject({ sql: "SELECT a FROM t WHERE a = 'open", position: 26 });
    expect(failure('SELECT a FROM t /* unclosed').message).toMatch(/^\[UNCLOSED_BRACKETED_COMMENT\]/);
    expect(failure("SELECT a FROM t WHERE d = DATE 'nope'").message).toMatch(/^\[INVALID_TYPED_LITERAL\]/);
    expect(failure("SELECT a FROM t WHERE d = DATE 'nope'").context).toMatchObject({ sql: "SELECT a FROM t WHERE d = DATE 'nope'" });
  });

  it('an empty statement is Spark\'s PARSE_EMPTY_STATEMENT', () => {
    for (const sql of ['', '   ', '-- nothing', ';']) {
      const e = failure(sql);
      expect(e.code).toBe('PARSE_ERROR');
      expect(e.message).toBe('[PARSE_EMPTY_STATEMENT] Syntax error, unexpected empty statement. SQLSTATE: 42617');
    }
  });

  it('a non-string is an INVALID_ARGUMENT', () => {
    expect(() => parseSelect(42 as unknown as string)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('parseSelect: what session.sql does not support is UNSUPPORTED_OPERATION', () => {
  it.each([
    ['INSERT INTO t VALUES (1)', /^Only a single SELECT statement is supported by session\.sql\(\), got INSERT/],
    ['CREATE TABLE t (a INT)', /^Only a single SELECT statement/],
    ['SELECT 1; SELECT 2', /several statements/],
    ['WITH x AS (SELECT 1) SELECT * FROM x', /^Common table expressions/],
    ['SELECT * FROM (SELECT * FROM t)', /^Subqueries are not supported/],
    ['SELECT a FROM t WHERE a IN (SELECT b FROM u)', /^Subqueries are not supported/],
    ['SELECT a FROM t WHERE EXISTS (SELECT 1 FROM u)', /^Subqueries are not supported/],
    ['SELECT * FROM a JOIN b ON a.k = b.k', /FROM exactly one table or view/],
    ['SELECT * FROM a x LEFT OUTER JOIN b y ON x.k = y.k', /FROM exactly one table or view/],
    ['SELECT * FROM a, b', /FROM exactly one table or view/],
    ['SELECT 1 + 1', /FROM exactly one table or view/],
    ['SELECT * FROM range(10)', /^Table-valued functions/],
    ['SELECT * FROM t AS x(a, b)', /^Column aliases of a table/],
    ['SELECT a FROM t UNION ALL SELECT a FROM u', /^Set operations \(UNION\)/],
    ['SELECT a FROM t EXCEPT SELECT a FROM u', /^Set operations \(EXCEPT\)/],
    ['SELECT 1 UNION SELECT 2', /^Set operations \(UNION\)/],
    ['SELECT a FROM t LIMIT 2 OFFSET 1', /^OFFSET is not supported/],
    ['SELECT a FROM t SORT BY a', /^SORT BY is not supported/],
    ['SELECT a, count(*) FROM t GROUP BY ROLLUP(a)', /ROLLUP\/CUBE/],
    ['SELECT a, count(*) FROM t GROUP BY a WITH CUBE', /ROLLUP\/CUBE/],
    ['SELECT a, count(*) FROM t GROUP BY GROUPING SETS ((a))', /GROUPING SETS/],
    ['SELECT a FROM t LIMIT 1 + 1', /integer literal \(or ALL\) as the LIMIT, got \(1 \+ 1\)/],
    ["SELECT a FROM t LIMIT '1'", /integer literal/],
  ])('%s', (sql, message) => {
    const e = failure(sql);
    expect(e.code).toBe('UNSUPPORTED_OPERATION');
    expect(e.message).toMatch(message);
    expect(e.context).toMatchObject({ sql });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The round-trip property: generated statement ASTs, printed as SQL, parse back to themselves.

/** Words the printer backquotes when they would not be read as a plain name. */
const KEYWORDS = new Set([
  ...NOT_AN_ALIAS,
  'SELECT', 'DISTINCT', 'ALL', 'NULL', 'TRUE', 'FALSE', 'CASE', 'CURRENT_DATE', 'CURRENT_TIMESTAMP', 'INTERVAL',
]);
const NOT_A_TABLE_ALIAS = new Set([...KEYWORDS, 'NATURAL', 'WINDOW', 'OFFSET', 'TABLESAMPLE', 'PIVOT', 'UNPIVOT']);
const PLAIN = /^[A-Za-z_][A-Za-z0-9_]*$/;

const quote = (name: string): string => `\`${name.replace(/`/g, '``')}\``;
/** A name as the first (or only) part, or as an alias: backquoted unless it is a plain non-keyword word. */
const nameText = (name: string, reserved: ReadonlySet<string> = KEYWORDS): string => (PLAIN.test(name) && !reserved.has(name.toUpperCase()) ? name : quote(name));
/** A part after a dot: any plain word may follow (`window.end`). */
const fieldText = (name: string): string => (PLAIN.test(name) ? name : quote(name));
const partsText = (parts: readonly string[]): string => [nameText(parts[0]!), ...parts.slice(1).map(fieldText)].join('.');

/** A generated expression: the tree and its SQL text. */
interface Gen {
  readonly expr: Expr;
  readonly text: string;
}

const identifier = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,7}$/) },
  { weight: 2, arbitrary: fc.constantFrom('time', 'date', 'timestamp', 'window', 'start', 'end', 'count', 'value', 'key', 'order', 'from', 'all', 'as') },
  // Any text, backquoted; not `*`, which columnRef (and so the expression parser) reads as a star, not a name.
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 6 }).filter((s) => s !== '*') },
);

const column: fc.Arbitrary<Gen> = fc.array(identifier, { minLength: 1, maxLength: 3 }).map((parts) => ({ expr: columnRef(parts), text: partsText(parts) }));

const literal: fc.Arbitrary<Gen> = fc.oneof(
  fc.integer({ min: -2147483648, max: 2147483647 }).map((n) => ({ expr: literalOf(n), text: String(n) })),
  fc.string({ maxLength: 8 }).map((s) => ({ expr: literalOf(s), text: `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` })),
  fc.constantFrom(true, false, null).map((v) => ({ expr: literalOf(v), text: String(v).toUpperCase() })),
);

const aggregate: fc.Arbitrary<Gen> = fc.oneof(
  fc.constantFrom('count', 'COUNT', 'Count').map((name) => ({ expr: { kind: 'call', name: 'count', args: [], distinct: false, star: true } as Expr, text: `${name}(*)` })),
  fc
    .tuple(fc.constantFrom('count', 'sum', 'min', 'max', 'avg', 'first', 'SUM', 'Max'), fc.boolean(), fc.oneof(column, literal))
    .map(([name, distinct, arg]) => {
      const lower = name.toLowerCase();
      const expr = { kind: 'call', name: lower, args: [arg.expr], distinct, ...(name === lower ? {} : { written: name }) } as Expr;
      return { expr, text: `${name}(${distinct ? 'DISTINCT ' : ''}${arg.text})` };
    }),
);

const BINARY_OPS: readonly BinaryOp[] = ['=', '<', '>', '<=', '>=', '<>', '!=', '+', '-', '*', '/', '%', 'AND', 'OR'];

/** Operands are parenthesized, so the tree does not depend on precedence; `(x)` parses to `x` itself. */
const expression: fc.Arbitrary<Gen> = fc.letrec<{ e: Gen }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    column,
    literal,
    aggregate,
    fc.tuple(tie('e'), fc.constantFrom(...BINARY_OPS), tie('e')).map(([l, op, r]) => ({
      expr: { kind: 'binary', op, left: l.expr, right: r.expr } as Expr,
      text: `(${l.text}) ${op} (${r.text})`,
    })),
  ),
})).e;

/** Statement pieces whose printing varies (keyword case, separators, AS or not, ASC or nothing). */
interface Printed {
  readonly ast: SelectStatement;
  readonly sql: string;
}

const keywordCase = fc.constantFrom<(w: string) => string>((w) => w, (w) => w.toLowerCase(), (w) => w[0] + w.slice(1).toLowerCase());
const separator = fc.constantFrom(' ', '  ', '\n', '\t', ' /* c */ ', ' -- c\n', '\r\n');

const selectItem: fc.Arbitrary<{ expr: Expr; text: string }> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ expr: STAR, text: '*' }) },
  {
    weight: 6,
    arbitrary: fc.tuple(expression, fc.option(fc.tuple(identifier, fc.boolean()), { nil: undefined })).map(([e, alias]) =>
      alias === undefined
        ? e
        : { expr: { kind: 'alias', child: e.expr, name: alias[0] } as Expr, text: `${e.text}${alias[1] ? ' AS ' : ' '}${nameText(alias[0])}` },
    ),
  },
);

const sortItem = fc
  .tuple(expression, fc.constantFrom('', 'ASC', 'DESC'), fc.constantFrom('', 'NULLS FIRST', 'NULLS LAST'))
  .map(([e, dir, nulls]) => {
    const ascending = dir !== 'DESC';
    const nullsFirst = nulls === '' ? ascending : nulls === 'NULLS FIRST';
    return { expr: sort(e.expr, ascending, nullsFirst), text: e.text, dir, nulls };
  });

const statement: fc.Arbitrary<Printed> = fc
  .record({
    quantifier: fc.constantFrom('', 'DISTINCT', 'ALL'),
    items: fc.array(selectItem, { minLength: 1, maxLength: 4 }),
    qualifiedStar: fc.boolean(),
    table: fc.array(identifier, { minLength: 1, maxLength: 2 }),
    alias: fc.option(fc.tuple(identifier, fc.boolean()), { nil: undefined }),
    where: fc.option(expression, { nil: undefined }),
    groupBy: fc.array(expression, { maxLength: 3 }),
    having: fc.option(expression, { nil: undefined }),
    orderBy: fc.array(sortItem, { maxLength: 3 }),
    limit: fc.option(fc.oneof(fc.nat({ max: 1000 }), fc.constant('ALL' as const)), { nil: undefined }),
    semicolon: fc.boolean(),
    cases: fc.array(keywordCase, { minLength: 1, maxLength: 8 }),
    separators: fc.array(separator, { minLength: 1, maxLength: 8 }),
  })
  .map((g) => {
    let k = 0;
    const kw = (w: string): string => w.split(' ').map((x) => g.cases[k++ % g.cases.length]!(x)).join(' ');
    const out: string[] = [];
    const emit = (s: string): void => {
      if (out.length > 0) out.push(g.separators[k++ % g.separators.length]!);
      out.push(s);
    };
    const qualifier = g.alias?.[0] ?? g.table[g.table.length - 1]!;
    const items = [...g.items];
    if (g.qualifiedStar) items.push({ expr: { kind: 'column', name: `${columnRef([qualifier]).name}.*`, parts: [qualifier, '*'] }, text: `${nameText(qualifier)}.*` });

    emit(kw('SELECT'));
    if (g.quantifier !== '') emit(kw(g.quantifier));
    emit(items.map((i) => i.text).join(', '));
    emit(kw('FROM'));
    emit(partsText(g.table));
    if (g.alias !== undefined) emit(g.alias[1] ? `${kw('AS')} ${nameText(g.alias[0])}` : nameText(g.alias[0], NOT_A_TABLE_ALIAS));
    if (g.where !== undefined) emit(`${kw('WHERE')} ${g.where.text}`);
    if (g.groupBy.length > 0) emit(`${kw('GROUP BY')} ${g.groupBy.map((e) => e.text).join(', ')}`);
    if (g.having !== undefined) emit(`${kw('HAVING')} ${g.having.text}`);
    if (g.orderBy.length > 0) emit(`${kw('ORDER BY')} ${g.orderBy.map((o) => [o.text, o.dir, o.nulls].filter((w) => w !== '').map((w, i) => (i === 0 ? w : kw(w))).join(' ')).join(', ')}`);
    if (g.limit !== undefined) emit(`${kw('LIMIT')} ${g.limit === 'ALL' ? kw('ALL') : g.limit}`);
    if (g.semicolon) out.push(';');

    const ast: SelectStatement = {
      distinct: g.quantifier === 'DISTINCT',
      items: items.map((i) => i.expr),
      from: g.alias === undefined ? { parts: g.table } : { parts: g.table, alias: g.alias[0] },
      ...(g.where === undefined ? {} : { where: g.where.expr }),
      groupBy: g.groupBy.map((e) => e.expr),
      ...(g.having === undefined ? {} : { having: g.having.expr }),
      orderBy: g.orderBy.map((o) => o.expr),
      ...(typeof g.limit === 'number' ? { limit: g.limit } : {}),
    };
    return { ast, sql: out.join('') };
  });

describe('parseSelect: properties', () => {
  it('a printed SELECT parses into the AST it was printed from', () => {
    fc.assert(
      fc.property(statement, ({ ast, sql }) => {
        expect(parseSelect(sql)).toEqual(ast);
      }),
      { numRuns: 1000 },
    );
  });

  it('any text parses or fails with a WeirError (never another error)', () => {
    const tokens = fc.constantFrom('SELECT', 'FROM', 'WHERE', 'GROUP', 'BY', 'ORDER', 'LIMIT', 'HAVING', 'DISTINCT', 'NULLS', 'a', 't', '*', ',', '.', '(', ')', ';', "'s'", '`q`', '1', '--', '/*', '*/', 'JOIN', 'UNION', 'AS');
    const text = fc.oneof(fc.string(), fc.array(tokens, { maxLength: 20 }).map((ts) => ts.join(' ')));
    fc.assert(
      fc.property(text, (sql) => {
        try {
          parseSelect(sql);
        } catch (e) {
          expect(e).toBeInstanceOf(WeirError);
          expect(['PARSE_ERROR', 'UNSUPPORTED_OPERATION']).toContain((e as WeirError).code);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
