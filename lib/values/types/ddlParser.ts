/**
 * The DDL type grammar (Spark's `DataType.fromDDL` / `StructType.fromDDL`) with the struct constructor passed in,
 * so `StructType` can parse type strings without an import cycle: `parseDataType.ts` and `StructType.ts` both
 * call it with `fields => new StructType(fields)`.
 *
 * Invariant: the same text gives the same type through every caller; a syntax error is a PARSE_ERROR with Spark's
 * message and the position.
 */
import { ErrorCodes, WeirError } from '../../errors';
import { ArrayType } from './ArrayType';
import {
  BinaryType,
  BooleanType,
  ByteType,
  DataType,
  DateType,
  DecimalType,
  DoubleType,
  FloatType,
  IntegerType,
  LongType,
  NullType,
  ShortType,
  StringType,
  TimestampNTZType,
  TimestampType,
} from './DataType';
import { MapType } from './MapType';
import { StructField } from './StructField';

/** Builds the struct type of parsed fields (`fields => new StructType(fields)`). */
export type MakeStruct = (fields: StructField[]) => DataType;

/**
 * Parses a type string, case-insensitively: Spark's DDL names (`'string'`, `'varchar(10)'`, `'char(3)'`,
 * `'bigint'`, `'int'`, `'smallint'`, `'tinyint'`, `'double'`, `'float'`, `'real'`, `'boolean'`, `'timestamp'`,
 * `'timestamp_ltz'`, `'timestamp_ntz'`, `'date'`, `'binary'`, `'decimal(10,2)'`, `'dec'`, `'numeric'`,
 * `'void'`, `'array<...>'`, `'map<...,...>'`, `'struct<...>'`), the JSON names (`'long'`, `'integer'`,
 * `'short'`, `'byte'`) and `'bool'`. Like Spark's `DataType.fromDDL`, a schema string (`'a INT, b STRING'`)
 * parses as a StructType. CHAR(n) and VARCHAR(n) read as STRING (the length is not enforced).
 *
 * @example
 * ```ts
 * parseDataType('map<string, array<bigint>>').simpleString()   // 'map<string,array<bigint>>'
 * ```
 */
export function parseDataTypeWith(text: string, make: MakeStruct): DataType {
  const parser = new DdlParser(text, make);
  try {
    const type = parser.dataType();
    parser.expectEnd();
    return type;
  } catch (typeError) {
    try {
      return new DdlParser(text, make).schema();
    } catch {
      throw typeError;
    }
  }
}

/**
 * Parses a DDL schema (`'name STRING, age INT NOT NULL COMMENT "years"'`) into a StructType. Also reads
 * PySpark's forms `'a: int, b: string'` and `'struct<a:int,b:string>'`.
 */
export function parseSchemaWith(text: string, make: MakeStruct): DataType {
  return new DdlParser(text, make).schema();
}

type TokenKind = 'word' | 'quoted' | 'number' | 'string' | 'punct' | 'end';

interface Token {
  readonly kind: TokenKind;
  /** The identifier, number, unescaped string or punctuation character. */
  readonly text: string;
  /** Where the token starts in the input. */
  readonly pos: number;
  /** The token as written (for error messages). */
  readonly raw: string;
}

class DdlParser {
  private readonly tokens: Token[];
  private i = 0;

