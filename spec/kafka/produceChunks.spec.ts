/**
 * A transaction of several produce requests (see spec/connectors/kafka/client/produceChunks.spec.ts for the cutting) lands whole
 * and in order on the real broker.
 */
import type { KafkaOutRecord } from '../../connectors/kafka/client/KafkaClient';
import { MAX_REQUEST_RECORDS } from '../../connectors/kafka/client/produceChunks';
import { testClient, uniqueTopic } from './support/kafka';
import { readTopic } from './support/produce';

const rec = (value: string, topic = 't'): KafkaOutRecord => ({ topic, key: null, value });

describe('produceChunks on a real broker', () => {
  it('a transaction of several requests is committed whole and in order', async () => {
    const client = testClient();
    try {
      const topic = uniqueTopic('chunks');
      await client.createTopic(topic);
      const values = Array.from({ length: 2 * MAX_REQUEST_RECORDS + 345 }, (_, i) => `v${i}`);
      const producer = client.producer({ transactionalId: `tx-${topic}` });
      const txn = await producer.beginTransaction();
      await txn.send(values.map((v) => rec(v, topic)));
      await txn.commit();
      await producer.close();
      expect((await readTopic(client, topic)).map((r) => r.value)).toEqual(values);
    } finally {
      await client.close();
    }
  });
});
