/**
 * The tokenizer of Spark SQL expression text (the part of Spark's `SqlBaseLexer.g4` that expressions use).
 *
 * Invariants: tokenizing is total and linear: every input either yields tokens whose `[start, end)` ranges cover
 * the text in order (whitespace and comments between them), or a PARSE_ERROR at the offending position; the
 * lexer never evaluates anything. Keywords are not tokens of their own: Spark's keywords are almost all
 * non-reserved, so the parser decides by context whether `window` or `date` is a keyword or a column.
 */
import { exprError, ExprErrorCodes } from './errorCodes';

/** What a token is. Backquoted identifiers are `quoted`, so `` `AND` `` is a column and never the operator. */
export type TokenKind = 'ident' | 'quoted' | 'number' | 'string' | 'op' | 'eof';

/** One token with its source range. */
export interface Token {
  readonly kind: TokenKind;
  /** The source text of the token (for `string`, with its quotes). */
  readonly text: string;
  /** For `ident`/`quoted`: the name; for `string`: the unescaped value; for `number`/`op`: the text. */
  readonly value: string;
  /** Offset of the first character. */
  readonly start: number;
  /** Offset after the last character. */
  readonly end: number;
}

/** Operators, longest first so that `<=>` wins over `<=` and `<`. */
const OPERATORS = [
  '<=>', '>>>',
  '==', '!=', '<>', '<=', '>=', '||', '::', '->', '=>', '<<', '>>',
  '+', '-', '*', '/', '%', '~', '&', '|', '^', '=', '<', '>', '!', '(', ')', '[', ']', ',', '.', '?', ':', ';',
] as const;

const WORD_CHAR = /[A-Za-z0-9_]/;
const WORD_RUN = /[A-Za-z0-9_]+/y;
/**
 * Spark's numeric literal tokens: INTEGER_VALUE, BIGINT (L), SMALLINT (S), TINYINT (Y), DECIMAL_VALUE,
 * EXPONENT_VALUE, DOUBLE (D), FLOAT (F), BIGDECIMAL (BD), all case-insensitive.
 */
const NUMBER = /(?:\d+\.\d*|\.\d+|\d+)(?:E[+-]?\d+)?(?:BD|[DFLSY])?/iy;

/** Tokenizes `text`; the last token is always `eof`. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') {
      i += 1;
      continue;
    }
    if (c === '-' && text[i + 1] === '-') {
      const eol = text.indexOf('\n', i);
      i = eol < 0 ? n : eol + 1;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      i = skipBracketedComment(text, i);
      continue;
    }
    if (c === "'" || c === '"') {
      tokens.push(readString(text, i, c, false));
      i = tokens[tokens.length - 1]!.end;
      continue;
    }
    if ((c === 'r' || c === 'R') && (text[i + 1] === "'" || text[i + 1] === '"')) {
      tokens.push(readString(text, i + 1, text[i + 1]!, true, i));
      i = tokens[tokens.length - 1]!.end;
      continue;
    }
    if (c === '`') {
      tokens.push(readBackquoted(text, i));
      i = tokens[tokens.length - 1]!.end;
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(text[i + 1]))) {
      const token = readNumberOrWord(text, i);
      tokens.push(token);
      i = token.end;
      continue;
    }
    if (WORD_CHAR.test(c)) {
      WORD_RUN.lastIndex = i;
      const m = WORD_RUN.exec(text)!;
      tokens.push({ kind: 'ident', text: m[0], value: m[0], start: i, end: i + m[0].length });
      i += m[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op === undefined) throw syntaxError(text, i, c);
    tokens.push({ kind: 'op', text: op, value: op, start: i, end: i + op.length });
    i += op.length;
  }
  tokens.push({ kind: 'eof', text: '', value: '', start: n, end: n });
  return tokens;
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/**
 * A run starting with a digit is a number when the numeric match is at least as long as the word run (Spark's
 * lexer takes the longest match and prefers the literal rules on a tie): `10L` is a bigint, `10Lx` and `123abc`
 * are identifiers. A decimal or exponent directly followed by a word character is invalid, as in Spark.
 */
function readNumberOrWord(text: string, i: number): Token {
  NUMBER.lastIndex = i;
  const num = NUMBER.exec(text);
  WORD_RUN.lastIndex = i;
  const word = text[i] === '.' ? null : WORD_RUN.exec(text);
  const numLen = num === null ? 0 : num[0].length;
  const wordLen = word === null ? 0 : word[0].length;
  if (wordLen > numLen) {
    return { kind: 'ident', text: word![0], value: word![0], start: i, end: i + wordLen };
  }
  const end = i + numLen;
  if (WORD_CHAR.test(text[end] ?? '')) throw syntaxError(text, i, text.slice(i, end + 1));
  return { kind: 'number', text: num![0], value: num![0], start: i, end };
}

