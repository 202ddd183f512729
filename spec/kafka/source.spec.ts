import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { firstValueFrom, map, toArray } from 'rxjs';
import type { Offset, ReadLimit, Row, Source, SourceContext } from '../../lib/contracts';
import { startQuery } from '../../lib/query/startQuery';
import { rows } from '../../operators';
import { memorySink } from '../../connectors/memory/memorySink';
import { kafka, kafkaSourceFromOptions, rateLimit, type KafkaRow } from '../../connectors/kafka/source';
import { expectWeirError } from '../support/expectWeirError';
import { ManualClock } from '../support/ManualClock';
import { sourceContract } from '../support/sourceContract';
import { brokers, testClient, uniqueTopic } from './support/kafka';
import { produce } from './support/produce';

const ALL: ReadLimit = { kind: 'all' };
const client = testClient();
afterAll(() => client.close());

function collect<T>(o: import('rxjs').Observable<T>): Promise<T[]> {
  return firstValueFrom(o.pipe(toArray()));
}

let counter = 0;
sourceContract<KafkaRow>(
  'kafka (2 partitions, startingOffsets earliest)',
  async () => {
    const topic = uniqueTopic('contract');
    await client.createTopic(topic, { partitions: 2 });
    const source = kafka({ 'kafka.bootstrap.servers': brokers(), subscribe: topic, startingOffsets: 'earliest' });
    return {
      source,
      clock: new ManualClock(0),
      produce: () =>
        produce(client, [
          { topic, partition: 0, key: null, value: `a${counter++}` },
          { topic, partition: 1, key: null, value: `b${counter++}` },
        ]),
    };
  },
  { partitioned: true, splitInvariant: (r) => `${r.partition}:${r.offset}:${r.value?.toString()}` },
);

