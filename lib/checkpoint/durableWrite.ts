/**
 * Durable file writes: temp file, fsync, rename, directory fsync.
 *
 * Invariant: once `writeFileDurably` resolves, the file holds exactly `data` and survives a power loss; before
 * that, readers see either the old file or no file, never a torn one (rename is atomic on POSIX filesystems).
 * A failed write leaves no temp file behind, and a created folder is durable in its parent.
 */
import { promises as fs, constants as fsConstants } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

/** Prefix of temp files; readers of a log folder ignore names starting with it. */
export const TEMP_FILE_PREFIX = '.tmp-';

/** True for names that are in-flight temp files (ignored by every folder listing of weir). */
export function isTempFileName(name: string): boolean {
  return name.startsWith(TEMP_FILE_PREFIX);
}

/** fsync a directory so a rename or unlink inside it is durable. */
export async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await fs.open(dir, fsConstants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes `data` to `file` durably and atomically. With `overwrite: false` an existing file is left alone and
 * `false` is returned (the rename is replaced by a hard link, which fails when the target exists: the same
 * exclusivity as O_EXCL, but the file is never visible before its content is complete).
 */
export async function writeFileDurably(
  file: string,
  data: Uint8Array | string,
  options: { overwrite?: boolean } = {},
): Promise<boolean> {
  const { overwrite = true } = options;
  const dir = path.dirname(file);
  const temp = path.join(dir, `${TEMP_FILE_PREFIX}${path.basename(file)}-${randomBytes(6).toString('hex')}`);
  let tempExists = false;
  try {
    const handle = await fs.open(temp, 'wx');
    tempExists = true;
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (overwrite) {
      await fs.rename(temp, file);
      tempExists = false;
    } else {
      try {
        await fs.link(temp, file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw e;
      }
    }
  } finally {
    // A temp file left by a failed write (or the link source) would otherwise pile up in the log folder.
    if (tempExists) await fs.rm(temp, { force: true });
  }
  await fsyncDirectory(dir);
  return true;
}

/** Removes a file (if present) and makes the removal durable. */
export async function removeFileDurably(file: string): Promise<void> {
  await fs.rm(file, { force: true });
  await fsyncDirectory(path.dirname(file));
}

/**
 * mkdir -p, then fsync the parent of every folder it created, so that each new folder entry is durable (not
 * only the topmost one: `a/b/c` created from `a` needs `a` and `a/b` synced). Resolves to the topmost folder it
 * created, or `undefined` when `dir` existed.
 */
export async function mkdirsDurably(dir: string): Promise<string | undefined> {
  const target = path.resolve(dir);
  const created = await fs.mkdir(target, { recursive: true });
  if (created === undefined) return undefined;
  const topmost = path.resolve(created);
  const parents: string[] = [];
  for (let d = target; ; d = path.dirname(d)) {
    parents.push(path.dirname(d));
    if (d === topmost || path.dirname(d) === d) break;
  }
  // Top-down, so that a crash midway leaves a durable prefix of the path.
  for (const parent of parents.reverse()) await fsyncDirectory(parent);
  return topmost;
}
