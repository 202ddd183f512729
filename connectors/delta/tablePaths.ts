/**
 * Data file paths of a Delta table: `add.path` is a URI relative to the table root (or absolute), each segment
 * percent-encoded; the files themselves live in Hive-style partition folders (Spark's escaping).
 *
 * Invariant: `localFile(root, relativeUri(segments))` is `root/segments...` for every segment text, and a path
 * read from the log never resolves outside the table root unless it is an absolute URI the log states.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertInside } from '../../lib/formats/writeDataFiles';

/** The relative URI of a file from its folder segments and name (already Hive-escaped). */
export function relativeUri(segments: readonly string[]): string {
  return segments.map((s) => encodeURIComponent(s).replace(/%3D/g, '=')).join('/');
}

/** The local file an `add.path` denotes. */
export function localFile(tableRoot: string, uri: string): string {
  if (/^file:/i.test(uri)) return fileURLToPath(uri.startsWith('file://') ? uri : `file://${uri.slice(5)}`);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri)) {
    throw new Error(`weir reads Delta tables on the local file system only, not ${uri}`);
  }
  const rel = uri.split('/').map((s) => decodeURIComponent(s));
  const file = path.join(path.resolve(tableRoot), ...rel);
  assertInside(tableRoot, file);
  return file;
}
