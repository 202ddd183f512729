/**
 * The built-in scalar, generator and time-window functions (Spark's `FunctionRegistry`): one `Map` from the
 * lower-case name to an implementation with its arity, its result type rule and its null semantics.
 *
 * Invariants: lookups go through a `Map`, so names such as `constructor` or `__proto__` are simply unknown
 * functions; every implementation compiles its arguments once into a closure (constant patterns, formats and
 * regexes are prepared at compile time) and returns null for null input unless Spark says otherwise (coalesce,
 * concat_ws, isnull, ...); argument types are checked at compile time with Spark's DATATYPE_MISMATCH messages.
 * Aggregate functions live in `aggregates.ts`; this registry only knows their names.
 */
import { exprError, ExprErrorCodes } from './errorCodes';
import type { CallExpr, Expr } from './Expr';
import {
  castNode,
  constantValue,
  makeNode,
  mismatch,
  stringArg,
  unexpectedInput,
  type EvalContext,
  type Evaluator,
  type Node,
} from './compiled';
import {
  commonType,
  isArray,
  isBinary,
  isBoolean,
  isDate,
  isDecimal,
  isFloating,
  isIntegral,
  isMap,
  isNull,
  isNumeric,
  isString,
  isStruct,
  isTimestamp,
  sqlTypes,
  castValue,
  type DataType,
} from './typeSupport';
import {
  codePointLength,
  compareNullable,
  getOwn,
  javaRegExp,
  javaSplit,
  roundHalfEven,
  roundHalfUp,
  setOwn,
  substringSql,
  trimChars,
  valuesEqual,
  wrapIntegral,
} from './values';
import { formatDatetime, parseDatetime, startOfDay } from '../../values/datetimePattern';
import { fromJson, toJson } from './json';
import { outputName, prettySql } from './outputName';
import { dataTypeFromJson, parseDataType, toSchema, DecimalType } from '../types';
import { toEpochMs, windowStartsFor } from '../../window/TimeWindow';
import { intervalToDelayMs, parseInterval } from '../../util/interval';
import { sparkTimeWindowSpec } from './sparkTimeWindow';
import type { Row } from '../../contracts';

/** A scalar (or generator, or time-window) function. */
export interface ScalarFunction {
  readonly kind: 'scalar' | 'generator' | 'window';
  readonly minArgs: number;
  readonly maxArgs: number;
  /** Compiles a call whose arguments are compiled already. */
  compile(call: CallExpr, args: readonly Node[]): Node;
}

const INT_MAX = 2147483647;

// ---- helpers ---------------------------------------------------------------------------------------------

/** A node computing `f(values)` when no argument is null, else null. */
function strict(call: CallExpr, args: readonly Node[], type: DataType, f: (values: unknown[], ctx: EvalContext) => unknown): Node {
  const evals = args.map((a) => a.run);
  const n = evals.length;
  let evaluate: Evaluator;
  if (n === 1) {
    const e0 = evals[0]!;
    evaluate = (row, ctx) => {
      const v = e0(row, ctx);
      if (v === null || v === undefined) return null;
      const r = f([v], ctx);
      return r === undefined ? null : r;
    };
  } else {
    evaluate = (row, ctx) => {
      const values = new Array<unknown>(n);
      for (let i = 0; i < n; i++) {
        const v = evals[i]!(row, ctx);
        if (v === null || v === undefined) return null;
        values[i] = v;
      }
      const r = f(values, ctx);
      return r === undefined ? null : r;
    };
  }
  return makeNode(call, type, true, evaluate, args);
}

/** A numeric argument cast to DOUBLE (strings too, as Spark's implicit cast does). */
function doubleArg(call: CallExpr, i: number, arg: Node): Node {
  const t = arg.dataType;
  if (isNumeric(t) || isString(t) || isNull(t)) return castNode(arg, sqlTypes.double());
  throw unexpectedInput(call, i, arg, '"DOUBLE"');
}

/** An integral argument cast to INT. */
function intArg(call: CallExpr, i: number, arg: Node): Node {
  const t = arg.dataType;
  if (isIntegral(t) || isNull(t) || isString(t) || isDecimal(t) || isFloating(t)) return castNode(arg, sqlTypes.int());
  throw unexpectedInput(call, i, arg, '"INT"');
}

/** A timestamp argument (strings and dates are cast). */
function timestampArg(call: CallExpr, i: number, arg: Node): Node {
  const t = arg.dataType;
  if (isTimestamp(t)) return arg;
  if (isString(t) || isDate(t) || isNull(t)) return castNode(arg, sqlTypes.timestamp());
  throw unexpectedInput(call, i, arg, '"TIMESTAMP"');
}

/** A date argument (strings and timestamps are cast). */
function dateArg(call: CallExpr, i: number, arg: Node): Node {
  const t = arg.dataType;
  if (isDate(t)) return arg;
  if (isString(t) || isTimestamp(t) || isNull(t)) return castNode(arg, sqlTypes.date());
  throw unexpectedInput(call, i, arg, '"DATE"');
}

/** The value of an argument that must be constant (a pattern, a format, a duration). */
function constantArg(call: CallExpr, _i: number, arg: Node, what: string): unknown {
  if (!arg.constant) {
    throw mismatch(call, 'NON_FOLDABLE_INPUT', `the input ${what} should be a foldable "${arg.dataType.sql()}" expression; however, got ${JSON.stringify(prettySql(arg.expr))}`);
  }
  return constantValue(arg);
}

function scalar(minArgs: number, maxArgs: number, compile: (call: CallExpr, args: readonly Node[]) => Node): ScalarFunction {
  return { kind: 'scalar', minArgs, maxArgs, compile };
}

function stringFn(f: (s: string) => unknown, type: () => DataType = sqlTypes.string): ScalarFunction {
  return scalar(1, 1, (call, args) => strict(call, [stringArg(call, 0, args[0]!)], type(), ([s]) => f(s as string)));
}

