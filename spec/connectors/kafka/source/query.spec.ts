/**
 * The Kafka source in running queries (startQuery → memory sink) over a MemoryKafkaClient: restarts from the
 * checkpoint, a crashed batch re-run over exactly its logged range, Trigger.AvailableNow, rate limits, data
 * loss and partitions that appear (spec/kafka/source.spec.ts runs the first ones on a real broker).
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { map } from 'rxjs';
import type { Row } from '../../../../lib/contracts';
import { WeirError } from '../../../../lib/errors';
import { MemoryKafkaClient } from '../../../../connectors/kafka/client/MemoryKafkaClient';
import { startQuery, type StartQueryOptions } from '../../../../lib/query/startQuery';
import { rows } from '../../../../operators';
import { memorySink } from '../../../../connectors/memory/memorySink';
import { kafka, type KafkaRow, type KafkaSourceOptions } from '../../../../connectors/kafka/source';
import { ManualClock } from '../../../support/ManualClock';

let checkpoint: string;
let client: MemoryKafkaClient;
beforeEach(async () => {
  checkpoint = await fs.mkdtemp(path.join(os.tmpdir(), 'weir-kafka-query-'));
  client = new MemoryKafkaClient();
});
afterEach(async () => {
  await fs.rm(checkpoint, { recursive: true, force: true });
});

let sinks = 0;
/** A query kafka → `{ v, p }` → a new memory sink, on the shared checkpoint. */
async function start(options: Omit<KafkaSourceOptions, 'client'>, extra: Partial<Pick<StartQueryOptions, 'trigger' | 'clock' | 'failpoint'>> = {}) {
  const sink = memorySink({ name: `kafka-query-${sinks++}` });
  const q = await startQuery({
    source: kafka({ client, ...options }),
    pipeline: [rows(map((r: KafkaRow) => ({ v: r.value!.toString(), p: r.partition })))],
    sink,
    checkpointLocation: checkpoint,
    ...extra,
  });
  return { q, sink, values: () => sink.rows().map((r: Row) => r.v as string) };
}

const produce = (topic: string, values: string[], partition?: number) =>
  client.produce(values.map((value) => ({ topic, key: null, value, ...(partition === undefined ? {} : { partition }) })));

async function failure(q: { awaitTermination(ms?: number): Promise<boolean> }): Promise<WeirError> {
  const e = await q.awaitTermination(10_000).then(
    () => undefined,
    (err: unknown) => err as WeirError,
  );
  expect(e).toBeInstanceOf(WeirError);
  return (e!.cause ?? e) as WeirError;
}

