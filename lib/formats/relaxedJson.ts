/**
 * The Jackson parser features Spark's JSON options switch on (`allowComments`, `allowSingleQuotes`,
 * `allowUnquotedFieldNames`, `allowNumericLeadingZeros`, `allowBackslashEscapingAnyCharacter`,
 * `allowUnquotedControlChars`, and `allowNonNumericNumbers`, on by default), as a rewrite of the record text into
 * strict JSON that `JSON.parse` reads. A non-numeric number (`NaN`, `Infinity`, `-INF`, ...) becomes the string
 * Spark's reader takes for it (`"NaN"`, `"Infinity"`, `"-Infinity"`): a DOUBLE/FLOAT field reads the number, a
 * STRING field the text (inference sees a string, where Spark infers DOUBLE).
 *
 * Invariant: with every feature off the text is returned unchanged (no cost, no change of meaning); with a feature
 * on, only what the feature allows is rewritten (a comment becomes a space, a single-quoted string a
 * double-quoted one with the same value, an unquoted field name a quoted one), and text inside strings is never
 * touched, so strict JSON means the same before and after.
 */
import type { FormatOptions } from './FormatOptions';

/** The relaxations of one read (Spark's defaults: single quotes and non-numeric numbers on, the rest off). */
export interface JsonFeatures {
  /** Java/C++ comments: `// ...` to the end of the line and `/* ... *\/`. */
  readonly allowComments: boolean;
  /** Strings and names in single quotes. */
  readonly allowSingleQuotes: boolean;
  /** Field names without quotes (`{a: 1}`). */
  readonly allowUnquotedFieldNames: boolean;
  /** `NaN`, `Infinity`, `+Infinity`, `-Infinity`, `INF`, `+INF`, `-INF` as numbers (Spark's default: true). */
  readonly allowNonNumericNumbers?: boolean;
  /** Numbers with leading zeros (`007` is 7, `-007.5` is -7.5). */
  readonly allowNumericLeadingZeros?: boolean;
  /** A backslash before any character in a string stands for that character (`"\q"` is `q`). */
  readonly allowBackslashEscapingAnyCharacter?: boolean;
  /** Characters below U+0020 (tab, newline, ...) unescaped inside strings. */
  readonly allowUnquotedControlChars?: boolean;
}

/** The features of `options` (INVALID_ARGUMENT for a value that is not a boolean). */
export function jsonFeaturesOf(options: FormatOptions): JsonFeatures {
  return {
    allowComments: options.boolean('allowComments', false),
    allowSingleQuotes: options.boolean('allowSingleQuotes', true),
    allowUnquotedFieldNames: options.boolean('allowUnquotedFieldNames', false),
    allowNonNumericNumbers: options.boolean('allowNonNumericNumbers', true),
    allowNumericLeadingZeros: options.boolean('allowNumericLeadingZeros', false),
    allowBackslashEscapingAnyCharacter: options.boolean('allowBackslashEscapingAnyCharacter', false),
    allowUnquotedControlChars: options.boolean('allowUnquotedControlChars', false),
  };
}

/**
 * True when some feature that strict JSON text never needs is on (non-numeric numbers excepted: they are tried
 * only when `JSON.parse` fails, so strict JSON keeps its fast path).
 */
export function isRelaxed(f: JsonFeatures): boolean {
  return (
    f.allowComments ||
    f.allowSingleQuotes ||
    f.allowUnquotedFieldNames ||
    f.allowNumericLeadingZeros === true ||
    f.allowBackslashEscapingAnyCharacter === true ||
    f.allowUnquotedControlChars === true
  );
}

/** The escapes JSON defines after a backslash. */
const JSON_ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't', 'u']);

/** `c` as JSON string content (a control character or quote escaped). */
function jsonChar(c: string): string {
  return JSON.stringify(c).slice(1, -1);
}

/**
 * The body of a string (between its quotes) as strict JSON content under `f`: an escape JSON does not define
 * becomes its character (allowBackslashEscapingAnyCharacter), a raw control character its `\u` escape
 * (allowUnquotedControlChars); anything else is kept, so JSON.parse still rejects what `f` does not allow.
 */
function stringBody(body: string, f: JsonFeatures, quote: '"' | "'"): string {
  let out = '';
  for (let k = 0; k < body.length; k += 1) {
    const d = body[k] as string;
    if (d === '\\' && k + 1 < body.length) {
      const e = body[k + 1] as string;
      k += 1;
      // Jackson: with single quotes allowed, `\'` is an escape in any string.
      if (e === "'" && (quote === "'" || f.allowSingleQuotes)) out += "'";
      else if (JSON_ESCAPES.has(e)) out += `\\${e}`;
      else out += f.allowBackslashEscapingAnyCharacter ? jsonChar(e) : `\\${e}`;
    } else if (d < ' ' && f.allowUnquotedControlChars) out += jsonChar(d);
    else if (d === '"' && quote === "'") out += '\\"';
    else out += d;
  }
  return out;
}

