/**
 * The parser of Spark SQL expression strings (`expr()`, `selectExpr()`, `filter("...")`): a hand-written
 * recursive-descent parser over `lexer.ts` tokens that follows the expression rules of Spark 4's
 * `SqlBaseParser.g4` (booleanExpression, predicate, valueExpression, primaryExpression, constant, interval).
 *
 * Why not a library: `node-sql-parser` (the best-kept JS SQL parser) has no Spark dialect; its Hive/BigQuery/
 * MySQL dialects differ from Spark exactly where this layer needs fidelity (`INTERVAL 10 SECONDS`, `x::int`,
 * `1.5` as a DECIMAL literal, `10L`/`10Y`/`1BD` suffixes, `'a' 'b'` concatenation, `RLIKE`/`REGEXP`, `!` as NOT,
 * `IS DISTINCT FROM`, `count(*)` → `count(1)`, backslash escapes, `a.b.c` resolved later as column or struct
 * field), it parses whole statements rather than one expression, and its PEG errors ("Expected ... but found")
 * have neither Spark's `[PARSE_SYNTAX_ERROR] Syntax error at or near 'x'` text nor a reliable offset. The
 * expression grammar is small (≈ 40 productions); a precedence-climbing parser states Spark's precedence
 * directly and reports exact positions.
 *
 * Invariants: parsing is pure and total: it returns an immutable `Expr` or throws a WeirError PARSE_ERROR whose
 * context has the 0-based `position` and the `text`; nesting deeper than `MAX_DEPTH` is a PARSE_ERROR (never a
 * stack overflow). Precedence, lowest first (Spark's): OR < AND < NOT < predicates (IS, IN, BETWEEN, LIKE) <
 * comparison < `|` < `^` < `&` < shifts < `+ - ||` < `* / % DIV` < unary `- + ~` < postfix (`.`, `[]`, `::`).
 */
import { fragmentBlock, tokenize, syntaxError, type Token } from './lexer';
import { exprError, ExprErrorCodes } from './errorCodes';
import type { BinaryOp, CallExpr, ColumnExpr, Expr } from './Expr';
import {
  dayTimeInterval,
  fieldRange,
  intervalUnit,
  parseUnitToUnit,
  yearMonthInterval,
  type DayTimeField,
  type IntervalField,
  type IntervalParts,
  type YearMonthField,
} from './intervalLiteral';
import { literalOf, sqlTypes, parseTypeText, castLiteralText, type DataType } from './typeSupport';

/** Deepest nesting the parser accepts. */
export const MAX_DEPTH = 500;

/** Words that end an expression: they are never taken as an alias without AS (nor as a table alias by `parseSelect`). */
export const NOT_AN_ALIAS: ReadonlySet<string> = new Set([
  'AND', 'OR', 'NOT', 'IS', 'IN', 'BETWEEN', 'LIKE', 'ILIKE', 'RLIKE', 'REGEXP', 'AS', 'WHEN', 'THEN', 'ELSE', 'END',
  'FROM', 'FOR', 'ESCAPE', 'DIV', 'ASC', 'DESC', 'NULLS', 'OVER', 'FILTER', 'IGNORE', 'RESPECT', 'WITHIN', 'COLLATE',
  'LIMIT', 'ORDER', 'GROUP', 'BY', 'HAVING', 'WHERE', 'UNION', 'EXCEPT', 'INTERSECT', 'MINUS', 'JOIN', 'ON', 'USING',
  'INNER', 'LEFT', 'RIGHT', 'FULL', 'OUTER', 'CROSS', 'SEMI', 'ANTI', 'SORT', 'CLUSTER', 'DISTRIBUTE', 'LATERAL',
  'QUALIFY', 'TO',
]);

const COMPARISON_OPS = new Set(['=', '==', '<=>', '!=', '<>', '<', '<=', '>', '>=']);

/** Binding power of the binary value operators (higher binds tighter), Spark's valueExpression order. */
function binaryPower(token: Token): number {
  if (token.kind === 'op') {
    const t = token.text;
    if (COMPARISON_OPS.has(t)) return 1;
    if (t === '|') return 2;
    if (t === '^') return 3;
    if (t === '&') return 4;
    if (t === '<<' || t === '>>' || t === '>>>') return 5;
    if (t === '+' || t === '-' || t === '||') return 6;
    if (t === '*' || t === '/' || t === '%') return 7;
    return 0;
  }
  if (token.kind === 'ident' && token.value.toUpperCase() === 'DIV') return 7;
  return 0;
}

const SHIFT_FUNCTIONS: Readonly<Record<string, string>> = { '<<': 'shiftleft', '>>': 'shiftright', '>>>': 'shiftrightunsigned' };

/**
 * A parser over one text. Besides the entry points below, a statement parser (e.g. `session.sql`) can drive it
 * token by token with `peek`/`acceptWord`/`expectOp` and parse embedded expressions with `parseExpression`.
 */
export class ExpressionParser {
  private readonly tokens: Token[];
  private index = 0;
  private depth = 0;

  constructor(readonly text: string) {
    if (typeof text !== 'string') {
      throw exprError(ExprErrorCodes.PARSE_ERROR, `An expression must be a string, got ${typeof text}.`, { text: String(text) });
    }
    this.tokens = tokenize(text);
  }

  /** The token `k` ahead of the current one. */
  peek(k = 0): Token {
    return this.tokens[Math.min(this.index + k, this.tokens.length - 1)]!;
  }

