import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startKafkaToKafka } from '../../examples/kafka-to-kafka';
import { brokers, testClient, uniqueTopic } from './support/kafka';
import { produce, readTopic } from './support/produce';

describe('examples/kafka-to-kafka (the seed pipeline)', () => {
  const client = testClient();
  afterAll(() => client.close());

  it('parses JSON, drops malformed records, transforms, re-encodes and routes by a topic column, exactly once across a restart', async () => {
    const input = uniqueTopic('orders');
    const high = uniqueTopic('high');
    const regular = uniqueTopic('regular');
    await client.createTopic(input, { partitions: 1 });
    const order = (id: number, amount: number) => ({ topic: input, key: null, value: JSON.stringify({ order_id: `o${id}`, customer: `c${id % 3}`, amount }) });
    await produce(client, [order(1, 50), order(2, 1500), { topic: input, key: null, value: '{not json' }, order(3, 999.99)]);
    const checkpointLocation = mkdtempSync(path.join(tmpdir(), 'weir-k2k-'));
    try {
      const opts = { brokers: brokers(), inputTopic: input, highValueTopic: high, regularTopic: regular, checkpointLocation };
      let q = await startKafkaToKafka(opts);
      await q.processAllAvailable();
      await q.stop();
      await produce(client, [order(4, 2000)]);
      q = await startKafkaToKafka(opts);
      await q.processAllAvailable();
      await q.stop();
      const h = await readTopic(client, high);
      const r = await readTopic(client, regular);
      expect(h.map((x) => [x.key, JSON.parse(x.value!)])).toEqual([
        ['o2', { order_id: 'o2', customer: 'c2', amount: 1500, amount_cents: 150000, tier: 'high' }],
        ['o4', { order_id: 'o4', customer: 'c1', amount: 2000, amount_cents: 200000, tier: 'high' }],
      ]);
      expect(r.map((x) => x.key)).toEqual(['o1', 'o3']);
      expect(JSON.parse(r[1]!.value!)).toEqual({ order_id: 'o3', customer: 'c0', amount: 999.99, amount_cents: 99999, tier: 'regular' });
    } finally {
      rmSync(checkpointLocation, { recursive: true, force: true });
    }
  });
});
