/**
 * The offsets log (`offsets/N`), the write-ahead log of micro-batches: what batch N reads, under which
 * watermark and batch time. Spark's OffsetSeqLog, line for line:
 *
 *     v1
 *     {"batchWatermarkMs":0,"batchTimestampMs":1700000000000,"conf":{...},"queryId":"..."}
 *     <offset of source 0 as JSON, or "-" when the source has none>
 *     ...
 *     crc32:...                      (weir's checksum trailer)
 *
 * Invariant: an entry decodes to exactly the value that was encoded (offsets compared structurally), or not at
 * all; an offset that JSON cannot carry unchanged (NaN, undefined, class instances) is refused when written.
 */
import type { CheckpointStore, Offset } from '../contracts';
import { ErrorCodes, WeirError } from '../errors';
import type { LogCodec } from './FileStatus';
import { assertJsonValue, numberField, parseJsonObject, stringField, stringMapField } from './jsonLine';
import { OFFSETS_DIR } from './layout';
import { MetadataLog } from './MetadataLog';

/** The batch-level metadata logged with the offsets (Spark's OffsetSeqMetadata, plus the query id). */
export interface OffsetSeqMetadata {
  /** The watermark batch N runs with (ms). */
  readonly batchWatermarkMs: number;
  /** Batch N's frozen time: `current_timestamp()` on every run of N. */
  readonly batchTimestampMs: number;
  /** Confs frozen in the checkpoint (shuffle partitions, state format, ...). */
  readonly conf: Readonly<Record<string, string>>;
  /** The query that wrote the entry; must match the checkpoint's `metadata` id. */
  readonly queryId: string;
}

/** One offsets log entry: the end offset of every source for batch N (`null`: the source has none yet). */
export interface OffsetSeq {
  readonly metadata: OffsetSeqMetadata;
  readonly offsets: readonly (Offset | null)[];
}

/** The newest offsets log version this weir reads and the one it writes. */
export const OFFSET_SEQ_LOG_VERSION = 1;

/** Spark's marker for a source without an offset. */
const NO_OFFSET = '-';

/** Encodes/decodes {@link OffsetSeq} entries in Spark's line layout. */
export const offsetSeqCodec: LogCodec<OffsetSeq> = {
  version: OFFSET_SEQ_LOG_VERSION,
  encode(value: OffsetSeq): string[] {
    const { batchWatermarkMs, batchTimestampMs, conf, queryId } = value.metadata;
    try {
      assertJsonValue({ batchWatermarkMs, batchTimestampMs, conf: { ...conf }, queryId }, 'offsets metadata');
      value.offsets.forEach((offset, i) => assertJsonValue(offset, `offset of source ${i}`));
    } catch (e) {
      throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `Cannot log offsets: ${(e as Error).message}`, { cause: e });
    }
    const metadataLine = JSON.stringify({ batchWatermarkMs, batchTimestampMs, conf, queryId });
    return [metadataLine, ...value.offsets.map((offset) => (offset === null ? NO_OFFSET : JSON.stringify(offset)))];
  },
  decode(lines: readonly string[]): OffsetSeq {
    const [metadataLine, ...offsetLines] = lines;
    const object = parseJsonObject(metadataLine, 'offsets metadata');
    const metadata: OffsetSeqMetadata = {
      batchWatermarkMs: numberField(object, 'batchWatermarkMs', 'offsets metadata'),
      batchTimestampMs: numberField(object, 'batchTimestampMs', 'offsets metadata'),
      conf: stringMapField(object, 'conf', 'offsets metadata'),
      queryId: stringField(object, 'queryId', 'offsets metadata'),
    };
    const offsets = offsetLines.map((line, i): Offset | null => {
      if (line === NO_OFFSET) return null;
      try {
        return JSON.parse(line) as Offset;
      } catch {
        throw new Error(`offset of source ${i} is not JSON`);
      }
    });
    return { metadata, offsets };
  },
};

/**
 * The offsets log of a checkpoint (`offsets/`).
 *
 * @example
 * const log = new OffsetSeqLog(store);
 * await log.add(0, { metadata: { batchWatermarkMs: 0, batchTimestampMs: clock.now(), conf: {}, queryId }, offsets: [5] });
 */
export class OffsetSeqLog extends MetadataLog<OffsetSeq> {
  constructor(store: CheckpointStore, dir: string = OFFSETS_DIR) {
    super(store, dir, offsetSeqCodec);
  }
}
