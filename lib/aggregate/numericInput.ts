/**
 * Spark's implicit cast of an argument of `sum`/`avg` to a number.
 *
 * Invariant: numbers pass through untouched (the hot path); null/undefined and strings that do not parse are
 * null (Spark's non-ANSI cast); a type Spark rejects at analysis (boolean, Date, object) is an INVALID_ARGUMENT.
 */
import { WeirError, ErrorCodes } from '../errors';

/** The numeric value of `value` for `fn`, or null when it counts as null. */
export function numericInput(value: unknown, fn: string): number | null {
  if (typeof value === 'number') return value;
  if (value == null) return null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string') {
    const text = value.trim();
    if (text.length === 0 || /^[+-]?0[xob]/i.test(text)) return null;
    const n = Number(text);
    return Number.isNaN(n) && !/^[+-]?nan$/i.test(text) ? null : n;
  }
  throw new WeirError(
    ErrorCodes.INVALID_ARGUMENT,
    `${fn} requires numeric input, got ${value instanceof Date ? 'a Date' : typeof value}.`,
    { context: { function: fn } },
  );
}
