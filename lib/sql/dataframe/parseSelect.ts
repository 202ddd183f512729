/**
 * The statement parser of `session.sql`: the single-table SELECT subset of Spark 4's `SqlBaseParser.g4`
 * (`regularQuerySpecification` with its `queryOrganization`), returning a small AST that `sqlQuery.ts` plans as
 * DataFrame calls.
 *
 *   SELECT [DISTINCT | ALL] item, ... FROM name[.name...] [[AS] alias]
 *     [WHERE cond] [GROUP BY expr, ...] [HAVING cond]
 *     [ORDER BY expr [ASC | DESC] [NULLS FIRST | LAST], ...] [LIMIT n | LIMIT ALL] [;]
 *
 * An item is `*`, `t.*` or `expr [[AS] alias]`. Keywords are case-insensitive; `--` and (nesting) `/* *\/`
 * comments and string/identifier lexing are `lexer.ts`'s, and every expression is parsed by the one
 * `ExpressionParser` over the same tokens, so `time`, `date` and `timestamp` are columns and `window.end` a
 * field exactly as in `expr()`.
 *
 * Invariants: parsing is pure and never evaluates anything; the result is plain, immutable data. A syntax error
 * is a PARSE_ERROR with Spark's `[PARSE_SYNTAX_ERROR] Syntax error at or near '<token>'` text and position block;
 * a statement Spark has but weir does not plan (other statements, CTEs, joins, subqueries, set operations,
 * OFFSET, several statements, ...) is an UNSUPPORTED_OPERATION. Every error's context holds the SQL (`sql`).
 */
import { ErrorCodes, WeirError } from '../../errors';
import type { Expr, SortOrderExpr } from '../expr/Expr';
import { emptyStatement, ExpressionParser, NOT_AN_ALIAS } from '../expr/parseExpression';
import { prettySql } from '../expr/outputName';
import type { Token } from '../expr/lexer';

/** The table of the FROM clause. */
export interface TableRef {
  /** The name parts as written (`['people']`, `['db', 'people']`), backquotes removed. */
  readonly parts: readonly string[];
  /** The table alias, when given (`FROM people p`, `FROM people AS p`). */
  readonly alias?: string;
}

/** A parsed `SELECT` statement. Expressions are unresolved `Expr` trees, as `expr()` builds them. */
export interface SelectStatement {
  readonly distinct: boolean;
  /** The select list: `*` and `t.*` are column nodes named `*` / `t.*`; aliases are `alias` nodes. */
  readonly items: readonly Expr[];
  readonly from: TableRef;
  readonly where?: Expr;
  readonly groupBy: readonly Expr[];
  readonly having?: Expr;
  readonly orderBy: readonly SortOrderExpr[];
  /** The LIMIT row count; absent without LIMIT and for `LIMIT ALL`. */
  readonly limit?: number;
}

/** Words Spark starts a statement with (besides SELECT): reported as unsupported rather than as a syntax error. */
const OTHER_STATEMENTS = new Set([
  'ADD', 'ALTER', 'ANALYZE', 'BEGIN', 'CACHE', 'CALL', 'CLEAR', 'COMMENT', 'COMMIT', 'CREATE', 'DECLARE', 'DELETE',
  'DESC', 'DESCRIBE', 'DROP', 'EXECUTE', 'EXPLAIN', 'FROM', 'GRANT', 'INSERT', 'LIST', 'LOAD', 'MAP', 'MERGE', 'MSCK',
  'REDUCE', 'REFRESH', 'REPAIR', 'REPLACE', 'RESET', 'REVOKE', 'ROLLBACK', 'SET', 'SHOW', 'TABLE', 'TRUNCATE',
  'UNCACHE', 'UPDATE', 'USE', 'VALUES',
]);

/** Words that may not be a table alias without AS (they start the next clause or a join). */
const NOT_A_TABLE_ALIAS = new Set([...NOT_AN_ALIAS, 'NATURAL', 'WINDOW', 'OFFSET', 'TABLESAMPLE', 'PIVOT', 'UNPIVOT']);

const JOIN_WORDS = new Set(['JOIN', 'INNER', 'LEFT', 'RIGHT', 'FULL', 'CROSS', 'NATURAL', 'SEMI', 'ANTI', 'LATERAL']);
const SET_OPERATIONS = new Set(['UNION', 'EXCEPT', 'INTERSECT', 'MINUS']);
const ONE_TABLE = 'session.sql() supports SELECT ... FROM exactly one table or view (joins come later)';

