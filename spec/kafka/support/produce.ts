/** Producing test data to the real broker. */
import type { KafkaClient, KafkaOutRecord, TopicPartition } from '../../../connectors/kafka/client/KafkaClient';

/** Produces `records` with a plain producer and waits for the acks. */
export async function produce(client: KafkaClient, records: readonly KafkaOutRecord[]): Promise<void> {
  const p = client.producer();
  try {
    await p.send(records);
  } finally {
    await p.close();
  }
}

/** Every record of a topic (all partitions), read with `isolation`, as `partition:offset:key:value` lines. */
export async function readTopic(
  client: KafkaClient,
  topic: string,
  isolation: 'read_committed' | 'read_uncommitted' = 'read_committed',
): Promise<Array<{ partition: number; offset: number; key: string | null; value: string | null; headers: Array<{ key: string; value: string | null }> }>> {
  const tps = await client.partitions([topic]);
  const ends = isolation === 'read_committed' ? await settledEnds(client, tps) : await client.latestOffsets(tps, isolation);
  const out = [];
  for (let i = 0; i < tps.length; i += 1) {
    const { records } = await client.fetchRange(tps[i]!, 0, ends[i]!, isolation);
    for (const r of records) {
      out.push({
        partition: r.partition,
        offset: r.offset,
        key: r.key === null ? null : r.key.toString(),
        value: r.value === null ? null : r.value.toString(),
        headers: r.headers.map((h) => ({ key: h.key, value: h.value === null ? null : h.value.toString() })),
      });
    }
  }
  return out;
}

/**
 * The ends of `tps` once every transaction is settled: a commit returns before its markers are written, so the
 * last stable offset reaches the high watermark a moment later.
 */
export async function settledEnds(client: KafkaClient, tps: readonly TopicPartition[], timeoutMs = 20_000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lso = await client.latestOffsets(tps, 'read_committed');
    const hw = await client.latestOffsets(tps, 'read_uncommitted');
    if (lso.every((o, i) => o === hw[i]) || Date.now() > deadline) return lso;
    await new Promise((r) => setTimeout(r, 50));
  }
}
