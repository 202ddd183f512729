/**
 * Child process of the file crash test: JSON files → windowed count (append, watermark) → Parquet file sink,
 * with Trigger.AvailableNow, until everything in the input folder is processed. Env: INPUT, OUT, CHECKPOINT,
 * MAX_FILES, KILL_POINT (a sink stage, an engine failpoint or "none"), KILL_BATCH. At the named point of
 * KILL_BATCH the process SIGKILLs itself; the parent may also SIGKILL it at a random moment.
 */
import { map } from 'rxjs';
import { startQuery } from '../../../../../lib/query/startQuery';
import { files } from '../../../../../connectors/files/fileSource';
import { fileSink } from '../../../../../connectors/files/fileSink';
import { count, groupByKey, rows, window, withWatermark } from '../../../../../operators';

async function main(): Promise<void> {
  const killPoint = process.env.KILL_POINT ?? 'none';
  const killBatch = Number(process.env.KILL_BATCH ?? -1);
  const kill = (point: string, batchId: number) => {
    if (point === killPoint && batchId === killBatch) process.kill(process.pid, 'SIGKILL');
  };
  const query = await startQuery({
    source: files({ path: process.env.INPUT!, format: 'json', schema: 'ts TIMESTAMP, key INT, level STRING', maxFilesPerTrigger: Number(process.env.MAX_FILES ?? 100) }),
    pipeline: [
      rows(map((r: { ts: Date; key: number; level: string }) => r)),
      withWatermark('ts', '10 seconds'),
      window('ts', '1 minute'),
      groupByKey('window', 'key'),
      count(),
      rows(map((r: { window: { start: Date }; key: number; count: number }) => ({ start: r.window.start, key: r.key, count: r.count }))),
    ],
    outputMode: 'append',
    sink: fileSink({ path: process.env.OUT!, format: 'parquet', schema: 'start TIMESTAMP, key INT, count BIGINT', onStage: kill }),
    checkpointLocation: process.env.CHECKPOINT!,
    trigger: { availableNow: true },
    failpoint: kill,
  });
  process.stdout.write(`started ${query.id}\n`);
  await query.awaitTermination();
  process.stdout.write('done\n');
}

main().catch((e) => {
  process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(1);
});