function doubleFn(f: (x: number) => number | null): ScalarFunction {
  return scalar(1, 1, (call, args) => strict(call, [doubleArg(call, 0, args[0]!)], sqlTypes.double(), ([x]) => f(x as number)));
}

const utc = (ms: number): Date => new Date(ms);

/** A component of a timestamp (`year(ts)`): strings and dates are cast to timestamps first. */
function datePart(f: (d: Date) => number): ScalarFunction {
  return scalar(1, 1, (call, args) => {
    const a = args[0]!;
    const node = isDate(a.dataType) ? a : timestampArg(call, 0, a);
    return strict(call, [node], sqlTypes.int(), ([d]) => f(d as Date));
  });
}

function isoWeek(d: Date): number {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  return Math.ceil(((t.getTime() - yearStart) / 86_400_000 + 1) / 7);
}

/** The common type of `args` or a DATA_DIFF_TYPES mismatch; each argument cast to it. */
function unify(call: CallExpr, args: readonly Node[], fn: string): { type: DataType; nodes: Node[] } {
  const type = commonType(args.map((a) => a.dataType));
  if (type === undefined) {
    throw mismatch(call, 'DATA_DIFF_TYPES', `Input to \`${fn}\` should all be the same type, but it's [${args.map((a) => `"${a.dataType.sql()}"`).join(', ')}]`);
  }
  return { type, nodes: args.map((a) => castNode(a, type)) };
}

/** The element (or map value) type after a lookup, nullable. */
function elementType(t: DataType): DataType {
  if (isArray(t)) return t.elementType;
  if (isMap(t)) return t.valueType;
  return sqlTypes.null();
}

/** Parses `from_json`'s schema: a DDL field list, a type string (`array<int>`), or a JSON schema. */
export function parseJsonSchema(text: string): DataType {
  const t = text.trim();
  if (/^(array|map|struct)\s*</i.test(t)) return parseDataType(t);
  if (t.startsWith('{')) return dataTypeFromJson(t);
  return toSchema(t);
}

/** The per-row value of a duration argument (`'10 seconds'`, an interval literal) in ms, or null. */
function durationMs(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return intervalToDelayMs(parseInterval(value));
  if (typeof value === 'object' && value !== null && 'micros' in value) {
    const v = value as { months: number; days: number; micros: number };
    return Math.trunc(v.micros / 1000) + v.days * 86_400_000 + v.months * 31 * 86_400_000;
  }
  if (typeof value === 'number') return value;
  return null;
}

/** The duration text of a constant duration argument (a string, or `<ms> milliseconds` for an interval). */
export function durationText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const ms = durationMs(value);
  return ms === null ? undefined : `${ms} milliseconds`;
}

// ---- the registry ------------------------------------------------------------------------------------------

const F = new Map<string, ScalarFunction>();
const def = (names: string | readonly string[], f: ScalarFunction): void => {
  for (const n of typeof names === 'string' ? [names] : names) F.set(n, f);
};

