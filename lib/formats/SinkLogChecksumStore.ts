/**
 * The store the file sink's `_spark_metadata` log is written through: a {@link FileCheckpointStore} rooted at the
 * output folder that keeps a checksum sidecar beside every log entry (see sinkLogChecksum.ts), so an entry damaged
 * after its commit is refused instead of read as truth, while the entry itself stays byte for byte Spark's.
 *
 * Invariant: `writeAtomic` of an entry writes its sidecar durably first (a crash between the two leaves a sidecar
 * of an entry that does not exist, which the batch's re-run replaces); `read` of an entry checks it against its
 * sidecar; `delete` of an entry deletes the sidecar after it. Files that are not log entries pass through.
 */
import * as path from 'node:path';
import type { CheckpointStore } from '../contracts';
import { ErrorCodes, isWeirError } from '../errors';
import { FileCheckpointStore } from '../checkpoint/FileCheckpointStore';
import { parseCompactibleFileName } from '../checkpoint/CompactibleMetadataLog';
import type { ModificationTimes } from '../checkpoint/modificationTime';
import { checkChecksumSidecar, checksumSidecarPath, encodeChecksumSidecar } from './sinkLogChecksum';

/** True when the store-relative `relative` names a log entry (`<N>` or `<N>.compact`). */
function isEntry(relative: string): boolean {
  return parseCompactibleFileName(path.posix.basename(relative)) !== undefined;
}

/** A file store under `root` whose log entries carry checksum sidecars. */
export class SinkLogChecksumStore implements CheckpointStore, ModificationTimes {
  private readonly inner: FileCheckpointStore;

  constructor(root: string) {
    this.inner = new FileCheckpointStore(root);
  }

  get root(): string {
    return this.inner.root;
  }

  /**
   * The file's bytes; for a log entry, checked against its sidecar.
   *
   * @throws WeirError CHECKPOINT_CORRUPT when an entry differs from what weir wrote.
   */
  async read(relative: string): Promise<Buffer | undefined> {
    const data = await this.inner.read(relative);
    if (data === undefined || !isEntry(relative)) return data;
    const sidecar = checksumSidecarPath(relative);
    const error = checkChecksumSidecar(
      this.inner.resolve(relative),
      data,
      await this.inner.read(sidecar),
      this.inner.resolve(sidecar),
      parseCompactibleFileName(path.posix.basename(relative))?.batchId,
    );
    if (error) throw error;
    return data;
  }

  async writeAtomic(relative: string, data: Uint8Array | string, options: { overwrite?: boolean } = {}): Promise<void> {
    if (!isEntry(relative)) return this.inner.writeAtomic(relative, data, options);
    const sidecar = checksumSidecarPath(relative);
    await this.inner.writeAtomic(sidecar, encodeChecksumSidecar(data), { overwrite: true });
    try {
      await this.inner.writeAtomic(relative, data, options);
    } catch (e) {
      // Another writer's entry is there: its bytes are not ours, so our sidecar must not vouch for them.
      if (isWeirError(e, ErrorCodes.LOG_ENTRY_CONFLICT)) await this.inner.delete(sidecar);
      throw e;
    }
  }

  list(dir: string): Promise<string[]> {
    return this.inner.list(dir);
  }

  async delete(relative: string): Promise<void> {
    await this.inner.delete(relative);
    if (isEntry(relative)) await this.inner.delete(checksumSidecarPath(relative));
  }

  modificationTime(relative: string): Promise<number | undefined> {
    return this.inner.modificationTime(relative);
  }

  mkdirs(dir: string): Promise<void> {
    return this.inner.mkdirs(dir);
  }
}