  /** True when every token has been consumed. */
  atEnd(): boolean {
    return this.peek().kind === 'eof';
  }

  /** True when the token `k` ahead is the (unquoted, case-insensitive) word `word`. */
  isWord(word: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'ident' && t.value.toUpperCase() === word;
  }

  /** True when the token `k` ahead is the operator `op`. */
  isOp(op: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'op' && t.text === op;
  }

  /** Consumes the word `word` if it is next. */
  acceptWord(word: string): boolean {
    if (!this.isWord(word)) return false;
    this.index += 1;
    return true;
  }

  /** Consumes the operator `op` if it is next. */
  acceptOp(op: string): boolean {
    if (!this.isOp(op)) return false;
    this.index += 1;
    return true;
  }

  expectWord(word: string): void {
    if (!this.acceptWord(word)) throw this.fail();
  }

  expectOp(op: string): void {
    if (!this.acceptOp(op)) throw this.fail();
  }

  /** Consumes and returns the next token. */
  next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.index += 1;
    return t;
  }

  /** Spark's syntax error at the next token (or `token`). */
  fail(token: Token = this.peek(), hint = ''): Error {
    return syntaxError(this.text, token.start, token.kind === 'eof' ? null : token.text, hint);
  }

  /** Fails unless every token was consumed. */
  expectEnd(): void {
    if (!this.atEnd()) throw this.fail(this.peek(), `: extra input '${this.peek().text}'`);
  }

  /** `expression [AS] alias` (Spark's namedExpression). */
  parseNamedExpression(): Expr {
    const e = this.parseExpression();
    if (this.acceptWord('AS')) {
      if (this.isOp('(')) return this.multiAlias(e);
      return { kind: 'alias', child: e, name: this.identifier() };
    }
    const t = this.peek();
    if (t.kind === 'quoted' || (t.kind === 'ident' && !NOT_AN_ALIAS.has(t.value.toUpperCase()) && !/^\d/.test(t.value))) {
      return { kind: 'alias', child: e, name: this.identifier() };
    }
    if (this.isOp('(') && e.kind === 'call') return this.multiAlias(e);
    return e;
  }

  /** `expr [ASC|DESC] [NULLS FIRST|LAST]` (Spark's sortItem). */
  parseSortItem(): Expr {
    const child = this.parseExpression();
    let ascending = true;
    if (this.acceptWord('DESC')) ascending = false;
    else this.acceptWord('ASC');
    let nullsFirst = ascending;
    if (this.acceptWord('NULLS')) {
      if (this.acceptWord('FIRST')) nullsFirst = true;
      else if (this.acceptWord('LAST')) nullsFirst = false;
      else throw this.fail();
    }
    return { kind: 'sortOrder', child, ascending, nullsFirst };
  }

  /** A full expression (Spark's `expression` = booleanExpression). */
  parseExpression(): Expr {
    return this.nested(() => this.parseOr());
  }

  /** An identifier (plain or backquoted); its name. */
  identifier(): string {
    const t = this.peek();
    if (t.kind === 'ident' || t.kind === 'quoted') {
      this.index += 1;
      return t.value;
    }
    throw this.fail();
  }

  private multiAlias(e: Expr): Expr {
    this.expectOp('(');
    const names = [this.identifier()];
    while (this.acceptOp(',')) names.push(this.identifier());
    this.expectOp(')');
    return { kind: 'alias', child: e, name: names.join(', '), names };
  }

  private nested<T>(f: () => T): T {
    this.depth += 1;
    if (this.depth > MAX_DEPTH) {
      throw exprError(
        ExprErrorCodes.PARSE_ERROR,
        `[PARSE_SYNTAX_ERROR] The expression nests deeper than ${MAX_DEPTH} levels, weir's limit.`,
        { position: this.peek().start, text: this.text },
      );
    }
    try {
      return f();
    } finally {
      this.depth -= 1;
    }
  }

  // A flat chain (`a OR b OR ...`, `x + y + ...`) is parsed in a loop and is no deeper for the depth limit than
  // its deepest operand: the compiler evaluates long chains flat (`compile/flatChains.ts`). Only nesting counts.
  private parseOr(): Expr {
    let left = this.parseAnd();
    while (this.acceptWord('OR')) left = { kind: 'binary', op: 'OR', left, right: this.parseAnd() };
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseNot();
    while (this.acceptWord('AND')) left = { kind: 'binary', op: 'AND', left, right: this.parseNot() };
    return left;
  }

  /** Left-associative chains that build calls (shifts) are as deep as they are long: count each link as a level. */
  private nestedChain<T>(chain: number, f: () => T): T {
    this.depth += chain;
    try {
      return this.nested(f);
    } finally {
      this.depth -= chain;
    }
  }

  private parseNot(): Expr {
    if (this.isWord('NOT') || this.isOp('!')) {
      this.index += 1;
      const child = this.nested(() => this.parseNot());
      return { kind: 'unary', op: 'NOT', child };
    }
    return this.parsePredicated();
  }

  private parsePredicated(): Expr {
    const value = this.parseValue(0);
    const start = this.index;
    const negated = this.acceptWord('NOT') || this.acceptOp('!');
    if (this.acceptWord('BETWEEN')) {
      const low = this.parseValue(0);
      this.expectWord('AND');
      const high = this.parseValue(0);
      return { kind: 'between', child: value, low, high, negated };
    }
    if (this.acceptWord('IN')) {
      this.expectOp('(');
      if (this.isWord('SELECT') || this.isWord('WITH') || this.isWord('VALUES')) {
        throw this.fail(this.peek(), ': subqueries are not supported by weir');
      }
      const list = [this.parseExpression()];
      while (this.acceptOp(',')) list.push(this.parseExpression());
      this.expectOp(')');
      return { kind: 'in', child: value, list, negated };
    }
    if (this.acceptWord('RLIKE') || this.acceptWord('REGEXP')) {
      return { kind: 'like', child: value, pattern: this.parseValue(0), negated, rlike: true };
    }
    if (this.isWord('LIKE') || this.isWord('ILIKE')) {
      const ilike = this.next().value.toUpperCase() === 'ILIKE';
      if (this.isWord('ANY') || this.isWord('SOME') || this.isWord('ALL')) {
        throw this.fail(this.peek(), ': LIKE ANY/SOME/ALL is not supported by weir');
      }
      const pattern = this.parseValue(0);
      let escape: string | undefined;
      if (this.acceptWord('ESCAPE')) {
        const t = this.peek();
        if (t.kind !== 'string') throw this.fail();
        this.index += 1;
        if ([...t.value].length !== 1) {
          throw exprError(
            ExprErrorCodes.PARSE_ERROR,
            `[INVALID_ESC] Found an invalid escape string: ${t.value}. The escape string must contain only one character. SQLSTATE: 42604`,
            { position: t.start, text: this.text },
          );
        }
        escape = t.value;
      }
      return {
        kind: 'like',
        child: value,
        pattern,
        negated,
        ...(ilike ? { ilike: true } : {}),
        ...(escape === undefined ? {} : { escape }),
      };
    }
    if (negated) {
      this.index = start;
      return value;
    }
    if (this.acceptWord('IS')) {
      const not = this.acceptWord('NOT') || this.acceptOp('!');
      if (this.acceptWord('NULL')) return { kind: 'isNull', child: value, negated: not };
      if (this.isWord('TRUE') || this.isWord('FALSE') || this.isWord('UNKNOWN')) {
        const word = this.next().value.toUpperCase();
        // Spark: x IS TRUE → x <=> true; IS UNKNOWN → IS NULL.
        if (word === 'UNKNOWN') return { kind: 'isNull', child: value, negated: not };
        const eq: Expr = { kind: 'binary', op: '<=>', left: value, right: literalOf(word === 'TRUE') };
        return not ? { kind: 'unary', op: 'NOT', child: eq } : eq;
      }
      if (this.acceptWord('DISTINCT')) {
        this.expectWord('FROM');
        const right = this.parseValue(0);
        const eq: Expr = { kind: 'binary', op: '<=>', left: value, right };
        return not ? eq : { kind: 'unary', op: 'NOT', child: eq };
      }
      throw this.fail();
    }
    return value;
  }

  /** Precedence climbing over Spark's valueExpression operators. */
  private parseValue(minPower: number): Expr {
    return this.nested(() => {
      let left = this.parseUnary();
      let shifts = 0;
      for (;;) {
        const t = this.peek();
        const power = binaryPower(t);
        if (power === 0 || power <= minPower) return left;
        this.index += 1;
        const shift = t.kind === 'op' && Object.hasOwn(SHIFT_FUNCTIONS, t.text);
        if (shift) shifts += 1;
        const right = this.nestedChain(shifts, () => this.parseValue(power));
        if (shift) {
          left = { kind: 'call', name: SHIFT_FUNCTIONS[t.text]!, args: [left, right], distinct: false, display: `(\u0000 ${t.text} \u0001)` };
          continue;
        }
        const op = (t.kind === 'ident' ? 'DIV' : t.text) as BinaryOp;
        left = { kind: 'binary', op, left, right };
      }
    });
  }

  private parseUnary(): Expr {
    const t = this.peek();
    if (t.kind === 'op' && (t.text === '-' || t.text === '+' || t.text === '~')) {
      this.index += 1;
      const next = this.peek();
      // Spark's `number: MINUS? INTEGER_VALUE ...`: a minus directly before a number is part of the literal.
      if (t.text === '-' && next.kind === 'number') {
        this.index += 1;
        return this.postfix(this.numberLiteral(next, true));
      }
      const child = this.nested(() => this.parseUnary());
      return { kind: 'unary', op: t.text as '-' | '+' | '~', child };
    }
    return this.postfix(this.parsePrimary());
  }

  /** `.field`, `[index]`, `::type` after a primary expression. */
  private postfix(base: Expr): Expr {
    let e = base;
    let chain = 0;
    for (;;) {
      if (this.isOp('.')) {
        const t = this.peek(1);
        if (t.kind === 'op' && t.text === '*' && e.kind === 'column' && !this.parenthesized.has(e)) {
          this.index += 2;
          e = { kind: 'column', name: `${e.name}.*`, parts: [...(e.parts ?? [e.name]), '*'] };
          continue;
        }
        if (t.kind !== 'ident' && t.kind !== 'quoted') throw this.fail(t);
        this.index += 2;
        if (e.kind === 'column' && !this.parenthesized.has(e) && e.name !== '*') {
          e = columnRef([...(e.parts ?? [e.name]), t.value]);
        } else {
          e = { kind: 'field', child: e, name: t.value };
        }
      } else if (this.acceptOp('[')) {
        const index = this.parseValue(0);
        this.expectOp(']');
        e = { kind: 'subscript', child: e, index };
      } else if (this.acceptOp('::')) {
        e = { kind: 'cast', child: e, to: this.dataType(false) };
      } else if (this.isOp('(') && e.kind === 'column' && !this.parenthesized.has(e) && (e.parts?.length ?? 1) > 1) {
        // A qualified function name: `system.builtin.upper(x)`.
        e = this.functionCall(e.parts!.join('.'), this.peek());
      } else {
        return e;
      }
      chain += 1;
      if (this.depth + chain > MAX_DEPTH) this.nestedChain(chain, () => undefined);
    }
  }

  /** Nodes that came from `( ... )`, so that `(a).b` is a field access and not the column `a.b`. */
  private readonly parenthesized = new WeakSet<Expr>();

  private parsePrimary(): Expr {
    const t = this.peek();
    switch (t.kind) {
      case 'number':
        this.index += 1;
        return this.numberLiteral(t, false);
      case 'string':
        return this.stringLiteral();
      case 'quoted':
        this.index += 1;
        if (this.isOp('(')) return this.functionCall(t.value, t);
        return columnRef([t.value]);
      case 'op':
        if (t.text === '(') return this.parenthesizedOrRow();
        if (t.text === '*') {
          this.index += 1;
          return { kind: 'column', name: '*', parts: ['*'] };
        }
        if (t.text === '?' || t.text === ':') throw this.fail(t, ': parameter markers are not supported by weir');
        throw this.fail(t);
      case 'eof':
        throw this.fail(t);
      case 'ident':
        return this.wordPrimary(t);
    }
  }

  private wordPrimary(t: Token): Expr {
    const word = t.value.toUpperCase();
    const next = this.peek(1);
    const nextIsParen = next.kind === 'op' && next.text === '(';
    switch (word) {
      case 'NULL':
        this.index += 1;
        return literalOf(null);
      case 'TRUE':
      case 'FALSE':
        this.index += 1;
        return literalOf(word === 'TRUE');
      case 'CASE':
        this.index += 1;
        return this.caseWhen();
      case 'CAST':
      case 'TRY_CAST':
        if (!nextIsParen) break;
        this.index += 2;
        return this.castBody(word === 'TRY_CAST');
      case 'INTERVAL':
        if (next.kind === 'number' || next.kind === 'string' || (next.kind === 'op' && (next.text === '-' || next.text === '+'))) {
          this.index += 1;
          return this.interval(t);
        }
        break;
      case 'DATE':
      case 'TIMESTAMP':
      case 'TIMESTAMP_LTZ':
      case 'TIMESTAMP_NTZ':
      case 'X':
        if (next.kind === 'string') {
          this.index += 2;
          return this.typedLiteral(word, next);
        }
        break;
      case 'STRUCT':
        if (!nextIsParen) break;
        this.index += 2;
        return this.structBody();
      case 'EXTRACT':
        if (!nextIsParen) break;
        this.index += 2;
        return this.extractBody();
      case 'SUBSTRING':
      case 'SUBSTR':
        if (!nextIsParen) break;
        return this.substringCall(t);
      case 'TRIM':
        if (!nextIsParen) break;
        return this.trimCall(t);
      case 'POSITION':
        if (!nextIsParen) break;
        return this.positionCall(t);
      case 'CURRENT_DATE':
      case 'CURRENT_TIMESTAMP':
        // Spark resolves the bare words as the functions (a column of that name needs backquotes in weir).
        if (nextIsParen) break;
        this.index += 1;
        return { kind: 'call', name: word.toLowerCase(), args: [], distinct: false };
      default:
        break;
    }
    this.index += 1;
    if (this.isOp('(')) return this.functionCall(t.value, t);
    if (this.isOp('->')) throw this.fail(this.peek(), ': lambda functions are not supported by weir');
    return columnRef([t.value]);
  }

  private parenthesizedOrRow(): Expr {
    this.expectOp('(');
    if (this.isWord('SELECT') || this.isWord('WITH') || this.isWord('VALUES')) {
      throw this.fail(this.peek(), ': subqueries are not supported by weir');
    }
    const first = this.nested(() => this.parseNamedExpression());
    if (this.acceptOp(',')) {
      // Spark's row constructor `(a, b)` is `struct(a, b)`, shown as named_struct(a, a, b, b).
      const items = [first, this.parseNamedExpression()];
      while (this.acceptOp(',')) items.push(this.parseNamedExpression());
      this.expectOp(')');
      return { kind: 'call', name: 'named_struct', args: namedStructArgs(items), distinct: false };
    }
    this.expectOp(')');
    if (first.kind === 'alias') throw this.fail(this.tokens[this.index - 1]!);
    this.parenthesized.add(first);
    return first;
  }

  private caseWhen(): Expr {
    let subject: Expr | undefined;
    if (!this.isWord('WHEN')) subject = this.parseExpression();
    const branches: Array<readonly [Expr, Expr]> = [];
    if (!this.isWord('WHEN')) throw this.fail();
    while (this.acceptWord('WHEN')) {
      const w = this.parseExpression();
      this.expectWord('THEN');
      const v = this.parseExpression();
      branches.push([subject === undefined ? w : { kind: 'binary', op: '=', left: subject, right: w }, v]);
    }
    let otherwise: Expr | undefined;
    if (this.acceptWord('ELSE')) otherwise = this.parseExpression();
    this.expectWord('END');
    return otherwise === undefined ? { kind: 'caseWhen', branches } : { kind: 'caseWhen', branches, otherwise };
  }

  private castBody(isTry: boolean): Expr {
    const child = this.parseExpression();
    this.expectWord('AS');
    const to = this.dataType(true);
    this.expectOp(')');
    return isTry ? { kind: 'cast', child, to, try: true } : { kind: 'cast', child, to };
  }

  /**
   * A data type: its tokens are collected (balanced `<>`/`()`) and handed to the type parser. Inside CAST the
   * type ends at the closing parenthesis; after `::` it ends at the first token that cannot continue a type.
   */
  private dataType(inCast: boolean): DataType {
    const first = this.peek();
    if (first.kind !== 'ident' && first.kind !== 'quoted') throw this.fail(first);
    let angle = 0;
    let paren = 0;
    let end = this.index;
    for (;;) {
      const t = this.tokens[end]!;
      if (t.kind === 'eof') break;
      if (t.kind === 'op') {
        if (t.text === '<') angle += 1;
        else if (t.text === '>') {
          if (angle === 0) break;
          angle -= 1;
        } else if (t.text === '>>' && angle >= 2) angle -= 2;
        else if (t.text === '(') paren += 1;
        else if (t.text === ')') {
          if (paren === 0) break;
          paren -= 1;
        } else if (t.text === '<>' && angle === 0 && paren === 0 && end > this.index) {
          // STRUCT<> is an empty struct type.
          const prev = this.tokens[end - 1]!;
          if (!(prev.kind === 'ident' && prev.value.toUpperCase() === 'STRUCT')) break;
        } else if (angle === 0 && paren === 0) break;
      } else if (angle === 0 && paren === 0 && end > this.index) {
        // A word after a complete type ends it, except the words of `INTERVAL DAY TO SECOND` and NOT NULL inside.
        const prev = this.tokens[end - 1]!;
        const w = t.kind === 'ident' ? t.value.toUpperCase() : '';
        const prevWord = prev.kind === 'ident' ? prev.value.toUpperCase() : '';
        const continuesInterval =
          (prevWord === 'INTERVAL' && ['YEAR', 'MONTH', 'DAY', 'HOUR', 'MINUTE', 'SECOND'].includes(w)) ||
          (['YEAR', 'MONTH', 'DAY', 'HOUR', 'MINUTE', 'SECOND'].includes(prevWord) && w === 'TO') ||
          (prevWord === 'TO' && ['MONTH', 'HOUR', 'MINUTE', 'SECOND'].includes(w));
        if (!continuesInterval) break;
      }
      end += 1;
    }
    if (!inCast && end === this.index) throw this.fail(first);
    const startTok = this.tokens[this.index]!;
    const endTok = this.tokens[end - 1]!;
    const source = this.text.slice(startTok.start, endTok.end);
    const type = parseTypeText(source, this.text, startTok.start);
    this.index = end;
    return type;
  }

  private structBody(): Expr {
    const items: Expr[] = [];
    if (!this.isOp(')')) {
      items.push(this.parseNamedExpression());
      while (this.acceptOp(',')) items.push(this.parseNamedExpression());
    }
    this.expectOp(')');
    return { kind: 'call', name: 'struct', args: items, distinct: false };
  }

  private extractBody(): Expr {
    const field = this.identifier();
    this.expectWord('FROM');
    const source = this.parseValue(0);
    this.expectOp(')');
    return {
      kind: 'call',
      name: 'extract',
      args: [literalOf(field.toUpperCase()), source],
      distinct: false,
    };
  }

  private substringCall(nameToken: Token): Expr {
    // SUBSTRING(str FROM pos [FOR len]) as well as the plain call form.
    const save = this.index;
    this.index += 2;
    const str = this.parseValue(0);
    if (this.acceptWord('FROM')) {
      const pos = this.parseValue(0);
      const args = [str, pos];
      if (this.acceptWord('FOR')) args.push(this.parseValue(0));
      this.expectOp(')');
      return { kind: 'call', name: 'substring', args, distinct: false };
    }
    this.index = save + 1;
    return this.functionCall(nameToken.value, nameToken);
  }

  private trimCall(nameToken: Token): Expr {
    const save = this.index;
    this.index += 2;
    let option: string | undefined;
    if (this.isWord('BOTH') || this.isWord('LEADING') || this.isWord('TRAILING')) option = this.next().value.toUpperCase();
    if (option !== undefined || !this.isOp(')')) {
      let trimStr: Expr | undefined;
      if (!this.isWord('FROM')) trimStr = this.parseValue(0);
      if (this.acceptWord('FROM')) {
        const src = this.parseValue(0);
        this.expectOp(')');
        const name = option === 'LEADING' ? 'ltrim' : option === 'TRAILING' ? 'rtrim' : 'trim';
        if (trimStr === undefined) return { kind: 'call', name, args: [src], distinct: false };
        return {
          kind: 'call',
          name,
          args: [src, trimStr],
          distinct: false,
          display: `TRIM(${option ?? 'BOTH'} \u0001 FROM \u0000)`,
        };
      }
      if (option !== undefined) throw this.fail();
    }
    this.index = save + 1;
    return this.functionCall(nameToken.value, nameToken);
  }

  private positionCall(nameToken: Token): Expr {
    const save = this.index;
    this.index += 2;
    const sub = this.parseValue(0);
    if (this.acceptWord('IN')) {
      const str = this.parseValue(0);
      this.expectOp(')');
      return { kind: 'call', name: 'locate', args: [sub, str], distinct: false };
    }
    this.index = save + 1;
    return this.functionCall(nameToken.value, nameToken);
  }

  /** `name(...)` with the current token at `(`. */
  private functionCall(name: string, nameToken: Token): Expr {
    this.expectOp('(');
    const lower = name.toLowerCase();
    if (this.isOp('*') && this.peek(1).kind === 'op' && this.peek(1).text === ')') {
      this.index += 2;
      return this.afterCall({ kind: 'call', name: lower, args: [], distinct: false, star: true }, nameToken);
    }
    let distinct = false;
    const q = this.peek(1);
    const quantifierFollows = !(q.kind === 'op' && (q.text === ')' || q.text === ',' || q.text === '.'));
    if (quantifierFollows && this.isWord('DISTINCT')) {
      this.index += 1;
      distinct = true;
    } else if (quantifierFollows && this.isWord('ALL')) {
      this.index += 1;
    }
    const args: Expr[] = [];
    if (!this.isOp(')')) {
      args.push(this.functionArgument());
      while (this.acceptOp(',')) args.push(this.functionArgument());
    }
    let ignoreNulls = false;
    if ((lower === 'first' || lower === 'last' || lower === 'any_value') && this.isWord('IGNORE') && this.isWord('NULLS', 1)) {
      this.index += 2;
      ignoreNulls = true;
    }
    this.expectOp(')');
    if (this.isWord('IGNORE') && this.isWord('NULLS', 1)) {
      this.index += 2;
      ignoreNulls = true;
    } else if (this.isWord('RESPECT') && this.isWord('NULLS', 1)) {
      this.index += 2;
    }
    if (ignoreNulls) {
      if (args.length !== 1) throw this.fail(this.tokens[this.index - 2]!);
      args.push(literalOf(true));
    }
    const call: CallExpr = name === lower ? { kind: 'call', name: lower, args, distinct } : { kind: 'call', name: lower, args, distinct, written: name };
    return this.afterCall(call, nameToken);
  }

  private functionArgument(): Expr {
    if (this.peek().kind === 'ident' && this.isOp('=>', 1)) {
      throw this.fail(this.peek(1), ': named function arguments are not supported by weir');
    }
    return this.parseExpression();
  }

  private afterCall(call: CallExpr, nameToken: Token): Expr {
    if (this.isWord('FILTER') && this.isOp('(', 1)) throw this.fail(this.peek(), ': aggregate FILTER clauses are not supported by weir');
    if (this.isWord('WITHIN') && this.isWord('GROUP', 1)) throw this.fail(this.peek(), ': WITHIN GROUP is not supported by weir');
    if (this.isWord('OVER')) {
      throw this.fail(
        this.peek(),
        `: window functions (${nameToken.value} OVER ...) are not supported by weir; Spark rejects non-time-based windows on streaming DataFrames too`,
      );
    }
    return call;
  }

  private stringLiteral(): Expr {
    let value = '';
    while (this.peek().kind === 'string') value += this.next().value;
    return literalOf(value);
  }

  private numberLiteral(t: Token, negative: boolean): Expr {
    try {
      return numberLiteral(t.text, negative);
    } catch (e) {
      if (e instanceof Error && 'code' in e) {
        throw exprError(ExprErrorCodes.PARSE_ERROR, `${e.message}${''}`, { position: t.start, text: this.text }, e);
      }
      throw e;
    }
  }

  private typedLiteral(word: string, value: Token): Expr {
    const start = this.tokens[this.index - 2]!.start;
    const fail = (): never => {
      throw exprError(
        ExprErrorCodes.PARSE_ERROR,
        `[INVALID_TYPED_LITERAL] The value of the typed literal "${word}" is invalid: '${value.value}'. SQLSTATE: 42604${fragmentBlock(this.text, start, value.end)}`,
        { position: start, text: this.text },
      );
    };
    if (word === 'X') {
      const hex = value.value;
      if (!/^[0-9A-Fa-f]*$/.test(hex)) fail();
      const padded = hex.length % 2 === 1 ? `0${hex}` : hex;
      const bytes = new Uint8Array(padded.length / 2);
      for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(padded.slice(i * 2, i * 2 + 2), 16);
      return { kind: 'literal', value: bytes, dataType: sqlTypes.binary() };
    }
    const lit = castLiteralText(value.value, word === 'DATE' ? 'date' : 'timestamp');
    if (lit === null) fail();
    return lit!;
  }

  /** After `INTERVAL`: multi-unit (`10 SECONDS 5 MILLISECONDS`), unit-to-unit, or a bare interval string. */
  private interval(start: Token): Expr {
    const values: Array<{ text: string; token: Token }> = [];
    const units: Array<{ field: IntervalField; micros?: number; months?: number; word: string }> = [];
    const readValue = (): { text: string; token: Token } => {
      let sign = '';
      if (this.isOp('-') || this.isOp('+')) sign = this.next().text === '-' ? '-' : '';
      const t = this.next();
      if (t.kind === 'number' && /^(\d+\.?\d*|\.\d+)$/.test(t.text)) return { text: sign + t.text, token: t };
      if (t.kind === 'string') {
        const s = t.value.trim();
        return { text: sign === '-' ? (s.startsWith('-') ? s.slice(1) : `-${s}`) : s, token: t };
      }
      throw this.fail(t);
    };
    const first = readValue();
    const unitWord = (): string | undefined => {
      const t = this.peek();
      return t.kind === 'ident' && intervalUnit(t.value) !== undefined ? t.value : undefined;
    };
    if (unitWord() === undefined) {
      if (first.token.kind !== 'string') throw this.fail();
      return this.intervalFromString(first.text, start);
    }
    // Unit TO unit?
    if (this.isWord('TO', 1)) {
      const from = this.next().value.toUpperCase() as IntervalField;
      this.expectWord('TO');
      const to = this.identifier().toUpperCase() as IntervalField;
      const parts = parseUnitToUnit(first.text, from, to);
      if (parts === undefined) throw this.intervalError(first.token, `Interval string does not match ${from} TO ${to} format`);
      return intervalExpr(parts);
    }
    values.push(first);
    for (;;) {
      const w = unitWord();
      if (w === undefined) throw this.fail();
      this.index += 1;
      units.push({ ...intervalUnit(w)!, word: w });
      const t = this.peek();
      const more = t.kind === 'number' || t.kind === 'string' || (t.kind === 'op' && (t.text === '-' || t.text === '+') && this.peek(1).kind === 'number');
      if (!more || this.peek().kind === 'eof') break;
      // `INTERVAL 1 DAY - INTERVAL ...` must not swallow the minus: only continue when a unit follows the value.
      const valueLen = t.kind === 'op' ? 2 : 1;
      const after = this.peek(valueLen);
      if (!(after.kind === 'ident' && intervalUnit(after.value) !== undefined)) break;
      values.push(readValue());
    }
    let months = 0;
    let micros = 0;
    for (let i = 0; i < units.length; i++) {
      const u = units[i]!;
      const v = Number(values[i]!.text);
      if (!Number.isFinite(v) || values[i]!.text === '') throw this.intervalError(values[i]!.token, `Cannot parse the interval value: ${values[i]!.text}`);
      if (u.months !== undefined) {
        if (!Number.isInteger(v)) throw this.intervalError(values[i]!.token, `Interval string does not match ${u.field} format`);
        months += v * u.months;
      } else {
        micros += Math.round(v * u.micros!);
      }
    }
    const fields = units.map((u) => u.field);
    const ym = fields.filter((f): f is YearMonthField => f === 'YEAR' || f === 'MONTH');
    const dt = fields.filter((f): f is DayTimeField => f !== 'YEAR' && f !== 'MONTH');
    if (ym.length > 0 && dt.length > 0) {
      throw this.intervalError(start, 'Cannot mix year-month and day-time fields');
    }
    if (ym.length > 0) {
      const [from, to] = fieldRange(ym);
      return intervalExpr(yearMonthInterval(months, from, to));
    }
    const [from, to] = fieldRange(dt);
    return intervalExpr(dayTimeInterval(micros, from, to));
  }

  private intervalFromString(text: string, start: Token): Expr {
    // `INTERVAL '1 day 2 hours'`: units inside the string.
    const sub = new ExpressionParser(`INTERVAL ${text.replace(/^interval\s+/i, '')}`);
    try {
      sub.index = 1;
      const e = sub.interval(sub.tokens[0]!);
      sub.expectEnd();
      return e;
    } catch {
      throw this.intervalError(start, `Cannot parse the INTERVAL value: ${text}`);
    }
  }

  private intervalError(token: Token, detail: string): Error {
    return exprError(
      ExprErrorCodes.PARSE_ERROR,
      `[INVALID_INTERVAL_FORMAT] Error parsing interval: ${detail}. SQLSTATE: 22006`,
      { position: token.start, text: this.text },
    );
  }
}