describe('kafka source on a real broker', () => {
  let dir: string;
  const opened: Source<KafkaRow>[] = [];
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'weir-kafka-source-'));
  });
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.stop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function open(source: Source<KafkaRow>, clock = new ManualClock(1_000_000)): Promise<SourceContext> {
    const metadataPath = path.join(dir, 'sources', '0');
    await fs.mkdir(metadataPath, { recursive: true });
    const context = { metadataPath, sourceIndex: 0, clock, notifyDataAvailable: () => {} };
    await source.open(context);
    opened.push(source);
    return context;
  }

  async function topicWith(partitions: number, perPartition: number, extra: Partial<{ headers: boolean; timestamp0: number }> = {}): Promise<string> {
    const topic = uniqueTopic();
    await client.createTopic(topic, { partitions });
    const recs = [];
    for (let p = 0; p < partitions; p += 1) {
      for (let i = 0; i < perPartition; i += 1) {
        recs.push({
          topic,
          partition: p,
          key: `k${p}-${i}`,
          value: Buffer.from(`v${p}-${i}`),
          timestamp: extra.timestamp0 === undefined ? undefined : extra.timestamp0 + i * 1000,
          headers: extra.headers ? [{ key: 'n', value: Buffer.from(String(i)) }, { key: 'n', value: Buffer.from('again') }] : undefined,
        });
      }
    }
    await produce(client, recs);
    return topic;
  }

  it('rows carry Spark\'s columns; offsets are Spark\'s JSON; headers only with includeHeaders', async () => {
    const topic = await topicWith(2, 3, { headers: true, timestamp0: 1_700_000_000_000 });
    const plain = kafka({ 'kafka.bootstrap.servers': brokers(), subscribe: topic, startingOffsets: 'earliest' });
    await open(plain);
    const o0 = await plain.initialOffset();
    expect(o0).toEqual({ [topic]: { '0': 0, '1': 0 } });
    const o1 = await plain.latestOffset(o0, ALL);
    expect(o1).toEqual({ [topic]: { '0': 3, '1': 3 } });
    const got = await collect(plain.read(o0, o1));
    expect(got).toHaveLength(6);
    expect(got[0]).toEqual({
      key: Buffer.from('k0-0'),
      value: Buffer.from('v0-0'),
      topic,
      partition: 0,
      offset: 0,
      timestamp: new Date(1_700_000_000_000),
      timestampType: 0,
    });
    const withHeaders = kafka({ 'kafka.bootstrap.servers': brokers(), subscribe: topic, startingOffsets: 'earliest', includeHeaders: 'true' });
    await open(withHeaders);
    const h = await collect(withHeaders.read(o0, o1));
    expect(h[1]!.headers).toEqual([
      { key: 'n', value: Buffer.from('1') },
      { key: 'n', value: Buffer.from('again') },
    ]);
    expect(kafkaSourceFromOptions(new Map([['kafka.bootstrap.servers', brokers()], ['subscribe', topic], ['includeHeaders', 'true']])).schema).toContain(
      'headers ARRAY<STRUCT<key: STRING, value: BINARY>>',
    );
  });

  it('startingOffsets: latest (default), earliest, and JSON with -2/-1 and explicit offsets', async () => {
    const topic = await topicWith(2, 4);
    const latest = kafka({ 'kafka.bootstrap.servers': brokers(), subscribe: topic });
    await open(latest);
    expect(await latest.initialOffset()).toEqual({ [topic]: { '0': 4, '1': 4 } });
    await latest.stop();
    opened.length = 0;
    await fs.rm(dir, { recursive: true, force: true });
    const json = kafka({
      'kafka.bootstrap.servers': brokers(),
      subscribe: topic,
      startingOffsets: JSON.stringify({ [topic]: { '0': -2, '1': 2 } }),
    });
    await open(json);
    expect(await json.initialOffset()).toEqual({ [topic]: { '0': 0, '1': 2 } });
    const partial = kafka({ 'kafka.bootstrap.servers': brokers(), subscribe: topic, startingOffsets: { [topic]: { '0': -1 } } });
    await fs.rm(dir, { recursive: true, force: true });
    await open(partial);
    await expectWeirError(() => partial.initialOffset(), 'INVALID_ARGUMENT');
  });

  it('keeps the first run\'s starting offsets across a restart (initialOffsets in sources/<i>)', async () => {
    const topic = await topicWith(1, 2);
    const a = kafka({ 'kafka.bootstrap.servers': brokers(), subscribe: topic });
    await open(a);
    const first = await a.initialOffset();
    await a.stop();
    opened.length = 0;
    await produce(client, [{ topic, key: null, value: 'later' }]);
    const b = kafka({ 'kafka.bootstrap.servers': brokers(), subscribe: topic });
    await open(b);
    expect(await b.initialOffset()).toEqual(first);
    expect(first).toEqual({ [topic]: { '0': 2 } });
  });

  it('startingOffsetsByTimestamp and startingTimestamp pick the first offset at or after the time', async () => {
    const t0 = 1_700_000_000_000;
    const topic = await topicWith(2, 5, { timestamp0: t0 });
    const byTs = kafka({
      'kafka.bootstrap.servers': brokers(),
      subscribe: topic,
      startingOffsetsByTimestamp: { [topic]: { '0': t0 + 2500, '1': t0 } },
    });
    await open(byTs);
    expect(await byTs.initialOffset()).toEqual({ [topic]: { '0': 3, '1': 0 } });
    await fs.rm(dir, { recursive: true, force: true });
    const one = kafka({ 'kafka.bootstrap.servers': brokers(), subscribe: topic, startingTimestamp: String(t0 + 4000) });
    await open(one);
    expect(await one.initialOffset()).toEqual({ [topic]: { '0': 4, '1': 4 } });
    await fs.rm(dir, { recursive: true, force: true });
    const none = kafka({ 'kafka.bootstrap.servers': brokers(), subscribe: topic, startingTimestamp: t0 + 60_000 });
    await open(none);
    const e = await expectWeirError(() => none.initialOffset(), 'KAFKA_OFFSET_NOT_FOUND');
    expect(e.context.topic).toBe(topic);
    await fs.rm(dir, { recursive: true, force: true });
    const toLatest = kafka({
      'kafka.bootstrap.servers': brokers(),
      subscribe: topic,
      startingTimestamp: t0 + 60_000,
      startingOffsetsByTimestampStrategy: 'latest',
    });
    await open(toLatest);
    expect(await toLatest.initialOffset()).toEqual({ [topic]: { '0': 5, '1': 5 } });
  });

  it('maxOffsetsPerTrigger splits the limit across partitions in proportion to their backlog (Spark\'s rateLimit)', async () => {
    const topic = uniqueTopic();
    await client.createTopic(topic, { partitions: 3 });
    await produce(client, [
      ...Array.from({ length: 30 }, (_, i) => ({ topic, partition: 0, key: null, value: `a${i}` })),
      ...Array.from({ length: 10 }, (_, i) => ({ topic, partition: 1, key: null, value: `b${i}` })),
      { topic, partition: 2, key: null, value: 'c' },
    ]);
    const source = kafka({ 'kafka.bootstrap.servers': brokers(), subscribe: topic, startingOffsets: 'earliest', maxOffsetsPerTrigger: 8 });
    await open(source);
    const limit = source.defaultReadLimit!();
    expect(limit).toEqual({ kind: 'maxRows', maxRows: 8 });
    const o0 = await source.initialOffset();
    // sizes 30, 10, 1 of 41: 8·30/41 = 5.85 → 5, 8·10/41 = 1.95 → 1, 8·1/41 = 0.19 → ceil 1.
    const o1 = await source.latestOffset(o0, limit);
    expect(o1).toEqual({ [topic]: { '0': 5, '1': 1, '2': 1 } });
    expect(await collect(source.read(o0, o1))).toHaveLength(7);
    expect(rateLimit(10, new Map([['a', 0], ['b', 0]]), new Map([['a', 100], ['b', 0]]))).toEqual(new Map([['a', 10], ['b', 0]]));
  });

  it('minOffsetsPerTrigger waits for enough records unless maxTriggerDelay passed', async () => {
    const topic = await topicWith(1, 3);
    const clock = new ManualClock(10_000_000);
    const source = kafka({
      'kafka.bootstrap.servers': brokers(),
      subscribe: topic,
      startingOffsets: 'earliest',
      minOffsetsPerTrigger: 5,
      maxTriggerDelay: '30s',
    });
    await open(source, clock);
    const limit = source.defaultReadLimit!();
    expect(limit).toEqual({ kind: 'minRows', minRows: 5, maxDelayMs: 30_000 });
    const o0 = await source.initialOffset();
    // First trigger: the delay since "never" has passed (Spark starts lastTriggerMillis at 0).
    const o1 = await source.latestOffset(o0, limit);
    expect(o1).toEqual({ [topic]: { '0': 3 } });
    await produce(client, [{ topic, key: null, value: 'x' }]);
    clock.advance(1000);
    expect(await source.latestOffset(o1, limit)).toEqual(o1);
    await produce(client, Array.from({ length: 4 }, () => ({ topic, key: null, value: 'y' })));
    expect(await source.latestOffset(o1, limit)).toEqual({ [topic]: { '0': 8 } });
    await produce(client, [{ topic, key: null, value: 'z' }]);
    const o2 = { [topic]: { '0': 8 } };
    clock.advance(29_000);
    expect(await source.latestOffset(o2, limit)).toEqual(o2);
    clock.advance(1000);
    expect(await source.latestOffset(o2, limit)).toEqual({ [topic]: { '0': 9 } });
  });

  it('discovers new partitions and reads them from the beginning; subscribePattern finds new topics', async () => {
    const prefix = uniqueTopic('pat');
    const t1 = `${prefix}-one`;
    await client.createTopic(t1, { partitions: 1 });
    await produce(client, [{ topic: t1, key: null, value: '1' }]);
    const source = kafka({ 'kafka.bootstrap.servers': brokers(), subscribePattern: `${prefix}-.*`, startingOffsets: 'earliest' });
    await open(source);
    const o0 = await source.initialOffset();
    expect(o0).toEqual({ [t1]: { '0': 0 } });
    await client.createPartitions(t1, 2);
    const t2 = `${prefix}-two`;
    await client.createTopic(t2, { partitions: 1 });
    await produce(client, [
      { topic: t1, partition: 1, key: null, value: 'new-partition' },
      { topic: t2, key: null, value: 'new-topic' },
    ]);
    const o1 = await source.latestOffset(o0, ALL);
    expect(o1).toEqual({ [t1]: { '0': 1, '1': 1 }, [t2]: { '0': 1 } });
    const values = (await collect(source.read(o0, o1))).map((r) => r.value!.toString()).sort();
    expect(values).toEqual(['1', 'new-partition', 'new-topic']);
  });

  it('assign reads only the assigned partitions; endingOffsets caps reads', async () => {
    const topic = await topicWith(3, 4);
    const source = kafka({
      'kafka.bootstrap.servers': brokers(),
      assign: JSON.stringify({ [topic]: [0, 2] }),
      startingOffsets: 'earliest',
      endingOffsets: { [topic]: { '0': 2, '2': -1 } },
    });
    expect(source.description).toBe(`KafkaV2[Assign[${topic}-0, ${topic}-2]]`);
    await open(source);
    const o0 = await source.initialOffset();
    const o1 = await source.latestOffset(o0, ALL);
    expect(o1).toEqual({ [topic]: { '0': 2, '2': 4 } });
    await produce(client, [{ topic, partition: 0, key: null, value: 'more' }]);
    expect(await source.latestOffset(o1, ALL)).toEqual(o1);
  });

  it('never shows a SASL password in errors (redaction)', async () => {
    const secret = 'hunter2-very-secret';
    const source = kafka({
      'kafka.bootstrap.servers': brokers(),
      subscribe: 'whatever',
      'kafka.security.protocol': 'SASL_PLAINTEXT',
      'kafka.sasl.mechanism': 'PLAIN',
      'kafka.sasl.jaas.config': `org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="${secret}";`,
      'kafka.request.timeout.ms': '3000',
      'kafka.socket.connection.setup.timeout.ms': '2000',
    });
    await open(source);
    const e = await expectWeirError(() => source.initialOffset(), 'SOURCE_ERROR');
    const shown = `${e.message} ${JSON.stringify(e.context)} ${source.description}`;
    expect(shown).not.toContain(secret);
    expect(JSON.stringify(e.context)).toContain('redacted');
    expect((source as unknown as { redactedOptions: Record<string, unknown> }).redactedOptions['kafka.sasl.jaas.config']).toBe('*********(redacted)');
  }, 60_000);
});

