/**
 * The Kafka sink over a MemoryKafkaClient: what it writes, at-least-once re-delivery, the exactly-once path (one
 * transaction per batch with its marker; a re-run of a committed batch writes nothing; a crash inside a
 * transaction leaves nothing visible; a second instance fences the first) and the `client` option. The broker
 * suite (spec/kafka/sink.spec.ts, zombie.spec.ts, crash.spec.ts) runs the same paths on a real Kafka.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { OutputMode, Row } from '../../../../lib/contracts';
import { WeirError } from '../../../../lib/errors';
import { MemoryKafkaClient } from '../../../../connectors/kafka/client/MemoryKafkaClient';
import { startQuery } from '../../../../lib/query/startQuery';
import { kafkaSink, kafkaSinkFromOptions, type KafkaSink, type KafkaSinkHooks, type KafkaSinkOptions } from '../../../../connectors/kafka/sink';
import { MemoryStream } from '../../../../connectors/memory/MemoryStream';
import { expectWeirError } from '../../../support/expectWeirError';
import { testBatchInfo, testSinkContext } from '../../../support/sinkContract';

let client: MemoryKafkaClient;
let opened: KafkaSink[];
beforeEach(() => {
  client = new MemoryKafkaClient();
  opened = [];
});
afterEach(async () => {
  for (const s of opened) await s.close();
});

async function openSink(options: Omit<KafkaSinkOptions, 'client'>, queryId = 'query-1', hooks: KafkaSinkHooks = {}): Promise<KafkaSink> {
  const sink = kafkaSink({ client, ...options }, hooks);
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

async function committedValues(topic: string): Promise<string[]> {
  return (await client.topicRecords(topic, 'read_committed')).map((r) => r.value!.toString());
}

describe('kafka sink over MemoryKafkaClient', () => {
  it('writes value/key/headers/partition to the topic option, or routes by a topic column', async () => {
    await client.createTopic('a', { partitions: 2 });
    await client.createTopic('b');
    const byOption = await openSink({ topic: 'a' });
    expect(byOption.description).toBe('KafkaSink[topic=a, at-least-once]');
    await add(byOption, 0, [
      { key: 'k', value: Buffer.from([1, 2, 3]), partition: 1, headers: [{ key: 'h', value: 'x' }, { key: 'h', value: null }] },
      { key: null, value: 'text', topic: 'b' /* the option wins over the column */ },
      { value: null, partition: 0 },
    ]);
    expect(byOption.lastBatchOutputRows).toBe(3);
    const gotA = await client.topicRecords('a');
    expect(gotA.map((r) => [r.partition, r.key?.toString() ?? null, r.value?.toString('latin1') ?? null])).toEqual(
      expect.arrayContaining([
        [1, 'k', '\u0001\u0002\u0003'],
        [expect.any(Number), null, 'text'],
        [0, null, null],
      ]),
    );
    expect(gotA.find((r) => r.key?.toString() === 'k')!.headers).toEqual([
      { key: 'h', value: Buffer.from('x') },
      // kafkajs cannot encode a null header value; it arrives empty (the memory client does the same).
      { key: 'h', value: Buffer.alloc(0) },
    ]);
    const byColumn = await openSink({});
    await add(byColumn, 0, [
      { topic: 'a', value: 'to-a' },
      { topic: 'b', value: 'to-b' },
    ]);
    expect(await committedValues('b')).toEqual(['to-b']);
  });

  it('at-least-once (default): a re-delivered batch is written again', async () => {
    await client.createTopic('t');
    const sink = await openSink({ topic: 't' });
    await add(sink, 0, rowsOf(0));
    await add(sink, 0, rowsOf(0));
    expect(await client.topicRecords('t')).toHaveLength(6);
    expect(await client.partitions(['weir-sink-commits'])).toEqual([]);
  });

  it.each(['append', 'update', 'complete'] as const)(
    'exactly-once (%s): a batch re-delivered, also to a new sink instance of the same query, is written once',
    async (mode) => {
      await client.createTopic('t');
      const options = { topic: 't', deliveryGuarantee: 'exactly-once' as const };
      const first = await openSink(options, 'q-eo');
      expect(first.description).toBe('KafkaSink[topic=t, exactly-once]');
      await add(first, 0, rowsOf(0), mode);
      await add(first, 1, [], mode);
      await add(first, 2, rowsOf(2), mode);
      await add(first, 1, rowsOf(1), mode);
      expect(first.metrics()).toMatchObject({ skippedReplayedBatches: '1', lastCommittedBatchId: '2' });
      expect(first.lastBatchOutputRows).toBe(0);
      await first.close();
      // A restarted query re-runs batch 2 (crash after the Kafka commit, before commits/2), then goes on.
      const second = await openSink(options, 'q-eo');
      expect(second.lastCommittedBatchId).toBe(2);
      await add(second, 2, rowsOf(2), mode);
      await add(second, 3, rowsOf(3), mode);
      expect(await committedValues('t')).toEqual([...rowsOf(0), ...rowsOf(2), ...rowsOf(3)].map((r) => r.value));
      // The marker: offset N+1 of group weir-sink-<queryId> on partition 0 of the marker topic, committed with the batch.
      expect(await client.groupOffset('weir-sink-q-eo', { topic: 'weir-sink-commits', partition: 0 })).toBe(4);
      // Another query (another id) starts from nothing.
      expect((await openSink(options, 'q-other')).lastCommittedBatchId).toBe(-1);
    },
  );

  it('exactly-once: a failure before the commit aborts the transaction; nothing of it is visible to read_committed readers', async () => {
    await client.createTopic('t');
    let failAt: number | undefined = 1;
    const sink = await openSink({ topic: 't', deliveryGuarantee: 'exactly-once', markerTopic: 'my-markers' }, 'q', {
      onStep: (step, batchId) => {
        if (step === 'recordsSent' && batchId === failAt) throw new Error('injected failure before commit');
      },
    });
    await add(sink, 0, rowsOf(0));
    await expectWeirError(() => add(sink, 1, rowsOf(1)), 'SINK_ERROR');
    expect(await committedValues('t')).toEqual(rowsOf(0).map((r) => r.value));
    expect(await client.topicRecords('t')).toHaveLength(6);
    expect(await client.groupOffset('weir-sink-q', { topic: 'my-markers', partition: 0 })).toBe(1);
    failAt = undefined;
    await add(sink, 1, rowsOf(1));
    expect(await committedValues('t')).toEqual([...rowsOf(0), ...rowsOf(1)].map((r) => r.value));
  });

  it('exactly-once: an instance that dies inside a transaction leaves it open; the next instance aborts it and writes the batch once', async () => {
    await client.createTopic('t');
    let release!: () => void;
    const hung = new Promise<void>((r) => (release = r));
    const options = { topic: 't', deliveryGuarantee: 'exactly-once' as const };
    const dying = await openSink(options, 'q', {
      onStep: async (step, batchId) => {
        if (step === 'recordsSent' && batchId === 1) await hung;
      },
    });
    await add(dying, 0, rowsOf(0));
    const stuck = add(dying, 1, rowsOf(1)).then(
      () => undefined,
      (e: unknown) => e as WeirError,
    );
    await new Promise((r) => setImmediate(r));
    // The open transaction holds read_committed readers back.
    expect(await client.latestOffsets([{ topic: 't', partition: 0 }], 'read_committed')).toEqual([4]);
    const successor = await openSink(options, 'q');
    expect(successor.lastCommittedBatchId).toBe(0);
    await add(successor, 1, rowsOf(1));
    release();
    const e = await stuck;
    expect(e?.code).toBe('KAFKA_PRODUCER_FENCED');
    expect(e?.context).toMatchObject({ batchId: 1, transactionalId: 'weir-sink-q' });
    expect(await committedValues('t')).toEqual([...rowsOf(0), ...rowsOf(1)].map((r) => r.value));
  });

  it('exactly-once: a second instance of the same query fences the first (zombie)', async () => {
    await client.createTopic('t');
    const options = { topic: 't', deliveryGuarantee: 'exactly-once' as const };
    const zombie = await openSink(options, 'q');
    await add(zombie, 0, rowsOf(0));
    const successor = await openSink(options, 'q');
    const e = await expectWeirError(() => add(zombie, 1, rowsOf(1)), 'KAFKA_PRODUCER_FENCED');
    expect(e.context.batchId).toBe(1);
    await add(successor, 1, rowsOf(1));
    // A batch without records is fenced too (its marker is part of the transaction).
    const third = await openSink(options, 'q');
    await expectWeirError(() => add(successor, 2, []), 'KAFKA_PRODUCER_FENCED');
    await add(third, 2, rowsOf(2));
    expect(await committedValues('t')).toEqual([...rowsOf(0), ...rowsOf(1), ...rowsOf(2)].map((r) => r.value));
  });

  it('exactly-once: a transaction open longer than transactionTimeoutMs is aborted by the broker and the sink fenced', async () => {
    let now = 0;
    client = new MemoryKafkaClient({ clock: { now: () => now } });
    await client.createTopic('t');
    const sink = await openSink({ topic: 't', deliveryGuarantee: 'exactly-once', transactionTimeoutMs: 1000 }, 'q', {
      onStep: (step) => {
        if (step === 'recordsSent') now += 5000;
      },
    });
    await expectWeirError(() => add(sink, 0, rowsOf(0)), 'KAFKA_PRODUCER_FENCED');
    expect(await committedValues('t')).toEqual([]);
  });

  it('rejects bad options and bad rows with named errors', async () => {
    await expectWeirError(() => kafkaSink({ topic: 't' }), 'MISSING_OPTION');
    await expectWeirError(() => kafkaSink({ client, deliveryGuarantee: 'twice' as never }), 'INVALID_ARGUMENT');
    await expectWeirError(() => kafkaSink({ client, 'kafka.value.serializer': 'x' }), 'INVALID_ARGUMENT');
    await expectWeirError(() => kafkaSink({ client, 'kafka.transactional.id': 'x' }), 'INVALID_ARGUMENT');
    const sink = await openSink({});
    const noTopic = await expectWeirError(() => add(sink, 0, [{ value: 'x' }]), 'INVALID_ARGUMENT');
    expect(noTopic.context).toMatchObject({ column: 'topic', batchId: 0, row: 0 });
    const badValue = await expectWeirError(() => add(sink, 0, [{ topic: 't', value: 42 }]), 'INVALID_ARGUMENT');
    expect(badValue.context).toMatchObject({ column: 'value' });
    await expectWeirError(() => add(sink, 0, [{ topic: 't', key: 'k' }]), 'INVALID_ARGUMENT');
    await expectWeirError(() => add(sink, 0, [{ topic: 't', value: 'v', partition: -1 }]), 'INVALID_ARGUMENT');
    await expectWeirError(() => add(sink, 0, [{ topic: 't', value: 'v', headers: [{ value: 'no key' }] }]), 'INVALID_ARGUMENT');
    expect(await client.topicRecords('t')).toEqual([]);
  });

  it('the client option: a client object is not closed and not printed; a broker failure is a SINK_ERROR with secrets redacted', async () => {
    const close = jest.spyOn(client, 'close');
    const secret = 's3cr3t-password';
    const sink = await openSink({ topic: 't', 'kafka.sasl.password': secret, 'kafka.security.protocol': 'SASL_PLAINTEXT', 'kafka.sasl.username': 'u' });
    client.failNext('send', Object.assign(new Error(`not authorized with ${secret}`), { retriable: true }));
    const e = await expectWeirError(() => add(sink, 0, rowsOf(0)), 'SINK_ERROR');
    expect(e.retriable).toBe(true);
    const shown = `${e.message} ${JSON.stringify(e.context)} ${sink.description} ${JSON.stringify(sink.redactedOptions)}`;
    expect(shown).not.toContain(secret);
    expect(Object.keys(sink.redactedOptions)).not.toContain('client');
    expect(shown).not.toContain('MemoryKafkaClient');
    await sink.close();
    expect(close).not.toHaveBeenCalled();
    // A factory's client is the sink's: it is closed with the sink.
    const made = new MemoryKafkaClient();
    const closeMade = jest.spyOn(made, 'close');
    const viaFactory = kafkaSinkFromOptions({ client: () => made, 'kafka.bootstrap.servers': 'h:1', topic: 't' });
    await viaFactory.open(testSinkContext());
    await add(viaFactory, 0, rowsOf(0));
    await viaFactory.close();
    expect(closeMade).toHaveBeenCalledTimes(1);
    expect(await made.topicRecords('t')).toHaveLength(3);
    // Text is no client (the DataFrame face's options are strings).
    await expectWeirError(() => kafkaSinkFromOptions(new Map([['client', 'x'], ['kafka.bootstrap.servers', 'h:1']])), 'INVALID_ARGUMENT');
  });
});