function intervalExpr(parts: IntervalParts): Expr {
  return { kind: 'interval', months: parts.months, days: parts.days, micros: parts.micros, display: parts.display };
}

/** `named_struct('a', a, 'b', b)` arguments for items of a row constructor or `struct(...)`. */
function namedStructArgs(items: readonly Expr[]): Expr[] {
  const args: Expr[] = [];
  items.forEach((item, i) => {
    let name = `col${i + 1}`;
    let value = item;
    if (item.kind === 'alias') {
      name = item.name;
      value = item.child;
    } else if (item.kind === 'column') {
      const parts = item.parts ?? [item.name];
      name = parts[parts.length - 1]!;
    }
    args.push(literalOf(name), value);
  });
  return args;
}

/** A column reference node from its name parts. */
export function columnRef(parts: readonly string[]): ColumnExpr {
  const name = parts.map((p) => (p === '*' ? p : /^[A-Za-z0-9_]+$/.test(p) ? p : `\`${p.replace(/`/g, '``')}\``)).join('.');
  return { kind: 'column', name, parts: [...parts] };
}

const INT_MIN = -2147483648n;
const INT_MAX = 2147483647n;
const LONG_MIN = -9223372036854775808n;
const LONG_MAX = 9223372036854775807n;

/**
 * A numeric literal token as Spark types it: INTEGER → INT, else BIGINT, else DECIMAL(n, 0); `L` BIGINT, `S`
 * SMALLINT, `Y` TINYINT, `D` DOUBLE, `F` FLOAT, `BD` and plain decimals DECIMAL(p, s), exponents DOUBLE.
 */
