/**
 * Compilation of the arithmetic operators `+`, `-`, `*`, `/`, `%` and `DIV`: numbers with Spark's types
 * (`../analyzer/coerce.ts`), and date-time arithmetic (`date ± days` as `date_add`/`date_sub`, `± interval` in
 * `intervalArithmetic.ts`).
 *
 * Invariants: a null operand gives null, and so do division and remainder by zero; integral results wrap around
 * as Java's do, FLOAT results are rounded to float, DECIMAL results to their scale (null when they overflow the
 * precision); over INT, BIGINT and DOUBLE the closure is one of `../numericFastPaths.ts`'s per-operator
 * evaluators (a constant right side captured, not evaluated per row), which answer exactly what `general` below
 * answers; the evaluator never returns undefined (`definite`).
 */
import type { BinaryExpr, CallExpr } from '../Expr';
import { castNode, constantValue, definite, makeNode, mismatch, type Evaluator, type Node } from '../compiled';
import { isDate, isDecimal, isIntegral, isInterval, isNull, isNumeric, type DataType } from '../typeSupport';
import { roundHalfUp, wrapIntegral } from '../values';
import { arithmetic as fastArithmetic, arithmeticWithConstant, fastArithmeticWidth } from '../numericFastPaths';
import { arithmeticOperand, arithmeticTypes } from '../analyzer/coerce';
import { compileCall } from './call';
import { compileIntervalArithmetic } from './intervalArithmetic';
import type { CompileNode, Cx } from './context';

/** Compiles `l op r` for an arithmetic operator. */
export function compileArithmetic(expr: BinaryExpr, cx: Cx, compile: CompileNode): Node {
  const l = compile(expr.left, cx);
  const r = compile(expr.right, cx);
  const op = expr.op;
  // Date-time arithmetic: timestamp ± interval, date ± interval, date ± days.
  if ((op === '+' || op === '-') && (isInterval(r.dataType) || isInterval(l.dataType))) return compileIntervalArithmetic(expr, l, r);
  if ((op === '+' || op === '-') && isDate(l.dataType) && isIntegral(r.dataType)) {
    const call: CallExpr = { kind: 'call', name: op === '+' ? 'date_add' : 'date_sub', args: [expr.left, expr.right], distinct: false };
    return { ...compileCall(call, cx, compile), expr };
  }
  const lt0 = arithmeticOperand(l);
  const rt0 = arithmeticOperand(r);
  const okOperand = (t: DataType): boolean => isNumeric(t) || isNull(t);
  if (!okOperand(lt0) || !okOperand(rt0)) {
    if (!l.dataType.equals(r.dataType)) {
      throw mismatch(expr, 'BINARY_OP_DIFF_TYPES', `the left and right operands of the binary operator have incompatible types ("${l.dataType.sql()}" and "${r.dataType.sql()}")`);
    }
    throw mismatch(expr, 'BINARY_OP_WRONG_TYPE', `the binary operator requires the input type ("NUMERIC" or "INTERVAL DAY TO SECOND" or "INTERVAL YEAR TO MONTH" or "INTERVAL"), not "${l.dataType.sql()}"`);
  }
  const { operandType, resultType } = arithmeticTypes(expr, lt0, rt0);
  const ln = isDecimal(operandType) ? l : castNode(l, operandType);
  const rn = isDecimal(operandType) ? r : castNode(r, operandType);
  const le = ln.run;
  const re = rn.run;
  const finish = resultFinisher(resultType);
  const compute = arithmetic(op, operandType);
  const general = (a: unknown, b: unknown): unknown => {
    const v = compute(Number(a), Number(b));
    return v === null ? null : finish(v);
  };
  const width = fastArithmeticWidth(op, operandType.typeName, resultType.typeName);
  const rc = rn.constant ? constantValue(rn) : undefined;
  let evaluate: Evaluator;
  if (width !== undefined && typeof rc === 'number' && (rc !== 0 || (op !== '/' && op !== '%'))) {
    // `x op literal`: the literal (cast at compile time) is captured, not evaluated per row.
    evaluate = arithmeticWithConstant(op, width, le, rc, general);
  } else if (width !== undefined) {
    evaluate = fastArithmetic(op, width, le, re, general);
  } else {
    evaluate = (row, ctx) => {
      const a = le(row, ctx);
      if (a === null || a === undefined) return null;
      const b = re(row, ctx);
      if (b === null || b === undefined) return null;
      return general(a, b);
    };
  }
  return makeNode(expr, resultType, true, definite(evaluate), [ln, rn]);
}

function arithmetic(op: string, operandType: DataType): (a: number, b: number) => number | null {
  const int32 = operandType.typeName === 'integer';
  switch (op) {
    case '+':
      return (a, b) => a + b;
    case '-':
      return (a, b) => a - b;
    case '*':
      return int32 ? (a, b) => Math.imul(a, b) : (a, b) => a * b;
    case '/':
      return (a, b) => (b === 0 ? null : a / b);
    case '%':
      return (a, b) => (b === 0 ? null : a % b);
    case 'DIV':
      return (a, b) => (b === 0 ? null : Math.trunc(a / b));
    default:
      return () => null;
  }
}

/** Normalizes a JS number to a value of `type`: integral wrap-around, float rounding, decimal scale/overflow. */
function resultFinisher(type: DataType): (v: number) => number | null {
  const bits = (type as { bits?: 8 | 16 | 32 | 64 }).bits;
  if (bits !== undefined) return (v) => wrapIntegral(v, bits);
  if (type.typeName === 'float') return (v) => Math.fround(v);
  if (isDecimal(type)) {
    const limit = 10 ** (type.precision - type.scale);
    return (v) => {
      const r = roundHalfUp(v, type.scale);
      return Math.abs(r) >= limit ? null : r;
    };
  }
  return (v) => v;
}
