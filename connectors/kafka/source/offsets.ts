/**
 * The Kafka source's offset (Spark's `KafkaSourceOffset`): JSON `{"topic":{"0":23}}`, per partition the next
 * offset to read, and its conversions to and from per-partition maps.
 *
 * Invariant: `offsetFromEntries` orders topics and partitions (topic name, then partition number), so equal
 * positions always give the same JSON, key order included.
 */
import { tpKey, type TopicPartition } from '../client/KafkaClient';

/** Spark's offset JSON: topic → partition (as a string) → next offset. */
export type KafkaSourceOffset = Record<string, Record<string, number>>;

/** One partition's offset. */
export interface PartitionOffset {
  readonly tp: TopicPartition;
  readonly offset: number;
}

/** Sorts `tps` in place by topic name, then partition. */
export function sortTps<T extends TopicPartition>(tps: T[]): T[] {
  return tps.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
}

/** The partitions of `offset`, keyed by `tpKey`. */
export function offsetsByPartition(offset: KafkaSourceOffset): Map<string, PartitionOffset> {
  const m = new Map<string, PartitionOffset>();
  for (const [topic, parts] of Object.entries(offset)) {
    for (const [p, o] of Object.entries(parts)) {
      const tp = { topic, partition: Number(p) };
      m.set(tpKey(tp), { tp, offset: o });
    }
  }
  return m;
}

/**
 * The offset JSON of `entries`, in topic-then-partition order.
 *
 * @example
 * ```ts
 * offsetFromEntries([{ tp: { topic: 't', partition: 1 }, offset: 5 }, { tp: { topic: 't', partition: 0 }, offset: 3 }]);
 * // → { t: { '0': 3, '1': 5 } }
 * ```
 */
export function offsetFromEntries(entries: Iterable<PartitionOffset>): KafkaSourceOffset {
  const list = sortTps([...entries].map((e) => ({ ...e.tp, offset: e.offset })));
  const out: KafkaSourceOffset = {};
  for (const e of list) (out[e.topic] ??= {})[String(e.partition)] = e.offset;
  return out;
}