export function numberLiteral(text: string, negative: boolean): Expr {
  const upper = text.toUpperCase();
  const sign = negative ? '-' : '';
  const rangeError = (type: string, min: string, max: string): never => {
    throw exprError(
      ExprErrorCodes.PARSE_ERROR,
      `[INVALID_NUMERIC_LITERAL_RANGE] Numeric literal ${sign}${text.replace(/[LSY]$/i, '')} is outside the valid range for ${type} with minimum value of ${min} and maximum value of ${max}. Please adjust the value accordingly. SQLSTATE: 22003`,
    );
  };
  const integral = (digits: string, min: bigint, max: bigint, type: string, make: () => DataType): Expr => {
    const v = BigInt(sign + digits);
    if (v < min || v > max) rangeError(type, String(min), String(max));
    return exact(Number(v), v, make());
  };
  if (/^\d+L$/.test(upper)) return integral(upper.slice(0, -1), LONG_MIN, LONG_MAX, 'bigint', sqlTypes.long);
  if (/^\d+S$/.test(upper)) return integral(upper.slice(0, -1), -32768n, 32767n, 'smallint', sqlTypes.short);
  if (/^\d+Y$/.test(upper)) return integral(upper.slice(0, -1), -128n, 127n, 'tinyint', sqlTypes.byte);
  if (upper.endsWith('BD')) return decimalLiteral(sign + upper.slice(0, -2));
  if (upper.endsWith('D')) return { kind: 'literal', value: Number(sign + upper.slice(0, -1)), dataType: sqlTypes.double() };
  if (upper.endsWith('F')) return { kind: 'literal', value: Math.fround(Number(sign + upper.slice(0, -1))), dataType: sqlTypes.float() };
  if (upper.includes('E')) return { kind: 'literal', value: Number(sign + upper), dataType: sqlTypes.double() };
  if (upper.includes('.')) return decimalLiteral(sign + upper);
  const v = BigInt(sign + upper);
  if (v >= INT_MIN && v <= INT_MAX) return { kind: 'literal', value: Number(v), dataType: sqlTypes.int() };
  if (v >= LONG_MIN && v <= LONG_MAX) return exact(Number(v), v, sqlTypes.long());
  return decimalLiteral(sign + upper);
}

