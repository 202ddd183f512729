/**
 * Reading a file that may not exist: the one "read it, or undefined when it is missing" of weir.
 *
 * Invariant: only a missing file (ENOENT, or ENOTDIR when a folder on the way is a file) gives `undefined`; every
 * other failure is thrown unchanged, for the caller to name (see `ioError`).
 */
import { promises as fs, readFileSync } from 'node:fs';

/** The file's bytes, or `undefined` when it (or a folder on its path) does not exist. */
export function readFileIfExists(file: string): Promise<Buffer | undefined>;
/** The file's text in `encoding`, or `undefined` when it (or a folder on its path) does not exist. */
export function readFileIfExists(file: string, encoding: BufferEncoding): Promise<string | undefined>;
export async function readFileIfExists(file: string, encoding?: BufferEncoding): Promise<Buffer | string | undefined> {
  try {
    return encoding === undefined ? await fs.readFile(file) : await fs.readFile(file, encoding);
  } catch (e) {
    if (isMissingFileError(e)) return undefined;
    throw e;
  }
}

/** The synchronous form of {@link readFileIfExists}, for the few readers that must not wait (a schema known at `load()`). */
export function readFileIfExistsSync(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch (e) {
    if (isMissingFileError(e)) return undefined;
    throw e;
  }
}

/** True for the errors that mean "no such file": ENOENT, and ENOTDIR (a path component is a file). */
export function isMissingFileError(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
