/**
 * The README and docs blocks that make a Kafka source or sink, type-checked and run as pasted in the ESM consumer
 * project that installed the packed tarball (tools/pack-check), against the test broker: `localhost:9092` is
 * replaced by its address, and the topics the block names are made and filled first.
 */
import { codeBlocks, type CodeBlock } from '../../tools/pack-check/codeBlocks';
import { ensurePackedConsumers } from '../../tools/pack-check/consumers';
import { runEmitted, typeCheck } from '../../tools/pack-check/consumerRun';
import { brokers, testClient } from './support/kafka';
import { produce, readTopic } from './support/produce';

const blocks = codeBlocks().filter((b) => b.needsKafka);

describe('README Kafka blocks, against the installed tarball and the test broker', () => {
  const client = testClient();
  let consumers: ReturnType<typeof ensurePackedConsumers>;
  const diagnostics = new Map<string, string[]>();

  beforeAll(() => {
    consumers = ensurePackedConsumers();
    for (const kind of ['esm', 'cjs'] as const) {
      const mine = blocks.filter((b) => b.module === kind);
      if (mine.length === 0) continue;
      const code = (b: CodeBlock) => b.code.replaceAll('localhost:9092', brokers());
      for (const [name, d] of typeCheck(consumers[kind], 'kafka-docs', Object.fromEntries(mine.map((b) => [b.name, code(b)])))) diagnostics.set(`${kind}:${name}`, d);
    }
  }, 400_000);
  afterAll(() => client.close());

  it('finds the README Kafka quick start', () => expect(blocks.some((b) => b.where.startsWith('README.md'))).toBe(true));

  it.each(blocks.map((b) => [b.where, b] as [string, CodeBlock]))('%s type-checks and runs', async (_w, b) => {
    expect(diagnostics.get(`${b.module}:${b.name}`)).toEqual([]);
    const isQuickStart = b.code.includes("subscribe: 'events'") && b.code.includes("topic: 'big-orders'");
    if (isQuickStart) {
      await client.createTopic('events', { partitions: 2 });
      await client.createTopic('big-orders', { partitions: 1 });
      const order = (orderId: number, amount: number) => ({ topic: 'events', key: null, value: JSON.stringify({ orderId, amount }) });
      await produce(client, [order(1, 50), order(2, 1500), order(3, 999), order(4, 2000)]);
    }
    const run = runEmitted(consumers[b.module], 'kafka-docs', b.name, {}, 180_000);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    if (isQuickStart) {
      const out = await readTopic(client, 'big-orders');
      expect(out.map((r) => [r.key, JSON.parse(r.value!)]).sort()).toEqual([
        ['2', { orderId: 2, amount: 1500 }],
        ['4', { orderId: 4, amount: 2000 }],
      ]);
    }
  }, 240_000);
});
