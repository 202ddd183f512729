import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { map } from 'rxjs';
import { WeirError } from '../../lib/errors';
import { startQuery } from '../../lib/query/startQuery';
import { rows } from '../../operators';
import { kafkaSink } from '../../connectors/kafka/sink';
import { kafka, type KafkaRow } from '../../connectors/kafka/source';
import { brokers, testClient, uniqueTopic } from './support/kafka';
import { produce, readTopic } from './support/produce';

describe('exactly-once Kafka sink: zombie fencing between two instances of the same query', () => {
  const client = testClient();
  afterAll(() => client.close());

  it('a second instance (a copy of the checkpoint, same query id) fences the first; output stays exactly-once', async () => {
    const input = uniqueTopic('zin');
    const output = uniqueTopic('zout');
    await client.createTopic(input);
    await client.createTopic(output);
    await produce(client, [1, 2, 3].map((n) => ({ topic: input, key: null, value: String(n) })));
    const root = mkdtempSync(path.join(tmpdir(), 'weir-zombie-'));
    const start = (checkpointLocation: string) =>
      startQuery({
        source: kafka({ 'kafka.bootstrap.servers': brokers(), subscribe: input, startingOffsets: 'earliest' }),
        pipeline: [rows(map((r: KafkaRow) => ({ value: `out-${r.value!.toString()}` })))],
        sink: kafkaSink({ 'kafka.bootstrap.servers': brokers(), topic: output, deliveryGuarantee: 'exactly-once' }),
        checkpointLocation,
      });
    try {
      const older = await start(path.join(root, 'a'));
      await older.processAllAvailable();
      // The "new deployment" of the same query: its checkpoint is a copy (same query id), the old one still runs.
      cpSync(path.join(root, 'a'), path.join(root, 'b'), { recursive: true, filter: (src) => path.basename(src) !== '.lock' });
      const newer = await start(path.join(root, 'b'));
      expect(newer.id).toBe(older.id);
      await newer.processAllAvailable();
      await produce(client, [4, 5].map((n) => ({ topic: input, key: null, value: String(n) })));
      const failure = await older.awaitTermination(30_000).then(
        () => undefined,
        (e: unknown) => e as WeirError,
      );
      expect(failure).toBeInstanceOf(WeirError);
      expect((failure!.cause as WeirError).code).toBe('KAFKA_PRODUCER_FENCED');
      await newer.processAllAvailable();
      await newer.stop();
      expect((await readTopic(client, output)).map((r) => r.value)).toEqual(['out-1', 'out-2', 'out-3', 'out-4', 'out-5']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
