/**
 * Child process of the crash test: rate-micro-batch → a transform → a durable test sink until batch
 * `BATCHES - 1` is committed. Env: CHECKPOINT, OUT, BATCHES, KILL_POINT (failpoint name or "none"),
 * KILL_BATCH. At the named failpoint of KILL_BATCH the process SIGKILLs itself; the parent may also SIGKILL it
 * at a random moment.
 */
import { map } from 'rxjs';
import { startQuery } from '../../../index';
import { rateMicroBatch } from '../../../sources';
import { rows } from '../../../operators';
import type { Failpoint } from '../../../index';
import { durableTestSink } from '../../support/durableTestSink';

async function main(): Promise<void> {
  const checkpoint = process.env.CHECKPOINT!;
  const out = process.env.OUT!;
  const batches = Number(process.env.BATCHES ?? 200);
  const killPoint = (process.env.KILL_POINT ?? 'none') as Failpoint | 'none';
  const killBatch = Number(process.env.KILL_BATCH ?? -1);
  const query = await startQuery({
    source: rateMicroBatch({ rowsPerBatch: 10, startTimestamp: 1_700_000_000_000, advanceMillisPerBatch: 1000 }),
    pipeline: rows(
      map((r: { value: number; timestamp: Date }) => ({
        value: r.value,
        ts: r.timestamp.getTime(),
        square: r.value * r.value,
      })),
    ),
    sink: durableTestSink(out, { maxBatchId: batches - 1 }),
    checkpointLocation: checkpoint,
    failpoint: (point, batchId) => {
      if (point === killPoint && batchId === killBatch) process.kill(process.pid, 'SIGKILL');
    },
    manager: undefined,
  });
  process.stdout.write(`started ${query.id}\n`);
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (query.exception) reject(query.exception);
      const last = query.lastProgress;
      if (last && last.batchId >= batches - 1) {
        clearInterval(timer);
        resolve();
      }
    }, 5);
  });
  await query.stop();
  process.stdout.write('done\n');
}

main().catch((e) => {
  process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(1);
});
