/**
 * `session.read.format('kafka')` on the real broker: Spark's batch read (startingOffsets earliest and
 * endingOffsets latest by default, JSON offsets as bounds, Spark's rules for `latest` / `earliest`).
 */
import { Session } from '../../lib/sql/dataframe/Session';
import { col } from '../../lib/sql/functions';
import { expectWeirError } from '../support/expectWeirError';
import { brokers, testClient, uniqueTopic } from './support/kafka';
import { produce } from './support/produce';

describe("session.read.format('kafka')", () => {
  const client = testClient();
  const session = Session.builder().appName('kafka-batch-read').getOrCreate();
  afterAll(async () => {
    await client.close();
    await session.stop();
  });

  it('reads every record from earliest to latest by default; JSON ending offsets bound it; each action reads again', async () => {
    const topic = uniqueTopic('batch-read');
    await client.createTopic(topic, { partitions: 2 });
    await produce(
      client,
      [0, 1, 2, 3, 4, 5].map((i) => ({ topic, partition: i % 2, key: `k${i}`, value: `v${i}` })),
    );
    const all = session.read.format('kafka').option('kafka.bootstrap.servers', brokers()).option('subscribe', topic).load();
    expect(all.schema.fieldNames()).toEqual(['key', 'value', 'topic', 'partition', 'offset', 'timestamp', 'timestampType']);
    const values = async (df: typeof all): Promise<string[]> =>
      (await df.select(col('value').cast('string').alias('v')).collect()).map((r) => r.v as string).sort();
    expect(await values(all)).toEqual(['v0', 'v1', 'v2', 'v3', 'v4', 'v5']);

    // Partition 0 from offset 1 up to (excluding) 3, partition 1 from its start up to 1.
    const bounded = session.read
      .format('kafka')
      .option('kafka.bootstrap.servers', brokers())
      .option('subscribe', topic)
      .option('startingOffsets', JSON.stringify({ [topic]: { 0: 1, 1: -2 } }))
      .option('endingOffsets', JSON.stringify({ [topic]: { 0: 3, 1: 1 } }))
      .load();
    expect(await values(bounded)).toEqual(['v1', 'v2', 'v4']);

    // The relation is read per action: a record produced now is seen by the next action of `all`.
    await produce(client, [{ topic, partition: 0, key: 'k6', value: 'v6' }]);
    expect(await all.count()).toBe(7);
  });

  it("rejects Spark's impossible batch bounds at load(), with Spark's messages", async () => {
    const reader = () => session.read.format('kafka').option('kafka.bootstrap.servers', brokers()).option('subscribe', 'any');
    const e1 = await expectWeirError(() => reader().option('startingOffsets', 'latest').load(), 'INVALID_ARGUMENT');
    expect(e1.message).toBe("starting offset can't be latest for batch queries on Kafka");
    const e2 = await expectWeirError(() => reader().option('endingOffsets', 'earliest').load(), 'INVALID_ARGUMENT');
    expect(e2.message).toBe("ending offset can't be earliest for batch queries on Kafka");
    const e3 = await expectWeirError(() => reader().option('startingOffsets', '{"any":{"0":-1}}').load(), 'INVALID_ARGUMENT');
    expect(e3.message).toBe("startingOffsets for any-0 can't be latest for batch queries on Kafka");
    await expectWeirError(() => session.read.format('kafka').option('subscribe', 'any').load(), 'MISSING_OPTION');
  });
});
