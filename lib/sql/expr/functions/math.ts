/**
 * Spark's mathematical functions (`mathExpressions.scala`, and `abs`, `pmod`, `negative`, `positive` of
 * `arithmetic.scala`): abs, rounding, floor and ceiling, roots, exponentials and logarithms, powers, sign, pmod,
 * bit shifts. The arithmetic operators (`+`, `-`, `*`, ...) are nodes of their own (`../compile/arithmetic.ts`).
 *
 * Invariants: integral results wrap around as Java's do (`wrapIntegral`); a function over doubles casts its
 * argument to DOUBLE (strings too, Spark's implicit cast); a logarithm of a non-positive number, and `pmod` by
 * zero, are null; all are strict (null in, null out).
 */
import { castNode, unexpectedInput } from '../compiled';
import { isDecimal, isIntegral, isNull, isNumeric, sqlTypes } from '../typeSupport';
import { roundHalfEven, roundHalfUp, wrapIntegral } from '../values';
import { DecimalType } from '../../../values/types';
import { constantArg, doubleArg, intArg, unify } from './arguments';
import { functionTable, scalar, strict, type FunctionTable, type ScalarFunction } from './scalarFunction';

function doubleFn(f: (x: number) => number | null): ScalarFunction {
  return scalar(1, 1, (call, args) => strict(call, [doubleArg(call, 0, args[0]!)], sqlTypes.double(), ([x]) => f(x as number)));
}

const ln = doubleFn((x) => (x <= 0 ? null : Math.log(x)));

/** `round` (HALF_UP) and `bround` (HALF_EVEN) to a constant scale; a DECIMAL keeps Spark's result precision. */
function roundFn(round: (value: number, scale: number) => number): ScalarFunction {
  return scalar(1, 2, (call, args) => {
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
  });
}

/** `floor`, `ceil`, `ceiling`: a BIGINT (integral input as is; NaN gives 0, out of range clamps). */
function roundToLong(f: (x: number) => number): ScalarFunction {
  return scalar(1, 1, (call, args) => {
    const a = args[0]!;
    if (isIntegral(a.dataType)) return strict(call, [castNode(a, sqlTypes.long())], sqlTypes.long(), ([x]) => x);
    const node = doubleArg(call, 0, a);
    return strict(call, [node], sqlTypes.long(), ([x]) => {
      const v = f(x as number);
      if (Number.isNaN(v)) return 0;
      return Math.max(Math.min(v, 2 ** 63), -(2 ** 63));
    });
  });
}

/** `negative` and `positive` of a number (integral negation wraps). */
function signFn(name: 'negative' | 'positive'): ScalarFunction {
  return scalar(1, 1, (call, args) => {
    const a = args[0]!;
    const node = isNumeric(a.dataType) ? a : doubleArg(call, 0, a);
    const bits = (node.dataType as { bits?: 8 | 16 | 32 | 64 }).bits;
    return strict(call, [node], node.dataType, ([x]) => (name === 'positive' ? x : bits === undefined ? -(x as number) : wrapIntegral(-(x as number), bits)));
  });
}

/** `shiftleft`, `shiftright`, `shiftrightunsigned` of an INT or a BIGINT (Java's shift semantics). */
function shiftFn(op: '<<' | '>>' | '>>>'): ScalarFunction {
  return scalar(2, 2, (call, args) => {
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
  });
}

/** The mathematical functions by name. */
export const MATH_FUNCTIONS: FunctionTable = functionTable([
  ['abs', scalar(1, 1, (call, args) => {
    const a = args[0]!;
    const node = isNumeric(a.dataType) ? a : doubleArg(call, 0, a);
    const bits = (node.dataType as { bits?: 8 | 16 | 32 | 64 }).bits;
    return strict(call, [node], node.dataType, ([x]) => (bits === undefined ? Math.abs(x as number) : wrapIntegral(Math.abs(x as number), bits)));
  })],
  ['round', roundFn(roundHalfUp)],
  ['bround', roundFn(roundHalfEven)],
  ['floor', roundToLong(Math.floor)],
  ['ceil', roundToLong(Math.ceil)],
  ['ceiling', roundToLong(Math.ceil)],
  ['sqrt', doubleFn((x) => Math.sqrt(x))],
  ['exp', doubleFn((x) => Math.exp(x))],
  ['ln', ln],
  ['log10', doubleFn((x) => (x <= 0 ? null : Math.log10(x)))],
  ['log2', doubleFn((x) => (x <= 0 ? null : Math.log2(x)))],
  [['signum', 'sign'], doubleFn((x) => Math.sign(x))],
  ['log', scalar(1, 2, (call, args) => {
    if (args.length === 1) return ln.compile(call, args);
    const nodes = args.map((a, i) => doubleArg(call, i, a));
    return strict(call, nodes, sqlTypes.double(), ([b, x]) => ((b as number) <= 0 || (x as number) <= 0 ? null : Math.log(x as number) / Math.log(b as number)));
  })],
  [['pow', 'power'], scalar(2, 2, (call, args) => strict(call, args.map((a, i) => doubleArg(call, i, a)), sqlTypes.double(), ([b, e]) => Math.pow(b as number, e as number)))],
  ['pmod', scalar(2, 2, (call, args) => {
    const { type, nodes } = unify(call, args.map((a, i) => (isNumeric(a.dataType) ? a : doubleArg(call, i, a))), 'pmod');
    return strict(call, nodes, type, ([a, b]) => {
      if ((b as number) === 0) return null;
      const r = (a as number) % (b as number);
      return r < 0 ? (r + (b as number)) % (b as number) : r;
    });
  })],
  ['negative', signFn('negative')],
  ['positive', signFn('positive')],
  ['shiftleft', shiftFn('<<')],
  ['shiftright', shiftFn('>>')],
  ['shiftrightunsigned', shiftFn('>>>')],
]);
