/**
 * Specialized evaluators of numeric arithmetic and comparisons: one small closure per operator, so the JIT can
 * inline each into its caller (a single closure switching on the operator is too large to inline reliably).
 *
 * Invariants: each evaluator returns exactly what the general evaluator of `compile/arithmetic.ts` or
 * `compile/comparison.ts` returns for the same operands: operands that are not plain numbers (a string, a bigint,
 * a Date, NaN in a comparison) go to the general path given; null operands give null; the result is never
 * undefined. No code is generated.
 */
import type { Evaluator } from './compiled';
import { wrapIntegral } from './values';

/** The general evaluation of `a op b` on two non-null operands (numbers or not). */
export type General = (a: unknown, b: unknown) => unknown;

/** The integral width of a fast arithmetic result; 0 for DOUBLE (no wrapping). */
export type Width = 0 | 32 | 64;

const LONG_MIN = -9223372036854775808;
const LONG_MAX_EXCLUSIVE = 9223372036854775808;

/** Spark's wrap-around of an integral result (`wrapIntegral`), with the common in-range LONG answered inline. */
function finish(width: Width, v: number): number {
  if (width === 64) return v >= LONG_MIN && v < LONG_MAX_EXCLUSIVE ? v : wrapIntegral(v, 64);
  return width === 32 ? wrapIntegral(v, 32) : v;
}

/**
 * The width for which `op` over `operandType` giving `resultType` has a fast path (the two types equal and one of
 * INT, BIGINT, DOUBLE; `+ - * / %`), or undefined.
 */
export function fastArithmeticWidth(op: string, operandType: string, resultType: string): Width | undefined {
  if (operandType !== resultType || !['+', '-', '*', '/', '%'].includes(op)) return undefined;
  return operandType === 'integer' ? 32 : operandType === 'long' ? 64 : operandType === 'double' ? 0 : undefined;
}

/**
 * `a op b` where `b` is a constant non-zero number (for `/` and `%`; any number for `+ - *`), `a` from `left`:
 * `compute(a, b)` then the width's wrap-around, as `compile/arithmetic.ts` computes it (`*` on INT is
 * `Math.imul`).
 */
export function arithmeticWithConstant(op: string, width: Width, left: Evaluator, b: number, general: General): Evaluator {
  switch (op) {
    case '+':
      return (row, ctx) => {
        const a = left(row, ctx);
        if (a === null || a === undefined) return null;
        return typeof a === 'number' ? finish(width, a + b) : general(a, b);
      };
    case '-':
      return (row, ctx) => {
        const a = left(row, ctx);
        if (a === null || a === undefined) return null;
        return typeof a === 'number' ? finish(width, a - b) : general(a, b);
      };
    case '*':
      if (width === 32) {
        return (row, ctx) => {
          const a = left(row, ctx);
          if (a === null || a === undefined) return null;
          return typeof a === 'number' ? finish(32, Math.imul(a, b)) : general(a, b);
        };
      }
      return (row, ctx) => {
        const a = left(row, ctx);
        if (a === null || a === undefined) return null;
        return typeof a === 'number' ? finish(width, a * b) : general(a, b);
      };
    case '/':
      return (row, ctx) => {
        const a = left(row, ctx);
        if (a === null || a === undefined) return null;
        return typeof a === 'number' ? finish(width, a / b) : general(a, b);
      };
    default:
      return (row, ctx) => {
        const a = left(row, ctx);
        if (a === null || a === undefined) return null;
        return typeof a === 'number' ? finish(width, a % b) : general(a, b);
      };
  }
}

/** `a op b` with both operands read per row (see `arithmeticWithConstant`; `/` and `%` by zero are null). */
export function arithmetic(op: string, width: Width, left: Evaluator, right: Evaluator, general: General): Evaluator {
  switch (op) {
    case '+':
      return (row, ctx) => {
        const a = left(row, ctx);
        if (a === null || a === undefined) return null;
        const b = right(row, ctx);
        if (b === null || b === undefined) return null;
        return typeof a === 'number' && typeof b === 'number' ? finish(width, a + b) : general(a, b);
      };
    case '-':
      return (row, ctx) => {
        const a = left(row, ctx);
        if (a === null || a === undefined) return null;
        const b = right(row, ctx);
        if (b === null || b === undefined) return null;
        return typeof a === 'number' && typeof b === 'number' ? finish(width, a - b) : general(a, b);
      };
    case '*':
      if (width === 32) {
        return (row, ctx) => {
          const a = left(row, ctx);
          if (a === null || a === undefined) return null;
          const b = right(row, ctx);
          if (b === null || b === undefined) return null;
          return typeof a === 'number' && typeof b === 'number' ? finish(32, Math.imul(a, b)) : general(a, b);
        };
      }
      return (row, ctx) => {
        const a = left(row, ctx);
        if (a === null || a === undefined) return null;
        const b = right(row, ctx);
        if (b === null || b === undefined) return null;
        return typeof a === 'number' && typeof b === 'number' ? finish(width, a * b) : general(a, b);
      };
    case '/':
      return (row, ctx) => {
        const a = left(row, ctx);
        if (a === null || a === undefined) return null;
        const b = right(row, ctx);
        if (b === null || b === undefined) return null;
        if (typeof a !== 'number' || typeof b !== 'number') return general(a, b);
        return b === 0 ? null : finish(width, a / b);
      };
    default:
      return (row, ctx) => {
        const a = left(row, ctx);
        if (a === null || a === undefined) return null;
        const b = right(row, ctx);
        if (b === null || b === undefined) return null;
        if (typeof a !== 'number' || typeof b !== 'number') return general(a, b);
        return b === 0 ? null : finish(width, a % b);
      };
  }
}

