/**
 * Child process of the join crash test: impressions ⋈ clicks (two rate-micro-batch sources), a stream-stream
 * left outer join with watermarks and a range condition over LevelDB state, into a durable test sink, until
 * batch `BATCHES - 1` is committed. Env: CHECKPOINT, OUT, BATCHES, KILL_POINT (failpoint name or "none"),
 * KILL_BATCH; the parent may also SIGKILL it at a random moment.
 */
import { map } from 'rxjs';
import type { Failpoint } from '../../../lib/engine/MicroBatchExecution';
import { startQuery } from '../../../lib/query/startQuery';
import { rateMicroBatch } from '../../../connectors/rate/rateMicroBatch';
import { joinStream } from '../../../operators/joinStream';
import { rows } from '../../../operators/rows';
import { withWatermark } from '../../../operators/withWatermark';
import { durableTestSink } from '../../support/durableTestSink';
import { untilBatch } from '../../../lib/testing/untilBatch';

async function main(): Promise<void> {
  const checkpoint = process.env.CHECKPOINT!;
  const out = process.env.OUT!;
  const batches = Number(process.env.BATCHES ?? 60);
  const killPoint = (process.env.KILL_POINT ?? 'none') as Failpoint | 'none';
  const killBatch = Number(process.env.KILL_BATCH ?? -1);
  const start = 1_700_000_000_000;
  const query = await startQuery({
    inputs: [
      {
        source: rateMicroBatch({ rowsPerBatch: 10, startTimestamp: start, advanceMillisPerBatch: 1000 }),
        pipeline: [
          rows(map((r: { value: number; timestamp: Date }) => ({ impressionAdId: r.value, impressionTime: r.timestamp }))),
          withWatermark('impressionTime', '2 seconds'),
        ],
      },
      {
        // Batch b clicks impressions 10b, 10b+2 and 10b+5 1.5 s later (in range) and 10b+7 9 s later (out of it).
        source: rateMicroBatch({ rowsPerBatch: 4, startTimestamp: start, advanceMillisPerBatch: 1000 }),
        pipeline: [
          rows(
            map((r: { value: number; timestamp: Date }) => ({
              clickAdId: 10 * Math.floor(r.value / 4) + [0, 2, 5, 7][r.value % 4]!,
              clickTime: new Date(r.timestamp.getTime() + (r.value % 4 === 3 ? 9_000 : 1_500)),
            })),
          ),
          withWatermark('clickTime', '2 seconds'),
        ],
      },
    ],
    pipeline: [
      joinStream({
        how: 'left_outer',
        leftKeys: ['impressionAdId'],
        rightKeys: ['clickAdId'],
        between: { left: 'impressionTime', right: 'clickTime', lower: '-3 seconds', upper: 0 },
        leftColumns: ['impressionAdId', 'impressionTime'],
        rightColumns: ['clickAdId', 'clickTime'],
      }),
    ],
    outputMode: 'append',
    sink: durableTestSink(out, { maxBatchId: batches - 1 }),
    checkpointLocation: checkpoint,
    failpoint: (point, batchId) => {
      if (point === killPoint && batchId === killBatch) process.kill(process.pid, 'SIGKILL');
    },
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
