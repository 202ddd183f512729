/**
 * Spark's string functions (`stringExpressions.scala`, `regexpExpressions.scala`): case, length, trimming,
 * substrings, padding, splitting and replacing, regex extraction. `concat` and `reverse`, which take arrays too,
 * are collection functions as in Spark (`collections.ts`).
 *
 * Invariants: lengths and positions count Unicode code points and are 1-based, as Spark's UTF8String does; a
 * constant pattern is compiled once, at compile time, on RE2 (`javaRegex`: linear time); arguments are cast to STRING (or INT for
 * positions and counts) as Spark's implicit casts do, and null in gives null out except for `concat_ws`, which
 * skips null parts.
 */
import { exprError } from '../errorCodes';
import { constantValue, makeNode, stringArg, type Node } from '../compiled';
import { isArray, isBinary, isNull, isString, sqlTypes, type DataType } from '../typeSupport';
import { javaRegex, type JavaRegex } from '../javaRegex';
import { codePointLength, javaSplit, substringSql, trimChars } from '../values';
import { intArg } from './arguments';
import { functionTable, scalar, strict, type FunctionTable, type ScalarFunction } from './scalarFunction';

const INT_MAX = 2147483647;

/**
 * The longest string value `lpad`, `rpad` and `repeat` build (2^28 UTF-16 units, half of V8's own limit): past
 * V8's limit the process dies with a fatal "invalid size" that no catch can stop, so a longer result is a clear
 * INVALID_ARGUMENT naming the function instead.
 */
const MAX_RESULT_LENGTH = 2 ** 28;

function tooLong(fn: string, length: number): Error {
  return exprError('INVALID_ARGUMENT', `The result of ${fn} would be ${length} characters long, more than the ${MAX_RESULT_LENGTH} weir allows for one string.`, {
    function: fn,
    length,
  });
}

function stringFn(f: (s: string) => unknown, type: () => DataType = sqlTypes.string): ScalarFunction {
  return scalar(1, 1, (call, args) => strict(call, [stringArg(call, 0, args[0]!)], type(), ([s]) => f(s as string)));
}

/** `trim`, `ltrim`, `rtrim`: spaces, or the characters of the second argument, off the chosen ends. */
function trimFn(left: boolean, right: boolean): ScalarFunction {
  return scalar(1, 2, (call, args) => {
    const nodes = args.map((a, i) => stringArg(call, i, a));
    if (nodes.length === 1) return strict(call, nodes, sqlTypes.string(), ([s]) => trimChars(s as string, ' ', left, right));
    return strict(call, nodes, sqlTypes.string(), ([s, chars]) => trimChars(s as string, chars as string, left, right));
  });
}

/** `lpad` (`left`) and `rpad`: pads or truncates to a length in code points. */
function padFn(left: boolean): ScalarFunction {
  return scalar(2, 3, (call, args) => {
    const nodes = [stringArg(call, 0, args[0]!), intArg(call, 1, args[1]!), args[2] === undefined ? undefined : stringArg(call, 2, args[2])].filter((n): n is Node => n !== undefined);
    return strict(call, nodes, sqlTypes.string(), ([s, len, pad]) => {
      const chars = Array.from(s as string);
      const n = len as number;
      if (n <= chars.length) return chars.slice(0, Math.max(n, 0)).join('');
      const padChars = Array.from((pad as string | undefined) ?? ' ');
      if (padChars.length === 0) return s;
      if (n > MAX_RESULT_LENGTH) throw tooLong(left ? 'lpad' : 'rpad', n);
      const fill: string[] = [];
      while (fill.length < n - chars.length) fill.push(padChars[fill.length % padChars.length]!);
      return left ? fill.join('') + s : s + fill.join('');
    });
  });
}

