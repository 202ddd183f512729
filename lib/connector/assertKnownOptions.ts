/**
 * Rejects misspelt options of a built-in source.
 *
 * Invariant: an options object is either made only of keys the factory knows, or the factory throws
 * `INVALID_ARGUMENT` naming the unknown key and the known ones; a typo never silently becomes a default.
 */
import { invalidOption } from './invalidOption';

/**
 * Throws `INVALID_ARGUMENT` when `options` is not a plain object or holds a key outside `known`.
 *
 * @example
 * ```ts
 * assertKnownOptions('rate', options, ['rowsPerSecond', 'rampUpTime', 'numPartitions']);
 * ```
 */
export function assertKnownOptions(source: string, options: unknown, known: readonly string[]): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw invalidOption(source, 'options', options, 'must be an object', `pass { ${known.join(', ')} }`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw invalidOption(
        source,
        key,
        (options as Record<string, unknown>)[key],
        'is not an option of this source',
        `known options: ${known.join(', ')}`,
      );
    }
  }
}
