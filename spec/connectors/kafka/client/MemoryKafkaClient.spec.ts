/**
 * The in-memory KafkaClient keeps Kafka's semantics as the kafkajs-backed client shows them on a real broker: the
 * KafkaClient contract suite (also run on the broker by spec/kafka/clientContract.spec.ts), the cases of
 * spec/kafka/client.spec.ts, and what only the memory client offers or a broker test could not do quickly
 * (topic deletion, transaction timeouts, retention, LogAppendTime, injected faults).
 */
import { KafkaFencedError, type TopicPartition } from '../../../../connectors/kafka/client/KafkaClient';
import { MemoryKafkaClient, MemoryKafkaError } from '../../../../connectors/kafka/client/MemoryKafkaClient';
import { keyPartition } from '../../../../connectors/kafka/client/murmur2';
import { describeKafkaClientContract } from './kafkaClientContract';

const tp = (topic: string, partition = 0): TopicPartition => ({ topic, partition });

function clockAt(ms: number): { now(): number; advance(d: number): void } {
  let t = ms;
  return { now: () => t, advance: (d) => void (t += d) };
}

let topics = 0;
describeKafkaClientContract('MemoryKafkaClient', () => ({ client: new MemoryKafkaClient(), topic: (prefix) => `${prefix}-${topics++}` }));

