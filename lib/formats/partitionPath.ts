/**
 * Partition folders `key=value/` (Hive style): building them for the file sink, parsing them for discovery.
 *
 * Invariant: `partitionDirectory` returns a relative path whose every segment is `escaped(key)=escaped(value)`,
 * shorter than the file system's 255-byte name limit, so no value can name a folder outside the output folder
 * (`..`, `/abs`, NUL cannot survive escaping, and a segment always contains `=` after a non-empty key);
 * `parsePartitionPath(partitionDirectory(cols)) ` gives the values back as strings (null for Spark's default
 * partition name).
 */
import { ErrorCodes, WeirError } from '../errors';
import { escapePathName, unescapePathName } from './escapePathName';

/** Spark's folder name of a null (or empty string) partition value. */
export const DEFAULT_PARTITION_NAME = '__HIVE_DEFAULT_PARTITION__';

/** The longest folder name most file systems accept, in bytes. */
const MAX_SEGMENT_BYTES = 255;

/**
 * The relative folder of one partition: `k1=v1/k2=v2`. Values are given as Spark prints them (strings), null
 * for a null value.
 *
 * @throws WeirError INVALID_ARGUMENT when a segment would exceed 255 bytes (context: column, length).
 * @example
 * ```ts
 * partitionDirectory([['day', '2024-01-01'], ['k', '../x']])  // 'day=2024-01-01/k=..%2Fx'
 * ```
 */
export function partitionDirectory(values: ReadonlyArray<readonly [string, string | null]>): string {
  return values
    .map(([key, value]) => {
      const segment = `${escapePathName(key)}=${value === null || value === '' ? DEFAULT_PARTITION_NAME : escapePathName(value)}`;
      const bytes = Buffer.byteLength(segment, 'utf8');
      if (bytes > MAX_SEGMENT_BYTES) {
        throw new WeirError(
          ErrorCodes.INVALID_ARGUMENT,
          `The partition folder for column '${key}' would be ${bytes} bytes long (the limit is ${MAX_SEGMENT_BYTES}); ` +
            'partition by a shorter value (e.g. a hash or a prefix of it).',
          { context: { column: key, length: bytes } },
        );
      }
      return segment;
    })
    .join('/');
}

/**
 * The `key=value` pairs of the folders of a relative file path (the file name itself excluded), unescaped;
 * `undefined` when a folder is not of that form (then the path has no partitions, as in Spark's discovery).
 *
 * @example
 * ```ts
 * parsePartitionPath('day=2024-01-01/k=a%2Fb/part-0.json')  // [['day', '2024-01-01'], ['k', 'a/b']]
 * ```
 */
export function parsePartitionPath(relativeFile: string): Array<[string, string | null]> | undefined {
  const segments = relativeFile.split('/').slice(0, -1);
  const out: Array<[string, string | null]> = [];
  for (const segment of segments) {
    const eq = segment.indexOf('=');
    if (eq <= 0) return undefined;
    const value = segment.slice(eq + 1);
    out.push([unescapePathName(segment.slice(0, eq)), value === DEFAULT_PARTITION_NAME ? null : unescapePathName(value)]);
  }
  return out;
}
