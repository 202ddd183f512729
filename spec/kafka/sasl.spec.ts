/**
 * The Kafka source and the exactly-once sink over SASL/PLAIN, against the test broker's SASL_PLAINTEXT listener:
 * credentials given as Spark gives them (`kafka.security.protocol`, `kafka.sasl.mechanism`,
 * `kafka.sasl.jaas.config`), a wrong password refused by the broker with a named error that does not show it.
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { map } from 'rxjs';
import { startQuery } from '../../lib/query/startQuery';
import { rows } from '../../operators';
import { kafkaSink } from '../../connectors/kafka/sink';
import { kafka, type KafkaRow } from '../../connectors/kafka/source';
import { TEST_SASL_USER } from '../../tools/kafka/broker';
import { testClient, uniqueTopic } from './support/kafka';
import { produce, readTopic } from './support/produce';

const saslBrokers = process.env.KAFKA_SASL_BROKERS;
// An external cluster (KAFKA_BROKERS set by hand) has no SASL listener of ours: these tests need the suite's broker.
const describeSasl = saslBrokers ? describe : describe.skip;

const jaas = (password: string): string =>
  `org.apache.kafka.common.security.plain.PlainLoginModule required username="${TEST_SASL_USER.username}" password="${password}";`;

describeSasl('Kafka over SASL/PLAIN (SASL_PLAINTEXT listener)', () => {
  const client = testClient();
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'weir-kafka-sasl-'));
  });
  afterAll(async () => {
    await client.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  const sasl = (password: string): Record<string, string> => ({
    'kafka.bootstrap.servers': saslBrokers!,
    'kafka.security.protocol': 'SASL_PLAINTEXT',
    'kafka.sasl.mechanism': 'PLAIN',
    'kafka.sasl.jaas.config': jaas(password),
  });

  it('reads and writes exactly once with the credentials of kafka.sasl.jaas.config', async () => {
    const input = uniqueTopic('sasl-in');
    const output = uniqueTopic('sasl-out');
    await client.createTopic(input);
    await client.createTopic(output);
    await produce(client, ['a', 'b', 'c'].map((v) => ({ topic: input, key: null, value: v })));
    const query = await startQuery({
      source: kafka({ ...sasl(TEST_SASL_USER.password), subscribe: input, startingOffsets: 'earliest' }),
      pipeline: [rows(map((r: KafkaRow) => ({ value: `${r.value!.toString()}!` })))],
      sink: kafkaSink({ ...sasl(TEST_SASL_USER.password), topic: output, deliveryGuarantee: 'exactly-once' }),
      checkpointLocation: path.join(dir, `cp-${randomUUID()}`),
    });
    try {
      await query.processAllAvailable();
    } finally {
      await query.stop();
    }
    expect((await readTopic(client, output)).map((r) => r.value).sort()).toEqual(['a!', 'b!', 'c!']);
  });

  it('a wrong password is refused by the broker: the query fails with a named error that does not show it', async () => {
    const topic = uniqueTopic('sasl-denied');
    await client.createTopic(topic);
    const wrong = 'not-the-password-5e1f';
    const query = await startQuery({
      source: kafka({ ...sasl(wrong), subscribe: topic, startingOffsets: 'earliest' }),
      pipeline: [],
      sink: { description: 'unused', addBatch: async () => undefined },
      checkpointLocation: path.join(dir, `cp-${randomUUID()}`),
    });
    const ended = await query.awaitTermination().then(
      () => undefined,
      (e: unknown) => e as { code?: string; message: string; cause?: unknown },
    );
    await query.stop();
    // The query's StreamingQueryException wraps the source's error (Spark's shape).
    expect(ended?.code).toBe('STREAMING_QUERY_EXCEPTION');
    const cause = ended?.cause as { code?: string; message: string; context?: unknown };
    expect(cause.code).toBe('SOURCE_ERROR');
    for (const e of [ended, cause]) expect(JSON.stringify({ message: e?.message, context: (e as { context?: unknown }).context })).not.toContain(wrong);
    expect(`${ended?.message} ${cause.message}`).toMatch(/SASL|[Aa]uthentication/);
  });
});
