/**
 * The one optional capability a checkpoint store may add to {@link CheckpointStore}: when a file was last written
 * (Hadoop's `FileStatus.getModificationTime`), which the compactible log's cleanup delay needs. Both stores of weir
 * have it; a store without it is still a valid store.
 *
 * Invariant: a time is the moment the file's content became what it is (ms since the epoch), or `undefined` when
 * the file does not exist.
 */
import type { CheckpointStore } from '../contracts';

/** A store that knows when each file was written. */
export interface ModificationTimes {
  /** When the file at store-relative `path` was last written (ms), or `undefined` when it does not exist. */
  modificationTime(path: string): Promise<number | undefined>;
}

/** True when `store` can tell modification times. */
export function hasModificationTimes(store: CheckpointStore): store is CheckpointStore & ModificationTimes {
  return typeof (store as Partial<ModificationTimes>).modificationTime === 'function';
}