/**
 * A comparison (`= == != <> < <= > >=`) of `left` with the constant non-NaN number `b`: a non-NaN number
 * compares with the JS operator (the same answer as Spark's ordering of numbers, -0 equal to 0); anything else
 * goes to `general`.
 */
export function compareWithConstant(op: string, left: Evaluator, b: number, general: General): Evaluator {
  switch (op) {
    case '=':
    case '==':
      return (row, ctx) => {
        const a = left(row, ctx);
        if (a === null || a === undefined) return null;
        return typeof a === 'number' && a === a ? a === b : general(a, b);
      };
    case '!=':
    case '<>':
      return (row, ctx) => {
        const a = left(row, ctx);
        if (a === null || a === undefined) return null;
        return typeof a === 'number' && a === a ? a !== b : general(a, b);
      };
    case '<':
      return (row, ctx) => {
        const a = left(row, ctx);
        if (a === null || a === undefined) return null;
        return typeof a === 'number' && a === a ? a < b : general(a, b);
      };
    case '<=':
      return (row, ctx) => {
        const a = left(row, ctx);
        if (a === null || a === undefined) return null;
        return typeof a === 'number' && a === a ? a <= b : general(a, b);
      };
    case '>':
      return (row, ctx) => {
        const a = left(row, ctx);
        if (a === null || a === undefined) return null;
        return typeof a === 'number' && a === a ? a > b : general(a, b);
      };
    default:
      return (row, ctx) => {
        const a = left(row, ctx);
        if (a === null || a === undefined) return null;
        return typeof a === 'number' && a === a ? a >= b : general(a, b);
      };
  }
}

/** A comparison with both operands read per row (see `compareWithConstant`; NaN on either side is general). */
export function compare(op: string, left: Evaluator, right: Evaluator, general: General): Evaluator {
  switch (op) {
    case '=':
    case '==':
      return (row, ctx) => {
        const a = left(row, ctx);
        if (a === null || a === undefined) return null;
        const b = right(row, ctx);
        if (b === null || b === undefined) return null;
        return typeof a === 'number' && typeof b === 'number' && a === a && b === b ? a === b : general(a, b);
      };
    case '!=':
    case '<>':
      return (row, ctx) => {
        const a = left(row, ctx);
        if (a === null || a === undefined) return null;
        const b = right(row, ctx);
        if (b === null || b === undefined) return null;
        return typeof a === 'number' && typeof b === 'number' && a === a && b === b ? a !== b : general(a, b);
      };
    case '<':
      return (row, ctx) => {
        const a = left(row, ctx);
        if (a === null || a === undefined) return null;
        const b = right(row, ctx);
        if (b === null || b === undefined) return null;
        return typeof a === 'number' && typeof b === 'number' && a === a && b === b ? a < b : general(a, b);
      };
    case '<=':
      return (row, ctx) => {
        const a = left(row, ctx);
        if (a === null || a === undefined) return null;
        const b = right(row, ctx);
        if (b === null || b === undefined) return null;
        return typeof a === 'number' && typeof b === 'number' && a === a && b === b ? a <= b : general(a, b);
      };
    case '>':
      return (row, ctx) => {
        const a = left(row, ctx);
        if (a === null || a === undefined) return null;
        const b = right(row, ctx);
        if (b === null || b === undefined) return null;
        return typeof a === 'number' && typeof b === 'number' && a === a && b === b ? a > b : general(a, b);
      };
    default:
      return (row, ctx) => {
        const a = left(row, ctx);
        if (a === null || a === undefined) return null;
        const b = right(row, ctx);
        if (b === null || b === undefined) return null;
        return typeof a === 'number' && typeof b === 'number' && a === a && b === b ? a >= b : general(a, b);
      };
  }
}