/** A literal whose JS number may not show the integer exactly keeps its text for display. */
function exact(value: number, big: bigint, dataType: DataType): Expr {
  return Number.isSafeInteger(value) ? { kind: 'literal', value, dataType } : { kind: 'literal', value, dataType, text: big.toString() };
}

/** A DECIMAL literal: precision = significant digits of the unscaled value, scale = digits after the point. */
function decimalLiteral(text: string): Expr {
  const m = /^(-?)(\d*)(?:\.(\d*))?(?:E([+-]?\d+))?$/i.exec(text);
  if (m === null) throw exprError(ExprErrorCodes.PARSE_ERROR, `Invalid decimal literal ${text}.`);
  const intPart = m[2] ?? '';
  const frac = m[3] ?? '';
  let scale = frac.length - Number(m[4] ?? 0);
  let unscaled = (intPart + frac).replace(/^0+/, '');
  if (scale < 0) {
    unscaled += '0'.repeat(-scale);
    scale = 0;
  }
  const precision = Math.max(unscaled.length, 1, scale);
  if (precision > 38) {
    throw exprError(
      ExprErrorCodes.PARSE_ERROR,
      `[DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION] Decimal precision ${precision} exceeds max precision 38. SQLSTATE: 22003`,
    );
  }
  const literal = { kind: 'literal' as const, value: Number(text), dataType: sqlTypes.decimal(precision, scale) };
  return precision > 15 ? { ...literal, text: plainDecimal(m[1] ?? '', unscaled, scale) } : literal;
}

