/**
 * The one way a built-in source rejects a bad option.
 *
 * Invariant: every option error of `weir-streams/sources` is a `WeirError` with code `INVALID_ARGUMENT`, raised at
 * construction (never at the first trigger), carrying `source`, `option`, `value` and a `hint` as context fields.
 */
import { ErrorCodes, WeirError } from '../errors';

/**
 * Builds the `INVALID_ARGUMENT` error for option `option` of source `source`.
 *
 * @example
 * ```ts
 * if (!(rowsPerSecond > 0)) {
 *   throw invalidOption('rate', 'rowsPerSecond', rowsPerSecond, 'must be a positive integer', 'e.g. { rowsPerSecond: 100 }');
 * }
 * ```
 */
export function invalidOption(
  source: string,
  option: string,
  value: unknown,
  requirement: string,
  hint: string,
): WeirError {
  return new WeirError(
    ErrorCodes.INVALID_ARGUMENT,
    `${source}: option '${option}' ${requirement}, got ${describe(value)}. Hint: ${hint}`,
    { context: { source, option, value, hint } },
  );
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) {
    return String(value);
  }
  return typeof value;
}