/**
 * Parses one SELECT statement.
 *
 * @example
 * ```ts
 * parseSelect('SELECT word, count(*) AS n FROM words GROUP BY word ORDER BY n DESC LIMIT 3').limit; // 3
 * ```
 */
export function parseSelect(sql: string): SelectStatement {
  if (typeof sql !== 'string') {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `session.sql() takes a SQL string, got ${typeof sql}`, { context: { sql: String(sql) } });
  }
  try {
    return new SelectParser(sql).statement();
  } catch (e) {
    if (e instanceof WeirError && !('sql' in e.context)) {
      const withSql = new WeirError(e.code, e.message, { context: { ...e.context, sql }, cause: e.cause, retriable: e.retriable });
      if (e.stack !== undefined) withSql.stack = e.stack;
      throw withSql;
    }
    throw e;
  }
}

class SelectParser {
  private readonly p: ExpressionParser;

  constructor(private readonly sql: string) {
    this.p = new ExpressionParser(sql);
  }

  statement(): SelectStatement {
    const p = this.p;
    if (p.atEnd() || (p.isOp(';') && p.peek(1).kind === 'eof')) throw emptyStatement(this.sql);
    if (p.isWord('WITH')) throw this.unsupported('Common table expressions (WITH ... SELECT) are not supported by session.sql()', p.peek());
    this.rejectUnsupportedShapes();
    if (!p.isWord('SELECT')) throw this.notASelect();
    p.next();
    const distinct = this.setQuantifier();
    const items = [this.selectItem()];
    while (p.acceptOp(',')) items.push(this.selectItem());
    if (!p.isWord('FROM')) {
      if (p.atEnd() || p.isOp(';')) throw this.unsupported(ONE_TABLE, p.peek());
      this.rejectUnsupportedClause();
      throw p.fail();
    }
    p.next();
    const from = this.tableRef();
    const where = p.acceptWord('WHERE') ? p.parseExpression() : undefined;
    const groupBy = this.groupBy();
    const having = p.acceptWord('HAVING') ? p.parseExpression() : undefined;
    const orderBy: SortOrderExpr[] = [];
    if (this.acceptPair('ORDER', 'BY')) {
      orderBy.push(this.sortItem());
      while (p.acceptOp(',')) orderBy.push(this.sortItem());
    }
    const limit = this.limit();
    this.end();
    return {
      distinct,
      items,
      from,
      ...(where === undefined ? {} : { where }),
      groupBy,
      ...(having === undefined ? {} : { having }),
      orderBy,
      ...(limit === undefined ? {} : { limit }),
    };
  }

  /**
   * Shapes found before parsing, so that they are reported as unsupported wherever they are: several statements
   * (a `;` with tokens after it) and subqueries (`(` before SELECT, WITH, VALUES or TABLE).
   */
  private rejectUnsupportedShapes(): void {
    const p = this.p;
    for (let k = 0; p.peek(k).kind !== 'eof'; k++) {
      const t = p.peek(k);
      if (t.kind !== 'op') continue;
      if (t.text === ';' && p.peek(k + 1).kind !== 'eof') {
        throw this.unsupported('Only a single SELECT statement is supported by session.sql() (the text has several statements)', p.peek(k + 1));
      }
      if (t.text === '(' && ['SELECT', 'WITH', 'VALUES', 'TABLE'].some((w) => p.isWord(w, k + 1))) {
        throw this.unsupported('Subqueries are not supported by session.sql(); query the table with DataFrame calls instead', p.peek(k + 1));
      }
    }
  }

  private notASelect(): Error {
    const t = this.p.peek();
    const word = t.kind === 'ident' ? t.value.toUpperCase() : '';
    if (OTHER_STATEMENTS.has(word) || this.p.isOp('(')) {
      return this.unsupported(`Only a single SELECT statement is supported by session.sql(), got ${word || t.text} ...`, t);
    }
    return this.p.fail(t);
  }

  /** `DISTINCT` or `ALL` right after SELECT, unless the word is the (only) item, as in `SELECT all FROM t`. */
  private setQuantifier(): boolean {
    const p = this.p;
    if (!p.isWord('DISTINCT') && !p.isWord('ALL')) return false;
    const next = p.peek(1);
    if (next.kind === 'eof' || (next.kind === 'op' && [',', '.', ';'].includes(next.text)) || p.isWord('FROM', 1) || p.isWord('AS', 1)) return false;
    return p.next().value.toUpperCase() === 'DISTINCT';
  }

  private selectItem(): Expr {
    // `SELECT FROM t` / `SELECT a, FROM t`: Spark's parser stops at FROM too (weir would read it as a column).
    if (this.p.isWord('FROM')) throw this.p.fail();
    return this.p.parseNamedExpression();
  }