describe('MemoryKafkaClient', () => {
  it('reads exactly [from, until) of a partition, with keys, headers and timestamps', async () => {
    const client = new MemoryKafkaClient({ clock: clockAt(1_700_000_000_000) });
    expect(await client.createTopic('t', { partitions: 2 })).toBe(true);
    expect(await client.createTopic('t', { partitions: 2 })).toBe(false);
    const p = client.producer();
    await p.send(
      Array.from({ length: 10 }, (_, i) => ({ topic: 't', partition: 0, key: `k${i}`, value: Buffer.from(`v${i}`), headers: [{ key: 'h', value: Buffer.from(String(i)) }] })),
    );
    await p.close();
    expect(await client.partitions(['t', 'no-such-topic-x'])).toEqual([tp('t', 0), tp('t', 1)]);
    expect(await client.latestOffsets([tp('t', 0), tp('t', 1)], 'read_uncommitted')).toEqual([10, 0]);
    const { records, dataLostUntil } = await client.fetchRange(tp('t'), 3, 7, 'read_uncommitted');
    expect(dataLostUntil).toBeUndefined();
    expect(records.map((r) => r.offset)).toEqual([3, 4, 5, 6]);
    expect(records[0]).toEqual({
      topic: 't',
      partition: 0,
      offset: 3,
      key: Buffer.from('k3'),
      value: Buffer.from('v3'),
      timestamp: 1_700_000_000_000,
      timestampType: 0,
      headers: [{ key: 'h', value: Buffer.from('3') }],
    });
    // A range beyond the end returns what there is; an empty range nothing; a start past the end fails.
    expect((await client.fetchRange(tp('t'), 8, 100, 'read_uncommitted')).records.map((r) => r.offset)).toEqual([8, 9]);
    expect((await client.fetchRange(tp('t'), 10, 20, 'read_uncommitted')).records).toEqual([]);
    expect((await client.fetchRange(tp('t'), 5, 5, 'read_uncommitted')).records).toEqual([]);
    await expect(client.fetchRange(tp('t'), 11, 20, 'read_uncommitted')).rejects.toMatchObject({ type: 'OFFSET_OUT_OF_RANGE' });
    await expect(client.fetchRange(tp('t', 2), 0, 1, 'read_uncommitted')).rejects.toMatchObject({ type: 'UNKNOWN_TOPIC_OR_PARTITION' });
    // Returned buffers are copies: changing them does not change the log.
    records[0]!.value![0] = 0;
    expect((await client.fetchRange(tp('t'), 3, 4, 'read_uncommitted')).records[0]!.value).toEqual(Buffer.from('v3'));
  });

  it('hides aborted transactions under read_committed; markers take offsets; an older transactional producer is fenced', async () => {
    const client = new MemoryKafkaClient();
    await client.createTopic('t');
    const a = client.producer({ transactionalId: 'tx' });
    const t1 = await a.beginTransaction();
    await t1.send([{ topic: 't', key: null, value: 'aborted' }]);
    await t1.abort();
    const t2 = await a.beginTransaction();
    await t2.send([{ topic: 't', key: null, value: 'committed' }]);
    await t2.commit();
    // Offsets: 0 aborted, 1 abort marker, 2 committed, 3 commit marker (as on the broker).
    const [end] = await client.latestOffsets([tp('t')], 'read_committed');
    expect(end).toBe(4);
    expect((await client.fetchRange(tp('t'), 0, 4, 'read_committed')).records.map((r) => [r.offset, r.value!.toString()])).toEqual([[2, 'committed']]);
    expect((await client.fetchRange(tp('t'), 0, 4, 'read_uncommitted')).records.map((r) => r.value!.toString())).toEqual(['aborted', 'committed']);

    const b = client.producer({ transactionalId: 'tx' });
    await b.connect();
    await expect(a.beginTransaction().then((t) => t.send([{ topic: 't', key: null, value: 'zombie' }]).then(() => t.commit()))).rejects.toBeInstanceOf(
      KafkaFencedError,
    );
    await a.close();
    await b.close();
    expect(await client.topicRecords('t', 'read_committed')).toHaveLength(1);
  });

  it('reports deleted records as data loss', async () => {
    const client = new MemoryKafkaClient();
    await client.createTopic('t');
    await client.produce(Array.from({ length: 5 }, (_, i) => ({ topic: 't', key: null, value: String(i) })));
    await client.deleteRecords(tp('t'), 3);
    expect(await client.earliestOffsets([tp('t')])).toEqual([3]);
    const r = await client.fetchRange(tp('t'), 1, 5, 'read_uncommitted');
    expect(r.dataLostUntil).toBe(3);
    expect(r.records.map((x) => x.offset)).toEqual([3, 4]);
    // Everything asked for is gone: dataLostUntil is the end of the range.
    expect(await client.fetchRange(tp('t'), 0, 2, 'read_uncommitted')).toEqual({ records: [], dataLostUntil: 2 });
    // DeleteRecords: -1 = the high watermark; beyond it is out of range.
    await expect(client.deleteRecords(tp('t'), 6)).rejects.toMatchObject({ type: 'OFFSET_OUT_OF_RANGE' });
    await client.deleteRecords(tp('t'), -1);
    expect(await client.earliestOffsets([tp('t')])).toEqual([5]);
    expect(await client.latestOffsets([tp('t')], 'read_uncommitted')).toEqual([5]);
  });

  it('an open transaction holds the last stable offset back; read_uncommitted sees its records', async () => {
    const client = new MemoryKafkaClient();
    await client.createTopic('t');
    await client.produce([{ topic: 't', key: null, value: 'before' }]);
    const p = client.producer({ transactionalId: 'x' });
    const txn = await p.beginTransaction();
    await txn.send([{ topic: 't', key: null, value: 'pending' }]);
    await client.produce([{ topic: 't', key: null, value: 'after' }]);
    expect(await client.latestOffsets([tp('t')], 'read_committed')).toEqual([1]);
    expect(await client.latestOffsets([tp('t')], 'read_uncommitted')).toEqual([3]);
    expect((await client.fetchRange(tp('t'), 0, 3, 'read_committed')).records.map((r) => r.value!.toString())).toEqual(['before']);
    await txn.commit();
    expect(await client.latestOffsets([tp('t')], 'read_committed')).toEqual([4]);
    expect((await client.topicRecords('t', 'read_committed')).map((r) => r.value!.toString())).toEqual(['before', 'pending', 'after']);
    await expect(txn.send([{ topic: 't', key: null, value: 'late' }])).rejects.toThrow('Cannot continue to use transaction once ended');
    const again = await p.beginTransaction();
    await expect(p.beginTransaction()).rejects.toThrow('ongoing transaction');
    await again.abort();
  });

  it('commits group offsets with the transaction only; connecting a new producer aborts the old open transaction', async () => {
    const client = new MemoryKafkaClient();
    await client.createTopic('out');
    await client.createTopic('marker');
    const first = client.producer({ transactionalId: 'q' });
    const t0 = await first.beginTransaction();
    await t0.send([{ topic: 'out', key: null, value: 'b0' }]);
    await t0.commitGroupOffset('g', tp('marker'), 1);
    expect(await client.groupOffset('g', tp('marker'))).toBe(-1);
    await t0.commit();
    expect(await client.groupOffset('g', tp('marker'))).toBe(1);
    const t1 = await first.beginTransaction();
    await t1.send([{ topic: 'out', key: null, value: 'b1' }]);
    await t1.commitGroupOffset('g', tp('marker'), 2);
    // The instance dies with t1 open; its successor's connect aborts it.
    await first.close();
    expect(await client.latestOffsets([tp('out')], 'read_committed')).toEqual([2]);
    const successor = client.producer({ transactionalId: 'q' });
    await successor.connect();
    expect(await client.groupOffset('g', tp('marker'))).toBe(1);
    expect((await client.topicRecords('out', 'read_committed')).map((r) => r.value!.toString())).toEqual(['b0']);
    expect(await client.latestOffsets([tp('out')], 'read_committed')).toEqual([4]);
    await expect(t1.commit()).rejects.toBeInstanceOf(KafkaFencedError);
  });

  it('aborts a transaction open longer than its timeout and fences its producer', async () => {
    const clock = clockAt(0);
    const client = new MemoryKafkaClient({ clock });
    await client.createTopic('t');
    await expect(client.producer({ transactionalId: 'big', transactionTimeoutMs: 900_001 }).connect()).rejects.toMatchObject({
      type: 'INVALID_TRANSACTION_TIMEOUT',
    });
    const p = client.producer({ transactionalId: 'slow', transactionTimeoutMs: 1000 });
    const txn = await p.beginTransaction();
    await txn.send([{ topic: 't', key: null, value: 'x' }]);
    clock.advance(1001);
    expect(await client.latestOffsets([tp('t')], 'read_committed')).toEqual([2]);
    expect(await client.topicRecords('t', 'read_committed')).toEqual([]);
    await expect(txn.commit()).rejects.toBeInstanceOf(KafkaFencedError);
  });

  it('finds offsets by timestamp: the first at or after the time, -1 when none; LogAppendTime topics stamp on append', async () => {
    const clock = clockAt(5_000);
    const client = new MemoryKafkaClient({ clock });
    await client.createTopic('t', { partitions: 2 });
    await client.produce([
      { topic: 't', partition: 0, key: null, value: 'a', timestamp: 1000 },
      { topic: 't', partition: 0, key: null, value: 'b', timestamp: 3000 },
      { topic: 't', partition: 0, key: null, value: 'c', timestamp: 2000 },
    ]);
    expect(await client.offsetsForTimestamp([tp('t', 0), tp('t', 1)], 2000)).toEqual([1, -1]);
    expect(await client.offsetsForTimestamp([tp('t', 0)], 0)).toEqual([0]);
    expect(await client.offsetsForTimestamp([tp('t', 0)], 3001)).toEqual([-1]);
    expect(await client.offsetsForTimestamp([tp('t', 0)], -1)).toEqual([3]);
    await client.createTopic('la', { configs: { 'message.timestamp.type': 'LogAppendTime' } });
    await client.produce([{ topic: 'la', key: null, value: 'x', timestamp: 1 }]);
    expect((await client.topicRecords('la'))[0]).toMatchObject({ timestamp: 5000, timestampType: 1 });
    // Without a timestamp, CreateTime is the clock's now.
    await client.produce([{ topic: 't', partition: 1, key: null, value: 'now' }]);
    expect((await client.fetchRange(tp('t', 1), 0, 1, 'read_uncommitted')).records[0]!.timestamp).toBe(5000);
  });

  it('manages topics like a broker: names, partitions, deletion (with its group offsets), auto-creation, internal topics', async () => {
    const client = new MemoryKafkaClient({ defaultPartitions: 3 });
    await expect(client.createTopic('bad name')).rejects.toMatchObject({ type: 'INVALID_TOPIC_EXCEPTION' });
    await expect(client.createTopic('t', { partitions: 0 })).rejects.toMatchObject({ type: 'INVALID_PARTITIONS' });
    await client.createTopic('t');
    await client.createTopic('__internal');
    await expect(client.createPartitions('t', 1)).rejects.toMatchObject({ type: 'INVALID_PARTITIONS' });
    await client.createPartitions('t', 3);
    expect(await client.partitions(['t'])).toHaveLength(3);
    await expect(client.createPartitions('nope', 3)).rejects.toBeInstanceOf(MemoryKafkaError);
    // Producing to a missing topic creates it with the default partition count (auto.create.topics.enable).
    await client.produce([{ topic: 'auto', key: null, value: 'x' }]);
    expect(await client.listTopics()).toEqual(['auto', 't']);
    expect(await client.partitions(['auto'])).toHaveLength(3);
    const strict = new MemoryKafkaClient({ autoCreateTopics: false });
    await expect(strict.produce([{ topic: 'auto', key: null, value: 'x' }])).rejects.toMatchObject({ type: 'UNKNOWN_TOPIC_OR_PARTITION' });
    await expect(client.produce([{ topic: 't', partition: 7, key: null, value: 'x' }])).rejects.toMatchObject({ type: 'UNKNOWN_TOPIC_OR_PARTITION' });

    const p = client.producer({ transactionalId: 'x' });
    const txn = await p.beginTransaction();
    await txn.commitGroupOffset('g', tp('t'), 5);
    await txn.commit();
    expect(await client.groupOffset('g', tp('t'))).toBe(5);
    await client.deleteTopic('t');
    await expect(client.deleteTopic('t')).rejects.toMatchObject({ type: 'UNKNOWN_TOPIC_OR_PARTITION' });
    expect(await client.partitions(['t'])).toEqual([]);
    expect(await client.groupOffset('g', tp('t'))).toBe(-1);
    await expect(client.latestOffsets([tp('t')], 'read_uncommitted')).rejects.toMatchObject({ type: 'UNKNOWN_TOPIC_OR_PARTITION' });
    // A re-created topic starts at offset 0 again.
    await client.createTopic('t');
    expect(await client.latestOffsets([tp('t')], 'read_uncommitted')).toEqual([0]);
  });

  it("partitions like kafkajs's default partitioner: keys by murmur2, keyless round-robin, explicit partitions kept", async () => {
    const client = new MemoryKafkaClient();
    await client.createTopic('t', { partitions: 4 });
    const keys = ['a', 'order-1', 'order-2', 'customer-42', ''];
    const placed = await client.produce(keys.map((key) => ({ topic: 't', key, value: 'v' })));
    expect(placed.map((m) => m.partition)).toEqual(keys.map((k) => keyPartition(Buffer.from(k), 4)));
    const rr = await client.produce(Array.from({ length: 5 }, () => ({ topic: 't', key: null, value: 'v' })));
    expect(rr.map((m) => m.partition)).toEqual([0, 1, 2, 3, 0]);
    expect((await client.produce([{ topic: 't', partition: 2, key: 'a', value: 'v' }]))[0]!.partition).toBe(2);
  });

  it('stores a null header value as an empty one (kafkajs cannot send null header values)', async () => {
    const client = new MemoryKafkaClient();
    await client.produce([{ topic: 't', key: null, value: null, headers: [{ key: 'h', value: null }, { key: 'h', value: Buffer.from('x') }] }]);
    const [r] = await client.topicRecords('t');
    expect(r!.value).toBeNull();
    expect(r!.headers).toEqual([
      { key: 'h', value: Buffer.alloc(0) },
      { key: 'h', value: Buffer.from('x') },
    ]);
  });

  it('applies retention.ms against the clock: the old records at the start of each partition are deleted', async () => {
    const clock = clockAt(10_000);
    const client = new MemoryKafkaClient({ clock });
    await client.createTopic('t', { configs: { 'retention.ms': '5000' } });
    await client.createTopic('forever');
    await client.produce([
      { topic: 't', key: null, value: 'old', timestamp: 1000 },
      { topic: 't', key: null, value: 'older-but-later', timestamp: 500 },
      { topic: 't', key: null, value: 'new', timestamp: 9000 },
      { topic: 't', key: null, value: 'old-again', timestamp: 1000 },
      { topic: 'forever', key: null, value: 'x', timestamp: 0 },
    ]);
    expect(client.applyRetention()).toBe(2);
    expect(await client.earliestOffsets([tp('t'), tp('forever')])).toEqual([2, 0]);
    expect(client.applyRetention(20_000)).toBe(2);
    expect(await client.earliestOffsets([tp('t')])).toEqual([4]);
  });

  it('failNext makes the next call of an operation fail once', async () => {
    const client = new MemoryKafkaClient();
    await client.createTopic('t');
    const boom = Object.assign(new Error('broker went away'), { retriable: true });
    client.failNext('latestOffsets', boom);
    await expect(client.latestOffsets([tp('t')], 'read_uncommitted')).rejects.toBe(boom);
    expect(await client.latestOffsets([tp('t')], 'read_uncommitted')).toEqual([0]);
    client.failNext('send', new Error('send failed'));
    await expect(client.producer().send([{ topic: 't', key: null, value: 'x' }])).rejects.toThrow('send failed');
    expect(await client.latestOffsets([tp('t')], 'read_uncommitted')).toEqual([0]);
  });
});