/** A number token with leading zeros at `i` (`007`, `-00.5`), or undefined. */
function leadingZerosAt(text: string, i: number): string | undefined {
  const c = text[i] as string;
  if ((c !== '0' && c !== '-') || /[A-Za-z0-9_$.+-]/.test(text[i - 1] ?? ' ')) return undefined;
  const m = /^-?0+\d[0-9.eE+-]*/.exec(text.slice(i, i + 400));
  return m === null ? undefined : m[0];
}

const NON_NUMERIC: Readonly<Record<string, string>> = {
  NaN: 'NaN',
  Infinity: 'Infinity',
  '+Infinity': 'Infinity',
  '-Infinity': '-Infinity',
  INF: 'Infinity',
  '+INF': 'Infinity',
  '-INF': '-Infinity',
};

const isNameStart = (c: string) => /[A-Za-z_$]/.test(c);

/** The non-numeric number token at `i` (a value, not a field name), or undefined. */
function nonNumericAt(text: string, i: number): string | undefined {
  const c = text[i] as string;
  if (!/[NI+-]/.test(c) || isNamePart(text[i - 1] ?? ' ')) return undefined;
  const m = /^[+-]?(?:NaN|Infinity|INF)(?![A-Za-z0-9_$])/.exec(text.slice(i, i + 10));
  if (m === null || NON_NUMERIC[m[0]] === undefined || isKey(text, i + m[0].length)) return undefined;
  return m[0];
}

/** True when the next non-space character after `at` is ':' (the word before it is a field name). */
function isKey(text: string, at: number): boolean {
  let k = at;
  while (k < text.length && /\s/.test(text[k] as string)) k++;
  return text[k] === ':';
}
const isNamePart = (c: string) => /[A-Za-z0-9_$]/.test(c);

/**
 * `text` as strict JSON under `f`. Malformed input stays malformed (an unterminated comment or string is kept as
 * it is, so `JSON.parse` rejects it).
 *
 * @example
 * ```ts
 * toStrictJson("{a: 'x', /* c *\/ \"b\": 1} // end", { allowComments: true, allowSingleQuotes: true, allowUnquotedFieldNames: true })
 * // '{"a": "x",   "b": 1} '
 * ```
 */
export function toStrictJson(text: string, f: JsonFeatures): string {
  if (!isRelaxed(f) && !f.allowNonNumericNumbers) return text;
  let out = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i] as string;
    if (c === '"') {
      // A strict string: copied as it is, unless escapes or control characters are relaxed.
      let j = i + 1;
      while (j < n && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (j >= n || !(f.allowBackslashEscapingAnyCharacter || f.allowUnquotedControlChars || f.allowSingleQuotes)) out += text.slice(i, j + 1);
      else out += `"${stringBody(text.slice(i + 1, j), f, '"')}"`;
      i = j + 1;
    } else if (c === "'" && f.allowSingleQuotes) {
      let j = i + 1;
      while (j < n && text[j] !== "'") j += text[j] === '\\' ? 2 : 1;
      if (j >= n) return out + text.slice(i); // unterminated: left for JSON.parse to reject
      out += `"${stringBody(text.slice(i + 1, j), f, "'")}"`;
      i = j + 1;
    } else if (f.allowNumericLeadingZeros && leadingZerosAt(text, i) !== undefined) {
      const token = leadingZerosAt(text, i) as string;
      out += token.replace(/^(-?)0+(?=\d)/, '$1');
      i += token.length;
    } else if (c === '/' && f.allowComments && text[i + 1] === '/') {
      let j = i + 2;
      while (j < n && text[j] !== '\n' && text[j] !== '\r') j++;
      out += ' ';
      i = j;
    } else if (c === '/' && f.allowComments && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return out + text.slice(i);
      out += ' ';
      i = end + 2;
    } else if (f.allowNonNumericNumbers && nonNumericAt(text, i) !== undefined) {
      const token = nonNumericAt(text, i) as string;
      out += `"${NON_NUMERIC[token] as string}"`;
      i += token.length;
    } else if (f.allowUnquotedFieldNames && isNameStart(c) && !isNamePart(text[i - 1] ?? ' ')) {
      let j = i + 1;
      while (j < n && isNamePart(text[j] as string)) j++;
      const name = text.slice(i, j);
      // A name is followed by ':' (true/false/null and numbers never are in JSON).
      out += isKey(text, j) ? `"${name}"` : name;
      i = j;
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}
