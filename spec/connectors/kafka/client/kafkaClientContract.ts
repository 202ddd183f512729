/**
 * The contract suite of `KafkaClient` implementations: the same cases run against the kafkajs client on a real
 * broker (spec/kafka/clientContract.spec.ts) and against MemoryKafkaClient (MemoryKafkaClient.spec.ts), so the
 * in-memory client is checked against Kafka itself.
 *
 * Invariant: only what Kafka guarantees is asserted (offsets, markers taking offsets, last stable offsets once
 * transactions settle, data loss, timestamps, partitioning, fencing, group offsets); failures are asserted as
 * rejections, not by their messages or types, which differ between clients.
 */
import { KafkaFencedError, type KafkaClient, type TopicPartition } from '../../../../connectors/kafka/client/KafkaClient';
import { keyPartition } from '../../../../connectors/kafka/client/murmur2';

/** One client under test and a topic name no other test uses. */
export interface KafkaClientFixture {
  readonly client: KafkaClient;
  topic(prefix: string): string;
}

const T0 = 1_700_000_000_000;

/** The ends of `tps` once every transaction is settled (a real broker writes markers after the commit returns). */
async function settledEnds(client: KafkaClient, tps: readonly TopicPartition[], timeoutMs = 20_000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lso = await client.latestOffsets(tps, 'read_committed');
    const hw = await client.latestOffsets(tps, 'read_uncommitted');
    if (lso.every((o, i) => o === hw[i]) || Date.now() > deadline) return lso;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function produce(client: KafkaClient, records: Parameters<ReturnType<KafkaClient['producer']>['send']>[0]): Promise<void> {
  const p = client.producer();
  try {
    await p.send(records);
  } finally {
    await p.close();
  }
}

/**
 * Registers the KafkaClient contract tests.
 *
 * @example
 * ```ts
 * describeKafkaClientContract('MemoryKafkaClient', () => ({ client: new MemoryKafkaClient(), topic: (p) => `${p}-${n++}` }));
 * ```
 */
export function describeKafkaClientContract(name: string, fixture: () => KafkaClientFixture): void {
  describe(`KafkaClient contract: ${name}`, () => {
    let f: KafkaClientFixture;
    beforeAll(() => {
      f = fixture();
    });
    afterAll(() => f.client.close());

    it('creates topics and partitions: listed, sorted, a second create answers false', async () => {
      const t = f.topic('contract-topics');
      expect(await f.client.createTopic(t, { partitions: 2 })).toBe(true);
      expect(await f.client.createTopic(t, { partitions: 2 })).toBe(false);
      expect(await f.client.listTopics()).toContain(t);
      expect(await f.client.partitions([t, `${t}-missing`, t])).toEqual([
        { topic: t, partition: 0 },
        { topic: t, partition: 1 },
      ]);
      await f.client.createPartitions(t, 3);
      expect((await f.client.partitions([t])).map((tp) => tp.partition)).toEqual([0, 1, 2]);
      await expect(f.client.createPartitions(t, 2)).rejects.toBeDefined();
    });

    it('reads [from, until) up to the end; an empty range is empty; a start past the end fails', async () => {
      const t = f.topic('contract-ranges');
      await f.client.createTopic(t);
      const tp = { topic: t, partition: 0 };
      await produce(
        f.client,
        Array.from({ length: 6 }, (_, i) => ({
          topic: t,
          partition: 0,
          key: i % 2 === 0 ? `k${i}` : null,
          value: i === 5 ? null : `v${i}`,
          timestamp: T0 + i * 1000,
          headers: [{ key: 'h', value: Buffer.from(String(i)) }, { key: 'null', value: null }],
        })),
      );
      expect(await f.client.earliestOffsets([tp])).toEqual([0]);
      expect(await f.client.latestOffsets([tp], 'read_uncommitted')).toEqual([6]);
      expect(await f.client.latestOffsets([tp], 'read_committed')).toEqual([6]);
      const { records, dataLostUntil } = await f.client.fetchRange(tp, 1, 4, 'read_uncommitted');
      expect(dataLostUntil).toBeUndefined();
      expect(records.map((r) => [r.offset, r.key?.toString() ?? null, r.value?.toString() ?? null, r.timestamp, r.timestampType])).toEqual([
        [1, null, 'v1', T0 + 1000, 0],
        [2, 'k2', 'v2', T0 + 2000, 0],
        [3, null, 'v3', T0 + 3000, 0],
      ]);
      expect(records[0]!.headers).toEqual([
        { key: 'h', value: Buffer.from('1') },
        { key: 'null', value: Buffer.alloc(0) },
      ]);
      expect((await f.client.fetchRange(tp, 4, 100, 'read_uncommitted')).records.map((r) => [r.offset, r.value])).toEqual([
        [4, Buffer.from('v4')],
        [5, null],
      ]);
      expect((await f.client.fetchRange(tp, 2, 2, 'read_uncommitted')).records).toEqual([]);
      expect((await f.client.fetchRange(tp, 6, 10, 'read_uncommitted')).records).toEqual([]);
      await expect(f.client.fetchRange(tp, 8, 10, 'read_uncommitted')).rejects.toBeDefined();
    });

    it('finds offsets by timestamp: the first record at or after the time, -1 after the last', async () => {
      const t = f.topic('contract-times');
      await f.client.createTopic(t, { partitions: 2 });
      await produce(f.client, [
        { topic: t, partition: 0, key: null, value: 'a', timestamp: T0 },
        { topic: t, partition: 0, key: null, value: 'b', timestamp: T0 + 2000 },
        { topic: t, partition: 0, key: null, value: 'c', timestamp: T0 + 1000 },
      ]);
      const tps = [
        { topic: t, partition: 0 },
        { topic: t, partition: 1 },
      ];
      expect(await f.client.offsetsForTimestamp(tps, T0 + 1000)).toEqual([1, -1]);
      expect(await f.client.offsetsForTimestamp(tps, T0 - 1)).toEqual([0, -1]);
      expect(await f.client.offsetsForTimestamp(tps, T0 + 2001)).toEqual([-1, -1]);
    });

    it('deleted records are data loss: the log start moves, a read from before reports dataLostUntil', async () => {
      const t = f.topic('contract-loss');
      await f.client.createTopic(t);
      const tp = { topic: t, partition: 0 };
      await produce(f.client, Array.from({ length: 5 }, (_, i) => ({ topic: t, key: null, value: String(i) })));
      await f.client.deleteRecords(tp, 3);
      expect(await f.client.earliestOffsets([tp])).toEqual([3]);
      const r = await f.client.fetchRange(tp, 1, 5, 'read_uncommitted');
      expect(r.dataLostUntil).toBe(3);
      expect(r.records.map((x) => x.offset)).toEqual([3, 4]);
      // A range entirely below the log start: all of it is lost.
      expect(await f.client.fetchRange(tp, 0, 2, 'read_uncommitted')).toEqual({ records: [], dataLostUntil: 2 });
      await f.client.deleteRecords(tp, -1);
      expect(await f.client.earliestOffsets([tp])).toEqual([5]);
      expect(await f.client.latestOffsets([tp], 'read_uncommitted')).toEqual([5]);
    });

    it('a LogAppendTime topic stamps records with the append time (timestampType 1)', async () => {
      const t = f.topic('contract-append-time');
      await f.client.createTopic(t, { configs: { 'message.timestamp.type': 'LogAppendTime' } });
      await produce(f.client, [{ topic: t, key: null, value: 'x', timestamp: T0 }]);
      const [r] = (await f.client.fetchRange({ topic: t, partition: 0 }, 0, 1, 'read_uncommitted')).records;
      expect(r!.timestampType).toBe(1);
      expect(Math.abs(r!.timestamp - Date.now())).toBeLessThan(60_000);
    });

    it('keyed records go to the murmur2 partition', async () => {
      const t = f.topic('contract-keys');
      await f.client.createTopic(t, { partitions: 3 });
      const keys = ['a', 'b', 'order-1', 'order-2', 'customer-42', 'x'.repeat(17)];
      await produce(
        f.client,
        keys.map((key) => ({ topic: t, key, value: key })),
      );
      const where = new Map<string, number>();
      for (let p = 0; p < 3; p += 1) {
        for (const r of (await f.client.fetchRange({ topic: t, partition: p }, 0, 100, 'read_uncommitted')).records) where.set(r.key!.toString(), p);
      }
      expect(keys.map((k) => where.get(k))).toEqual(keys.map((k) => keyPartition(Buffer.from(k), 3)));
    });

    it('transactions: markers take offsets, aborted records are hidden from read_committed, group offsets commit with them', async () => {
      const t = f.topic('contract-txn');
      await f.client.createTopic(t);
      const tp = { topic: t, partition: 0 };
      const group = `${t}-group`;
      const p = f.client.producer({ transactionalId: `${t}-tx` });
      await p.connect();
      const aborted = await p.beginTransaction();
      await aborted.send([{ topic: t, key: null, value: 'aborted' }]);
      await aborted.commitGroupOffset(group, tp, 7);
      await aborted.abort();
      const committed = await p.beginTransaction();
      await committed.send([{ topic: t, key: null, value: 'committed' }]);
      await committed.commitGroupOffset(group, tp, 8);
      await committed.commit();
      expect(await settledEnds(f.client, [tp])).toEqual([4]);
      expect((await f.client.fetchRange(tp, 0, 4, 'read_committed')).records.map((r) => [r.offset, r.value!.toString()])).toEqual([[2, 'committed']]);
      expect((await f.client.fetchRange(tp, 0, 4, 'read_uncommitted')).records.map((r) => r.value!.toString())).toEqual(['aborted', 'committed']);
      expect(await f.client.groupOffset(group, tp)).toBe(8);
      expect(await f.client.groupOffset(`${group}-none`, tp)).toBe(-1);
      // An open transaction holds the last stable offset back; read_uncommitted sees its records.
      const open = await p.beginTransaction();
      await open.send([{ topic: t, key: null, value: 'open' }]);
      expect(await f.client.latestOffsets([tp], 'read_committed')).toEqual([4]);
      expect(await f.client.latestOffsets([tp], 'read_uncommitted')).toEqual([5]);
      expect((await f.client.fetchRange(tp, 4, 5, 'read_committed')).records).toEqual([]);
      await open.commit();
      expect(await settledEnds(f.client, [tp])).toEqual([6]);
      expect((await f.client.fetchRange(tp, 4, 6, 'read_committed')).records.map((r) => r.value!.toString())).toEqual(['open']);
      await p.close();
    });

    it("a newer producer of the same transactional id aborts the older one's open transaction and fences it", async () => {
      const t = f.topic('contract-fence');
      await f.client.createTopic(t);
      const tp = { topic: t, partition: 0 };
      const id = `${t}-tx`;
      const older = f.client.producer({ transactionalId: id });
      const txn = await older.beginTransaction();
      await txn.send([{ topic: t, key: null, value: 'zombie' }]);
      const newer = f.client.producer({ transactionalId: id });
      await newer.connect();
      // The open transaction was aborted: its marker follows its record.
      expect(await settledEnds(f.client, [tp])).toEqual([2]);
      expect((await f.client.fetchRange(tp, 0, 2, 'read_committed')).records).toEqual([]);
      await expect(txn.send([{ topic: t, key: null, value: 'more' }]).then(() => txn.commit())).rejects.toBeInstanceOf(KafkaFencedError);
      const ok = await newer.beginTransaction();
      await ok.send([{ topic: t, key: null, value: 'successor' }]);
      await ok.commit();
      await settledEnds(f.client, [tp]);
      expect((await f.client.fetchRange(tp, 0, 10, 'read_committed')).records.map((r) => r.value!.toString())).toEqual(['successor']);
      await older.close().catch(() => undefined);
      await newer.close();
    });
  });
}
