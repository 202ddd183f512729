import { randomUUID } from 'node:crypto';
import type { OutputMode, Row } from '../../lib/contracts';
import { kafkaSink, kafkaSinkFromOptions, type KafkaSink } from '../../connectors/kafka/sink';
import { expectWeirError } from '../support/expectWeirError';
import { testBatchInfo, testSinkContext } from '../support/sinkContract';
import { brokers, testClient, uniqueTopic } from './support/kafka';
import { readTopic } from './support/produce';

const client = testClient();
afterAll(() => client.close());

const opened: KafkaSink[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});

async function openSink(options: Record<string, string>, queryId = randomUUID()): Promise<KafkaSink> {
  const sink = kafkaSinkFromOptions({ 'kafka.bootstrap.servers': brokers(), ...options });
  await sink.open(testSinkContext({ queryId }));
  opened.push(sink);
  return sink;
}

function rowsOf(batchId: number, n = 3): Row[] {
  return Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: `b${batchId}-${i}` }));
}

async function add(sink: KafkaSink, batchId: number, rows: Row[], mode: OutputMode = 'append'): Promise<void> {
  await sink.addBatch(batchId, rows, testBatchInfo(batchId, mode));
}

describe('kafka sink on a real broker', () => {
  it('writes value/key/headers/partition to the topic option, or routes by a topic column', async () => {
    const a = uniqueTopic('out-a');
    const b = uniqueTopic('out-b');
    await client.createTopic(a, { partitions: 2 });
    await client.createTopic(b);
    const byOption = await openSink({ topic: a });
    await add(byOption, 0, [
      { key: 'k', value: Buffer.from([1, 2, 3]), partition: 1, headers: [{ key: 'h', value: 'x' }, { key: 'h', value: null }] },
      { key: null, value: 'text', topic: b /* the option wins over the column */ },
    ]);
    expect(byOption.lastBatchOutputRows).toBe(2);
    const gotA = await readTopic(client, a, 'read_uncommitted');
    expect(gotA.map((r) => [r.partition, r.key, r.value])).toEqual(
      expect.arrayContaining([
        [1, 'k', '\u0001\u0002\u0003'],
        [expect.any(Number), null, 'text'],
      ]),
    );
    expect(gotA.find((r) => r.key === 'k')!.headers).toEqual([
      { key: 'h', value: 'x' },
      // kafkajs cannot encode a null header value; it arrives empty.
      { key: 'h', value: '' },
    ]);
    const byColumn = await openSink({});
    await add(byColumn, 0, [
      { topic: a, value: 'to-a' },
      { topic: b, value: 'to-b' },
    ]);
    expect((await readTopic(client, b, 'read_uncommitted')).map((r) => r.value)).toEqual(['to-b']);
  });

  it('at-least-once (default): a re-delivered batch is written again', async () => {
    const topic = uniqueTopic();
    await client.createTopic(topic);
    const sink = await openSink({ topic });
    await add(sink, 0, rowsOf(0));
    await add(sink, 0, rowsOf(0));
    expect(await readTopic(client, topic, 'read_uncommitted')).toHaveLength(6);
  });

  it.each(['append', 'update', 'complete'] as const)(
    'exactly-once (%s): a batch re-delivered, also to a new sink instance of the same query, is written once',
    async (mode) => {
      const topic = uniqueTopic();
      await client.createTopic(topic);
      const queryId = randomUUID();
      const options = { topic, deliveryGuarantee: 'exactly-once' };
      const first = await openSink(options, queryId);
      await add(first, 0, rowsOf(0), mode);
      await add(first, 1, [], mode);
      await add(first, 2, rowsOf(2), mode);
      await add(first, 1, rowsOf(1), mode);
      expect(first.metrics()).toMatchObject({ skippedReplayedBatches: '1', lastCommittedBatchId: '2' });
      await first.close();
      // A restarted query re-runs batch 2 (crash after the Kafka commit, before commits/2), then goes on.
      const second = await openSink(options, queryId);
      expect(second.lastCommittedBatchId).toBe(2);
      await add(second, 2, rowsOf(2), mode);
      await add(second, 3, rowsOf(3), mode);
      const values = (await readTopic(client, topic)).map((r) => r.value);
      expect(values).toEqual([...rowsOf(0), ...rowsOf(2), ...rowsOf(3)].map((r) => r.value));
    },
  );

  it('exactly-once: an aborted transaction is invisible to read_committed consumers', async () => {
    const topic = uniqueTopic();
    await client.createTopic(topic);
    const queryId = randomUUID();
    const sink = kafkaSink(
      { 'kafka.bootstrap.servers': brokers(), topic, deliveryGuarantee: 'exactly-once' },
      {
        onStep: (step, batchId) => {
          if (step === 'recordsSent' && batchId === 1) throw new Error('injected failure before commit');
        },
      },
    );
    await sink.open(testSinkContext({ queryId }));
    opened.push(sink);
    await add(sink, 0, rowsOf(0));
    await expectWeirError(() => add(sink, 1, rowsOf(1)), 'SINK_ERROR');
    expect((await readTopic(client, topic)).map((r) => r.value)).toEqual(rowsOf(0).map((r) => r.value));
    expect((await readTopic(client, topic, 'read_uncommitted')).length).toBe(6);
  });

  it('exactly-once: a second instance of the same query fences the first (zombie)', async () => {
    const topic = uniqueTopic();
    await client.createTopic(topic);
    const queryId = randomUUID();
    const options = { topic, deliveryGuarantee: 'exactly-once' };
    const zombie = await openSink(options, queryId);
    await add(zombie, 0, rowsOf(0));
    const successor = await openSink(options, queryId);
    const e = await expectWeirError(() => add(zombie, 1, rowsOf(1)), 'KAFKA_PRODUCER_FENCED');
    expect(e.context.batchId).toBe(1);
    await add(successor, 1, rowsOf(1));
    expect((await readTopic(client, topic)).map((r) => r.value)).toEqual([...rowsOf(0), ...rowsOf(1)].map((r) => r.value));
  });

  it('rejects bad options and bad rows with named errors', async () => {
    await expectWeirError(() => kafkaSink({ topic: 't' }), 'MISSING_OPTION');
    await expectWeirError(() => kafkaSink({ 'kafka.bootstrap.servers': brokers(), deliveryGuarantee: 'twice' as never }), 'INVALID_ARGUMENT');
    await expectWeirError(() => kafkaSink({ 'kafka.bootstrap.servers': brokers(), 'kafka.value.serializer': 'x' }), 'INVALID_ARGUMENT');
    const sink = await openSink({});
    const noTopic = await expectWeirError(() => add(sink, 0, [{ value: 'x' }]), 'INVALID_ARGUMENT');
    expect(noTopic.context).toMatchObject({ column: 'topic', batchId: 0, row: 0 });
    const topic = uniqueTopic();
    const badValue = await expectWeirError(() => add(sink, 0, [{ topic, value: 42 }]), 'INVALID_ARGUMENT');
    expect(badValue.context).toMatchObject({ column: 'value' });
    await expectWeirError(() => add(sink, 0, [{ topic, key: 'k' }]), 'INVALID_ARGUMENT');
  });
});
