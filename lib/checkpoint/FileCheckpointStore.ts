/**
 * The checkpoint store on the real filesystem.
 *
 * Invariant: every write is temp file + fsync + rename (or hard link) + directory fsync, so a file under the
 * root is either absent or complete and durable; paths never leave the root; listings never show temp files;
 * every failed filesystem call is a named `IO_*` error with the absolute path and the operation (`ioError`); with
 * `createRoot: false` a write never re-creates a root that was deleted (CHECKPOINT_DELETED instead).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { CheckpointStore } from '../contracts';
import { ErrorCodes, WeirError } from '../errors';
import { isMissingFileError, readFileIfExists } from '../util/readFileIfExists';
import { withIoErrors } from '../util/ioError';
import { checkpointDeleted } from './checkpointDeleted';
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
  private readonly createRoot: boolean;

  /**
   * @param options.createRoot whether a write may create the root folder (default true). A query's checkpoint
   *   store says false: its root exists from `Checkpoint.open` on, and a root that is missing later was deleted.
   */
  constructor(root: string, options: { createRoot?: boolean } = {}) {
    this.root = path.resolve(root);
    this.createRoot = options.createRoot ?? true;
  }

  /** The absolute path of a store-relative path. */
  resolve(relative: string): string {
    const normalized = normalizeRelativePath(relative);
    return normalized === '' ? this.root : path.join(this.root, ...normalized.split('/'));
  }

  /** The file's bytes, or `undefined` when it does not exist. */
  async read(relative: string): Promise<Buffer | undefined> {
    const file = this.resolve(relative);
    return withIoErrors('read', file, () => readFileIfExists(file));
  }

  /**
   * Writes durably and atomically, creating missing parent folders. With `overwrite: false` (default `true`)
   * an existing file is kept and LOG_ENTRY_CONFLICT is thrown; the check and the write are one atomic step.
   */
  async writeAtomic(relative: string, data: Uint8Array | string, options: { overwrite?: boolean } = {}): Promise<void> {
    const { overwrite = true } = options;
    const file = this.resolve(relative);
    if (file === this.root) throw invalidFilePath(relative);
    await this.ensureFolder(path.dirname(file));
    if (!(await withIoErrors('write', file, () => writeFileDurably(file, data, { overwrite })))) {
      throw new WeirError(ErrorCodes.LOG_ENTRY_CONFLICT, `Checkpoint file ${file} already exists`, {
        context: { path: file },
      });
    }
  }

  /** File names directly in `dir`, sorted; temp files and folders left out; `[]` for a missing folder. */
  async list(dir: string): Promise<string[]> {
    const folder = this.resolve(dir);
    const entries = await withIoErrors('list', folder, async () => {
      try {
        return await fs.readdir(folder, { withFileTypes: true });
      } catch (e) {
        if (isMissingFileError(e)) return [];
        throw e;
      }
    });
    return entries
      .filter((entry) => !entry.isDirectory() && !isTempFileName(entry.name))
      .map((entry) => entry.name)
      .sort();
  }

  /** Removes a file durably; a missing file (or folder) is not an error, so deletes can be retried. */
  async delete(relative: string): Promise<void> {
    const file = this.resolve(relative);
    if (file === this.root) throw invalidFilePath(relative);
    await withIoErrors('delete', file, async () => {
      try {
        await fs.unlink(file);
      } catch (e) {
        if (isMissingFileError(e)) return;
        throw e;
      }
      await fsyncDirectory(path.dirname(file));
    });
  }

  /** The file's modification time (ms, the filesystem's), or `undefined` when it does not exist. */
  async modificationTime(relative: string): Promise<number | undefined> {
    const file = this.resolve(relative);
    return withIoErrors('stat', file, async () => {
      try {
        return (await fs.stat(file)).mtimeMs;
      } catch (e) {
        if (isMissingFileError(e)) return undefined;
        throw e;
      }
    });
  }

  /** mkdir -p, durably. */
  async mkdirs(dir: string): Promise<void> {
    await this.ensureFolder(this.resolve(dir));
  }

  /** mkdir -p of an absolute folder under the root; CHECKPOINT_DELETED when that had to create the root itself. */
  private async ensureFolder(folder: string): Promise<void> {
    const created = await withIoErrors('mkdir', folder, () => mkdirsDurably(folder));
    if (created === undefined || this.createRoot) return;
    const relative = path.relative(this.root, created);
    if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
      // The root was gone: remove the empty folders just made, so that nothing looks like a checkpoint there.
      for (let d = folder; ; d = path.dirname(d)) {
        await fs.rmdir(d).catch(() => undefined);
        if (d === created || path.dirname(d) === d) break;
      }
      throw checkpointDeleted(this.root, 'the folder was deleted (a write found it missing)');
    }
  }
}

function invalidFilePath(relative: string): WeirError {
  return new WeirError(ErrorCodes.INVALID_ARGUMENT, `"${relative}" names the checkpoint root, not a file`, {
    context: { path: relative },
  });
}