  private tableRef(): TableRef {
    const p = this.p;
    if (p.isOp('(')) throw this.unsupported(ONE_TABLE, p.peek());
    const parts = [p.identifier()];
    while (p.isOp('.') && (p.peek(1).kind === 'ident' || p.peek(1).kind === 'quoted')) {
      p.next();
      parts.push(p.identifier());
    }
    if (p.isOp('(')) throw this.unsupported(`Table-valued functions (${parts.join('.')}(...)) are not supported by session.sql()`, p.peek());
    let alias: string | undefined;
    if (p.acceptWord('AS')) {
      alias = p.identifier();
    } else {
      const t = p.peek();
      if (t.kind === 'quoted' || (t.kind === 'ident' && !NOT_A_TABLE_ALIAS.has(t.value.toUpperCase()))) alias = p.identifier();
    }
    if (alias !== undefined && p.isOp('(')) throw this.unsupported('Column aliases of a table (FROM t AS a(x, y)) are not supported by session.sql()', p.peek());
    return alias === undefined ? { parts } : { parts, alias };
  }

  private groupBy(): Expr[] {
    const p = this.p;
    if (!this.acceptPair('GROUP', 'BY')) return [];
    const items: Expr[] = [];
    do {
      if ((p.isWord('ROLLUP') || p.isWord('CUBE')) && p.isOp('(', 1)) throw this.unsupported('GROUP BY ROLLUP/CUBE is not supported by session.sql()', p.peek());
      if (p.isWord('GROUPING') && p.isWord('SETS', 1)) throw this.unsupported('GROUP BY GROUPING SETS is not supported by session.sql()', p.peek());
      items.push(p.parseExpression());
    } while (p.acceptOp(','));
    if (p.isWord('WITH') && (p.isWord('ROLLUP', 1) || p.isWord('CUBE', 1))) {
      throw this.unsupported('GROUP BY ... WITH ROLLUP/CUBE is not supported by session.sql()', p.peek());
    }
    return items;
  }

  private sortItem(): SortOrderExpr {
    return this.p.parseSortItem() as SortOrderExpr;
  }

  /** `LIMIT n` (an integer literal) or `LIMIT ALL`; undefined without a limit. */
  private limit(): number | undefined {
    const p = this.p;
    if (!p.acceptWord('LIMIT')) return undefined;
    if (p.acceptWord('ALL')) return undefined;
    const at = p.peek();
    const e = p.parseExpression();
    if (e.kind === 'literal' && e.dataType.typeName === 'integer' && typeof e.value === 'number') return e.value;
    throw this.unsupported(`session.sql() takes an integer literal (or ALL) as the LIMIT, got ${prettySql(e)}`, at);
  }

  /** An optional `;`, then the end; a clause weir does not plan is unsupported, anything else a syntax error. */
  private end(): void {
    const p = this.p;
    p.acceptOp(';');
    if (p.atEnd()) return;
    this.rejectUnsupportedClause();
    p.expectEnd();
  }

  /** Fails with UNSUPPORTED_OPERATION when the next token starts a join, set operation or clause weir does not plan. */
  private rejectUnsupportedClause(): void {
    const p = this.p;
    const t = p.peek();
    const word = t.kind === 'ident' ? t.value.toUpperCase() : '';
    if (p.isOp(',') || JOIN_WORDS.has(word)) throw this.unsupported(ONE_TABLE, t);
    if (SET_OPERATIONS.has(word)) throw this.unsupported(`Set operations (${word}) are not supported by session.sql(); use DataFrame.union`, t);
    if (word === 'OFFSET') throw this.unsupported('OFFSET is not supported by session.sql()', t);
    if (['SORT', 'CLUSTER', 'DISTRIBUTE'].includes(word) && p.isWord('BY', 1)) throw this.unsupported(`${word} BY is not supported by session.sql(); use ORDER BY`, t);
    if (['WINDOW', 'QUALIFY', 'PIVOT', 'UNPIVOT', 'TABLESAMPLE'].includes(word)) throw this.unsupported(`${word} is not supported by session.sql()`, t);
  }

  private acceptPair(first: string, second: string): boolean {
    if (!this.p.isWord(first)) return false;
    this.p.next();
    this.p.expectWord(second);
    return true;
  }

  private unsupported(message: string, at: Token): WeirError {
    return new WeirError(ErrorCodes.UNSUPPORTED_OPERATION, message, { context: { sql: this.sql, position: at.start } });
  }
}