// Strings.
def(['upper', 'ucase'], stringFn((s) => s.toUpperCase()));
def(['lower', 'lcase'], stringFn((s) => s.toLowerCase()));
def(['reverse'], scalar(1, 1, (call, args) => {
  const a = args[0]!;
  if (isArray(a.dataType)) return strict(call, [a], a.dataType, ([v]) => [...(v as unknown[])].reverse());
  return strict(call, [stringArg(call, 0, a)], sqlTypes.string(), ([s]) => Array.from(s as string).reverse().join(''));
}));
def(['initcap'], stringFn((s) => s.split(' ').map((w) => (w.length === 0 ? w : w[0]!.toUpperCase() + w.slice(1).toLowerCase())).join(' ')));
def(['length', 'char_length', 'character_length'], scalar(1, 1, (call, args) => {
  const a = args[0]!;
  if (isBinary(a.dataType)) return strict(call, [a], sqlTypes.int(), ([b]) => (b as Uint8Array).length);
  return strict(call, [stringArg(call, 0, a)], sqlTypes.int(), ([s]) => codePointLength(s as string));
}));
for (const [name, left, right] of [['trim', true, true], ['ltrim', true, false], ['rtrim', false, true]] as const) {
  def(name, scalar(1, 2, (call, args) => {
    const nodes = args.map((a, i) => stringArg(call, i, a));
    if (nodes.length === 1) return strict(call, nodes, sqlTypes.string(), ([s]) => trimChars(s as string, ' ', left, right));
    return strict(call, nodes, sqlTypes.string(), ([s, chars]) => trimChars(s as string, chars as string, left, right));
  }));
}
def(['substring', 'substr'], scalar(2, 3, (call, args) => {
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
}));
def('concat', scalar(0, Infinity, (call, args) => {
  if (args.length > 0 && args.every((a) => isArray(a.dataType) || isNull(a.dataType)) && args.some((a) => isArray(a.dataType))) {
    const { type, nodes } = unify(call, args, 'concat');
    return strict(call, nodes, type, (vs) => (vs as unknown[][]).flat(0).reduce<unknown[]>((acc, v) => acc.concat(v as unknown[]), []));
  }
  if (args.length === 0) return makeNode(call, sqlTypes.string(), false, () => '', []);
  const nodes = args.map((a, i) => stringArg(call, i, a));
  return strict(call, nodes, sqlTypes.string(), (vs) => (vs as string[]).join(''));
}));
def('concat_ws', scalar(1, Infinity, (call, args) => {
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
}));
def('split', scalar(2, 3, (call, args) => {
  const str = stringArg(call, 0, args[0]!);
  const pattern = stringArg(call, 1, args[1]!);
  const limit = args[2] === undefined ? undefined : intArg(call, 2, args[2]);
  const type = sqlTypes.array(sqlTypes.string(), false);
  const cached = pattern.constant ? constantValue(pattern) : undefined;
  const re = typeof cached === 'string' ? javaRegExp(cached, 'split') : undefined;
  const nodes = limit === undefined ? [str, pattern] : [str, pattern, limit];
  return strict(call, nodes, type, ([s, p, l]) => {
    const lim = l === undefined || (l as number) <= 0 ? -1 : (l as number);
    return javaSplit(s as string, re ?? javaRegExp(p as string, 'split'), lim);
  });
}));
def('replace', scalar(2, 3, (call, args) => {
  const nodes = args.map((a, i) => stringArg(call, i, a));
  return strict(call, nodes, sqlTypes.string(), ([s, search, rep]) =>
    (search as string).length === 0 ? s : (s as string).split(search as string).join((rep as string | undefined) ?? ''),
  );
}));
def('regexp_replace', scalar(3, 4, (call, args) => {
  const nodes = args.slice(0, 3).map((a, i) => stringArg(call, i, a));
  const pat = nodes[1]!.constant ? constantValue(nodes[1]!) : undefined;
  const re = typeof pat === 'string' ? javaRegExp(pat, 'regexp_replace', true) : undefined;
  return strict(call, nodes, sqlTypes.string(), ([s, p, rep]) => {
    const r = re ?? javaRegExp(p as string, 'regexp_replace', true);
    r.lastIndex = 0;
    return (s as string).replace(r, (rep as string).replace(/\\\$/g, '$$$$'));
  });
}));
def('regexp_extract', scalar(2, 3, (call, args) => {
  const nodes = [stringArg(call, 0, args[0]!), stringArg(call, 1, args[1]!), args[2] === undefined ? undefined : intArg(call, 2, args[2])].filter((n): n is Node => n !== undefined);
  return strict(call, nodes, sqlTypes.string(), ([s, p, idx]) => {
    const m = javaRegExp(p as string, 'regexp_extract').exec(s as string);
    const i = idx === undefined ? 1 : (idx as number);
    if (m === null) return '';
    if (i < 0 || i >= m.length) {
      throw exprError('INVALID_ARGUMENT', `[INVALID_PARAMETER_VALUE.REGEX_GROUP_INDEX] The value of parameter(s) \`idx\` in \`regexp_extract\` is invalid: Expects group index between 0 and ${m.length - 1}, but got ${i}. SQLSTATE: 22023`);
    }
    return m[i] ?? '';
  });
}));
def('instr', scalar(2, 2, (call, args) => {
  const nodes = args.map((a, i) => stringArg(call, i, a));
  return strict(call, nodes, sqlTypes.int(), ([s, sub]) => {
    const i = (s as string).indexOf(sub as string);
    return i < 0 ? 0 : codePointLength((s as string).slice(0, i)) + 1;
  });
}));
def(['locate', 'position'], scalar(2, 3, (call, args) => {
  const nodes = [stringArg(call, 0, args[0]!), stringArg(call, 1, args[1]!), ...(args[2] === undefined ? [] : [intArg(call, 2, args[2])])];
  return strict(call, nodes, sqlTypes.int(), ([sub, s, pos]) => {
    const p = pos === undefined ? 1 : (pos as number);
    if (p < 1) return 0;
    const chars = Array.from(s as string);
    const prefix = chars.slice(0, p - 1).join('');
    const i = (s as string).indexOf(sub as string, prefix.length);
    return i < 0 ? 0 : codePointLength((s as string).slice(0, i)) + 1;
  });
}));
for (const [name, left] of [['lpad', true], ['rpad', false]] as const) {
  def(name, scalar(2, 3, (call, args) => {
    const nodes = [stringArg(call, 0, args[0]!), intArg(call, 1, args[1]!), args[2] === undefined ? undefined : stringArg(call, 2, args[2])].filter((n): n is Node => n !== undefined);
    return strict(call, nodes, sqlTypes.string(), ([s, len, pad]) => {
      const chars = Array.from(s as string);
      const n = len as number;
      if (n <= chars.length) return chars.slice(0, Math.max(n, 0)).join('');
      const padChars = Array.from((pad as string | undefined) ?? ' ');
      if (padChars.length === 0) return s;
      const fill: string[] = [];
      while (fill.length < n - chars.length) fill.push(padChars[fill.length % padChars.length]!);
      return left ? fill.join('') + s : s + fill.join('');
    });
  }));
}
for (const [name, test] of [
  ['startswith', (s: string, x: string) => s.startsWith(x)],
  ['endswith', (s: string, x: string) => s.endsWith(x)],
  ['contains', (s: string, x: string) => s.includes(x)],
] as const) {
  def(name, scalar(2, 2, (call, args) =>
    strict(call, args.map((a, i) => stringArg(call, i, a)), sqlTypes.boolean(), ([s, x]) => test(s as string, x as string)),
  ));
}
def('repeat', scalar(2, 2, (call, args) =>
  strict(call, [stringArg(call, 0, args[0]!), intArg(call, 1, args[1]!)], sqlTypes.string(), ([s, n]) => (s as string).repeat(Math.max(0, n as number))),
));

