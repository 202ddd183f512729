/**
 * The starting offsets a new Kafka query resolved, kept in the source's metadata folder (Spark's
 * `KafkaSourceInitialOffsetWriter`, an `HDFSMetadataLog` whose entry 0 holds them), so a restart before the first
 * commit starts where the first run did.
 *
 * Invariants:
 * - Written once, as entry 0 of a `MetadataLog` over `<checkpoint>/sources/<i>` (weir's versioned, checksummed
 *   log file `<checkpoint>/sources/<i>/0`, made durable before it is used); a concurrent writer's entry wins.
 * - Read back damage-checked: a torn or corrupt entry is CHECKPOINT_CORRUPT, a newer version
 *   CHECKPOINT_UNSUPPORTED_VERSION; it is never silently re-resolved.
 * - Backward compatible: checkpoints of earlier weir versions hold `<checkpoint>/sources/<i>/initialOffsets`
 *   (raw JSON without version or checksum). When there is no entry 0, that file is read, and left as it is.
 */
import { readFileIfExists } from '../../../lib/util/readFileIfExists';
import * as path from 'node:path';
import { FileCheckpointStore } from '../../../lib/checkpoint/FileCheckpointStore';
import type { LogCodec } from '../../../lib/checkpoint/FileStatus';
import { MetadataLog } from '../../../lib/checkpoint/MetadataLog';
import { ErrorCodes, WeirError } from '../../../lib/errors';
import type { KafkaSourceOffset } from './offsets';

/** The version of the entry written (and the newest one read). */
export const INITIAL_OFFSETS_VERSION = 1;

/** The file earlier weir versions wrote the starting offsets to (raw JSON), still read. */
export const LEGACY_INITIAL_OFFSETS_FILE = 'initialOffsets';

/** Checks that `value` is Spark's offset JSON (topic → partition → offset), or throws saying what is wrong. */
function asKafkaSourceOffset(value: unknown): KafkaSourceOffset {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('not a JSON object of topics');
  const out: KafkaSourceOffset = {};
  for (const [topic, parts] of Object.entries(value as Record<string, unknown>)) {
    if (!parts || typeof parts !== 'object' || Array.isArray(parts)) throw new Error(`topic ${JSON.stringify(topic)} does not map partitions to offsets`);
    const partitions: Record<string, number> = {};
    for (const [p, o] of Object.entries(parts as Record<string, unknown>)) {
      if (!/^\d+$/.test(p) || typeof o !== 'number' || !Number.isSafeInteger(o)) {
        throw new Error(`bad offset ${JSON.stringify(o)} of ${topic}-${p}`);
      }
      partitions[p] = o;
    }
    out[topic] = partitions;
  }
  return out;
}

/** The codec of entry 0: one line, Spark's offset JSON (`{"topic":{"0":23}}`). */
export const initialOffsetsCodec: LogCodec<KafkaSourceOffset> = {
  version: INITIAL_OFFSETS_VERSION,
  encode: (offsets) => [JSON.stringify(offsets)],
  decode: (lines) => {
    if (lines.length !== 1) throw new Error(`expected one line of offsets, got ${lines.length}`);
    return asKafkaSourceOffset(JSON.parse(lines[0]!));
  },
};

/**
 * The starting offsets of one Kafka source of one query, in its metadata folder.
 *
 * @example
 * ```ts
 * const stored = new KafkaInitialOffsets(context.metadataPath, 'KafkaV2[Subscribe[events]]');
 * const start = await stored.getOrCreate(() => resolveStartingOffsets());
 * ```
 */
export class KafkaInitialOffsets {
  private readonly log: MetadataLog<KafkaSourceOffset>;

  constructor(
    private readonly metadataPath: string,
    private readonly source: string,
  ) {
    this.log = new MetadataLog(new FileCheckpointStore(metadataPath), '', initialOffsetsCodec);
  }

  /** The stored offsets (entry 0, else the legacy file), or `undefined` when none were stored. */
  async get(): Promise<KafkaSourceOffset | undefined> {
    return (await this.log.get(0)) ?? (await this.readLegacy());
  }

  /** The stored offsets, or `resolve()`'s, stored durably first. */
  async getOrCreate(resolve: () => Promise<KafkaSourceOffset>): Promise<KafkaSourceOffset> {
    const stored = await this.get();
    if (stored !== undefined) return stored;
    const offsets = await resolve();
    if (await this.log.add(0, offsets)) return offsets;
    // Another run wrote entry 0 between our read and our write: theirs wins, as in Spark's metadata log.
    return (await this.log.get(0)) ?? offsets;
  }

  private async readLegacy(): Promise<KafkaSourceOffset | undefined> {
    const file = path.join(this.metadataPath, LEGACY_INITIAL_OFFSETS_FILE);
    const text = await readFileIfExists(file, 'utf8');
    if (text === undefined) return undefined;
    try {
      return asKafkaSourceOffset(JSON.parse(text));
    } catch (e) {
      throw new WeirError(ErrorCodes.CHECKPOINT_CORRUPT, `${this.source}: ${file} does not parse as Kafka offsets: ${(e as Error).message}`, {
        cause: e,
        context: { path: file, source: this.source },
      });
    }
  }
}
