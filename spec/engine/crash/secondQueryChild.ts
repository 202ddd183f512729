/**
 * Child process of spec/engine/checkpointUnderQuery.spec.ts: starts a query on CHECKPOINT, which another process
 * holds. Exits 3 printing `<code> <path>` of the WeirError the start rejects with (2 for any other error, 0 when the
 * start succeeded, which is the failure the spec looks for).
 */
import { startQuery } from '../../../lib/query/startQuery';
import { isWeirError } from '../../../lib/errors';
import { noopSink } from '../../../sinks';
import { rateMicroBatch } from '../../../sources';

async function main(): Promise<void> {
  const query = await startQuery({
    source: rateMicroBatch({ rowsPerBatch: 1 }),
    sink: noopSink(),
    checkpointLocation: process.env.CHECKPOINT!,
  });
  await query.stop().catch(() => undefined);
  process.exit(0);
}

main().catch((e: unknown) => {
  if (isWeirError(e)) {
    process.stderr.write(`${e.code} ${String(e.context.path)}`);
    process.exit(3);
  }
  process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(2);
});
