/**
 * The Kafka source options Spark has beyond the basics: minPartitions (read ranges), groupIdPrefix and
 * kafka.group.id (accepted, no consumer group), endingTimestamp / endingOffsetsByTimestamp. Real broker. (Their
 * validation and the range arithmetic, which need none, are in spec/connectors/kafka/source/options.spec.ts.)
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { firstValueFrom, map, toArray, type Observable } from 'rxjs';
import type { ReadLimit, Source } from '../../lib/contracts';
import { startQuery } from '../../lib/query/startQuery';
import { rows } from '../../operators';
import { memorySink } from '../../connectors/memory/memorySink';
import { CUSTOM_GROUP_ID_WARNING, kafka, type KafkaRow } from '../../connectors/kafka/source';
import { expectWeirError } from '../support/expectWeirError';
import { ManualClock } from '../support/ManualClock';
import { brokers, testClient, uniqueTopic } from './support/kafka';
import { produce } from './support/produce';

const ALL: ReadLimit = { kind: 'all' };
const T0 = 1_700_000_000_000;
const client = testClient();
afterAll(() => client.close());

function collect<T>(o: Observable<T>): Promise<T[]> {
  return firstValueFrom(o.pipe(toArray()));
}

let dir: string;
const opened: Source<KafkaRow>[] = [];
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'weir-kafka-options-'));
});
afterEach(async () => {
  for (const s of opened.splice(0)) await s.stop();
  await fs.rm(dir, { recursive: true, force: true });
});

async function open(source: Source<KafkaRow>): Promise<void> {
  const metadataPath = path.join(dir, 'sources', String(opened.length));
  await fs.mkdir(metadataPath, { recursive: true });
  await source.open({ metadataPath, sourceIndex: 0, clock: new ManualClock(1_000_000), notifyDataAvailable: () => {} });
  opened.push(source);
}

/** A topic whose partition p holds `counts[p]` records `v<p>-<i>` with timestamps T0 + i·1000. */
async function topicWith(counts: number[]): Promise<string> {
  const topic = uniqueTopic('opt');
  await client.createTopic(topic, { partitions: counts.length });
  await produce(
    client,
    counts.flatMap((n, p) => Array.from({ length: n }, (_, i) => ({ topic, partition: p, key: null, value: `v${p}-${i}`, timestamp: T0 + i * 1000 }))),
  );
  return topic;
}

const values = (rs: KafkaRow[]): string[] => rs.map((r) => r.value!.toString());

describe('minPartitions (Spark\'s KafkaOffsetRangeCalculator)', () => {
  it('reads a batch in about minPartitions concurrent ranges, the same rows in the same order, with and without read-ahead', async () => {
    const topic = await topicWith([20, 2]);
    const options = { 'kafka.bootstrap.servers': brokers(), subscribe: topic, startingOffsets: 'earliest', maxOffsetsPerTrigger: 11 };
    const plain = kafka(options);
    const split = kafka({ ...options, minPartitions: '4' });
    await open(plain);
    await open(split);
    const o0 = await split.initialOffset();
    expect(await plain.initialOffset()).toEqual(o0);
    // 11 of 22 in proportion: 10 of partition 0, 1 of partition 1.
    const o1 = await split.latestOffset(o0, split.defaultReadLimit!());
    expect(o1).toEqual({ [topic]: { '0': 10, '1': 1 } });
    const a1 = await collect(split.read(o0, o1));
    expect(values(a1)).toEqual(values(await collect(plain.read(o0, o1))));
    expect(values(a1)).toEqual([...Array.from({ length: 10 }, (_, i) => `v0-${i}`), 'v1-0']);
    // 10 and 1 of 11 for 4 ranges: partition 1 stays whole, partition 0 is read as [0,3), [3,6), [6,10).
    expect(split.metrics!(o1).offsetRanges).toBe('4');
    expect(plain.metrics!(o1).offsetRanges).toBe('2');
    // The second batch is served (in part) by the read-ahead the first one started.
    const o2 = await split.latestOffset(o1, ALL);
    expect(o2).toEqual({ [topic]: { '0': 20, '1': 2 } });
    const a2 = await collect(split.read(o1, o2));
    expect(values(a2)).toEqual([...Array.from({ length: 10 }, (_, i) => `v0-${10 + i}`), 'v1-1']);
    expect(values(a2)).toEqual(values(await collect(plain.read(o1, o2))));
    expect(split.metrics!(o2).offsetRanges).toBe('4');
  });
});

describe('groupIdPrefix and kafka.group.id', () => {
  it('accepts kafka.group.id with Spark\'s warning (groupIdPrefix then ignored) and never uses the group', async () => {
    const topic = await topicWith([3]);
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const group = uniqueTopic('group');
      const source = kafka({
        'kafka.bootstrap.servers': brokers(),
        subscribe: topic,
        startingOffsets: 'earliest',
        'kafka.group.id': group,
        groupIdPrefix: 'mine',
      });
      expect(warn.mock.calls.map((c) => c[0])).toEqual([
        CUSTOM_GROUP_ID_WARNING,
        'Option groupIdPrefix will be ignored as option kafka.group.id has been set.',
      ]);
      await open(source);
      const o0 = await source.initialOffset();
      const o1 = await source.latestOffset(o0, ALL);
      expect(values(await collect(source.read(o0, o1)))).toEqual(['v0-0', 'v0-1', 'v0-2']);
      await source.commit(o1);
      // No offsets were committed for the group (weir joins and commits to no consumer group).
      expect(await client.groupOffset(group, { topic, partition: 0 })).toBe(-1);
      warn.mockClear();
      kafka({ 'kafka.bootstrap.servers': brokers(), subscribe: topic, groupIdPrefix: 'mine' });
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });
});

