/**
 * Child process of the Kafka crash test: Kafka → windowed count (update mode, LevelDB state) → Kafka
 * exactly-once, until the input topic's end offset TOTAL is committed. Env: BROKERS, IN_TOPIC, OUT_TOPIC,
 * CHECKPOINT, TOTAL, DELIVERY (default exactly-once; at-least-once shows the test can fail), KILL_POINT (an engine failpoint or a sink step, or "none"), KILL_BATCH. At the named point
 * of KILL_BATCH the process SIGKILLs itself; the parent may also SIGKILL it at a random moment.
 */
import { map } from 'rxjs';
import { startQuery } from '../../../lib/query/startQuery';
import { count, groupByKey, rows, window, withWatermark } from '../../../operators';
import { kafkaSink } from '../../../connectors/kafka/sink';
import { kafka, type KafkaRow } from '../../../connectors/kafka/source';

async function main(): Promise<void> {
  const env = process.env;
  const total = Number(env.TOTAL);
  const killPoint = env.KILL_POINT ?? 'none';
  const killBatch = Number(env.KILL_BATCH ?? -1);
  const kill = (point: string, batchId: number): void => {
    if (point === killPoint && batchId === killBatch) process.kill(process.pid, 'SIGKILL');
  };
  const query = await startQuery({
    source: kafka({
      'kafka.bootstrap.servers': env.BROKERS!,
      subscribe: env.IN_TOPIC!,
      startingOffsets: 'earliest',
      maxOffsetsPerTrigger: 20,
    }),
    pipeline: [
      rows(
        map((r: KafkaRow) => {
          const v = JSON.parse(r.value!.toString()) as { k: number; ts: number };
          return { k: v.k, ts: new Date(v.ts) };
        }),
      ),
      withWatermark('ts', '2 seconds'),
      window('ts', '5 seconds'),
      groupByKey('window', 'k'),
      count(),
      rows(
        map((r: { window: { start: Date }; k: number; count: number }) => ({
          key: `${r.window.start.getTime()}|${r.k}`,
          value: JSON.stringify({ start: r.window.start.getTime(), k: r.k, count: r.count }),
        })),
      ),
    ],
    outputMode: 'update',
    sink: kafkaSink(
      { 'kafka.bootstrap.servers': env.BROKERS!, topic: env.OUT_TOPIC!, deliveryGuarantee: env.DELIVERY === 'at-least-once' ? 'at-least-once' : 'exactly-once' },
      { onStep: kill },
    ),
    checkpointLocation: env.CHECKPOINT!,
    failpoint: kill,
  });
  process.stdout.write(`started ${query.id}\n`);
  // The input is produced before the first run, so "all available" is the whole topic (also for a run that
  // starts after everything was already committed).
  await query.processAllAvailable();
  const end = query.lastProgress?.sources[0]?.endOffset as Record<string, Record<string, number>> | null | undefined;
  if (end && end[env.IN_TOPIC!]?.['0'] !== total) throw new Error(`stopped at ${JSON.stringify(end)}, expected ${total}`);
  await query.stop();
  process.stdout.write('done\n');
}

main().catch((e) => {
  process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(1);
});