  constructor(
    private readonly input: string,
    private readonly make: MakeStruct,
  ) {
    if (typeof input !== 'string') {
      throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `A type string must be a string, got ${String(input)}.`);
    }
    this.tokens = tokenize(input);
  }

  /** schema := struct<...> | column (',' column)* */
  schema(): DataType {
    if (this.peek().kind === 'end') {
      throw this.error('[PARSE_EMPTY_STATEMENT] Syntax error, unexpected empty statement.', this.peek());
    }
    if (this.isWord(this.peek(), 'struct') && this.peekAt(1).text === '<' && this.peekAt(1).kind === 'punct') {
      const t = this.dataType();
      this.expectEnd();
      return t;
    }
    const fields: StructField[] = [this.column()];
    while (this.acceptPunct(',')) fields.push(this.column());
    this.expectEnd();
    return this.make(fields);
  }

  dataType(): DataType {
    if (this.i === 0 && this.peek().kind === 'end') {
      throw this.error('[PARSE_EMPTY_STATEMENT] Syntax error, unexpected empty statement.', this.peek());
    }
    const start = this.next();
    if (start.kind !== 'word') throw this.syntaxError(start);
    const name = start.text.toLowerCase();
    if (name === 'array' && this.isPunct(this.peek(), '<')) {
      this.next();
      const element = this.dataType();
      this.expectPunct('>');
      return new ArrayType(element, true);
    }
    if (name === 'map' && this.isPunct(this.peek(), '<')) {
      this.next();
      const key = this.dataType();
      this.expectPunct(',');
      const value = this.dataType();
      this.expectPunct('>');
      return new MapType(key, value, true);
    }
    if (name === 'struct' && this.isPunct(this.peek(), '<')) {
      this.next();
      const fields: StructField[] = [];
      if (!this.acceptPunct('>')) {
        fields.push(this.column());
        while (this.acceptPunct(',')) fields.push(this.column());
        this.expectPunct('>');
      }
      return this.make(fields);
    }
    const params: number[] = [];
    if (this.acceptPunct('(')) {
      do {
        const n = this.next();
        if (n.kind !== 'number') throw this.syntaxError(n);
        params.push(Number(n.text));
      } while (this.acceptPunct(','));
      this.expectPunct(')');
    }
    return this.primitive(name, params, start);
  }

  expectEnd(): void {
    const t = this.peek();
    if (t.kind !== 'end') throw this.syntaxError(t);
  }

  /** column := name ':'? dataType (NOT NULL)? (COMMENT 'text')? ; the colon is Spark's inside STRUCT<>. */
  private column(): StructField {
    const nameToken = this.next();
    if (nameToken.kind !== 'word' && nameToken.kind !== 'quoted') throw this.syntaxError(nameToken);
    // Spark takes `name: type` inside STRUCT<...>; PySpark schema strings take it at the top level too.
    this.acceptPunct(':');
    const type = this.dataType();
    let nullable = true;
    if (this.isWord(this.peek(), 'not')) {
      this.next();
      const nullToken = this.next();
      if (!this.isWord(nullToken, 'null')) throw this.syntaxError(nullToken);
      nullable = false;
    }
    const metadata: Record<string, unknown> = {};
    if (this.isWord(this.peek(), 'comment')) {
      this.next();
      const c = this.next();
      if (c.kind !== 'string') throw this.syntaxError(c);
      metadata.comment = c.text;
    }
    return new StructField(nameToken.text, type, nullable, metadata);
  }

  private primitive(name: string, params: number[], at: Token): DataType {
    const arity = (allowed: number[]): void => {
      if (!allowed.includes(params.length)) throw this.unsupported(at, params);
    };
    switch (name) {
      case 'boolean':
      case 'bool':
        arity([0]);
        return new BooleanType();
      case 'tinyint':
      case 'byte':
        arity([0]);
        return new ByteType();
      case 'smallint':
      case 'short':
        arity([0]);
        return new ShortType();
      case 'int':
      case 'integer':
        arity([0]);
        return new IntegerType();
      case 'bigint':
      case 'long':
        arity([0]);
        return new LongType();
      case 'float':
      case 'real':
        arity([0]);
        return new FloatType();
      case 'double':
        arity([0]);
        return new DoubleType();
      case 'date':
        arity([0]);
        return new DateType();
      case 'timestamp':
      case 'timestamp_ltz':
        arity([0]);
        return new TimestampType();
      case 'timestamp_ntz':
        arity([0]);
        return new TimestampNTZType();
      case 'string':
        arity([0]);
        return new StringType();
      case 'char':
      case 'character':
      case 'varchar':
        if (params.length === 0) {
          throw this.error(`[DATATYPE_MISSING_SIZE] DataType "${name.toUpperCase()}" requires a length parameter, for example "${name.toUpperCase()}(10)".`, at);
        }
        arity([1]);
        return new StringType();
      case 'binary':
        arity([0]);
        return new BinaryType();
      case 'decimal':
      case 'dec':
      case 'numeric':
        arity([0, 1, 2]);
        try {
          return new DecimalType(params[0] ?? 10, params[1] ?? 0);
        } catch (e) {
          throw e instanceof WeirError ? this.error(e.message, at) : e;
        }
      case 'void':
        arity([0]);
        return new NullType();
      default:
        throw this.unsupported(at, params);
    }
  }

  private next(): Token {
    const t = this.tokens[this.i];
    if (this.i < this.tokens.length - 1) this.i++;
    return t;
  }
  private peek(): Token {
    return this.tokens[this.i];
  }
  private peekAt(ahead: number): Token {
    return this.tokens[Math.min(this.i + ahead, this.tokens.length - 1)];
  }
  private isWord(t: Token, word: string): boolean {
    return t.kind === 'word' && t.text.toLowerCase() === word;
  }
  private isPunct(t: Token, p: string): boolean {
    return t.kind === 'punct' && t.text === p;
  }
  private acceptPunct(p: string): boolean {
    if (!this.isPunct(this.peek(), p)) return false;
    this.next();
    return true;
  }
  private expectPunct(p: string): void {
    const t = this.next();
    if (!this.isPunct(t, p)) throw this.syntaxError(t);
  }

  private syntaxError(t: Token): WeirError {
    const near = t.kind === 'end' ? 'end of input' : `'${t.raw}'`;
    return this.error(`[PARSE_SYNTAX_ERROR] Syntax error at or near ${near}.`, t);
  }
  private unsupported(t: Token, params: number[]): WeirError {
    const shown = t.text.toUpperCase() + (params.length > 0 ? `(${params.join(',')})` : '');
    return this.error(`[UNSUPPORTED_DATATYPE] Unsupported data type "${shown}".`, t);
  }
  private error(message: string, t: Token): WeirError {
    return new WeirError(ErrorCodes.INVALID_ARGUMENT, `${message} (pos ${t.pos}) in '${this.input}'`, {
      context: { ddl: this.input, position: t.pos },
    });
  }
}

