/**
 * The in-memory twin of {@link FileCheckpointStore}: same contract, no disk.
 *
 * Invariant: it passes the same contract suite as the file store, and it stores exactly the bytes it is given
 * (copied in and out), so tests inject torn or corrupt files simply by writing those bytes.
 */
import * as path from 'node:path';
import type { CheckpointStore } from '../contracts';
import { ErrorCodes, WeirError } from '../errors';
import { isTempFileName } from './durableWrite';
import { normalizeRelativePath } from './layout';
import type { ModificationTimes } from './modificationTime';

/** Options of a {@link MemoryCheckpointStore}. */
export interface MemoryCheckpointStoreOptions {
  /** The time a write stamps on its file (ms; its modification time). Default `Date.now`, as a filesystem's. */
  readonly now?: () => number;
}

/**
 * A {@link CheckpointStore} held in a Map. Writes are atomic by construction (one synchronous Map update).
 *
 * @example
 * const store = new MemoryCheckpointStore();
 * await store.writeAtomic('offsets/3', 'v1\n{"batchWat'); // a torn file, as a crash would leave it
 */
export class MemoryCheckpointStore implements CheckpointStore, ModificationTimes {
  /** A label only: no file under it is ever touched. */
  readonly root: string;
  private readonly files = new Map<string, Buffer>();
  private readonly times = new Map<string, number>();
  private readonly now: () => number;

  constructor(root = '/memory-checkpoint', options: MemoryCheckpointStoreOptions = {}) {
    this.root = root;
    this.now = options.now ?? Date.now;
  }

  /** A copy of the file's bytes, or `undefined` when it does not exist. */
  async read(relative: string): Promise<Buffer | undefined> {
    const data = this.files.get(filePath(relative));
    return data === undefined ? undefined : Buffer.from(data);
  }

  /** Same contract as the file store: `overwrite: false` on an existing file throws LOG_ENTRY_CONFLICT. */
  async writeAtomic(relative: string, data: Uint8Array | string, options: { overwrite?: boolean } = {}): Promise<void> {
    const { overwrite = true } = options;
    const key = filePath(relative);
    // Check and set without an await in between: concurrent exclusive writers see each other, as with link().
    if (!overwrite && this.files.has(key)) {
      throw new WeirError(ErrorCodes.LOG_ENTRY_CONFLICT, `Checkpoint file ${path.posix.join(this.root, key)} already exists`, {
        context: { path: path.posix.join(this.root, key) },
      });
    }
    this.files.set(key, typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data));
    this.times.set(key, this.now());
  }

  /** When the file was last written (the `now` option's time then), or `undefined` when it does not exist. */
  async modificationTime(relative: string): Promise<number | undefined> {
    return this.times.get(filePath(relative));
  }

  /** File names directly in `dir`, sorted, without temp files; `[]` for a missing folder. */
  async list(dir: string): Promise<string[]> {
    const normalized = normalizeRelativePath(dir);
    const prefix = normalized === '' ? '' : `${normalized}/`;
    const names: string[] = [];
    for (const key of this.files.keys()) {
      if (!key.startsWith(prefix)) continue;
      const name = key.slice(prefix.length);
      if (!name.includes('/') && !isTempFileName(name)) names.push(name);
    }
    return names.sort();
  }

  /** Removes a file; a missing one is not an error. */
  async delete(relative: string): Promise<void> {
    const key = filePath(relative);
    this.files.delete(key);
    this.times.delete(key);
  }

  /** Folders exist implicitly here; only the path is validated. */
  async mkdirs(dir: string): Promise<void> {
    normalizeRelativePath(dir);
  }
}

function filePath(relative: string): string {
  const normalized = normalizeRelativePath(relative);
  if (normalized === '') {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `"${relative}" names the checkpoint root, not a file`, {
      context: { path: relative },
    });
  }
  return normalized;
}