describe('kafka sink in a query (MemoryStream → kafka sink, MemoryKafkaClient)', () => {
  let checkpoint: string;
  beforeEach(async () => {
    checkpoint = await fs.mkdtemp(path.join(os.tmpdir(), 'weir-kafka-sink-q-'));
  });
  afterEach(async () => {
    await fs.rm(checkpoint, { recursive: true, force: true });
  });

  /** Runs batches 0 and 1, crashing after batch 1's sink write (before commits/1), then restarts. */
  async function crashAfterSinkWrite(deliveryGuarantee: 'at-least-once' | 'exactly-once'): Promise<{ values: string[]; skipped: string | undefined }> {
    await client.createTopic('out');
    const input = new MemoryStream<Row>();
    const sink = () => kafkaSink({ client, topic: 'out', deliveryGuarantee });
    const q = await startQuery({
      source: input,
      sink: sink(),
      checkpointLocation: checkpoint,
      failpoint: (point, batchId) => {
        if (point === 'afterSinkWrite' && batchId === 1) throw new Error('injected crash after the sink write');
      },
    });
    input.addData({ value: 'a' }, { value: 'b' });
    await q.processAllAvailable();
    input.addData({ value: 'c' });
    await q.awaitTermination(10_000).catch(() => undefined);
    expect(q.exception).toBeDefined();
    const restartedSink = sink();
    const restarted = await startQuery({ source: input, sink: restartedSink, checkpointLocation: checkpoint });
    await restarted.processAllAvailable();
    input.addData({ value: 'd' });
    await restarted.processAllAvailable();
    const skipped = restarted.recentProgress.find((p) => p.batchId === 1)?.sink.metrics?.skippedReplayedBatches;
    await restarted.stop();
    return { values: await committedValues('out'), skipped };
  }

  it('exactly-once: the re-run of a batch Kafka already committed writes nothing', async () => {
    const { values, skipped } = await crashAfterSinkWrite('exactly-once');
    expect(values).toEqual(['a', 'b', 'c', 'd']);
    expect(skipped).toBe('1');
  });

  it('at-least-once: the re-run writes the batch again (Spark\'s guarantee)', async () => {
    const { values } = await crashAfterSinkWrite('at-least-once');
    expect(values).toEqual(['a', 'b', 'c', 'c', 'd']);
  });
});
