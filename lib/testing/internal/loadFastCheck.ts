/**
 * fast-check, loaded on first use: it is an optional peer dependency of weir, so `weir-streams/testing` loads
 * without it and only the arbitrary builders need it.
 */
import type * as FastCheck from 'fast-check';
import { ErrorCodes, WeirError } from '../../errors';

/**
 * The fast-check module, or a WeirError naming the package to install when it is missing.
 *
 * @throws WeirError `INVALID_ARGUMENT` (context `{ module: 'fast-check', builder }`) when fast-check is not installed.
 */
export function loadFastCheck(builder: string): typeof FastCheck {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy load of an optional peer, see above
    return require('fast-check') as typeof FastCheck;
  } catch (e) {
    const code = (e as { code?: unknown })?.code;
    if (code !== 'MODULE_NOT_FOUND' || !String((e as Error)?.message).includes('fast-check')) throw e;
    throw new WeirError(
      ErrorCodes.INVALID_ARGUMENT,
      `${builder}() needs the optional peer dependency fast-check, which is not installed: npm install --save-dev fast-check`,
      { context: { module: 'fast-check', builder }, cause: e },
    );
  }
}
