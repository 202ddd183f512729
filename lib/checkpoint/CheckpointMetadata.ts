/**
 * The checkpoint's `metadata` file: the query id, stable across restarts (Spark's StreamMetadata), in the same
 * checksummed format as the logs:
 *
 *     v1
 *     {"id":"<uuid>"}
 *     crc32:...
 *
 * Invariant: the id is written once, durably, before any log entry refers to it; reading it reports damage as
 * a {@link FileStatus} instead of throwing.
 */
import type { CheckpointStore } from '../contracts';
import { decodeFileStatus, encodeEntry, type FileStatus, type LogCodec } from './FileStatus';
import { parseJsonObject, stringField } from './jsonLine';
import { METADATA_FILE } from './layout';

/** The content of `<checkpoint>/metadata`. */
export interface CheckpointMetadata {
  /** The query id (a UUID when weir created it). */
  readonly id: string;
}

/** The newest metadata file version this weir reads and the one it writes. */
export const CHECKPOINT_METADATA_VERSION = 1;

/** Encodes/decodes {@link CheckpointMetadata} as one JSON line. */
export const checkpointMetadataCodec: LogCodec<CheckpointMetadata> = {
  version: CHECKPOINT_METADATA_VERSION,
  encode(value: CheckpointMetadata): string[] {
    return [JSON.stringify({ id: value.id })];
  },
  decode(lines: readonly string[]): CheckpointMetadata {
    if (lines.length !== 1) throw new Error(`the metadata file has one line, found ${lines.length}`);
    return { id: stringField(parseJsonObject(lines[0], 'metadata'), 'id', 'metadata') };
  },
};

/** Reads `metadata`: `undefined` when absent, else its status (ok, torn, corrupt, unsupported version). */
export async function readCheckpointMetadata(store: CheckpointStore): Promise<FileStatus<CheckpointMetadata> | undefined> {
  const data = await store.read(METADATA_FILE);
  return data === undefined ? undefined : decodeFileStatus(data, checkpointMetadataCodec);
}

/**
 * Writes `metadata` durably. With `overwrite: false` (the default, so an id is never replaced by accident) an
 * existing file makes it throw LOG_ENTRY_CONFLICT.
 */
export async function writeCheckpointMetadata(
  store: CheckpointStore,
  metadata: CheckpointMetadata,
  options: { overwrite?: boolean } = {},
): Promise<void> {
  const { overwrite = false } = options;
  const data = encodeEntry(checkpointMetadataCodec, metadata, METADATA_FILE);
  await store.writeAtomic(METADATA_FILE, data, { overwrite });
}
