/**
 * The seed's Kafka-to-Kafka pipeline on the RxJS face: JSON orders from one topic are parsed (Spark's
 * `from_json(value, schema)`, malformed records become null and are dropped), transformed, encoded back
 * (`to_json(struct("*"))`) and routed by a `topic` column (`when(amount > 1000, "high_value_orders")
 * .otherwise("regular_orders")`), exactly once.
 *
 * Run against a broker: KAFKA_BROKERS=127.0.0.1:9092 node -r @swc-node/register examples/kafka-to-kafka.ts
 */
import { filter, map } from 'rxjs';
import { startQuery } from '../lib/query/startQuery';
import type { StreamingQuery } from '../lib/query/StreamingQuery';
import { rows } from '../operators';
import { kafkaSink } from '../connectors/kafka/sink';
import { kafka, type KafkaRow } from '../connectors/kafka/source';

/** One order as the input topic carries it (the `from_json` schema). */
export interface Order {
  order_id: string;
  customer: string;
  amount: number;
}

/** Spark's `from_json` in PERMISSIVE mode: the struct, or null for a malformed record. */
export function fromJson(value: Buffer | null): Order | null {
  if (value === null) return null;
  try {
    const v = JSON.parse(value.toString()) as Partial<Order>;
    if (typeof v !== 'object' || v === null) return null;
    return {
      order_id: typeof v.order_id === 'string' ? v.order_id : String(v.order_id ?? ''),
      customer: typeof v.customer === 'string' ? v.customer : '',
      amount: typeof v.amount === 'number' ? v.amount : Number.NaN,
    };
  } catch {
    return null;
  }
}

/** Options of {@link startKafkaToKafka}. */
export interface KafkaToKafkaOptions {
  brokers: string;
  inputTopic: string;
  highValueTopic?: string;
  regularTopic?: string;
  checkpointLocation: string;
}

/** Starts the pipeline; returns the query handle. */
export function startKafkaToKafka(options: KafkaToKafkaOptions): Promise<StreamingQuery> {
  const { brokers, inputTopic, highValueTopic = 'high_value_orders', regularTopic = 'regular_orders' } = options;
  return startQuery({
    source: kafka({ 'kafka.bootstrap.servers': brokers, subscribe: inputTopic, startingOffsets: 'earliest' }),
    pipeline: [
      rows(map((r: KafkaRow) => fromJson(r.value))),
      rows(filter((o: Order | null): o is Order => o !== null && Number.isFinite(o.amount))),
      // The transformation: amounts in cents, a tier.
      rows(map((o: Order) => ({ ...o, amount_cents: Math.round(o.amount * 100), tier: o.amount > 1000 ? 'high' : 'regular' }))),
      // withColumn("topic", when(...).otherwise(...)), select(col("order_id").alias("key"), to_json(struct("*")).alias("value"))
      rows(
        map((o: Order & { amount_cents: number; tier: string }) => ({
          topic: o.amount > 1000 ? highValueTopic : regularTopic,
          key: o.order_id,
          value: JSON.stringify(o),
        })),
      ),
    ],
    sink: kafkaSink({ 'kafka.bootstrap.servers': brokers, deliveryGuarantee: 'exactly-once' }),
    checkpointLocation: options.checkpointLocation,
    queryName: 'kafka_to_kafka',
  });
}

if (require.main === module) {
  const brokers = process.env.KAFKA_BROKERS;
  if (!brokers) {
    process.stderr.write('Set KAFKA_BROKERS=host:port (e.g. from `node -r @swc-node/register tools/kafka/broker.ts`)\n');
    process.exit(1);
  }
  void startKafkaToKafka({ brokers, inputTopic: process.env.INPUT_TOPIC ?? 'orders', checkpointLocation: process.env.CHECKPOINT ?? '.cache/kafka-to-kafka' })
    .then(async (q) => {
      await q.processAllAvailable();
      process.stdout.write(`${JSON.stringify(q.lastProgress)}\n`);
      await q.stop();
    })
    .catch((e: unknown) => {
      process.stderr.write(`${(e as Error).stack}\n`);
      process.exit(1);
    });
}