describe('endingTimestamp and endingOffsetsByTimestamp', () => {
  it('endingTimestamp caps every partition at the first offset whose timestamp is >= it, and wins over endingOffsets', async () => {
    const topic = await topicWith([5, 5]);
    const source = kafka({
      'kafka.bootstrap.servers': brokers(),
      subscribe: topic,
      startingOffsets: 'earliest',
      endingTimestamp: String(T0 + 2500),
      endingOffsets: { [topic]: { '0': 1, '1': 1 } },
    });
    await open(source);
    const o0 = await source.initialOffset();
    const o1 = await source.latestOffset(o0, ALL);
    expect(o1).toEqual({ [topic]: { '0': 3, '1': 3 } });
    expect(values(await collect(source.read(o0, o1)))).toEqual(['v0-0', 'v0-1', 'v0-2', 'v1-0', 'v1-1', 'v1-2']);
    await produce(client, [{ topic, partition: 0, key: null, value: 'late', timestamp: T0 }]);
    expect(await source.latestOffset(o1, ALL)).toEqual(o1);
  });

  it('endingOffsetsByTimestamp: per partition; no matching record yet = latest, until one arrives', async () => {
    const topic = await topicWith([5, 5]);
    const source = kafka({
      'kafka.bootstrap.servers': brokers(),
      subscribe: topic,
      startingOffsets: 'earliest',
      endingOffsetsByTimestamp: JSON.stringify({ [topic]: { '0': T0 + 1000, '1': T0 + 60_000 } }),
    });
    await open(source);
    const o0 = await source.initialOffset();
    const o1 = await source.latestOffset(o0, ALL);
    expect(o1).toEqual({ [topic]: { '0': 1, '1': 5 } });
    // Partition 1: a record before the time is still read; the first one at or after it ends the partition.
    await produce(client, [{ topic, partition: 1, key: null, value: 'early', timestamp: T0 + 59_000 }]);
    const o2 = await source.latestOffset(o1, ALL);
    expect(o2).toEqual({ [topic]: { '0': 1, '1': 6 } });
    await produce(client, [
      { topic, partition: 1, key: null, value: 'at', timestamp: T0 + 60_000 },
      { topic, partition: 1, key: null, value: 'before-but-after-the-end', timestamp: T0 },
    ]);
    expect(await source.latestOffset(o2, ALL)).toEqual(o2);
    expect(values(await collect(source.read(o0, o2)))).toEqual(['v0-0', 'v1-0', 'v1-1', 'v1-2', 'v1-3', 'v1-4', 'early']);
  });

  it('a partition without an ending timestamp fails with INVALID_ARGUMENT; an end before the start reads nothing', async () => {
    const topic = await topicWith([5, 5]);
    const missing = kafka({
      'kafka.bootstrap.servers': brokers(),
      subscribe: topic,
      startingOffsets: 'earliest',
      endingOffsetsByTimestamp: { [topic]: { '0': T0 } },
    });
    await open(missing);
    const o0 = await missing.initialOffset();
    const e = await expectWeirError(() => missing.latestOffset(o0, ALL), 'INVALID_ARGUMENT');
    expect(e.context).toMatchObject({ option: 'endingOffsetsByTimestamp', topic, partition: 1 });
    const crossed = kafka({
      'kafka.bootstrap.servers': brokers(),
      subscribe: topic,
      startingTimestamp: T0 + 4000,
      endingTimestamp: T0 + 1000,
    });
    await open(crossed);
    const s0 = await crossed.initialOffset();
    expect(s0).toEqual({ [topic]: { '0': 4, '1': 4 } });
    expect(await crossed.latestOffset(s0, ALL)).toEqual(s0);
  });

  it('Trigger.AvailableNow with endingTimestamp reads what is before the time, then stops', async () => {
    const topic = await topicWith([6]);
    const checkpoint = await fs.mkdtemp(path.join(os.tmpdir(), 'weir-kafka-end-ts-'));
    try {
      const sink = memorySink({ name: 'ending-timestamp' });
      const q = await startQuery({
        source: kafka({
          'kafka.bootstrap.servers': brokers(),
          subscribe: topic,
          startingOffsets: 'earliest',
          endingTimestamp: T0 + 3000,
          maxOffsetsPerTrigger: 2,
          minPartitions: 2,
        }),
        pipeline: [rows(map((r: KafkaRow) => ({ v: r.value!.toString() })))],
        sink,
        checkpointLocation: checkpoint,
        queryName: 'ending-timestamp',
        trigger: { availableNow: true },
      });
      expect(await q.awaitTermination(30_000)).toBe(true);
      expect(sink.rows().map((r) => r.v)).toEqual(['v0-0', 'v0-1', 'v0-2']);
      expect(q.recentProgress.map((p) => p.numInputRows)).toEqual([2, 1]);
      expect(q.recentProgress.map((p) => p.sources[0]!.metrics.offsetRanges)).toEqual(['2', '1']);
    } finally {
      await fs.rm(checkpoint, { recursive: true, force: true });
    }
  });
});
