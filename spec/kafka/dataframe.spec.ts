import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Session } from '../../lib/sql/dataframe/Session';
import { col, from_json, struct, to_json, when } from '../../lib/sql/functions';
import { kafkaSinkFromOptions } from '../../connectors/kafka/sink';
import { kafkaSourceFromOptions } from '../../connectors/kafka/source';
import { testBatchInfo, testSinkContext } from '../support/sinkContract';
import { brokers, testClient, uniqueTopic } from './support/kafka';
import { produce, readTopic } from './support/produce';

describe('the seed pipeline on the DataFrame face (from_json → transform → to_json(struct(...)), topic column)', () => {
  const client = testClient();
  afterAll(() => client.close());

  it('runs Kafka → DataFrame → Kafka exactly-once through foreachBatch and the sink factories', async () => {
    const input = uniqueTopic('df-orders');
    const high = uniqueTopic('df-high');
    const regular = uniqueTopic('df-regular');
    await client.createTopic(input);
    await produce(client, [
      { topic: input, key: null, value: JSON.stringify({ order_id: 'o1', amount: 50 }) },
      { topic: input, key: null, value: JSON.stringify({ order_id: 'o2', amount: 1500 }) },
    ]);
    const session = Session.builder().appName('kafka-df').getOrCreate();
    const { source, schema } = kafkaSourceFromOptions(
      new Map([
        ['kafka.bootstrap.servers', brokers()],
        ['subscribe', input],
        ['startingOffsets', 'earliest'],
      ]),
    );
    const orders = session
      .streamingDataFrame(source, schema)
      .select(from_json(col('value').cast('string'), 'order_id STRING, amount DOUBLE').alias('o'))
      // Fields named one by one here; the test below uses the seed's `data.*` and `struct("*")`.
      .select(col('o.order_id').alias('order_id'), col('o.amount').alias('amount'))
      .withColumn('topic', when(col('amount').gt(1000), high).otherwise(regular))
      .select(col('topic'), col('order_id').alias('key'), to_json(struct('order_id', 'amount')).alias('value'));
    const sink = kafkaSinkFromOptions(new Map([['kafka.bootstrap.servers', brokers()], ['deliveryGuarantee', 'exactly-once']]));
    await sink.open(testSinkContext({ queryId: randomUUID() }));
    const checkpoint = mkdtempSync(path.join(tmpdir(), 'weir-kafka-df-'));
    try {
      const q = await orders.writeStream
        .foreachBatch(async (df, batchId) => sink.addBatch(batchId, await df.collect(), testBatchInfo(batchId)))
        .option('checkpointLocation', checkpoint)
        .start();
      await q.processAllAvailable();
      await q.stop();
    } finally {
      await sink.close();
      rmSync(checkpoint, { recursive: true, force: true });
    }
    expect((await readTopic(client, high)).map((r) => [r.key, JSON.parse(r.value!)])).toEqual([['o2', { order_id: 'o2', amount: 1500 }]]);
    expect((await readTopic(client, regular)).map((r) => [r.key, JSON.parse(r.value!)])).toEqual([['o1', { order_id: 'o1', amount: 50 }]]);
    await session.stop();
  });

  it("runs the same pipeline through readStream.format('kafka') and writeStream.format('kafka'), exactly once across a restart", async () => {
    const input = uniqueTopic('df2-orders');
    const high = uniqueTopic('df2-high');
    const regular = uniqueTopic('df2-regular');
    await client.createTopic(input);
    const session = Session.builder().appName('kafka-df-formats').getOrCreate();
    const checkpoint = mkdtempSync(path.join(tmpdir(), 'weir-kafka-df2-'));
    const run = async () => {
      const orders = session.readStream
        .format('kafka')
        .option('kafka.bootstrap.servers', brokers())
        .option('subscribe', input)
        .option('startingOffsets', 'earliest')
        .load()
        // The seed's pipeline, only the syntax changed: select("data.*"), to_json(struct("*")), a topic column.
        .select(from_json(col('value').cast('string'), 'order_id STRING, amount DOUBLE').alias('data'))
        .select('data.*');
      const output = orders
        .select(col('order_id').alias('key'), to_json(struct('*')).alias('value'), when(col('amount').gt(1000), high).otherwise(regular).alias('topic'));
      const q = await output.writeStream
        .format('kafka')
        .option('kafka.bootstrap.servers', brokers())
        .option('deliveryGuarantee', 'exactly-once')
        .option('checkpointLocation', checkpoint)
        .start();
      await q.processAllAvailable();
      await q.stop();
    };
    try {
      await produce(client, [
        { topic: input, key: null, value: JSON.stringify({ order_id: 'o1', amount: 50 }) },
        { topic: input, key: null, value: JSON.stringify({ order_id: 'o2', amount: 1500 }) },
      ]);
      await run();
      await produce(client, [{ topic: input, key: null, value: JSON.stringify({ order_id: 'o3', amount: 2000 }) }]);
      await run();
    } finally {
      rmSync(checkpoint, { recursive: true, force: true });
      await session.stop();
    }
    expect((await readTopic(client, high)).map((r) => r.key)).toEqual(['o2', 'o3']);
    expect((await readTopic(client, regular)).map((r) => [r.key, JSON.parse(r.value!)])).toEqual([['o1', { order_id: 'o1', amount: 50 }]]);
  });
});
