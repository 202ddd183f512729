/**
 * Kafka → filter/map → Kafka throughput (issue #6), on a real single-node broker started here (or KAFKA_BROKERS).
 *
 * Three contenders read the same input topic (MESSAGES JSON records, PARTITIONS partitions), keep 3 of 4 records,
 * map them to a new JSON value, and write them to their own output topic:
 * 1. baseline: a plain kafkajs loop (consumer group `eachBatch` → `producer.sendBatch`, acks=all, idempotent);
 * 2. weir exactly-once: `kafka()` source → `rows(filter)`, `rows(map)` → `kafkaSink({ deliveryGuarantee:
 *    'exactly-once' })` (one Kafka transaction per micro-batch), with a real checkpoint folder;
 * 3. weir at-least-once: the same query with the default sink.
 * Each run is timed from start to the moment every output record is acknowledged; runs alternate, RUNS each, and
 * the median is reported. The output topic is checked to hold exactly the expected number of records.
 *
 * Run: node -r @swc-node/register bench/kafka-throughput.ts   (env: MESSAGES=200000 PARTITIONS=2 RUNS=3
 *      MAX_OFFSETS=50000|none KAFKA_BROKERS=host:port)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { filter, map } from 'rxjs';
import { Kafka, logLevel } from 'kafkajs';
import { startQuery } from '../lib/query/startQuery';
import { rows } from '../operators';
import { kafkaSink } from '../connectors/kafka/sink';
import { kafka, type KafkaRow } from '../connectors/kafka/source';
import { kafkajsClient } from '../connectors/kafka/client/KafkajsClient';
import { startKafkaBroker, type KafkaBroker } from '../tools/kafka/broker';
import { median } from './support/stats';

const MESSAGES = Number(process.env.MESSAGES ?? 200_000);
const PARTITIONS = Number(process.env.PARTITIONS ?? 2);
const RUNS = Number(process.env.RUNS ?? 3);
/** maxOffsetsPerTrigger of weir's source; `none` leaves it unset (Spark's default: the whole backlog in one batch). */
const MAX_OFFSETS = process.env.MAX_OFFSETS === 'none' ? undefined : Number(process.env.MAX_OFFSETS ?? 50_000);

interface Event {
  id: number;
  user: string;
  amount: number;
}
const keep = (e: Event): boolean => e.id % 4 !== 0;
const transform = (e: Event): { key: string; value: string } => ({
  key: e.user,
  value: JSON.stringify({ id: e.id, user: e.user, amountCents: Math.round(e.amount * 100), big: e.amount > 500 }),
});
const EXPECTED = Array.from({ length: MESSAGES }, (_, i) => i).filter((i) => i % 4 !== 0).length;


async function countRecords(brokers: string, topic: string): Promise<number> {
  const client = kafkajsClient({ brokers: [brokers] });
  try {
    const tps = await client.partitions([topic]);
    // read_committed: an exactly-once run's records count only once committed.
    const ends = await client.latestOffsets(tps, 'read_committed');
    let n = 0;
    for (let i = 0; i < tps.length; i += 1) n += (await client.fetchRange(tps[i]!, 0, ends[i]!, 'read_committed')).records.length;
    return n;
  } finally {
    await client.close();
  }
}

/** Baseline times from its first fetched batch (group join excluded), one per run. */
const baselineSteady: number[] = [];

async function baseline(brokers: string, input: string, output: string): Promise<number> {
  const kafkaJs = new Kafka({ clientId: 'bench-baseline', brokers: [brokers], logLevel: logLevel.NOTHING });
  const consumer = kafkaJs.consumer({ groupId: `bench-${output}`, maxBytes: 16 * 1024 * 1024 });
  const producer = kafkaJs.producer({ idempotent: true, maxInFlightRequests: 1 });
  const t0 = performance.now();
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topic: input, fromBeginning: true });
  let consumed = 0;
  let tFirst: number | undefined;
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        autoCommit: true,
        eachBatch: async ({ batch }) => {
          tFirst ??= performance.now();
          const out = [];
          for (const m of batch.messages) {
            const e = JSON.parse(m.value!.toString()) as Event;
            if (keep(e)) out.push(transform(e));
          }
          // Requests of 1000 records, as weir's sink cuts them (connectors/kafka/client/produceChunks.ts): under the broker's
          // 1 MiB record-batch limit, and kafkajs's per-request grouping costs CPU quadratic in the record count,
          // so the baseline gets the same advantage (it sent 4000 per request before 2026-11-22).
          for (let i = 0; i < out.length; i += 1000) {
            await producer.sendBatch({ acks: -1, topicMessages: [{ topic: output, messages: out.slice(i, i + 1000) }] });
          }
          consumed += batch.messages.length;
          if (process.env.BENCH_DEBUG) process.stderr.write(`baseline consumed ${consumed}\n`);
          if (consumed >= MESSAGES) resolve();
        },
      })
      .catch(reject);
  });
  const ms = performance.now() - t0;
  baselineSteady.push(performance.now() - tFirst!);
  await consumer.disconnect();
  await producer.disconnect();
  return ms;
}

