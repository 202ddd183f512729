import { KafkaFencedError } from '../../connectors/kafka/client/KafkaClient';
import { brokers, testClient, uniqueTopic } from './support/kafka';
import { settledEnds } from './support/produce';

describe('kafkajsClient on a real broker', () => {
  const client = testClient();
  afterAll(() => client.close());

  it('reads exactly [from, until) of a partition, with keys, headers and timestamps', async () => {
    const topic = uniqueTopic();
    await client.createTopic(topic, { partitions: 2 });
    const p = client.producer();
    await p.send(
      Array.from({ length: 10 }, (_, i) => ({
        topic,
        partition: 0,
        key: `k${i}`,
        value: Buffer.from(`v${i}`),
        headers: [{ key: 'h', value: Buffer.from(String(i)) }],
      })),
    );
    await p.close();
    expect(await client.partitions([topic, 'no-such-topic-x'])).toEqual([
      { topic, partition: 0 },
      { topic, partition: 1 },
    ]);
    expect(await client.latestOffsets([{ topic, partition: 0 }, { topic, partition: 1 }], 'read_uncommitted')).toEqual([10, 0]);
    const { records } = await client.fetchRange({ topic, partition: 0 }, 3, 7, 'read_uncommitted');
    expect(records.map((r) => r.offset)).toEqual([3, 4, 5, 6]);
    expect(records[0]!.key!.toString()).toBe('k3');
    expect(records[0]!.value!.toString()).toBe('v3');
    expect(records[0]!.headers).toEqual([{ key: 'h', value: Buffer.from('3') }]);
    expect(records[0]!.timestampType).toBe(0);
    expect(Math.abs(records[0]!.timestamp - Date.now())).toBeLessThan(60_000);
  });

  it('hides aborted transactions under read_committed and fences an older transactional producer', async () => {
    const topic = uniqueTopic();
    await client.createTopic(topic);
    const txId = `tx-${topic}`;
    const a = client.producer({ transactionalId: txId });
    const t1 = await a.beginTransaction();
    await t1.send([{ topic, key: null, value: 'aborted' }]);
    await t1.abort();
    const t2 = await a.beginTransaction();
    await t2.send([{ topic, key: null, value: 'committed' }]);
    await t2.commit();
    // The commit returns before its markers are written: the last stable offset catches up a moment later.
    const end = (await settledEnds(client, [{ topic, partition: 0 }]))[0]!;
    expect(end).toBe(4);
    const { records } = await client.fetchRange({ topic, partition: 0 }, 0, end, 'read_committed');
    expect(records.map((r) => r.value!.toString())).toEqual(['committed']);
    const all = await client.fetchRange({ topic, partition: 0 }, 0, end, 'read_uncommitted');
    expect(all.records.map((r) => r.value!.toString())).toEqual(['aborted', 'committed']);

    const b = client.producer({ transactionalId: txId });
    await b.connect();
    await expect(a.beginTransaction().then((t) => t.send([{ topic, key: null, value: 'zombie' }]).then(() => t.commit()))).rejects.toBeInstanceOf(
      KafkaFencedError,
    );
    await a.close().catch(() => undefined);
    await b.close();
  });

  it('leaves no socket open after close, also after concurrent range reads (kafkajs opens the fetch connection unguarded)', async () => {
    const topic = uniqueTopic();
    await client.createTopic(topic, { partitions: 3 });
    const p = client.producer();
    await p.send([0, 1, 2].map((partition) => ({ topic, partition, key: null, value: String(partition) })));
    await p.close();
    const port = Number(brokers().split(',')[0]!.split(':')[1]);
    const open = (): number =>
      ((process as unknown as { _getActiveHandles(): Array<{ remotePort?: number; destroyed?: boolean }> })._getActiveHandles()).filter(
        (h) => h.remotePort === port && !h.destroyed,
      ).length;
    const before = open();
    const reader = testClient();
    const tps = [0, 1, 2].map((partition) => ({ topic, partition }));
    const ends = await reader.latestOffsets(tps, 'read_uncommitted');
    const got = await Promise.all(tps.map((tp, i) => reader.fetchRange(tp, 0, ends[i]!, 'read_uncommitted')));
    expect(got.map((r) => r.records.length)).toEqual([1, 1, 1]);
    await reader.close();
    await new Promise((r) => setTimeout(r, 100));
    expect(open()).toBe(before);
  });

  it('reports deleted records as data loss', async () => {
    const topic = uniqueTopic();
    await client.createTopic(topic);
    const p = client.producer();
    await p.send(Array.from({ length: 5 }, (_, i) => ({ topic, key: null, value: String(i) })));
    await p.close();
    await client.deleteRecords({ topic, partition: 0 }, 3);
    expect(await client.earliestOffsets([{ topic, partition: 0 }])).toEqual([3]);
    const r = await client.fetchRange({ topic, partition: 0 }, 1, 5, 'read_uncommitted');
    expect(r.dataLostUntil).toBe(3);
    expect(r.records.map((x) => x.offset)).toEqual([3, 4]);
  });
});
