/** Value keys and display of rows for the property checks. */
import { inspect } from 'node:util';
import { canonicalKey } from '../../aggregate';

/**
 * A string equal for equal values (Dates by instant, objects whatever their key order; see canonicalKey),
 * falling back to `util.inspect` for values canonicalKey does not take (class instances).
 */
export function rowKey(value: unknown): string {
  try {
    return canonicalKey(value);
  } catch {
    return `inspect:${inspect(value, { depth: Infinity, sorted: true })}`;
  }
}
