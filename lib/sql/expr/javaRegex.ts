/**
 * Spark's Java regular expressions (RLIKE / REGEXP / regexp_like, regexp_replace, regexp_extract, split) on a
 * linear-time engine: re2js, the pure-JavaScript port of RE2/J (issue #16 item 12: `'(a+)+$'` on 31 characters
 * took 10 s on the backtracking JS RegExp). re2js is loaded the first time a pattern is compiled, so a program
 * that uses no regex never loads it.
 *
 * Java syntax is translated where RE2 has the same feature under another spelling (`\uXXXX`, `\0ooo`, `\e`, `\cX`,
 * Java's `\v` and `\h`, the POSIX classes `\p{Alpha}` ...). What RE2 cannot do in linear time, or would read
 * differently from Java, is refused with `INVALID_PARAMETER_VALUE.PATTERN` naming the feature, never matched
 * differently: backreferences (`\1`, `\k<name>`), lookahead and lookbehind, atomic groups, possessive quantifiers,
 * `\G`, `\Z`, `\R`, `\X`, class intersection (`&&`) and nested classes (`[a[b]]`), the flags `x`, `d` and `U`.
 * Differences left (documented): Java's `(?i)` folds ASCII only and RE2's all of Unicode; Java's `.` and `$`
 * also treat `\r`, `\u0085`, `\u2028`, `\u2029` as line terminators, RE2's only `\n`.
 *
 * Invariants: a pattern is translated and compiled once per call of `javaRegex` (callers compile a constant pattern
 * once at expression compile time); every error is a WeirError INVALID_ARGUMENT with Spark's condition text and the
 * pattern and function in its context.
 */
import type * as Re2js from 're2js';
import { exprError } from './errorCodes';

type Re2Module = typeof Re2js;

let re2: Re2Module | undefined;

/** re2js, loaded on first use. */
function engine(): Re2Module {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy load: no regex, no re2js loaded
  re2 ??= require('re2js') as Re2Module;
  return re2;
}

/** A compiled pattern: the engine's matcher API over one input at a time. */
export interface JavaRegex {
  /** The pattern as the user wrote it. */
  readonly source: string;
  /** Number of capturing groups. */
  readonly groupCount: number;
  /** True when the pattern occurs somewhere in `input` (Java's `Matcher.find`). */
  test(input: string): boolean;
  /** A matcher over `input` (Java's `Matcher`: `find(from?)`, `start()`, `end()`, `group(i)`). */
  matcher(input: string): Re2js.Matcher;
  /** Java's `Matcher.replaceAll(replacement)`: `$n` / `${name}` groups, `\` escapes the next character. */
  replaceAll(input: string, replacement: string): string;
}

const POSIX: Readonly<Record<string, string>> = {
  Lower: 'lower', Upper: 'upper', ASCII: 'ascii', Alpha: 'alpha', Digit: 'digit', Alnum: 'alnum', Punct: 'punct',
  Graph: 'graph', Print: 'print', Blank: 'blank', Cntrl: 'cntrl', XDigit: 'xdigit', Space: 'space',
};

function badPattern(pattern: string, fn: string, why: string, cause?: unknown): Error {
  return exprError(
    'INVALID_ARGUMENT',
    `[INVALID_PARAMETER_VALUE.PATTERN] The value of parameter(s) \`regexp\` in \`${fn}\` is invalid: '${pattern}'. ${why} SQLSTATE: 22023`,
    { pattern, function: fn, reason: why },
    cause,
  );
}

function unsupported(pattern: string, fn: string, feature: string): Error {
  return badPattern(pattern, fn, `weir runs regular expressions on RE2 (linear time), which has no ${feature}.`);
}

const hex = (cp: number): string => `\\x{${cp.toString(16)}}`;