describe('kafka source in a query', () => {
  it('runs kafka → map → memory, restarts from the checkpoint without re-reading committed offsets', async () => {
    const topic = uniqueTopic();
    await client.createTopic(topic, { partitions: 2 });
    await produce(client, Array.from({ length: 10 }, (_, i) => ({ topic, partition: i % 2, key: null, value: String(i) })));
    const checkpoint = await fs.mkdtemp(path.join(os.tmpdir(), 'weir-kafka-q-'));
    const run = async (name: string): Promise<Row[]> => {
      const sink = memorySink({ name });
      const q = await startQuery({
        source: kafka({ 'kafka.bootstrap.servers': brokers(), subscribe: topic, startingOffsets: 'earliest', maxOffsetsPerTrigger: 4 }),
        pipeline: [rows(map((r: KafkaRow) => ({ n: Number(r.value!.toString()), partition: r.partition })))],
        sink,
        checkpointLocation: checkpoint,
        queryName: name,
      });
      await q.processAllAvailable();
      expect(q.lastProgress!.sources[0]!.metrics).toMatchObject({ maxOffsetsBehindLatest: '0' });
      await q.stop();
      return sink.rows() as Row[];
    };
    const first = await run('first');
    expect(first.map((r) => r.n).sort((a, b) => (a as number) - (b as number))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await produce(client, [{ topic, partition: 0, key: null, value: '10' }]);
    const second = await run('second');
    expect(second).toEqual([{ n: 10, partition: 0 }]);
    await fs.rm(checkpoint, { recursive: true, force: true });
  });

  it('Trigger.AvailableNow reads what is there at start, in maxOffsetsPerTrigger batches, then stops', async () => {
    const topic = uniqueTopic();
    await client.createTopic(topic, { partitions: 1 });
    await produce(client, Array.from({ length: 10 }, (_, i) => ({ topic, key: null, value: String(i) })));
    const checkpoint = await fs.mkdtemp(path.join(os.tmpdir(), 'weir-kafka-an-'));
    const sink = memorySink({ name: 'available-now' });
    const q = await startQuery({
      source: kafka({ 'kafka.bootstrap.servers': brokers(), subscribe: topic, startingOffsets: 'earliest', maxOffsetsPerTrigger: 4 }),
      pipeline: [rows(map((r: KafkaRow) => ({ n: Number(r.value!.toString()) })))],
      sink,
      checkpointLocation: checkpoint,
      queryName: 'available-now',
      trigger: { availableNow: true },
    });
    expect(await q.awaitTermination(30_000)).toBe(true);
    expect(sink.rows().map((r) => r.n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(q.recentProgress.map((p) => p.numInputRows)).toEqual([4, 4, 2]);
    await fs.rm(checkpoint, { recursive: true, force: true });
  });

  it('data loss: deleted records fail the query with KAFKA_DATA_LOSS, or are skipped and counted with failOnDataLoss=false', async () => {
    const topic = uniqueTopic();
    await client.createTopic(topic, { partitions: 1 });
    await produce(client, Array.from({ length: 5 }, (_, i) => ({ topic, key: null, value: String(i) })));
    const base = await fs.mkdtemp(path.join(os.tmpdir(), 'weir-kafka-loss-'));
    const start = async (failOnDataLoss: boolean, checkpoint: string) => {
      const sink = memorySink({ name: `loss-${failOnDataLoss}` });
      const q = await startQuery({
        source: kafka({ 'kafka.bootstrap.servers': brokers(), subscribe: topic, startingOffsets: 'earliest', failOnDataLoss }),
        pipeline: [rows(map((r: KafkaRow) => ({ v: r.value!.toString() })))],
        sink,
        checkpointLocation: checkpoint,
        queryName: `loss-${failOnDataLoss}`,
      });
      return { q, sink };
    };
    // Both queries commit offset 5, then records 5..11 arrive and 0..9 are deleted below the committed offset.
    for (const f of [true, false]) {
      const { q } = await start(f, path.join(base, String(f)));
      await q.processAllAvailable();
      await q.stop();
    }
    await produce(client, Array.from({ length: 7 }, (_, i) => ({ topic, key: null, value: String(5 + i) })));
    await client.deleteRecords({ topic, partition: 0 }, 10);

    const strict = await start(true, path.join(base, 'true'));
    const e = await strict.q.awaitTermination(30_000).then(
      () => undefined,
      (err: unknown) => err as import('../../lib/errors').WeirError,
    );
    expect(e).toBeDefined();
    const cause = (e!.cause ?? e) as import('../../lib/errors').WeirError;
    expect(cause.code).toBe('KAFKA_DATA_LOSS');
    expect(cause.context).toMatchObject({ topic, partition: 0, fromOffset: 5, availableFrom: 10 });

    const lenient = await start(false, path.join(base, 'false'));
    await lenient.q.processAllAvailable();
    expect(lenient.sink.rows()).toEqual([{ v: '10' }, { v: '11' }]);
    expect(lenient.q.lastProgress!.sources[0]!.metrics.dataLossSkippedOffsets).toBe('5');
    await lenient.q.stop();
    await fs.rm(base, { recursive: true, force: true });
  });
});

void (undefined as unknown as Offset);