const WORD_CHAR = /[\p{L}\p{N}_]/u;

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (message: string, pos: number): WeirError =>
    new WeirError(ErrorCodes.INVALID_ARGUMENT, `${message} (pos ${pos}) in '${input}'`, {
      context: { ddl: input, position: pos },
    });
  while (i < input.length) {
    const c = input[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && input[i + 1] === '-') {
      // SQL line comment
      while (i < input.length && input[i] !== '\n') i++;
    } else if ('<>(),:'.includes(c)) {
      tokens.push({ kind: 'punct', text: c, pos: i, raw: c });
      i++;
    } else if (c === '`') {
      let j = i + 1;
      let name = '';
      for (;;) {
        if (j >= input.length) throw fail("[PARSE_SYNTAX_ERROR] Syntax error at or near '`': unclosed identifier.", i);
        if (input[j] === '`') {
          if (input[j + 1] === '`') {
            name += '`';
            j += 2;
            continue;
          }
          break;
        }
        name += input[j++];
      }
      tokens.push({ kind: 'quoted', text: name, pos: i, raw: input.slice(i, j + 1) });
      i = j + 1;
    } else if (c === "'" || c === '"') {
      const { text, end } = readStringLiteral(input, i, fail);
      tokens.push({ kind: 'string', text, pos: i, raw: input.slice(i, end) });
      i = end;
    } else if (WORD_CHAR.test(c)) {
      let j = i;
      while (j < input.length && WORD_CHAR.test(input[j])) j++;
      const word = input.slice(i, j);
      tokens.push({ kind: /^\d+$/.test(word) ? 'number' : 'word', text: word, pos: i, raw: word });
      i = j;
    } else {
      throw fail(`[PARSE_SYNTAX_ERROR] Syntax error at or near '${c}'.`, i);
    }
  }
  tokens.push({ kind: 'end', text: '', pos: input.length, raw: '' });
  return tokens;
}

const ESCAPES: Record<string, string> = {
  '0': '\u0000',
  b: '\b',
  n: '\n',
  r: '\r',
  t: '\t',
  Z: '\u001A',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '%': '\\%',
  _: '\\_',
};

/** Spark's `unescapeSQLString` for a quoted literal starting at `start`. */
function readStringLiteral(
  input: string,
  start: number,
  fail: (message: string, pos: number) => WeirError,
): { text: string; end: number } {
  const quote = input[start];
  let text = '';
  let j = start + 1;
  for (;;) {
    if (j >= input.length) throw fail('[PARSE_SYNTAX_ERROR] Syntax error at or near end of input: unclosed string.', start);
    const c = input[j];
    if (c === quote) return { text, end: j + 1 };
    if (c === '\\' && j + 1 < input.length) {
      const e = input[j + 1];
      if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(input.slice(j + 2, j + 6))) {
        text += String.fromCharCode(parseInt(input.slice(j + 2, j + 6), 16));
        j += 6;
        continue;
      }
      if (/^[0-7]{3}$/.test(input.slice(j + 1, j + 4))) {
        text += String.fromCharCode(parseInt(input.slice(j + 1, j + 4), 8));
        j += 4;
        continue;
      }
      text += ESCAPES[e] ?? e;
      j += 2;
      continue;
    }
    text += c;
    j++;
  }
}
