/**
 * Asserting on error codes, never on messages (abstract-level's rule).
 *
 * Invariant: a check passes only for a `WeirError` carrying exactly the expected `code`.
 */
import { WeirError, type ErrorCode } from '../../lib/errors';

/**
 * Returns the WeirError `f` throws (or its promise rejects with), failing the test unless its code is `code`.
 *
 * @example
 * ```ts
 * const e = await expectWeirError(() => rate({ rowsPerSecond: 0 }), 'INVALID_ARGUMENT');
 * expect(e.context.option).toBe('rowsPerSecond');
 * ```
 */
export async function expectWeirError(f: () => unknown, code: ErrorCode): Promise<WeirError> {
  let error: unknown;
  try {
    await f();
  } catch (e) {
    error = e;
  }
  if (error === undefined) throw new Error(`expected a WeirError ${code}, but nothing was thrown`);
  expect(error).toBeInstanceOf(WeirError);
  expect((error as WeirError).code).toBe(code);
  return error as WeirError;
}
