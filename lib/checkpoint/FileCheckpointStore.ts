/**
 * The checkpoint store on the real filesystem.
 *
 * Invariant: every write is temp file + fsync + rename (or hard link) + directory fsync, so a file under the
 * root is either absent or complete and durable; paths never leave the root; listings never show temp files.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { CheckpointStore } from '../contracts';
import { ErrorCodes, WeirError } from '../errors';
import { fsyncDirectory, isTempFileName, mkdirsDurably, writeFileDurably } from './durableWrite';
import { normalizeRelativePath } from './layout';
import type { ModificationTimes } from './modificationTime';

/**
 * A {@link CheckpointStore} over a folder of the local filesystem.
 *
 * @example
 * const store = new FileCheckpointStore('/tmp/my-query');
 * await store.writeAtomic('offsets/0', encodeLogFile(1, ['{}']), { overwrite: false });
 */
export class FileCheckpointStore implements CheckpointStore, ModificationTimes {
  /** Absolute path of the checkpoint root. */
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  /** The absolute path of a store-relative path. */
  resolve(relative: string): string {
    const normalized = normalizeRelativePath(relative);
    return normalized === '' ? this.root : path.join(this.root, ...normalized.split('/'));
  }

  /** The file's bytes, or `undefined` when it does not exist. */
  async read(relative: string): Promise<Buffer | undefined> {
    try {
      return await fs.readFile(this.resolve(relative));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  /**
   * Writes durably and atomically, creating missing parent folders. With `overwrite: false` (default `true`)
   * an existing file is kept and LOG_ENTRY_CONFLICT is thrown; the check and the write are one atomic step.
   */
  async writeAtomic(relative: string, data: Uint8Array | string, options: { overwrite?: boolean } = {}): Promise<void> {
    const { overwrite = true } = options;
    const file = this.resolve(relative);
    if (file === this.root) throw invalidFilePath(relative);
    await mkdirsDurably(path.dirname(file));
    if (!(await writeFileDurably(file, data, { overwrite }))) {
      throw new WeirError(ErrorCodes.LOG_ENTRY_CONFLICT, `Checkpoint file ${file} already exists`, {
        context: { path: file },
      });
    }
  }

  /** File names directly in `dir`, sorted; temp files and folders left out; `[]` for a missing folder. */
  async list(dir: string): Promise<string[]> {
    let entries;
    try {
      entries = await fs.readdir(this.resolve(dir), { withFileTypes: true });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return [];
      throw e;
    }
    return entries
      .filter((entry) => !entry.isDirectory() && !isTempFileName(entry.name))
      .map((entry) => entry.name)
      .sort();
  }

  /** Removes a file durably; a missing file (or folder) is not an error, so deletes can be retried. */
  async delete(relative: string): Promise<void> {
    const file = this.resolve(relative);
    if (file === this.root) throw invalidFilePath(relative);
    try {
      await fs.unlink(file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return;
      throw e;
    }
    await fsyncDirectory(path.dirname(file));
  }

  /** The file's modification time (ms, the filesystem's), or `undefined` when it does not exist. */
  async modificationTime(relative: string): Promise<number | undefined> {
    try {
      return (await fs.stat(this.resolve(relative))).mtimeMs;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw e;
    }
  }

  /** mkdir -p, durably. */
  async mkdirs(dir: string): Promise<void> {
    await mkdirsDurably(this.resolve(dir));
  }
}

function invalidFilePath(relative: string): WeirError {
  return new WeirError(ErrorCodes.INVALID_ARGUMENT, `"${relative}" names the checkpoint root, not a file`, {
    context: { path: relative },
  });
}
