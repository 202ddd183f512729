/**
 * Child process of the crash test: rate-micro-batch → a transform → a durable test sink until batch
 * `BATCHES - 1` is committed. Env: CHECKPOINT, OUT, BATCHES, KILL_POINT (failpoint name or "none"),
 * KILL_BATCH, HOLD_BATCH. At the named failpoint of KILL_BATCH the process SIGKILLs itself; the parent may also
 * SIGKILL it at a random moment, and then sets HOLD_BATCH: once batch HOLD_BATCH is committed the child waits for
 * that kill instead of going on (so the kill always lands within the batches it was aimed at).
 */
import { map } from 'rxjs';
import { startQuery } from '../../../index';
import { rateMicroBatch } from '../../../sources';
import { count, groupByKey, rows, window, withWatermark } from '../../../operators';
import type { Failpoint } from '../../../index';
import { durableTestSink } from '../../support/durableTestSink';
import { untilBatch } from '../../../lib/testing/untilBatch';

async function main(): Promise<void> {
  const checkpoint = process.env.CHECKPOINT!;
  const out = process.env.OUT!;
  const batches = Number(process.env.BATCHES ?? 200);
  const killPoint = (process.env.KILL_POINT ?? 'none') as Failpoint | 'none';
  const killBatch = Number(process.env.KILL_BATCH ?? -1);
  const holdBatch = Number(process.env.HOLD_BATCH ?? -1);
  const mode = process.env.MODE ?? 'map';
  // map: a stateless transform. window: a windowed count in append mode with LevelDB state, so kills also land
  // inside state commits and between the state commit and commits/N.
  const pipeline =
    mode === 'window'
      ? [
          rows(map((r: { value: number; timestamp: Date }) => ({ key: r.value % 3, timestamp: r.timestamp }))),
          withWatermark('timestamp', '2 seconds'),
          window('timestamp', '5 seconds'),
          groupByKey('window', 'key'),
          count(),
          rows(
            map((r: { window: { start: Date; end: Date }; key: number; count: number }) => ({
              value: r.window.start.getTime() * 10 + r.key,
              count: r.count,
            })),
          ),
        ]
      : [
          rows(
            map((r: { value: number; timestamp: Date }) => ({
              value: r.value,
              ts: r.timestamp.getTime(),
              square: r.value * r.value,
            })),
          ),
        ];
  const query = await startQuery({
    source: rateMicroBatch({ rowsPerBatch: 10, startTimestamp: 1_700_000_000_000, advanceMillisPerBatch: 1000 }),
    pipeline,
    outputMode: 'append',
    sink: durableTestSink(out, { maxBatchId: batches - 1 }),
    checkpointLocation: checkpoint,
    failpoint: async (point, batchId) => {
      if (point === killPoint && batchId === killBatch) process.kill(process.pid, 'SIGKILL');
      if (point === 'afterCommitWritten' && batchId === holdBatch) {
        // Wait for the parent's kill (the timer keeps the process alive); a kill that never comes is an error.
        await new Promise<void>((_, reject) => setTimeout(() => reject(new Error(`not killed while holding at batch ${batchId}`)), 60_000));
      }
    },
    manager: undefined,
  });
  process.stdout.write(`started ${query.id}\n`);
  await untilBatch(query, batches - 1, 5);
  await query.stop();
  process.stdout.write('done\n');
}

main().catch((e) => {
  process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(1);
});
