/**
 * `fastCheck()`: the fast-check module the kit's arbitraries come from (weir's optional peer dependency, loaded on
 * first use).
 *
 * Invariant: a property built with `fastCheck().asyncProperty(...)` over the kit's arbitraries type-checks in
 * CommonJS and in ES module projects alike. fast-check ships separate declarations for `import` and `require`,
 * and weir (a CommonJS package) sees the `require` ones, so in an ES module project `import fc from 'fast-check'`
 * gives an `Arbitrary` type that TypeScript does not match with the kit's (at run time either works).
 */
import type * as FastCheck from 'fast-check';
import { loadFastCheck } from './internal/loadFastCheck';

/**
 * The fast-check module, as the kit loads it.
 *
 * @example
 * ```ts
 * const fc = fastCheck();
 * await fc.assert(fc.asyncProperty(batchedEvents(keyedEvents({ keys: 3 })), async ({ batches }) => { ... }));
 * ```
 * @throws WeirError `INVALID_ARGUMENT` (context `{ module: 'fast-check' }`) when fast-check is not installed.
 */
export function fastCheck(): typeof FastCheck {
  return loadFastCheck('fastCheck');
}