// Null handling and conditionals.
def('coalesce', scalar(1, Infinity, (call, args) => {
  const { type, nodes } = unify(call, args, 'coalesce');
  const evals = nodes.map((n) => n.run);
  return makeNode(call, type, nodes.every((n) => n.nullable), (row, ctx) => {
    for (const e of evals) {
      const v = e(row, ctx);
      if (v !== null && v !== undefined) return v;
    }
    return null;
  }, nodes);
}));
def(['nvl', 'ifnull'], scalar(2, 2, (call, args) => F.get('coalesce')!.compile(call, args)));
def('nvl2', scalar(3, 3, (call, args) => {
  const { type, nodes } = unify(call, args.slice(1), 'nvl2');
  const [c, a, b] = [args[0]!.run, nodes[0]!.run, nodes[1]!.run];
  return makeNode(call, type, true, (row, ctx) => {
    const v = c(row, ctx);
    return v === null || v === undefined ? b(row, ctx) : a(row, ctx);
  }, [args[0]!, ...nodes]);
}));
def('nullif', scalar(2, 2, (call, args) => {
  const { nodes } = unify(call, args, 'nullif');
  const [a, b] = [nodes[0]!.run, nodes[1]!.run];
  return makeNode(call, args[0]!.dataType, true, (row, ctx) => {
    const x = a(row, ctx);
    if (x === null || x === undefined) return null;
    const y = b(row, ctx);
    return y !== null && y !== undefined && valuesEqual(x, y) ? null : x;
  }, nodes);
}));
def('if', scalar(3, 3, (call, args) => {
  const cond = args[0]!;
  if (!isBoolean(cond.dataType) && !isNull(cond.dataType)) throw unexpectedInput(call, 0, cond, '"BOOLEAN"');
  const { type, nodes } = unify(call, args.slice(1), 'if');
  const [c, a, b] = [cond.run, nodes[0]!.run, nodes[1]!.run];
  return makeNode(call, type, nodes[0]!.nullable || nodes[1]!.nullable, (row, ctx) => (c(row, ctx) === true ? a(row, ctx) : b(row, ctx)), [cond, ...nodes]);
}));
def('isnull', scalar(1, 1, (call, args) => {
  const e = args[0]!.run;
  return makeNode(call, sqlTypes.boolean(), false, (row, ctx) => {
    const v = e(row, ctx);
    return v === null || v === undefined;
  }, args);
}));
def('isnotnull', scalar(1, 1, (call, args) => {
  const e = args[0]!.run;
  return makeNode(call, sqlTypes.boolean(), false, (row, ctx) => {
    const v = e(row, ctx);
    return v !== null && v !== undefined;
  }, args);
}));
def('isnan', scalar(1, 1, (call, args) => {
  const a = doubleArg(call, 0, args[0]!);
  const e = a.run;
  return makeNode(call, sqlTypes.boolean(), false, (row, ctx) => {
    const v = e(row, ctx);
    return typeof v === 'number' && Number.isNaN(v);
  }, [a]);
}));
def('nanvl', scalar(2, 2, (call, args) => {
  const a = doubleArg(call, 0, args[0]!);
  const b = doubleArg(call, 1, args[1]!);
  return makeNode(call, sqlTypes.double(), true, (row, ctx) => {
    const x = a.run(row, ctx);
    return typeof x === 'number' && Number.isNaN(x) ? b.run(row, ctx) : x;
  }, [a, b]);
}));
for (const [name, sign] of [['greatest', 1], ['least', -1]] as const) {
  def(name, scalar(2, Infinity, (call, args) => {
    const { type, nodes } = unify(call, args, name);
    const evals = nodes.map((n) => n.run);
    return makeNode(call, type, nodes.every((n) => n.nullable), (row, ctx) => {
      let best: unknown = null;
      for (const e of evals) {
        const v = e(row, ctx);
        if (v === null || v === undefined) continue;
        if (best === null || sign * compareNullable(v, best) > 0) best = v;
      }
      return best;
    }, nodes);
  }));
}

// Math.
def('abs', scalar(1, 1, (call, args) => {
  const a = args[0]!;
  const node = isNumeric(a.dataType) ? a : doubleArg(call, 0, a);
  const bits = (node.dataType as { bits?: 8 | 16 | 32 | 64 }).bits;
  return strict(call, [node], node.dataType, ([x]) => (bits === undefined ? Math.abs(x as number) : wrapIntegral(Math.abs(x as number), bits)));
}));
for (const [name, round] of [['round', roundHalfUp], ['bround', roundHalfEven]] as const) {
  def(name, scalar(1, 2, (call, args) => {
    const a = args[0]!;
    const scale = args[1] === undefined ? 0 : Number(constantArg(call, 1, intArg(call, 1, args[1]), 'scale') ?? 0);
    const node = isNumeric(a.dataType) ? a : doubleArg(call, 0, a);
    let type = node.dataType;
    if (isDecimal(type)) {
      type = scale >= type.scale ? type : new DecimalType(Math.min(38, Math.max(1, type.precision - type.scale + Math.max(scale, 0) + 1)), Math.max(scale, 0));
    }
    const bits = (node.dataType as { bits?: 8 | 16 | 32 | 64 }).bits;
    return strict(call, [node], type, ([x]) => {
      const r = round(x as number, scale);
      return bits === undefined ? r : wrapIntegral(r, bits);
    });
  }));
}
for (const [name, f] of [['floor', Math.floor], ['ceil', Math.ceil], ['ceiling', Math.ceil]] as const) {
  def(name, scalar(1, 1, (call, args) => {
    const a = args[0]!;
    if (isIntegral(a.dataType)) return strict(call, [castNode(a, sqlTypes.long())], sqlTypes.long(), ([x]) => x);
    const node = doubleArg(call, 0, a);
    return strict(call, [node], sqlTypes.long(), ([x]) => {
      const v = f(x as number);
      if (Number.isNaN(v)) return 0;
      return Math.max(Math.min(v, 2 ** 63), -(2 ** 63));
    });
  }));
}
def('sqrt', doubleFn((x) => Math.sqrt(x)));
def('exp', doubleFn((x) => Math.exp(x)));
def('ln', doubleFn((x) => (x <= 0 ? null : Math.log(x))));
def('log10', doubleFn((x) => (x <= 0 ? null : Math.log10(x))));
def('log2', doubleFn((x) => (x <= 0 ? null : Math.log2(x))));
def(['signum', 'sign'], doubleFn((x) => Math.sign(x)));
def('log', scalar(1, 2, (call, args) => {
  if (args.length === 1) return F.get('ln')!.compile(call, args);
  const nodes = args.map((a, i) => doubleArg(call, i, a));
  return strict(call, nodes, sqlTypes.double(), ([b, x]) => ((b as number) <= 0 || (x as number) <= 0 ? null : Math.log(x as number) / Math.log(b as number)));
}));
def(['pow', 'power'], scalar(2, 2, (call, args) => strict(call, args.map((a, i) => doubleArg(call, i, a)), sqlTypes.double(), ([b, e]) => Math.pow(b as number, e as number))));
def('pmod', scalar(2, 2, (call, args) => {
  const { type, nodes } = unify(call, args.map((a, i) => (isNumeric(a.dataType) ? a : doubleArg(call, i, a))), 'pmod');
  return strict(call, nodes, type, ([a, b]) => {
    if ((b as number) === 0) return null;
    const r = (a as number) % (b as number);
    return r < 0 ? (r + (b as number)) % (b as number) : r;
  });
}));
for (const name of ['negative', 'positive'] as const) {
  def(name, scalar(1, 1, (call, args) => {
    const a = args[0]!;
    const node = isNumeric(a.dataType) ? a : doubleArg(call, 0, a);
    const bits = (node.dataType as { bits?: 8 | 16 | 32 | 64 }).bits;
    return strict(call, [node], node.dataType, ([x]) => (name === 'positive' ? x : bits === undefined ? -(x as number) : wrapIntegral(-(x as number), bits)));
  }));
}
for (const [name, op] of [['shiftleft', '<<'], ['shiftright', '>>'], ['shiftrightunsigned', '>>>']] as const) {
  def(name, scalar(2, 2, (call, args) => {
    const a = args[0]!;
    if (!isIntegral(a.dataType) && !isNull(a.dataType)) throw unexpectedInput(call, 0, a, '("INT" or "BIGINT")');
    const long = a.dataType.typeName === 'long';
    const base = castNode(a, long ? sqlTypes.long() : sqlTypes.int());
    const n = intArg(call, 1, args[1]!);
    return strict(call, [base, n], base.dataType, ([x, k]) => {
      if (!long) {
        const v = x as number;
        const s = (k as number) & 31;
        return op === '<<' ? v << s : op === '>>' ? v >> s : (v >>> s) | 0;
      }
      const v = BigInt.asIntN(64, BigInt(x as number));
      const s = BigInt((k as number) & 63);
      const r = op === '<<' ? v << s : op === '>>' ? v >> s : BigInt.asUintN(64, v) >> s;
      return Number(BigInt.asIntN(64, r));
    });
  }));
}