async function weir(brokers: string, input: string, output: string, exactlyOnce: boolean): Promise<number> {
  const checkpoint = mkdtempSync(path.join(tmpdir(), 'weir-bench-kafka-'));
  try {
    const t0 = performance.now();
    const query = await startQuery({
      source: kafka({ 'kafka.bootstrap.servers': brokers, subscribe: input, startingOffsets: 'earliest', ...(MAX_OFFSETS === undefined ? {} : { maxOffsetsPerTrigger: MAX_OFFSETS }) }),
      pipeline: [
        rows(map((r: KafkaRow) => JSON.parse(r.value!.toString()) as Event)),
        rows(filter(keep)),
        rows(map(transform)),
      ],
      sink: kafkaSink({
        'kafka.bootstrap.servers': brokers,
        topic: output,
        deliveryGuarantee: exactlyOnce ? 'exactly-once' : 'at-least-once',
      }),
      checkpointLocation: checkpoint,
    });
    await query.processAllAvailable();
    const ms = performance.now() - t0;
    await query.stop();
    return ms;
  } finally {
    rmSync(checkpoint, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  let broker: KafkaBroker | undefined;
  const brokers = process.env.KAFKA_BROKERS ?? (broker = await startKafkaBroker()).brokers;
  try {
    const client = kafkajsClient({ brokers: [brokers] });
    const input = `bench-in-${Date.now()}`;
    await client.createTopic(input, { partitions: PARTITIONS });
    const producer = client.producer();
    const users = ['ann', 'bob', 'cyd', 'dee', 'eve', 'fay', 'gus', 'hal'];
    for (let i = 0; i < MESSAGES; i += 20_000) {
      const chunk = [];
      for (let j = i; j < Math.min(MESSAGES, i + 20_000); j += 1) {
        const e: Event = { id: j, user: users[j % users.length]!, amount: (j * 7919) % 1000 };
        chunk.push({ topic: input, partition: j % PARTITIONS, key: e.user, value: JSON.stringify(e) });
      }
      await producer.send(chunk);
    }
    await producer.close();
    await client.close();
    process.stdout.write(`input: ${MESSAGES} records in ${input} (${PARTITIONS} partitions); expected output ${EXPECTED}\n`);

    const times: Record<string, number[]> = { baseline: [], exactlyOnce: [], atLeastOnce: [] };
    for (let run = 0; run < RUNS; run += 1) {
      for (const kind of ['baseline', 'exactlyOnce', 'atLeastOnce'] as const) {
        const output = `bench-out-${kind}-${run}-${Date.now()}`;
        const kc = kafkajsClient({ brokers: [brokers] });
        await kc.createTopic(output, { partitions: PARTITIONS });
        await kc.close();
        const ms =
          kind === 'baseline'
            ? await baseline(brokers, input, output)
            : await weir(brokers, input, output, kind === 'exactlyOnce');
        const n = await countRecords(brokers, output);
        if (n !== EXPECTED) throw new Error(`${kind} run ${run}: ${n} output records, expected ${EXPECTED}`);
        times[kind]!.push(ms);
        process.stdout.write(`run ${run} ${kind}: ${ms.toFixed(0)} ms, ${((MESSAGES / ms) * 1000).toFixed(0)} msgs/s\n`);
      }
    }
    const rate = (kind: string): number => (MESSAGES / median(times[kind]!)) * 1000;
    const b = rate('baseline');
    const eo = rate('exactlyOnce');
    const alo = rate('atLeastOnce');
    process.stdout.write(
      `\nmedian of ${RUNS} (input msgs/s, start to last ack):\n` +
        `  plain kafkajs loop:  ${b.toFixed(0)}\n` +
        `  plain kafkajs loop, from its first fetched batch (group join excluded): ${((MESSAGES / median(baselineSteady)) * 1000).toFixed(0)}\n` +
        `  weir exactly-once:   ${eo.toFixed(0)}  (ratio ${(eo / b).toFixed(2)})\n` +
        `  weir at-least-once:  ${alo.toFixed(0)}  (ratio ${(alo / b).toFixed(2)})\n`,
    );
  } finally {
    await broker?.stop();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(1);
});
