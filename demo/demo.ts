/**
 * `npm start`: a real query on the embedded defaults. The rate source feeds 5 rows a second into a map, the
 * console sink prints each batch, the checkpoint lives in ./.weir-demo/checkpoint; after about 5 seconds the
 * query stops gracefully. Run it twice: the second run resumes from the checkpoint (batch ids go on).
 */
import * as path from 'node:path';
import { map } from 'rxjs';
import { Trigger, startQuery } from '../index';
import { rows } from '../operators';
import { consoleSink } from '../sinks';
import { rate } from '../sources';

async function main(): Promise<void> {
  const checkpointLocation = path.resolve('.weir-demo', 'checkpoint');
  const query = await startQuery({
    source: rate({ rowsPerSecond: 5 }),
    pipeline: rows(
      map((r: { timestamp: Date; value: number }) => ({
        timestamp: r.timestamp,
        value: r.value,
        parity: r.value % 2 === 0 ? 'even' : 'odd',
      })),
    ),
    sink: consoleSink({ numRows: 10, truncate: false }),
    trigger: Trigger.ProcessingTime('1 second'),
    checkpointLocation,
    queryName: 'demo',
  });
  console.log(`weir demo: query ${query.id} (run ${query.runId}), checkpoint ${checkpointLocation}`);
  await query.awaitTermination(Number(process.env.WEIR_DEMO_MS ?? 5500));
  await query.stop();
  const last = query.lastProgress;
  console.log(`stopped after batch ${last?.batchId ?? '-'}; last progress:\n${last?.prettyJson ?? '(none)'}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