// Date and time.
def(['current_timestamp', 'now'], scalar(0, 0, (call) =>
  makeNode(call, sqlTypes.timestamp(), false, (_row, ctx) => new Date(ctx.batchTimestampMs), [], false),
));
def('current_date', scalar(0, 0, (call) =>
  makeNode(call, sqlTypes.date(), false, (_row, ctx) => new Date(startOfDay(ctx.batchTimestampMs)), [], false),
));
def('to_timestamp', scalar(1, 2, (call, args) => {
  const a = args[0]!;
  if (args.length === 1) {
    if (isNumeric(a.dataType)) return castNode(a, sqlTypes.timestamp());
    return { ...timestampArg(call, 0, a), expr: call };
  }
  const fmt = stringArg(call, 1, args[1]!);
  const src = isString(a.dataType) ? a : stringArg(call, 0, a);
  return strict(call, [src, fmt], sqlTypes.timestamp(), ([s, f]) => {
    const ms = parseDatetime(s as string, f as string);
    return ms === null ? null : utc(ms);
  });
}));
def('to_date', scalar(1, 2, (call, args) => {
  const a = args[0]!;
  if (args.length === 1) return { ...dateArg(call, 0, a), expr: call };
  const fmt = stringArg(call, 1, args[1]!);
  return strict(call, [stringArg(call, 0, a), fmt], sqlTypes.date(), ([s, f]) => {
    const ms = parseDatetime(s as string, f as string);
    return ms === null ? null : utc(startOfDay(ms));
  });
}));
def('timestamp_seconds', scalar(1, 1, (call, args) => {
  const a = args[0]!;
  if (!isNumeric(a.dataType) && !isNull(a.dataType)) throw unexpectedInput(call, 0, a, '"NUMERIC"');
  return strict(call, [a], sqlTypes.timestamp(), ([s]) => {
    const micros = Math.round((s as number) * 1e6);
    return Number.isFinite(micros) ? utc(Math.floor(micros / 1000)) : null;
  });
}));
def('timestamp_millis', scalar(1, 1, (call, args) => {
  const a = args[0]!;
  if (!isIntegral(a.dataType) && !isNull(a.dataType)) throw unexpectedInput(call, 0, a, '"INTEGRAL"');
  return strict(call, [a], sqlTypes.timestamp(), ([s]) => utc(s as number));
}));
def('unix_timestamp', scalar(0, 2, (call, args) => {
  if (args.length === 0) {
    return makeNode(call, sqlTypes.long(), false, (_row, ctx) => Math.floor(ctx.batchTimestampMs / 1000), [], false);
  }
  const a = args[0]!;
  if (isTimestamp(a.dataType) || isDate(a.dataType)) {
    return strict(call, [a], sqlTypes.long(), ([d]) => Math.floor((d as Date).getTime() / 1000));
  }
  const fmt = args[1] === undefined ? undefined : stringArg(call, 1, args[1]);
  const nodes = fmt === undefined ? [stringArg(call, 0, a)] : [stringArg(call, 0, a), fmt];
  return strict(call, nodes, sqlTypes.long(), ([s, f]) => {
    const ms = parseDatetime(s as string, (f as string | undefined) ?? 'yyyy-MM-dd HH:mm:ss');
    return ms === null ? null : Math.floor(ms / 1000);
  });
}));
def('from_unixtime', scalar(1, 2, (call, args) => {
  const sec = castNode(args[0]!, sqlTypes.long());
  const nodes = args[1] === undefined ? [sec] : [sec, stringArg(call, 1, args[1])];
  return strict(call, nodes, sqlTypes.string(), ([s, f]) => formatDatetime((s as number) * 1000, (f as string | undefined) ?? 'yyyy-MM-dd HH:mm:ss'));
}));
def('date_format', scalar(2, 2, (call, args) => {
  const ts = timestampArg(call, 0, args[0]!);
  const fmt = stringArg(call, 1, args[1]!);
  return strict(call, [ts, fmt], sqlTypes.string(), ([d, f]) => formatDatetime((d as Date).getTime(), f as string));
}));
def('year', datePart((d) => d.getUTCFullYear()));
def('quarter', datePart((d) => Math.floor(d.getUTCMonth() / 3) + 1));
def('month', datePart((d) => d.getUTCMonth() + 1));
def(['dayofmonth', 'day'], datePart((d) => d.getUTCDate()));
def('dayofweek', datePart((d) => d.getUTCDay() + 1));
def('weekday', datePart((d) => (d.getUTCDay() + 6) % 7));
def('dayofyear', datePart((d) => Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1));
def('weekofyear', datePart(isoWeek));
def('hour', datePart((d) => d.getUTCHours()));
def('minute', datePart((d) => d.getUTCMinutes()));
def('second', datePart((d) => d.getUTCSeconds()));
def('extract', scalar(2, 2, (call, args) => {
  const field = String(constantArg(call, 0, args[0]!, 'field')).toUpperCase();
  const map: Record<string, string> = {
    YEAR: 'year', Y: 'year', YEARS: 'year', YR: 'year', YRS: 'year', QUARTER: 'quarter', QTR: 'quarter', MONTH: 'month', MON: 'month', MONS: 'month', MONTHS: 'month',
    WEEK: 'weekofyear', W: 'weekofyear', WEEKS: 'weekofyear', DAY: 'dayofmonth', D: 'dayofmonth', DAYS: 'dayofmonth', DAYOFWEEK: 'dayofweek', DOW: 'dayofweek', DOY: 'dayofyear',
    HOUR: 'hour', H: 'hour', HOURS: 'hour', HR: 'hour', HRS: 'hour', MINUTE: 'minute', M: 'minute', MIN: 'minute', MINS: 'minute', MINUTES: 'minute', SECOND: 'second', S: 'second', SEC: 'second', SECONDS: 'second', SECS: 'second',
  };
  const fn = Object.hasOwn(map, field) ? map[field]! : undefined;
  if (fn === undefined) {
    throw exprError(ExprErrorCodes.DATATYPE_MISMATCH, `[INVALID_EXTRACT_FIELD] Cannot extract ${field} from ${prettySql(args[1]!.expr)}. SQLSTATE: 42601`, { field });
  }
  return { ...F.get(fn)!.compile(call, [args[1]!]), expr: call };
}));
def(['date_add', 'dateadd'], scalar(2, 2, (call, args) =>
  strict(call, [dateArg(call, 0, args[0]!), intArg(call, 1, args[1]!)], sqlTypes.date(), ([d, n]) => utc((d as Date).getTime() + (n as number) * 86_400_000)),
));
def('date_sub', scalar(2, 2, (call, args) =>
  strict(call, [dateArg(call, 0, args[0]!), intArg(call, 1, args[1]!)], sqlTypes.date(), ([d, n]) => utc((d as Date).getTime() - (n as number) * 86_400_000)),
));
def(['datediff', 'date_diff'], scalar(2, 2, (call, args) =>
  strict(call, [dateArg(call, 0, args[0]!), dateArg(call, 1, args[1]!)], sqlTypes.int(), ([a, b]) => Math.round(((a as Date).getTime() - (b as Date).getTime()) / 86_400_000)),
));
def('date_trunc', scalar(2, 2, (call, args) => {
  const unit = stringArg(call, 0, args[0]!);
  const ts = timestampArg(call, 1, args[1]!);
  return strict(call, [unit, ts], sqlTypes.timestamp(), ([u, d]) => {
    const t = (d as Date).getTime();
    const date = d as Date;
    switch ((u as string).toUpperCase()) {
      case 'YEAR':
      case 'YYYY':
      case 'YY':
        return utc(Date.UTC(date.getUTCFullYear(), 0, 1));
      case 'QUARTER':
        return utc(Date.UTC(date.getUTCFullYear(), Math.floor(date.getUTCMonth() / 3) * 3, 1));
      case 'MONTH':
      case 'MM':
      case 'MON':
        return utc(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
      case 'WEEK': {
        const day = (date.getUTCDay() + 6) % 7;
        return utc(startOfDay(t) - day * 86_400_000);
      }
      case 'DAY':
      case 'DD':
        return utc(startOfDay(t));
      case 'HOUR':
        return utc(Math.floor(t / 3_600_000) * 3_600_000);
      case 'MINUTE':
        return utc(Math.floor(t / 60_000) * 60_000);
      case 'SECOND':
        return utc(Math.floor(t / 1000) * 1000);
      case 'MILLISECOND':
      case 'MICROSECOND':
        return utc(t);
      default:
        return null;
    }
  });
}));
def('window_time', scalar(1, 1, (call, args) => {
  const w = args[0]!;
  if (!isStruct(w.dataType) || w.dataType.fieldNames().map((n) => n.toLowerCase()).join(',') !== 'start,end') {
    throw unexpectedInput(call, 0, w, '"STRUCT<start: TIMESTAMP, end: TIMESTAMP>"');
  }
  return strict(call, [w], sqlTypes.timestamp(), ([v]) => {
    const end = toEpochMs(getOwn(v, 'end'));
    return end === null ? null : utc(end - 1);
  });
}));

// Time windows: `window(...)` evaluates to the window of a row for tumbling windows; grouping by a sliding window
// (several windows per row) and by session windows is the planner's job (findTimeWindow).
F.set('window', {
  kind: 'window',
  minArgs: 2,
  maxArgs: 4,
  compile(call, args) {
    const ts = args[0]!;
    if (!isTimestamp(ts.dataType) && !isStruct(ts.dataType) && !isNull(ts.dataType)) {
      throw unexpectedInput(call, 0, ts, '("TIMESTAMP" or "TIMESTAMP_NTZ")');
    }
    const durations = args.slice(1).map((a, i) => durationText(constantArg(call, i + 1, a, 'duration')));
    const spec = sparkTimeWindowSpec(call.args[0]!, durations[0] ?? '', durations[1], durations[2]);
    const sliding = spec.slideMs !== spec.windowMs;
    const e = ts.run;
    return makeNode(call, sqlTypes.window(), true, (row, ctx) => {
      const t = toEpochMs(e(row, ctx));
      if (t === null) return null;
      if (sliding) {
        throw exprError('INVALID_ARGUMENT', 'A sliding window(...) maps a row to several windows; use it in groupBy (the planner expands it), not as a value.', {
          expression: prettySql(call),
        });
      }
      const start = windowStartsFor(t, spec)[0]!;
      const out: Row = {};
      setOwn(out, 'start', utc(start));
      setOwn(out, 'end', utc(start + spec.windowMs));
      return out;
    }, [ts]);
  },
});
F.set('session_window', {
  kind: 'window',
  minArgs: 2,
  maxArgs: 2,
  compile(call, args) {
    const ts = args[0]!;
    if (!isTimestamp(ts.dataType) && !isNull(ts.dataType)) throw unexpectedInput(call, 0, ts, '("TIMESTAMP" or "TIMESTAMP_NTZ")');
    const gap = args[1]!;
    const e = ts.run;
    const g = gap.run;
    return makeNode(call, sqlTypes.window(), true, (row, ctx) => {
      const t = toEpochMs(e(row, ctx));
      const gapMs = durationMs(g(row, ctx));
      if (t === null || gapMs === null || gapMs <= 0) return null;
      const out: Row = {};
      setOwn(out, 'start', utc(t));
      setOwn(out, 'end', utc(t + gapMs));
      return out;
    }, [ts, gap]);
  },
});

// Complex types.
def('struct', scalar(0, Infinity, (call, args) => {
  const names = call.args.map((a, i) => structFieldName(a, i));
  const type = sqlTypes.struct(names.map((n, i) => ({ name: n, dataType: args[i]!.dataType, nullable: args[i]!.nullable })));
  const evals = args.map((a) => a.run);
  return makeNode(call, type, false, (row, ctx) => {
    const out: Row = {};
    for (let i = 0; i < evals.length; i++) {
      const v = evals[i]!(row, ctx);
      setOwn(out, names[i]!, v === undefined ? null : v);
    }
    return out;
  }, args);
}));
def('named_struct', scalar(0, Infinity, (call, args) => {
  if (args.length % 2 !== 0) {
    throw exprError(ExprErrorCodes.WRONG_NUM_ARGS, `[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The \`named_struct\` requires 2n (n > 0) parameters but the actual number is ${args.length}. SQLSTATE: 42605`, { function: 'named_struct' });
  }
  const names: string[] = [];
  const values: Node[] = [];
  for (let i = 0; i < args.length; i += 2) {
    const n = constantArg(call, i, args[i]!, 'name');
    if (typeof n !== 'string') throw unexpectedInput(call, i, args[i]!, '"STRING"');
    names.push(n);
    values.push(args[i + 1]!);
  }
  const type = sqlTypes.struct(names.map((n, i) => ({ name: n, dataType: values[i]!.dataType, nullable: values[i]!.nullable })));
  const evals = values.map((a) => a.run);
  return makeNode(call, type, false, (row, ctx) => {
    const out: Row = {};
    for (let i = 0; i < evals.length; i++) {
      const v = evals[i]!(row, ctx);
      setOwn(out, names[i]!, v === undefined ? null : v);
    }
    return out;
  }, values);
}));
def('array', scalar(0, Infinity, (call, args) => {
  if (args.length === 0) return makeNode(call, sqlTypes.array(sqlTypes.null(), false), false, () => [], []);
  const { type, nodes } = unify(call, args, 'array');
  const evals = nodes.map((n) => n.run);
  return makeNode(call, sqlTypes.array(type, nodes.some((n) => n.nullable)), false, (row, ctx) => evals.map((e) => {
    const v = e(row, ctx);
    return v === undefined ? null : v;
  }), nodes);
}));
def(['map', 'create_map'], scalar(0, Infinity, (call, args) => {
  if (args.length % 2 !== 0) {
    throw exprError(ExprErrorCodes.WRONG_NUM_ARGS, `[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The \`map\` requires 2n (n > 0) parameters but the actual number is ${args.length}. SQLSTATE: 42605`, { function: 'map' });
  }
  const keys = unify(call, args.filter((_, i) => i % 2 === 0), 'map');
  const values = args.length === 0 ? { type: sqlTypes.null(), nodes: [] as Node[] } : unify(call, args.filter((_, i) => i % 2 === 1), 'map');
  const type = sqlTypes.map(keys.type ?? sqlTypes.null(), values.type, true);
  return makeNode(call, type, false, (row, ctx) => {
    const out = new Map<unknown, unknown>();
    for (let i = 0; i < keys.nodes.length; i++) {
      const k = keys.nodes[i]!.run(row, ctx);
      if (k === null || k === undefined) {
        throw exprError('INVALID_ARGUMENT', '[NULL_MAP_KEY] Cannot use null as map key. SQLSTATE: 2200E');
      }
      const existing = [...out.keys()].find((x) => valuesEqual(x, k));
      const v = values.nodes[i]!.run(row, ctx);
      out.set(existing ?? k, v === undefined ? null : v);
    }
    return out;
  }, [...keys.nodes, ...values.nodes]);
}));
def(['size', 'cardinality'], scalar(1, 1, (call, args) => {
  const a = args[0]!;
  if (!isArray(a.dataType) && !isMap(a.dataType) && !isNull(a.dataType)) throw unexpectedInput(call, 0, a, '("ARRAY" or "MAP")');
  const e = a.run;
  return makeNode(call, sqlTypes.int(), false, (row, ctx) => {
    const v = e(row, ctx);
    if (v === null || v === undefined) return -1;
    return v instanceof Map ? v.size : Array.isArray(v) ? v.length : -1;
  }, [a]);
}));
def('array_contains', scalar(2, 2, (call, args) => {
  const arr = args[0]!;
  if (!isArray(arr.dataType)) throw unexpectedInput(call, 0, arr, '"ARRAY"');
  const item = castNode(args[1]!, arr.dataType.elementType);
  return strict(call, [arr, item], sqlTypes.boolean(), ([xs, v]) => {
    let sawNull = false;
    for (const x of xs as unknown[]) {
      if (x === null || x === undefined) sawNull = true;
      else if (valuesEqual(x, v)) return true;
    }
    return sawNull ? null : false;
  });
}));
def('element_at', scalar(2, 2, (call, args) => {
  const a = args[0]!;
  if (isMap(a.dataType)) {
    const key = castNode(args[1]!, a.dataType.keyType);
    return strict(call, [a, key], a.dataType.valueType, ([m, k]) => mapGet(m, k));
  }
  if (!isArray(a.dataType)) throw unexpectedInput(call, 0, a, '("ARRAY" or "MAP")');
  const idx = intArg(call, 1, args[1]!);
  return strict(call, [a, idx], a.dataType.elementType, ([xs, i]) => {
    const arr = xs as unknown[];
    const n = i as number;
    if (n === 0) throw exprError('INVALID_ARGUMENT', '[INVALID_INDEX_OF_ZERO] The index 0 is invalid. An index shall be either < 0 or > 0 (the first element has index 1). SQLSTATE: 22003');
    const j = n > 0 ? n - 1 : arr.length + n;
    return j >= 0 && j < arr.length ? arr[j] : null;
  });
}));
for (const name of ['explode', 'explode_outer'] as const) {
  F.set(name, {
    kind: 'generator',
    minArgs: 1,
    maxArgs: 1,
    compile(call, args) {
      const a = args[0]!;
      if (!isArray(a.dataType) && !isMap(a.dataType)) throw unexpectedInput(call, 0, a, '("ARRAY" or "MAP")');
      const type = isArray(a.dataType)
        ? a.dataType.elementType
        : sqlTypes.struct([{ name: 'key', dataType: a.dataType.keyType, nullable: false }, { name: 'value', dataType: a.dataType.valueType }]);
      return { expr: call, dataType: type, nullable: true, run: a.run, constant: false };
    },
  });
}
def('from_json', scalar(2, 3, (call, args) => {
  const src = stringArg(call, 0, args[0]!);
  const schemaValue = constantArg(call, 1, args[1]!, 'schema');
  if (typeof schemaValue !== 'string') throw unexpectedInput(call, 1, args[1]!, '"STRING"');
  const type = parseJsonSchema(schemaValue);
  if (!isStruct(type) && !isArray(type) && !isMap(type)) {
    throw mismatch(call, 'INVALID_JSON_SCHEMA', `Input schema "${type.sql()}" must be a struct, an array, a map or a variant`);
  }
  const options = args[2] === undefined ? undefined : constantArg(call, 2, args[2], 'options');
  const opts = options instanceof Map ? Object.fromEntries([...options.entries()].map(([k, v]) => [String(k), String(v)])) : {};
  const fromOpts = {
    ...(typeof opts['timestampFormat'] === 'string' ? { timestampFormat: opts['timestampFormat'] } : {}),
    ...(typeof opts['dateFormat'] === 'string' ? { dateFormat: opts['dateFormat'] } : {}),
  };
  return strict(call, [src], type, ([s]) => fromJson(s, type, fromOpts));
}));
def('to_json', scalar(1, 2, (call, args) => {
  const a = args[0]!;
  if (!isStruct(a.dataType) && !isArray(a.dataType) && !isMap(a.dataType)) {
    throw mismatch(call, 'INVALID_JSON_SCHEMA', `Input schema "${a.dataType.sql()}" must be a struct, an array, a map or a variant`);
  }
  const type = a.dataType;
  return strict(call, [a], sqlTypes.string(), ([v]) => toJson(v, type));
}));
def('typeof', scalar(1, 1, (call, args) => {
  const name = args[0]!.dataType.simpleString();
  return makeNode(call, sqlTypes.string(), false, () => name, []);
}));

/** The field name `struct(...)` gives an argument (Spark's CreateStruct): alias or column name, else `col<n>`. */
function structFieldName(arg: Expr, i: number): string {
  if (arg.kind === 'alias' || arg.kind === 'column') return outputName(arg);
  if (arg.kind === 'field') return arg.name;
  return `col${i + 1}`;
}

/** `m[k]` for a MAP value held as a `Map` (or a plain object from user rows). */
export function mapGet(m: unknown, k: unknown): unknown {
  if (m instanceof Map) {
    if (m.has(k)) return m.get(k);
    for (const [key, v] of m) if (valuesEqual(key, k)) return v;
    return null;
  }
  const v = typeof k === 'string' ? getOwn(m, k) : undefined;
  return v === undefined ? null : v;
}

/** The built-in function `name` (lower case), or undefined. */
export function lookupFunction(name: string): ScalarFunction | undefined {
  return F.get(name);
}

/** Every built-in scalar/generator/window function name (for suggestions and docs). */
export function functionNames(): string[] {
  return [...F.keys()].sort();
}

export { elementType };

/** Casts a value as CAST does (for planner-side helpers). */
export function castTo(value: unknown, to: DataType): unknown {
  return castValue(value, to);
}
