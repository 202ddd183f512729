/**
 * Spark's `Utils.timeStringAsMs` for options such as `maxFileAge` ("7d", "1h", "30s", "500ms", or a bare number of
 * milliseconds), with weir's interval strings ("7 days") accepted as well.
 *
 * Invariant: the result is a finite, non-negative number of milliseconds, or the call throws INVALID_ARGUMENT.
 */
import { ErrorCodes, WeirError } from '../errors';
import { durationToMs } from '../util/interval';

const UNITS: Record<string, number> = {
  us: 0.001,
  ms: 1,
  s: 1000,
  sec: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/**
 * Milliseconds of a Spark time string.
 *
 * @example
 * ```ts
 * timeStringAsMs('7d')       // 604800000
 * timeStringAsMs('2 hours')  // 7200000
 * ```
 */
export function timeStringAsMs(value: string | number, option: string): number {
  if (typeof value === 'number') return durationToMs(value, option);
  const m = /^\s*(\d+)\s*([a-z]*)\s*$/i.exec(value);
  if (m) {
    const unit = (m[2] ?? '').toLowerCase();
    const factor = unit === '' ? 1 : UNITS[unit];
    if (factor !== undefined) return Number(m[1]) * factor;
  }
  try {
    return durationToMs(value, option);
  } catch (e) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `Invalid time string '${value}' for option '${option}' (e.g. '7d', '1h', '30s')`, {
      cause: e,
      context: { option, value },
    });
  }
}