function skipBracketedComment(text: string, start: number): number {
  // Spark's bracketed comments nest.
  let depth = 0;
  let i = start;
  while (i < text.length) {
    if (text.startsWith('/*', i)) {
      depth += 1;
      i += 2;
    } else if (text.startsWith('*/', i)) {
      depth -= 1;
      i += 2;
      if (depth === 0) return i;
    } else {
      i += 1;
    }
  }
  throw exprError(
    ExprErrorCodes.PARSE_ERROR,
    `[UNCLOSED_BRACKETED_COMMENT] Found an unclosed bracketed comment. Please, append */ at the end of the comment. SQLSTATE: 42601${positionBlock(text, start)}`,
    { position: start, text, errorClass: 'UNCLOSED_BRACKETED_COMMENT' },
  );
}

function readBackquoted(text: string, start: number): Token {
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '`') {
      if (text[i + 1] === '`') {
        value += '`';
        i += 2;
        continue;
      }
      return { kind: 'quoted', text: text.slice(start, i + 1), value, start, end: i + 1 };
    }
    value += c;
    i += 1;
  }
  throw syntaxError(text, start, text.slice(start));
}

/**
 * A string literal, unescaped as Spark's `unescapeSQLString` does (escapedStringLiterals=false): `\n`, `\t`,
 * `\r`, `\b`, `\0`, `\Z`, `\'`, `\"`, `\\`, octal `\NNN`, `\uXXXX`, and `\%` / `\_` kept as two characters for
 * LIKE; any other `\x` is `x`. Raw strings (`r'...'`) keep every backslash.
 */
function readString(text: string, quoteAt: number, quote: string, raw: boolean, start = quoteAt): Token {
  let value = '';
  let i = quoteAt + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === quote) {
      return { kind: 'string', text: text.slice(start, i + 1), value, start, end: i + 1 };
    }
    if (c === '\\' && i + 1 < text.length) {
      if (raw) {
        value += c + text[i + 1]!;
        i += 2;
        continue;
      }
      const [s, len] = unescape(text, i);
      value += s;
      i += len;
      continue;
    }
    value += c;
    i += 1;
  }
  // Spark reports an unclosed string at its quote: Syntax error at or near '''.
  throw syntaxError(text, quoteAt, quote);
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '0': '\u0000',
  b: '\b',
  n: '\n',
  r: '\r',
  t: '\t',
  Z: '\u001A',
  '%': '\\%',
  _: '\\_',
};

/** Unescapes the escape at `text[i] === '\\'`; returns the text and how many source characters it took. */
function unescape(text: string, i: number): [string, number] {
  const next = text[i + 1]!;
  if (next === 'u' && /^[0-9A-Fa-f]{4}$/.test(text.slice(i + 2, i + 6))) {
    return [String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16)), 6];
  }
  const octal = /^[0-3][0-7]{2}/.exec(text.slice(i + 1, i + 4));
  if (octal !== null) return [String.fromCharCode(parseInt(octal[0], 8)), 4];
  if (Object.hasOwn(SIMPLE_ESCAPES, next)) return [SIMPLE_ESCAPES[next]!, 2];
  return [next, 2];
}

/** The `(line L, pos P)` suffix and `== SQL ==` block of Spark's ParseException message. */
export function positionBlock(text: string, position: number): string {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const pos = position - lineStart;
  const lines = text.split('\n');
  const shown = lines.slice(0, line).join('\n');
  const rest = lines.slice(line).join('\n');
  const caret = `${'-'.repeat(pos)}^^^`;
  return ` (line ${line}, pos ${pos})\n\n== SQL ==\n${shown}\n${caret}${rest.length > 0 ? `\n${rest}` : ''}\n`;
}

/**
 * The `== SQL (line L, position P) ==` block Spark adds to errors raised for a fragment of the text (typed
 * literals, data types): the line and carets under the fragment; position is 1-based.
 */
export function fragmentBlock(text: string, start: number, end: number): string {
  const before = text.slice(0, start);
  const line = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEnd = text.indexOf('\n', start);
  const lineText = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd);
  const carets = '^'.repeat(Math.max(1, Math.min(end, lineStart + lineText.length) - start));
  return `\n== SQL (line ${line}, position ${start - lineStart + 1}) ==\n${lineText}\n${' '.repeat(start - lineStart)}${carets}\n`;
}

/** Spark's `[PARSE_SYNTAX_ERROR] Syntax error at or near 'x'.` with the position block. */
export function syntaxError(text: string, position: number, near: string | null, hint = '') {
  const where = near === null ? 'end of input' : `'${near}'`;
  return exprError(
    ExprErrorCodes.PARSE_ERROR,
    `[PARSE_SYNTAX_ERROR] Syntax error at or near ${where}${hint}. SQLSTATE: 42601${positionBlock(text, position)}`,
    { position, text, near, errorClass: 'PARSE_SYNTAX_ERROR' },
  );
}