/** Translates a Java pattern to RE2 syntax, refusing what RE2 lacks. */
export function translateJavaRegex(pattern: string, fn: string): string {
  let out = '';
  let inClass = false;
  let classStart = -1;
  const n = pattern.length;
  for (let i = 0; i < n; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const d = pattern[i + 1];
      if (d === undefined) throw badPattern(pattern, fn, 'Unexpected internal error: trailing backslash.');
      if (d === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        const quoted = end < 0 ? pattern.slice(i + 2) : pattern.slice(i + 2, end);
        for (const ch of quoted) out += /[A-Za-z0-9]/.test(ch) ? ch : hex(ch.codePointAt(0)!);
        i = end < 0 ? n : end + 1;
        continue;
      }
      if (d >= '1' && d <= '9') throw unsupported(pattern, fn, `backreferences (\\${d})`);
      if (d === 'k') throw unsupported(pattern, fn, 'backreferences (\\k<name>)');
      if (d === 'G' || d === 'Z' || d === 'R' || d === 'X' || d === 'H' || d === 'V' || d === 'N') {
        throw unsupported(pattern, fn, `\\${d}`);
      }
      if (d === 'u') {
        const m = /^[0-9a-fA-F]{4}/.exec(pattern.slice(i + 2));
        if (m === null) throw badPattern(pattern, fn, 'Illegal Unicode escape sequence.');
        out += hex(parseInt(m[0], 16));
        i += 5;
        continue;
      }
      if (d === '0') {
        const m = /^[0-7]{1,3}/.exec(pattern.slice(i + 2));
        if (m === null) throw badPattern(pattern, fn, 'Illegal octal escape sequence.');
        const digits = parseInt(m[0], 8) > 0o377 ? m[0].slice(0, 2) : m[0];
        out += hex(parseInt(digits, 8));
        i += 1 + digits.length;
        continue;
      }
      if (d === 'e') {
        out += hex(0x1b);
        i += 1;
        continue;
      }
      if (d === 'c') {
        const x = pattern[i + 2];
        if (x === undefined) throw badPattern(pattern, fn, 'Illegal control escape sequence.');
        out += hex(x.charCodeAt(0) ^ 64);
        i += 2;
        continue;
      }
      if (d === 'h') {
        const set = '\\t\\x{20}\\x{a0}\\x{1680}\\x{180e}\\x{2000}-\\x{200a}\\x{202f}\\x{205f}\\x{3000}';
        out += inClass ? set : `[${set}]`;
        i += 1;
        continue;
      }
      if (d === 's' || (d === 'S' && !inClass)) {
        // Java's \s has \x0B, RE2's does not.
        const set = '\\t\\n\\x{b}\\f\\r\\x{20}';
        out += inClass ? set : `[${d === 'S' ? '^' : ''}${set}]`;
        i += 1;
        continue;
      }
      if (d === 'v') {
        const set = '\\n\\x{b}\\f\\r\\x{85}\\x{2028}\\x{2029}';
        out += inClass ? set : `[${set}]`;
        i += 1;
        continue;
      }
      if (d === 'p' || d === 'P') {
        const m = /^\{([A-Za-z_]+)\}/.exec(pattern.slice(i + 2));
        const name = m?.[1];
        if (name !== undefined && Object.hasOwn(POSIX, name)) {
          const cls = `[:${d === 'P' ? '^' : ''}${POSIX[name]!}:]`;
          out += inClass ? cls : `[${cls}]`;
          i += 1 + m![0].length;
          continue;
        }
        if (name !== undefined && /^(java|Is|In)/.test(name)) {
          throw unsupported(pattern, fn, `the Java character class \\${d}{${name}}`);
        }
      }
      out += c + d;
      i += 1;
      continue;
    }
    if (inClass) {
      if (c === '[') throw unsupported(pattern, fn, 'nested character classes or class unions ([a[b]])');
      if (c === '&' && pattern[i + 1] === '&') throw unsupported(pattern, fn, 'character class intersection (&&)');
      if (c === ']' && !(i === classStart + 1 || (i === classStart + 2 && pattern[classStart + 1] === '^'))) inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      classStart = i;
      out += c;
      continue;
    }
    if (c === '(' && pattern[i + 1] === '?') {
      const rest = pattern.slice(i + 2);
      if (rest.startsWith('=') || rest.startsWith('!')) throw unsupported(pattern, fn, `lookahead ((?${rest[0]!}...))`);
      if (rest.startsWith('<=') || rest.startsWith('<!')) throw unsupported(pattern, fn, `lookbehind ((?${rest.slice(0, 2)}...))`);
      if (rest.startsWith('>')) throw unsupported(pattern, fn, 'atomic groups ((?>...))');
      const flags = /^([a-zA-Z]*)(?:-([a-zA-Z]*))?[:)]/.exec(rest);
      if (flags !== null) {
        const all = (flags[1] ?? '') + (flags[2] ?? '');
        for (const f of all) {
          if (f === 'x') throw unsupported(pattern, fn, 'COMMENTS mode ((?x))');
          if (f === 'd') throw unsupported(pattern, fn, 'UNIX_LINES mode ((?d))');
          if (f === 'U') throw unsupported(pattern, fn, 'UNICODE_CHARACTER_CLASS mode ((?U))');
        }
        // Java's u (UNICODE_CASE) is what RE2's (?i) always does.
        const on = (flags[1] ?? '').replace(/u/g, '');
        const off = (flags[2] ?? '').replace(/u/g, '');
        const close = flags[0][flags[0].length - 1]!;
        if (on === '' && off === '') out += close === ')' ? '' : '(?:';
        else out += `(?${on}${off === '' ? '' : `-${off}`}${close}`;
        i += 1 + flags[0].length;
        continue;
      }
    }
    if ((c === '*' || c === '+' || c === '?' || c === '}') && pattern[i + 1] === '+') {
      throw unsupported(pattern, fn, `possessive quantifiers (${c}+)`);
    }
    out += c;
  }
  return out;
}

/** Compiles a Java regex for the Spark function `fn` (named in errors). */
export function javaRegex(pattern: string, fn: string): JavaRegex {
  const translated = translateJavaRegex(pattern, fn);
  const { RE2JS } = engine();
  let compiled: Re2js.RE2JS;
  try {
    compiled = RE2JS.compile(translated);
  } catch (e) {
    throw badPattern(pattern, fn, (e as Error).message.replace(/^error parsing regexp: /, ''), e);
  }
  return {
    source: pattern,
    groupCount: compiled.groupCount(),
    test: (input) => compiled.test(input),
    matcher: (input) => compiled.matcher(input),
    replaceAll: (input, replacement) => {
      try {
        return compiled.matcher(input).replaceAll(replacement, true);
      } catch (e) {
        throw exprError('INVALID_ARGUMENT', `[INVALID_PARAMETER_VALUE.PATTERN] The value of parameter(s) \`rep\` in \`regexp_replace\` is invalid: '${replacement}'. ${(e as Error).message} SQLSTATE: 22023`, { pattern, replacement }, e);
      }
    },
  };
}