function plainDecimal(sign: string, unscaled: string, scale: number): string {
  const digits = unscaled.padStart(scale + 1, '0');
  return `${sign}${scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`}`;
}

/**
 * Parses one Spark SQL expression, with an optional alias (`"count(*) AS n"`, `"upper(word) w"`).
 *
 * @example
 * ```ts
 * parseExpression('count(*) AS n');
 * // { kind: 'alias', name: 'n', child: { kind: 'call', name: 'count', args: [], distinct: false, star: true } }
 * ```
 */
export function parseExpression(text: string): Expr {
  const p = new ExpressionParser(text);
  if (p.atEnd()) throw emptyStatement(text);
  const e = p.parseNamedExpression();
  p.expectEnd();
  return e;
}

/**
 * Parses a comma-separated list of expressions (`"a, b AS c, count(*)"`).
 *
 * @example
 * ```ts
 * parseExpressionList('a, b AS c').length; // 2
 * ```
 */
export function parseExpressionList(text: string): Expr[] {
  const p = new ExpressionParser(text);
  if (p.atEnd()) throw emptyStatement(text);
  const out = [p.parseNamedExpression()];
  while (p.acceptOp(',')) out.push(p.parseNamedExpression());
  p.expectEnd();
  return out;
}

/**
 * Parses a sort key (`"ts DESC NULLS LAST"`).
 *
 * @example
 * ```ts
 * parseSortOrder('n DESC'); // { kind: 'sortOrder', ascending: false, nullsFirst: false, ... }
 * ```
 */
export function parseSortOrder(text: string): Expr {
  const p = new ExpressionParser(text);
  if (p.atEnd()) throw emptyStatement(text);
  const e = p.parseSortItem();
  p.expectEnd();
  return e;
}

/** Spark's `[PARSE_EMPTY_STATEMENT]` for a text without tokens. */
export function emptyStatement(text: string): Error {
  return exprError(ExprErrorCodes.PARSE_ERROR, '[PARSE_EMPTY_STATEMENT] Syntax error, unexpected empty statement. SQLSTATE: 42617', {
    position: 0,
    text,
  });
}
