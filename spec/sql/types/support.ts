/**
 * Shared imports and matchers of the type specs.
 *
 * Invariant: error checks assert the WeirError code (and Spark's error class where Spark has one), never the
 * rest of the message.
 */
export * from '../../../lib/values/types';
export { WeirError } from '../../../lib/errors';

/** A `toThrow` matcher: a WeirError with `code` whose message carries Spark's `[ERROR_CLASS]`, if given. */
export function WeirErrorLike(code: string, errorClass?: string): ReturnType<typeof expect.objectContaining> {
  return expect.objectContaining({
    code,
    ...(errorClass === undefined ? {} : { message: expect.stringContaining(errorClass) }),
  });
}

/** The WeirError `f` throws; fails the test when it throws nothing. */
export function thrown(f: () => unknown): { code: string; message: string; context: Record<string, unknown> } {
  try {
    f();
  } catch (e) {
    return e as { code: string; message: string; context: Record<string, unknown> };
  }
  throw new Error('expected an error, but nothing was thrown');
}
