/**
 * The Kafka source's offset logic, without a broker: the source driven by hand over a MemoryKafkaClient (the
 * cases of spec/kafka/source.spec.ts and sourceOptions.spec.ts, which run them on a real broker, plus data loss,
 * topics that go away, read_committed and the `client` option).
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ReadLimit, Source, SourceContext } from '../../../../lib/contracts';
import type { KafkaClient, KafkaClientConfig } from '../../../../connectors/kafka/client/KafkaClient';
import { MemoryKafkaClient } from '../../../../connectors/kafka/client/MemoryKafkaClient';
import { kafka, kafkaSourceFromOptions, type KafkaRow, type KafkaSourceOptions } from '../../../../connectors/kafka/source';
import { expectWeirError } from '../../../support/expectWeirError';
import { ManualClock } from '../../../support/ManualClock';
import { collect, sourceContract } from '../../../support/sourceContract';

const ALL: ReadLimit = { kind: 'all' };
const T0 = 1_700_000_000_000;

let counter = 0;
sourceContract<KafkaRow>(
  'kafka over MemoryKafkaClient (2 partitions, startingOffsets earliest)',
  async () => {
    const client = new MemoryKafkaClient();
    await client.createTopic('contract', { partitions: 2 });
    return {
      source: kafka({ client, subscribe: 'contract', startingOffsets: 'earliest' }),
      clock: new ManualClock(0),
      produce: async () => {
        await client.produce([
          { topic: 'contract', partition: 0, key: null, value: `a${counter++}` },
          { topic: 'contract', partition: 1, key: null, value: `b${counter++}` },
        ]);
      },
    };
  },
  { partitioned: true, splitInvariant: (r) => `${r.partition}:${r.offset}:${r.value?.toString()}` },
);

describe('kafka source over MemoryKafkaClient', () => {
  let dir: string;
  let client: MemoryKafkaClient;
  let opened: Source<KafkaRow>[];
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'weir-kafka-unit-'));
    client = new MemoryKafkaClient({ clock: { now: () => T0 } });
    opened = [];
  });
  afterEach(async () => {
    for (const s of opened) await s.stop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  /** Opens `source` on a fresh metadata folder (each source its own, so starting offsets are resolved anew). */
  async function open(source: Source<KafkaRow>, clock = new ManualClock(1_000_000)): Promise<SourceContext> {
    const metadataPath = path.join(dir, 'sources', String(opened.length));
    await fs.mkdir(metadataPath, { recursive: true });
    const context = { metadataPath, sourceIndex: 0, clock, notifyDataAvailable: () => {} };
    await source.open(context);
    opened.push(source);
    return context;
  }

  const source = (options: Omit<KafkaSourceOptions, 'client'>): Source<KafkaRow> => kafka({ client, ...options });

  /** A topic whose partition p holds `counts[p]` records `v<p>-<i>` (key `k<p>-<i>`) with timestamps T0 + i·1000. */
  async function topicWith(topic: string, counts: number[], headers = false): Promise<string> {
    await client.createTopic(topic, { partitions: counts.length });
    await client.produce(
      counts.flatMap((n, p) =>
        Array.from({ length: n }, (_, i) => ({
          topic,
          partition: p,
          key: `k${p}-${i}`,
          value: Buffer.from(`v${p}-${i}`),
          timestamp: T0 + i * 1000,
          headers: headers ? [{ key: 'n', value: Buffer.from(String(i)) }, { key: 'n', value: Buffer.from('again') }] : undefined,
        })),
      ),
    );
    return topic;
  }

  const values = (rs: KafkaRow[]): string[] => rs.map((r) => r.value!.toString());

  describe('rows and offsets', () => {
    it("rows carry Spark's columns; offsets are Spark's JSON; headers only with includeHeaders", async () => {
      await topicWith('t', [3, 3], true);
      const plain = source({ subscribe: 't', startingOffsets: 'earliest' });
      await open(plain);
      const o0 = await plain.initialOffset();
      expect(o0).toEqual({ t: { '0': 0, '1': 0 } });
      const o1 = await plain.latestOffset(o0, ALL);
      expect(o1).toEqual({ t: { '0': 3, '1': 3 } });
      const got = await collect(plain.read(o0, o1));
      expect(got).toHaveLength(6);
      expect(got[0]).toEqual({ key: Buffer.from('k0-0'), value: Buffer.from('v0-0'), topic: 't', partition: 0, offset: 0, timestamp: new Date(T0), timestampType: 0 });
      const withHeaders = source({ subscribe: 't', startingOffsets: 'earliest', includeHeaders: 'true' });
      await open(withHeaders);
      const h = await collect(withHeaders.read(o0, o1));
      expect(h[1]!.headers).toEqual([
        { key: 'n', value: Buffer.from('1') },
        { key: 'n', value: Buffer.from('again') },
      ]);
      expect(kafkaSourceFromOptions({ client, subscribe: 't', includeHeaders: 'true' }).schema).toContain('headers ARRAY<STRUCT<key: STRING, value: BINARY>>');
    });

    it('reads the same rows for a range on every read, also through another instance (replay)', async () => {
      await topicWith('t', [5, 5]);
      const a = source({ subscribe: 't', startingOffsets: 'earliest' });
      const b = source({ subscribe: 't', startingOffsets: 'earliest' });
      await open(a);
      await open(b);
      const o0 = await a.initialOffset();
      const o1 = { t: { '0': 4, '1': 2 } };
      const first = await collect(a.read(o0, o1));
      expect(values(first)).toEqual(['v0-0', 'v0-1', 'v0-2', 'v0-3', 'v1-0', 'v1-1']);
      await client.produce([{ topic: 't', partition: 0, key: null, value: 'later' }]);
      expect(await collect(a.read(o0, o1))).toEqual(first);
      expect(await collect(b.read(o0, o1))).toEqual(first);
    });
  });

  describe('starting offsets', () => {
    it('startingOffsets: latest (default), earliest, and JSON with -2/-1 and explicit offsets; all partitions or INVALID_ARGUMENT', async () => {
      await topicWith('t', [4, 4]);
      await client.deleteRecords({ topic: 't', partition: 0 }, 1);
      const latest = source({ subscribe: 't' });
      await open(latest);
      expect(await latest.initialOffset()).toEqual({ t: { '0': 4, '1': 4 } });
      const earliest = source({ subscribe: 't', startingOffsets: 'earliest' });
      await open(earliest);
      expect(await earliest.initialOffset()).toEqual({ t: { '0': 1, '1': 0 } });
      const json = source({ subscribe: 't', startingOffsets: JSON.stringify({ t: { '0': -2, '1': 2 } }) });
      await open(json);
      expect(await json.initialOffset()).toEqual({ t: { '0': 1, '1': 2 } });
      const minusOne = source({ subscribe: 't', startingOffsets: { t: { '0': -1, '1': 0 } } });
      await open(minusOne);
      expect(await minusOne.initialOffset()).toEqual({ t: { '0': 4, '1': 0 } });
      const partial = source({ subscribe: 't', startingOffsets: { t: { '0': -1 } } });
      await open(partial);
      const e = await expectWeirError(() => partial.initialOffset(), 'INVALID_ARGUMENT');
      expect(e.context.option).toBe('startingOffsets');
      const extra = source({ subscribe: 't', startingOffsets: { t: { '0': 0, '1': 0, '2': 0 } } });
      await open(extra);
      await expectWeirError(() => extra.initialOffset(), 'INVALID_ARGUMENT');
    });

    it('startingOffsetsByTimestamp and startingTimestamp pick the first offset at or after the time; no match fails or goes to latest', async () => {
      await topicWith('t', [5, 5]);
      const byTs = source({ subscribe: 't', startingOffsetsByTimestamp: { t: { '0': T0 + 2500, '1': T0 } } });
      await open(byTs);
      expect(await byTs.initialOffset()).toEqual({ t: { '0': 3, '1': 0 } });
      const one = source({ subscribe: 't', startingTimestamp: String(T0 + 4000) });
      await open(one);
      expect(await one.initialOffset()).toEqual({ t: { '0': 4, '1': 4 } });
      const none = source({ subscribe: 't', startingTimestamp: T0 + 60_000 });
      await open(none);
      const e = await expectWeirError(() => none.initialOffset(), 'KAFKA_OFFSET_NOT_FOUND');
      expect(e.context).toMatchObject({ topic: 't', partition: 0, timestamp: T0 + 60_000 });
      const toLatest = source({ subscribe: 't', startingTimestamp: T0 + 60_000, startingOffsetsByTimestampStrategy: 'latest' });
      await open(toLatest);
      expect(await toLatest.initialOffset()).toEqual({ t: { '0': 5, '1': 5 } });
      const missing = source({ subscribe: 't', startingOffsetsByTimestamp: { t: { '0': T0 } } });
      await open(missing);
      expect((await expectWeirError(() => missing.initialOffset(), 'INVALID_ARGUMENT')).context).toMatchObject({ option: 'startingOffsetsByTimestamp', partition: 1 });
    });

    it('resolves the starting offsets once per query: a reopened source starts where the first run did', async () => {
      await topicWith('t', [2]);
      const a = source({ subscribe: 't' });
      const context = await open(a);
      const first = await a.initialOffset();
      expect(first).toEqual({ t: { '0': 2 } });
      await a.stop();
      await client.produce([{ topic: 't', key: null, value: 'later' }]);
      const b = source({ subscribe: 't' });
      await b.open(context);
      opened.push(b);
      expect(await b.initialOffset()).toEqual(first);
      // Another query (its own folder) resolves them anew.
      const fresh = source({ subscribe: 't' });
      await open(fresh);
      expect(await fresh.initialOffset()).toEqual({ t: { '0': 3 } });
    });
  });

  describe('rate limits', () => {
    it("maxOffsetsPerTrigger splits the limit across partitions in proportion to their backlog (Spark's rateLimit)", async () => {
      await topicWith('t', [30, 10, 1]);
      const s = source({ subscribe: 't', startingOffsets: 'earliest', maxOffsetsPerTrigger: 8 });
      await open(s);
      const limit = s.defaultReadLimit!();
      expect(limit).toEqual({ kind: 'maxRows', maxRows: 8 });
      const o0 = await s.initialOffset();
      // sizes 30, 10, 1 of 41: 8·30/41 = 5.85 → 5, 8·10/41 = 1.95 → 1, 8·1/41 = 0.19 → ceil 1.
      const o1 = await s.latestOffset(o0, limit);
      expect(o1).toEqual({ t: { '0': 5, '1': 1, '2': 1 } });
      expect(await collect(s.read(o0, o1))).toHaveLength(7);
      // The engine's limit wins over the default one: everything.
      expect(await s.latestOffset(o0, ALL)).toEqual({ t: { '0': 30, '1': 10, '2': 1 } });
    });

    it('minOffsetsPerTrigger waits for enough records unless maxTriggerDelay passed', async () => {
      await topicWith('t', [3]);
      const clock = new ManualClock(10_000_000);
      const s = source({ subscribe: 't', startingOffsets: 'earliest', minOffsetsPerTrigger: 5, maxTriggerDelay: '30s' });
      await open(s, clock);
      const limit = s.defaultReadLimit!();
      expect(limit).toEqual({ kind: 'minRows', minRows: 5, maxDelayMs: 30_000 });
      const o0 = await s.initialOffset();
      // First trigger: the delay since "never" has passed (Spark starts lastTriggerMillis at 0).
      const o1 = await s.latestOffset(o0, limit);
      expect(o1).toEqual({ t: { '0': 3 } });
      await client.produce([{ topic: 't', key: null, value: 'x' }]);
      clock.advance(1000);
      expect(await s.latestOffset(o1, limit)).toEqual(o1);
      await client.produce(Array.from({ length: 4 }, () => ({ topic: 't', key: null, value: 'y' })));
      expect(await s.latestOffset(o1, limit)).toEqual({ t: { '0': 8 } });
      await client.produce([{ topic: 't', key: null, value: 'z' }]);
      const o2 = { t: { '0': 8 } };
      clock.advance(29_000);
      expect(await s.latestOffset(o2, limit)).toEqual(o2);
      clock.advance(1000);
      expect(await s.latestOffset(o2, limit)).toEqual({ t: { '0': 9 } });
    });

    it('minOffsetsPerTrigger and maxOffsetsPerTrigger together: wait for the minimum, admit at most the maximum', async () => {
      await topicWith('t', [2]);
      const clock = new ManualClock(0);
      const s = source({ subscribe: 't', startingOffsets: 'earliest', minOffsetsPerTrigger: 3, maxOffsetsPerTrigger: 4, maxTriggerDelay: '1m' });
      await open(s, clock);
      const limit = s.defaultReadLimit!();
      expect(limit).toEqual({ kind: 'composite', limits: [{ kind: 'minRows', minRows: 3, maxDelayMs: 60_000 }, { kind: 'maxRows', maxRows: 4 }] });
      const o0 = await s.initialOffset();
      // The clock starts at 0: less than maxTriggerDelay since "never", and only 2 records: wait.
      expect(await s.latestOffset(o0, limit)).toEqual(o0);
      await client.produce(Array.from({ length: 8 }, () => ({ topic: 't', key: null, value: 'x' })));
      expect(await s.latestOffset(o0, limit)).toEqual({ t: { '0': 4 } });
    });
  });

  describe('partitions and topics that appear', () => {
    it('discovers new partitions and reads them from the beginning; subscribePattern finds new topics', async () => {
      await client.createTopic('pat-one');
      await client.produce([{ topic: 'pat-one', key: null, value: '1' }]);
      await client.createTopic('other');
      const s = source({ subscribePattern: 'pat-.*', startingOffsets: 'latest' });
      await open(s);
      const o0 = await s.initialOffset();
      expect(o0).toEqual({ 'pat-one': { '0': 1 } });
      await client.createPartitions('pat-one', 2);
      await client.createTopic('pat-two');
      await client.produce([
        { topic: 'pat-one', partition: 1, key: null, value: 'new-partition' },
        { topic: 'pat-two', key: null, value: 'new-topic' },
        { topic: 'other', key: null, value: 'not matched' },
      ]);
      const o1 = await s.latestOffset(o0, ALL);
      expect(o1).toEqual({ 'pat-one': { '0': 1, '1': 1 }, 'pat-two': { '0': 1 } });
      expect(values(await collect(s.read(o0, o1))).sort()).toEqual(['new-partition', 'new-topic']);
      expect(s.description).toBe('KafkaV2[SubscribePattern[pat-.*]]');
    });

    it('assign reads only the assigned partitions; endingOffsets caps reads', async () => {
      await topicWith('t', [4, 4, 4]);
      const s = source({ assign: JSON.stringify({ t: [0, 2] }), startingOffsets: 'earliest', endingOffsets: { t: { '0': 2, '2': -1 } } });
      expect(s.description).toBe('KafkaV2[Assign[t-0, t-2]]');
      await open(s);
      const o0 = await s.initialOffset();
      expect(o0).toEqual({ t: { '0': 0, '2': 0 } });
      const o1 = await s.latestOffset(o0, ALL);
      expect(o1).toEqual({ t: { '0': 2, '2': 4 } });
      await client.produce([{ topic: 't', partition: 0, key: null, value: 'more' }]);
      expect(await s.latestOffset(o1, ALL)).toEqual(o1);
      await client.produce([{ topic: 't', partition: 2, key: null, value: 'more' }]);
      expect(await s.latestOffset(o1, ALL)).toEqual({ t: { '0': 2, '2': 5 } });
    });
  });

  describe('ending offsets', () => {
    it('endingTimestamp caps every partition at the first offset whose timestamp is >= it, and wins over endingOffsets', async () => {
      await topicWith('t', [5, 5]);
      const s = source({ subscribe: 't', startingOffsets: 'earliest', endingTimestamp: String(T0 + 2500), endingOffsets: { t: { '0': 1, '1': 1 } } });
      await open(s);
      const o0 = await s.initialOffset();
      const o1 = await s.latestOffset(o0, ALL);
      expect(o1).toEqual({ t: { '0': 3, '1': 3 } });
      expect(values(await collect(s.read(o0, o1)))).toEqual(['v0-0', 'v0-1', 'v0-2', 'v1-0', 'v1-1', 'v1-2']);
      await client.produce([{ topic: 't', partition: 0, key: null, value: 'late', timestamp: T0 }]);
      expect(await s.latestOffset(o1, ALL)).toEqual(o1);
    });

    it('endingOffsetsByTimestamp: per partition; no matching record yet = latest, until one arrives', async () => {
      await topicWith('t', [5, 5]);
      const s = source({ subscribe: 't', startingOffsets: 'earliest', endingOffsetsByTimestamp: JSON.stringify({ t: { '0': T0 + 1000, '1': T0 + 60_000 } }) });
      await open(s);
      const o0 = await s.initialOffset();
      const o1 = await s.latestOffset(o0, ALL);
      expect(o1).toEqual({ t: { '0': 1, '1': 5 } });
      await client.produce([{ topic: 't', partition: 1, key: null, value: 'early', timestamp: T0 + 59_000 }]);
      const o2 = await s.latestOffset(o1, ALL);
      expect(o2).toEqual({ t: { '0': 1, '1': 6 } });
      await client.produce([
        { topic: 't', partition: 1, key: null, value: 'at', timestamp: T0 + 60_000 },
        { topic: 't', partition: 1, key: null, value: 'before-but-after-the-end', timestamp: T0 },
      ]);
      expect(await s.latestOffset(o2, ALL)).toEqual(o2);
      expect(values(await collect(s.read(o0, o2)))).toEqual(['v0-0', 'v1-0', 'v1-1', 'v1-2', 'v1-3', 'v1-4', 'early']);
    });

    it('a partition without an ending timestamp fails with INVALID_ARGUMENT; an end before the start reads nothing', async () => {
      await topicWith('t', [5, 5]);
      const missing = source({ subscribe: 't', startingOffsets: 'earliest', endingOffsetsByTimestamp: { t: { '0': T0 } } });
      await open(missing);
      const o0 = await missing.initialOffset();
      const e = await expectWeirError(() => missing.latestOffset(o0, ALL), 'INVALID_ARGUMENT');
      expect(e.context).toMatchObject({ option: 'endingOffsetsByTimestamp', topic: 't', partition: 1 });
      const crossed = source({ subscribe: 't', startingTimestamp: T0 + 4000, endingTimestamp: T0 + 1000 });
      await open(crossed);
      const s0 = await crossed.initialOffset();
      expect(s0).toEqual({ t: { '0': 4, '1': 4 } });
      expect(await crossed.latestOffset(s0, ALL)).toEqual(s0);
    });
  });

  describe('read ranges and read-ahead', () => {
    it('reads a batch in about minPartitions concurrent ranges, the same rows in the same order, with and without read-ahead', async () => {
      await topicWith('t', [20, 2]);
      const options = { subscribe: 't', startingOffsets: 'earliest', maxOffsetsPerTrigger: 11 };
      const plain = source(options);
      const split = source({ ...options, minPartitions: '4' });
      await open(plain);
      await open(split);
      const o0 = await split.initialOffset();
      expect(await plain.initialOffset()).toEqual(o0);
      const o1 = await split.latestOffset(o0, split.defaultReadLimit!());
      expect(o1).toEqual({ t: { '0': 10, '1': 1 } });
      const a1 = await collect(split.read(o0, o1));
      expect(values(a1)).toEqual(values(await collect(plain.read(o0, o1))));
      expect(values(a1)).toEqual([...Array.from({ length: 10 }, (_, i) => `v0-${i}`), 'v1-0']);
      expect(split.metrics!(o1).offsetRanges).toBe('4');
      expect(plain.metrics!(o1).offsetRanges).toBe('2');
      // The second batch is served (in part) by the read-ahead the first one started.
      const fetches = jest.spyOn(client, 'fetchRange');
      const o2 = await split.latestOffset(o1, ALL);
      expect(o2).toEqual({ t: { '0': 20, '1': 2 } });
      const a2 = await collect(split.read(o1, o2));
      // Every range of the second batch came from the read-ahead: nothing was fetched for it.
      expect(fetches).not.toHaveBeenCalled();
      expect(values(a2)).toEqual([...Array.from({ length: 10 }, (_, i) => `v0-${10 + i}`), 'v1-1']);
      expect(values(a2)).toEqual(values(await collect(plain.read(o1, o2))));
      expect(split.metrics!(o2).offsetRanges).toBe('4');
      fetches.mockRestore();
    });

    it('a read-ahead never serves a range it does not start: a batch re-read from elsewhere fetches it', async () => {
      await topicWith('t', [10]);
      const s = source({ subscribe: 't', startingOffsets: 'earliest', maxOffsetsPerTrigger: 4 });
      await open(s);
      const o0 = await s.initialOffset();
      const o1 = await s.latestOffset(o0, s.defaultReadLimit!());
      expect(values(await collect(s.read(o0, o1)))).toEqual(['v0-0', 'v0-1', 'v0-2', 'v0-3']);
      // A read-ahead of [4, 8) is under way; the engine re-reads [0, 4) (a re-run batch) and then [4, 8).
      expect(values(await collect(s.read(o0, o1)))).toEqual(['v0-0', 'v0-1', 'v0-2', 'v0-3']);
      const o2 = await s.latestOffset(o1, s.defaultReadLimit!());
      expect(values(await collect(s.read(o1, o2)))).toEqual(['v0-4', 'v0-5', 'v0-6', 'v0-7']);
    });
  });

  describe('data loss', () => {
    it('records deleted before a read: KAFKA_DATA_LOSS with failOnDataLoss (default), skipped and counted without', async () => {
      await topicWith('t', [10]);
      const strict = source({ subscribe: 't', startingOffsets: 'earliest' });
      const lenient = source({ subscribe: 't', startingOffsets: 'earliest', failOnDataLoss: 'false' });
      await open(strict);
      await open(lenient);
      const o0 = await strict.initialOffset();
      const o1 = await strict.latestOffset(o0, ALL);
      await client.deleteRecords({ topic: 't', partition: 0 }, 4);
      const e = await expectWeirError(() => collect(strict.read(o0, o1)), 'KAFKA_DATA_LOSS');
      expect(e.context).toMatchObject({ topic: 't', partition: 0, fromOffset: 0, availableFrom: 4 });
      expect(values(await collect(lenient.read(o0, o1)))).toEqual(['v0-4', 'v0-5', 'v0-6', 'v0-7', 'v0-8', 'v0-9']);
      expect(lenient.metrics!(o1).dataLossSkippedOffsets).toBe('4');
      // Retention (retention.ms against the clock) is data loss too.
      await client.createTopic('r', { configs: { 'retention.ms': '1000' } });
      await client.produce([0, 1, 2].map((i) => ({ topic: 'r', key: null, value: String(i), timestamp: T0 - 5000 + i * 3000 })));
      expect(client.applyRetention(T0)).toBe(2);
      const aged = source({ subscribe: 'r', startingOffsets: { r: { '0': 0 } } });
      await open(aged);
      const r0 = await aged.initialOffset();
      await expectWeirError(async () => collect(aged.read(r0, await aged.latestOffset(r0, ALL))), 'KAFKA_DATA_LOSS');
    });

    it('a deleted topic: KAFKA_DATA_LOSS, or without failOnDataLoss its partitions drop out and a re-created topic is read from 0', async () => {
      await topicWith('t', [3, 3]);
      const strict = source({ subscribe: 't', startingOffsets: 'earliest' });
      const lenient = source({ subscribe: 't', startingOffsets: 'earliest', failOnDataLoss: false });
      await open(strict);
      await open(lenient);
      const o0 = await strict.initialOffset();
      const o1 = await strict.latestOffset(o0, ALL);
      await client.deleteTopic('t');
      const e = await expectWeirError(() => strict.latestOffset(o1, ALL), 'KAFKA_DATA_LOSS');
      expect(e.context).toMatchObject({ topic: 't', partition: 0 });
      const gone = await lenient.latestOffset(o1, ALL);
      expect(gone).toEqual({});
      expect(await collect(lenient.read(o1, gone))).toEqual([]);
      await client.createTopic('t');
      await client.produce([{ topic: 't', key: null, value: 'reborn' }]);
      const back = await lenient.latestOffset(gone, ALL);
      expect(back).toEqual({ t: { '0': 1 } });
      expect(values(await collect(lenient.read(gone, back)))).toEqual(['reborn']);
    });

    it("a topic re-created with fewer records: the partition's offset went back (data loss), or reading goes on from where it is", async () => {
      await topicWith('t', [5]);
      const strict = source({ subscribe: 't', startingOffsets: 'earliest' });
      const lenient = source({ subscribe: 't', startingOffsets: 'earliest', failOnDataLoss: 'false' });
      await open(strict);
      await open(lenient);
      const o1 = await strict.latestOffset(await strict.initialOffset(), ALL);
      await client.deleteTopic('t');
      await client.createTopic('t');
      await client.produce([{ topic: 't', key: null, value: 'x' }, { topic: 't', key: null, value: 'y' }]);
      const e = await expectWeirError(() => strict.latestOffset(o1, ALL), 'KAFKA_DATA_LOSS');
      expect(e.context).toMatchObject({ topic: 't', partition: 0, fromOffset: 5, availableFrom: 2 });
      // Without failOnDataLoss: the batch ends where the partition is; the range that went back reads nothing.
      const o2 = await lenient.latestOffset(o1, ALL);
      expect(o2).toEqual({ t: { '0': 2 } });
      expect(await collect(lenient.read(o1, o2))).toEqual([]);
      await client.produce([{ topic: 't', key: null, value: 'z' }]);
      const o3 = await lenient.latestOffset(o2, ALL);
      expect(values(await collect(lenient.read(o2, o3)))).toEqual(['z']);
    });
  });

  describe('Trigger.AvailableNow', () => {
    it('fixes the end at what is there when it is prepared; later records wait', async () => {
      await topicWith('t', [3, 1]);
      const s = source({ subscribe: 't', startingOffsets: 'earliest', maxOffsetsPerTrigger: 2, minOffsetsPerTrigger: 2, maxTriggerDelay: '1h' });
      await open(s, new ManualClock(0));
      const o0 = await s.initialOffset();
      await s.prepareForTriggerAvailableNow!();
      await client.produce([{ topic: 't', partition: 1, key: null, value: 'late' }]);
      const limit = s.defaultReadLimit!();
      // maxOffsetsPerTrigger still splits the batches; the minOffsetsPerTrigger wait is dropped.
      const o1 = await s.latestOffset(o0, limit);
      expect(o1).toEqual({ t: { '0': 1, '1': 1 } });
      const o2 = await s.latestOffset(o1, limit);
      expect(o2).toEqual({ t: { '0': 3, '1': 1 } });
      expect(await s.latestOffset(o2, limit)).toEqual(o2);
    });
  });

  describe('read_committed', () => {
    it('reads only committed transactions and never passes the last stable offset', async () => {
      await client.createTopic('t');
      const producer = client.producer({ transactionalId: 'writer' });
      const aborted = await producer.beginTransaction();
      await aborted.send([{ topic: 't', key: null, value: 'aborted' }]);
      await aborted.abort();
      const committed = await producer.beginTransaction();
      await committed.send([{ topic: 't', key: null, value: 'committed' }]);
      await committed.commit();
      const open1 = await producer.beginTransaction();
      await open1.send([{ topic: 't', key: null, value: 'open' }]);
      const rc = source({ subscribe: 't', startingOffsets: 'earliest', 'kafka.isolation.level': 'read_committed' });
      const ru = source({ subscribe: 't', startingOffsets: 'earliest' });
      await open(rc);
      await open(ru);
      const o0 = await rc.initialOffset();
      const end = await rc.latestOffset(o0, ALL);
      expect(end).toEqual({ t: { '0': 4 } });
      expect(values(await collect(rc.read(o0, end)))).toEqual(['committed']);
      const uEnd = await ru.latestOffset(o0, ALL);
      expect(uEnd).toEqual({ t: { '0': 5 } });
      expect(values(await collect(ru.read(o0, uEnd)))).toEqual(['aborted', 'committed', 'open']);
      await open1.commit();
      const after = await rc.latestOffset(end, ALL);
      expect(after).toEqual({ t: { '0': 6 } });
      expect(values(await collect(rc.read(end, after)))).toEqual(['open']);
      await producer.close();
    });
  });

  describe('the client option', () => {
    it('uses a client object without kafka.bootstrap.servers and never closes it; a factory gets the config and its client is closed', async () => {
      await topicWith('t', [1]);
      const close = jest.spyOn(client, 'close');
      const s = kafka({ client, subscribe: 't', startingOffsets: 'earliest' });
      await open(s);
      expect(await s.latestOffset(await s.initialOffset(), ALL)).toEqual({ t: { '0': 1 } });
      await s.stop();
      expect(close).not.toHaveBeenCalled();

      const configs: KafkaClientConfig[] = [];
      const made: KafkaClient[] = [];
      const factory = (config: KafkaClientConfig): KafkaClient => {
        configs.push(config);
        const c = new MemoryKafkaClient();
        made.push(c);
        return c;
      };
      // With a factory, kafka.bootstrap.servers is still required (the factory is handed it).
      await expectWeirError(() => kafka({ client: factory, subscribe: 't' }), 'MISSING_OPTION');
      const f = kafka({ client: factory, subscribe: 't', 'kafka.bootstrap.servers': 'h1:9092,h2:9092', 'kafka.client.id': 'me' });
      await open(f);
      await f.stop();
      expect(configs).toEqual([expect.objectContaining({ brokers: ['h1:9092', 'h2:9092'], clientId: 'me' })]);
      // Each run makes its own client.
      await open(f);
      expect(made).toHaveLength(2);
    });

    it('closes a factory client on stop', async () => {
      const made = new MemoryKafkaClient();
      const close = jest.spyOn(made, 'close');
      const f = kafka({ client: () => made, subscribe: 't', 'kafka.bootstrap.servers': 'h:1' });
      await open(f);
      await f.stop();
      expect(close).toHaveBeenCalledTimes(1);
    });

    it('rejects a client that is not one (text from the DataFrame face, a bad factory), without printing it', async () => {
      const e = await expectWeirError(() => kafkaSourceFromOptions(new Map([['client', 'my-client'], ['subscribe', 't']])), 'INVALID_ARGUMENT');
      expect(e.context.option).toBe('client');
      expect(`${e.message} ${JSON.stringify(e.context)}`).not.toContain('my-client');
      await expectWeirError(() => kafka({ client: { listTopics: () => [] } as unknown as KafkaClient, subscribe: 't' }), 'INVALID_ARGUMENT');
      const bad = kafka({ client: (() => ({})) as unknown as () => KafkaClient, subscribe: 't', 'kafka.bootstrap.servers': 'h:1' });
      await expectWeirError(() => open(bad), 'INVALID_ARGUMENT');
      opened.pop();
    });

    it('never shows the client or a secret in descriptions, redacted options and errors', async () => {
      const secret = 'hunter2-very-secret';
      const s = kafka({
        client,
        subscribe: 't',
        'kafka.security.protocol': 'SASL_PLAINTEXT',
        'kafka.sasl.jaas.config': `org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="${secret}";`,
      });
      await open(s);
      client.failNext('partitions', Object.assign(new Error(`authentication failed for password ${secret}`), { retriable: true }));
      const e = await expectWeirError(() => s.initialOffset(), 'SOURCE_ERROR');
      expect(e.retriable).toBe(true);
      const redacted = (s as unknown as { redactedOptions: Record<string, unknown> }).redactedOptions;
      const shown = `${e.message} ${JSON.stringify(e.context)} ${s.description} ${JSON.stringify(redacted)}`;
      expect(shown).not.toContain(secret);
      expect(shown).toContain('redacted');
      expect(Object.keys(redacted)).not.toContain('client');
      expect(Object.keys(e.context.options as object)).not.toContain('client');
      expect(shown).not.toContain('MemoryKafkaClient');
    });
  });
});