/** `startswith`, `endswith`, `contains`: a test of two strings. */
function stringTest(test: (s: string, x: string) => boolean): ScalarFunction {
  return scalar(2, 2, (call, args) =>
    strict(call, args.map((a, i) => stringArg(call, i, a)), sqlTypes.boolean(), ([s, x]) => test(s as string, x as string)),
  );
}

/** The string functions by name. */
export const STRING_FUNCTIONS: FunctionTable = functionTable([
  [['upper', 'ucase'], stringFn((s) => s.toUpperCase())],
  [['lower', 'lcase'], stringFn((s) => s.toLowerCase())],
  [['initcap'], stringFn((s) => s.split(' ').map((w) => (w.length === 0 ? w : w[0]!.toUpperCase() + w.slice(1).toLowerCase())).join(' '))],
  [['length', 'char_length', 'character_length'], scalar(1, 1, (call, args) => {
    const a = args[0]!;
    if (isBinary(a.dataType)) return strict(call, [a], sqlTypes.int(), ([b]) => (b as Uint8Array).length);
    return strict(call, [stringArg(call, 0, a)], sqlTypes.int(), ([s]) => codePointLength(s as string));
  })],
  ['trim', trimFn(true, true)],
  ['ltrim', trimFn(true, false)],
  ['rtrim', trimFn(false, true)],
  [['substring', 'substr'], scalar(2, 3, (call, args) => {
    const src = args[0]!;
    const pos = intArg(call, 1, args[1]!);
    const len = args[2] === undefined ? undefined : intArg(call, 2, args[2]);
    const nodes = len === undefined ? [pos] : [pos, len];
    if (isBinary(src.dataType)) {
      return strict(call, [src, ...nodes], sqlTypes.binary(), ([b, p, l]) => {
        const bytes = b as Uint8Array;
        const chars = Array.from(bytes, (x) => String.fromCharCode(x)).join('');
        const s = substringSql(chars, p as number, l === undefined ? INT_MAX : (l as number));
        return Uint8Array.from(s, (c) => c.charCodeAt(0));
      });
    }
    return strict(call, [stringArg(call, 0, src), ...nodes], sqlTypes.string(), ([s, p, l]) =>
      substringSql(s as string, p as number, l === undefined ? INT_MAX : (l as number)),
    );
  })],
  ['concat_ws', scalar(1, Infinity, (call, args) => {
    const sep = stringArg(call, 0, args[0]!);
    const parts = args.slice(1).map((a, i) => {
      if (isArray(a.dataType) && (isString(a.dataType.elementType) || isNull(a.dataType.elementType))) return a;
      return stringArg(call, i + 1, a);
    });
    const evals = parts.map((p) => p.run);
    const evalSep = sep.run;
    return makeNode(call, sqlTypes.string(), true, (row, ctx) => {
      const s = evalSep(row, ctx);
      if (s === null || s === undefined) return null;
      const out: string[] = [];
      for (const e of evals) {
        const v = e(row, ctx);
        if (v === null || v === undefined) continue;
        if (Array.isArray(v)) {
          for (const x of v) if (x !== null && x !== undefined) out.push(String(x));
        } else out.push(v as string);
      }
      return out.join(s as string);
    }, [sep, ...parts]);
  })],
  ['split', scalar(2, 3, (call, args) => {
    const str = stringArg(call, 0, args[0]!);
    const pattern = stringArg(call, 1, args[1]!);
    const limit = args[2] === undefined ? undefined : intArg(call, 2, args[2]);
    const type = sqlTypes.array(sqlTypes.string(), false);
    const cached = pattern.constant ? constantValue(pattern) : undefined;
    const re = typeof cached === 'string' ? javaRegex(cached, 'split') : undefined;
    const nodes = limit === undefined ? [str, pattern] : [str, pattern, limit];
    return strict(call, nodes, type, ([s, p, l]) => {
      const lim = l === undefined || (l as number) <= 0 ? -1 : (l as number);
      return javaSplit(s as string, re ?? javaRegex(p as string, 'split'), lim);
    });
  })],
  ['replace', scalar(2, 3, (call, args) => {
    const nodes = args.map((a, i) => stringArg(call, i, a));
    return strict(call, nodes, sqlTypes.string(), ([s, search, rep]) =>
      (search as string).length === 0 ? s : (s as string).split(search as string).join((rep as string | undefined) ?? ''),
    );
  })],
  ['regexp_replace', scalar(3, 4, (call, args) => {
    const nodes = args.slice(0, 3).map((a, i) => stringArg(call, i, a));
    const pat = nodes[1]!.constant ? constantValue(nodes[1]!) : undefined;
    const re = typeof pat === 'string' ? javaRegex(pat, 'regexp_replace') : undefined;
    return strict(call, nodes, sqlTypes.string(), ([s, p, rep]) => (re ?? javaRegex(p as string, 'regexp_replace')).replaceAll(s as string, rep as string));
  })],
  ['regexp_extract', scalar(2, 3, (call, args) => {
    const nodes = [stringArg(call, 0, args[0]!), stringArg(call, 1, args[1]!), args[2] === undefined ? undefined : intArg(call, 2, args[2])].filter((n): n is Node => n !== undefined);
    const pat = nodes[1]!.constant ? constantValue(nodes[1]!) : undefined;
    const fixed = typeof pat === 'string' ? javaRegex(pat, 'regexp_extract') : undefined;
    return strict(call, nodes, sqlTypes.string(), ([s, p, idx]) => {
      const re: JavaRegex = fixed ?? javaRegex(p as string, 'regexp_extract');
      const m = re.matcher(s as string);
      const i = idx === undefined ? 1 : (idx as number);
      if (!m.find()) return '';
      if (i < 0 || i > re.groupCount) {
        throw exprError('INVALID_ARGUMENT', `[INVALID_PARAMETER_VALUE.REGEX_GROUP_INDEX] The value of parameter(s) \`idx\` in \`regexp_extract\` is invalid: Expects group index between 0 and ${re.groupCount}, but got ${i}. SQLSTATE: 22023`);
      }
      return m.group(i) ?? '';
    });
  })],
  ['instr', scalar(2, 2, (call, args) => {
    const nodes = args.map((a, i) => stringArg(call, i, a));
    return strict(call, nodes, sqlTypes.int(), ([s, sub]) => {
      const i = (s as string).indexOf(sub as string);
      return i < 0 ? 0 : codePointLength((s as string).slice(0, i)) + 1;
    });
  })],
  [['locate', 'position'], scalar(2, 3, (call, args) => {
    const nodes = [stringArg(call, 0, args[0]!), stringArg(call, 1, args[1]!), ...(args[2] === undefined ? [] : [intArg(call, 2, args[2])])];
    return strict(call, nodes, sqlTypes.int(), ([sub, s, pos]) => {
      const p = pos === undefined ? 1 : (pos as number);
      if (p < 1) return 0;
      const chars = Array.from(s as string);
      const prefix = chars.slice(0, p - 1).join('');
      const i = (s as string).indexOf(sub as string, prefix.length);
      return i < 0 ? 0 : codePointLength((s as string).slice(0, i)) + 1;
    });
  })],
  ['lpad', padFn(true)],
  ['rpad', padFn(false)],
  ['startswith', stringTest((s, x) => s.startsWith(x))],
  ['endswith', stringTest((s, x) => s.endsWith(x))],
  ['contains', stringTest((s, x) => s.includes(x))],
  ['repeat', scalar(2, 2, (call, args) =>
    strict(call, [stringArg(call, 0, args[0]!), intArg(call, 1, args[1]!)], sqlTypes.string(), ([s, n]) => {
      const times = Math.max(0, n as number);
      if ((s as string).length * times > MAX_RESULT_LENGTH) throw tooLong('repeat', (s as string).length * times);
      return (s as string).repeat(times);
    }),
  )],
]);
