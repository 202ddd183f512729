/**
 * The commits log (`commits/N`): batch N is done, and the watermark the next batch starts from.
 *
 *     v1
 *     {"nextBatchWatermarkMs":0,"queryId":"..."}
 *     crc32:...
 *
 * Invariant: `commits/N` is written only after batch N's sink write and state commit, so its presence alone
 * decides resume-after-N versus re-run-N; an entry decodes exactly or is reported damaged.
 */
import type { CheckpointStore } from '../contracts';
import type { LogCodec } from './FileStatus';
import { numberField, parseJsonObject, stringField } from './jsonLine';
import { COMMITS_DIR } from './layout';
import { MetadataLog } from './MetadataLog';

/** One commits log entry (Spark's CommitMetadata, plus the query id). */
export interface CommitEntry {
  /** The watermark computed from batch N's event times: the one batch N+1 runs with (ms). */
  readonly nextBatchWatermarkMs: number;
  /** The query that wrote the entry; must match the checkpoint's `metadata` id. */
  readonly queryId: string;
}

/** The newest commits log version this weir reads and the one it writes. */
export const COMMIT_LOG_VERSION = 1;

/** Encodes/decodes {@link CommitEntry} as one JSON line. */
export const commitCodec: LogCodec<CommitEntry> = {
  version: COMMIT_LOG_VERSION,
  encode(value: CommitEntry): string[] {
    return [JSON.stringify({ nextBatchWatermarkMs: value.nextBatchWatermarkMs, queryId: value.queryId })];
  },
  decode(lines: readonly string[]): CommitEntry {
    if (lines.length !== 1) throw new Error(`a commit entry has one line, found ${lines.length}`);
    const object = parseJsonObject(lines[0], 'commit');
    return {
      nextBatchWatermarkMs: numberField(object, 'nextBatchWatermarkMs', 'commit'),
      queryId: stringField(object, 'queryId', 'commit'),
    };
  },
};

/**
 * The commits log of a checkpoint (`commits/`).
 *
 * @example
 * await new CommitLog(store).add(batchId, { nextBatchWatermarkMs: watermark, queryId });
 */
export class CommitLog extends MetadataLog<CommitEntry> {
  constructor(store: CheckpointStore, dir: string = COMMITS_DIR) {
    super(store, dir, commitCodec);
  }
}
