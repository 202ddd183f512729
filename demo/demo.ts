/**
 * `npm start`: a real query on the embedded defaults, no server. The rate source feeds 20 rows a second; a
 * 2-second tumbling window counts even and odd values with a 2-second watermark (state in LevelDB under the
 * checkpoint); the console sink prints each batch (update mode: the windows that changed). The checkpoint lives
 * in ./.weir-demo/checkpoint; after about 6 seconds the query stops gracefully. Run it again: it resumes from
 * the checkpoint (batch ids and state continue).
 */
import * as path from 'node:path';
import { map } from 'rxjs';
import { Trigger, startQuery } from '../index';
import { count, groupByKey, rows, window, withWatermark } from '../operators';
import { consoleSink } from '../sinks';
import { rate } from '../sources';

async function main(): Promise<void> {
  const checkpointLocation = path.resolve('.weir-demo', 'checkpoint');
  const query = await startQuery({
    source: rate({ rowsPerSecond: 20 }),
    pipeline: [
      rows(map((r: { timestamp: Date; value: number }) => ({ ...r, parity: r.value % 2 === 0 ? 'even' : 'odd' }))),
      withWatermark('timestamp', '2 seconds'),
      window('timestamp', '2 seconds'),
      groupByKey('window', 'parity'),
      count(),
    ],
    sink: consoleSink({ numRows: 10, truncate: false }),
    outputMode: 'update',
    trigger: Trigger.ProcessingTime('1 second'),
    checkpointLocation,
    queryName: 'demo',
  });
  console.log(`weir demo: query ${query.id} (run ${query.runId}), checkpoint ${checkpointLocation}`);
  console.log(query.explain());
  await query.awaitTermination(Number(process.env.WEIR_DEMO_MS ?? 6500));
  await query.stop();
  const last = query.lastProgress;
  console.log(`stopped after batch ${last?.batchId ?? '-'}; last progress:\n${last?.prettyJson ?? '(none)'}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
