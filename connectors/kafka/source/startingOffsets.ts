/**
 * The starting offsets of a new Kafka query (Spark's `KafkaOffsetReader.fetchPartitionOffsets` for the
 * `startingOffsets`, `startingOffsetsByTimestamp` and `startingTimestamp` range limits).
 *
 * Invariant: one position per partition the strategy names now; specific offsets must name exactly those
 * partitions (-2 = earliest, -1 = latest); a timestamp resolves to the first offset at or after it, and a partition
 * with none fails with KAFKA_OFFSET_NOT_FOUND unless the strategy is `latest`.
 */
import { ErrorCodes, WeirError } from '../../../lib/errors';
import { tpKey, type KafkaClient, type TopicPartition } from '../client/KafkaClient';
import { offsetFromEntries, offsetsByPartition, type KafkaSourceOffset, type PartitionOffset } from './offsets';
import type { KafkaSourceConfig } from './options';

/**
 * Resolves `config.start` for the partitions `tps` with `kafka`. `source` names the source in errors.
 *
 * @example
 * ```ts
 * await resolveStartingOffsets(client, [{ topic: 't', partition: 0 }], config, 'KafkaV2[Subscribe[t]]'); // { t: { '0': 42 } }
 * ```
 */
export async function resolveStartingOffsets(
  kafka: KafkaClient,
  tps: readonly TopicPartition[],
  config: Pick<KafkaSourceConfig, 'start' | 'isolation' | 'timestampStrategy'>,
  source: string,
): Promise<KafkaSourceOffset> {
  const start = config.start;
  if (start.kind === 'earliest' || start.kind === 'latest') {
    const offs = start.kind === 'earliest' ? await kafka.earliestOffsets(tps) : await kafka.latestOffsets(tps, config.isolation);
    return offsetFromEntries(tps.map((tp, i) => ({ tp, offset: offs[i]! })));
  }
  if (start.kind === 'offsets') {
    const given = offsetsByPartition(start.offsets);
    const have = new Set(tps.map(tpKey));
    const missing = tps.filter((tp) => !given.has(tpKey(tp)));
    const extra = [...given.values()].filter((g) => !have.has(tpKey(g.tp)));
    if (missing.length > 0 || extra.length > 0) {
      throw new WeirError(
        ErrorCodes.INVALID_ARGUMENT,
        'If startingOffsets contains specific offsets, you must specify all TopicPartitions.\n' +
          `Use -1 for latest, -2 for earliest.\nSpecified: ${[...given.values()].map((g) => `${g.tp.topic}-${g.tp.partition}`).join(', ')} ` +
          `Assigned: ${tps.map((tp) => `${tp.topic}-${tp.partition}`).join(', ')}`,
        { context: { source, option: 'startingOffsets' } },
      );
    }
    const earliest = await kafka.earliestOffsets(tps);
    const latest = await kafka.latestOffsets(tps, config.isolation);
    return offsetFromEntries(
      tps.map((tp, i) => {
        const o = given.get(tpKey(tp))!.offset;
        return { tp, offset: o === -2 ? earliest[i]! : o === -1 ? latest[i]! : o };
      }),
    );
  }
  const latest = await kafka.latestOffsets(tps, config.isolation);
  const out: PartitionOffset[] = [];
  const byTs = start.kind === 'timestamps' ? offsetsByPartition(start.timestamps) : undefined;
  for (let i = 0; i < tps.length; i += 1) {
    const tp = tps[i]!;
    const ts = start.kind === 'timestamp' ? start.timestampMs : byTs!.get(tpKey(tp))?.offset;
    if (ts === undefined) {
      throw new WeirError(
        ErrorCodes.INVALID_ARGUMENT,
        `startingOffsetsByTimestamp must give a timestamp for every partition; ${tp.topic}-${tp.partition} has none`,
        { context: { source, option: 'startingOffsetsByTimestamp', topic: tp.topic, partition: tp.partition } },
      );
    }
    const [o] = await kafka.offsetsForTimestamp([tp], ts);
    if (o === undefined || o < 0) {
      if (config.timestampStrategy === 'latest') {
        out.push({ tp, offset: latest[i]! });
        continue;
      }
      throw new WeirError(
        ErrorCodes.KAFKA_OFFSET_NOT_FOUND,
        `No offset matched from request of topic-partition ${tp.topic}-${tp.partition} and timestamp ${ts}.`,
        { context: { source, topic: tp.topic, partition: tp.partition, timestamp: ts } },
      );
    }
    out.push({ tp, offset: o });
  }
  return offsetFromEntries(out);
}