describe('kafka source in a query (MemoryKafkaClient)', () => {
  it('runs kafka → map → memory in maxOffsetsPerTrigger batches; a restart reads only what came after the last commit', async () => {
    await client.createTopic('t', { partitions: 2 });
    await client.produce(Array.from({ length: 10 }, (_, i) => ({ topic: 't', partition: i % 2, key: null, value: String(i) })));
    const first = await start({ subscribe: 't', startingOffsets: 'earliest', maxOffsetsPerTrigger: 4 });
    await first.q.processAllAvailable();
    expect(first.values().map(Number).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(first.q.recentProgress.filter((p) => p.numInputRows > 0).map((p) => p.numInputRows)).toEqual([4, 4, 2]);
    expect(first.q.lastProgress!.sources[0]!.metrics).toMatchObject({ maxOffsetsBehindLatest: '0', dataLossSkippedOffsets: '0' });
    expect(first.q.lastProgress!.sources[0]!.endOffset).toEqual({ t: { '0': 5, '1': 5 } });
    await first.q.stop();
    await produce('t', ['10'], 0);
    const second = await start({ subscribe: 't', startingOffsets: 'earliest', maxOffsetsPerTrigger: 4 });
    await second.q.processAllAvailable();
    await second.q.stop();
    expect(second.sink.rows()).toEqual([{ v: '10', p: 0 }]);
  });

  it('a batch that crashed after offsets/N is re-run over exactly its logged range, not what arrived since', async () => {
    await client.createTopic('t');
    await produce('t', ['a', 'b', 'c']);
    const crashing = await start(
      { subscribe: 't', startingOffsets: 'earliest' },
      {
        failpoint: (point, batchId) => {
          if (point === 'afterOffsetsWritten' && batchId === 1) throw new Error('injected crash after offsets/1');
        },
      },
    );
    await crashing.q.processAllAvailable();
    await produce('t', ['d', 'e']);
    expect((await failure(crashing.q)).message).toContain('injected crash');
    const logged = JSON.parse((await fs.readFile(path.join(checkpoint, 'offsets', '1'), 'utf8')).split('\n')[2]!) as unknown;
    expect(logged).toEqual({ t: { '0': 5 } });
    // More records arrive before the restart: batch 1 stays [3, 5), the new ones come in batch 2.
    await produce('t', ['f', 'g']);
    const restarted = await start({ subscribe: 't', startingOffsets: 'earliest' });
    await restarted.q.processAllAvailable();
    await restarted.q.stop();
    const progress = restarted.q.recentProgress.filter((p) => p.numInputRows > 0);
    expect(progress.map((p) => [p.batchId, p.numInputRows])).toEqual([
      [1, 2],
      [2, 2],
    ]);
    expect(restarted.values()).toEqual(['d', 'e', 'f', 'g']);
  });

  it('Trigger.AvailableNow reads what is there at start, in maxOffsetsPerTrigger batches, then stops', async () => {
    await client.createTopic('t');
    await produce('t', Array.from({ length: 10 }, (_, i) => String(i)));
    const { q, values } = await start({ subscribe: 't', startingOffsets: 'earliest', maxOffsetsPerTrigger: 4 }, { trigger: { availableNow: true } });
    expect(await q.awaitTermination(10_000)).toBe(true);
    expect(values()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(q.recentProgress.map((p) => p.numInputRows)).toEqual([4, 4, 2]);
  });

  it('Trigger.AvailableNow with endingTimestamp and minPartitions reads what is before the time, then stops', async () => {
    const T0 = 1_700_000_000_000;
    await client.createTopic('t');
    await client.produce(Array.from({ length: 6 }, (_, i) => ({ topic: 't', key: null, value: `v${i}`, timestamp: T0 + i * 1000 })));
    const { q, values } = await start(
      { subscribe: 't', startingOffsets: 'earliest', endingTimestamp: T0 + 3000, maxOffsetsPerTrigger: 2, minPartitions: 2 },
      { trigger: { availableNow: true } },
    );
    expect(await q.awaitTermination(10_000)).toBe(true);
    expect(values()).toEqual(['v0', 'v1', 'v2']);
    expect(q.recentProgress.map((p) => p.numInputRows)).toEqual([2, 1]);
    expect(q.recentProgress.map((p) => p.sources[0]!.metrics.offsetRanges)).toEqual(['2', '1']);
  });

  it('minOffsetsPerTrigger holds batches back until enough records or maxTriggerDelay (manual clock)', async () => {
    await client.createTopic('t');
    const clock = new ManualClock(1_000_000);
    const { q, values } = await start({ subscribe: 't', startingOffsets: 'earliest', minOffsetsPerTrigger: 3, maxTriggerDelay: '10s' }, { clock });
    await produce('t', ['a', 'b', 'c']);
    await q.processAllAvailable();
    expect(values()).toEqual(['a', 'b', 'c']);
    await produce('t', ['d']);
    clock.advance(1000);
    await q.processAllAvailable();
    expect(values()).toEqual(['a', 'b', 'c']);
    clock.advance(9000);
    await q.processAllAvailable();
    expect(values()).toEqual(['a', 'b', 'c', 'd']);
    await q.stop();
  });

  it('data loss: deleted records fail the query with KAFKA_DATA_LOSS, or are skipped and counted with failOnDataLoss=false', async () => {
    await client.createTopic('t');
    await produce('t', ['0', '1', '2', '3', '4']);
    const base = checkpoint;
    const at = (f: boolean) => path.join(base, String(f));
    // Both queries commit offset 5, then records 5..11 arrive and 0..9 are deleted below the committed offset.
    for (const f of [true, false]) {
      checkpoint = at(f);
      const { q } = await start({ subscribe: 't', startingOffsets: 'earliest', failOnDataLoss: f });
      await q.processAllAvailable();
      await q.stop();
    }
    await produce('t', ['5', '6', '7', '8', '9', '10', '11']);
    await client.deleteRecords({ topic: 't', partition: 0 }, 10);

    checkpoint = at(true);
    const strict = await start({ subscribe: 't', startingOffsets: 'earliest', failOnDataLoss: true });
    const e = await failure(strict.q);
    expect(e.code).toBe('KAFKA_DATA_LOSS');
    expect(e.context).toMatchObject({ topic: 't', partition: 0, fromOffset: 5, availableFrom: 10 });

    checkpoint = at(false);
    const lenient = await start({ subscribe: 't', startingOffsets: 'earliest', failOnDataLoss: false });
    await lenient.q.processAllAvailable();
    expect(lenient.values()).toEqual(['10', '11']);
    expect(lenient.q.lastProgress!.sources[0]!.metrics.dataLossSkippedOffsets).toBe('5');
    await lenient.q.stop();
    checkpoint = base;
  });

  it('a topic deleted under a running query: KAFKA_DATA_LOSS, or with failOnDataLoss=false it goes on with the re-created topic', async () => {
    await client.createTopic('t');
    await produce('t', ['a', 'b']);
    const strict = await start({ subscribe: 't', startingOffsets: 'earliest' });
    await strict.q.processAllAvailable();
    await client.deleteTopic('t');
    await client.createTopic('other');
    await produce('other', ['wake']);
    // The next trigger sees the topic gone.
    const e = await failure(strict.q);
    expect(e.code).toBe('KAFKA_DATA_LOSS');
    expect(e.context).toMatchObject({ topic: 't', partition: 0 });

    await fs.rm(checkpoint, { recursive: true, force: true });
    await client.createTopic('t');
    await produce('t', ['a', 'b']);
    const lenient = await start({ subscribe: 't', startingOffsets: 'earliest', failOnDataLoss: 'false' });
    await lenient.q.processAllAvailable();
    await client.deleteTopic('t');
    await lenient.q.processAllAvailable();
    await client.createTopic('t');
    await produce('t', ['reborn']);
    await lenient.q.processAllAvailable();
    await lenient.q.stop();
    expect(lenient.values()).toEqual(['a', 'b', 'reborn']);
  });

  it('partitions added to a subscribed topic are read from their start', async () => {
    await client.createTopic('t');
    await produce('t', ['p0-a']);
    const { q, sink } = await start({ subscribe: 't', startingOffsets: 'latest' });
    await q.processAllAvailable();
    await client.createPartitions('t', 3);
    await produce('t', ['p1-a', 'p1-b'], 1);
    await produce('t', ['p2-a'], 2);
    await produce('t', ['p0-b'], 0);
    await q.processAllAvailable();
    await q.stop();
    expect(sink.rows()).toEqual([
      { v: 'p0-b', p: 0 },
      { v: 'p1-a', p: 1 },
      { v: 'p1-b', p: 1 },
      { v: 'p2-a', p: 2 },
    ]);
  });
});
