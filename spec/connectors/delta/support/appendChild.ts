/**
 * A child process for the concurrency spec: `n` blind appends of one row each to a Delta table.
 *
 * Invariant: prints one JSON line `{ versions: [...] }` with the version of each commit it won, and exits 0
 * only when all `n` commits succeeded.
 */
import { StructType } from '../../../../lib/values/types';
import { writeDelta } from '../../../../connectors/delta';

async function main(): Promise<void> {
  const [table, writer, count] = process.argv.slice(2) as [string, string, string];
  const schema = StructType.fromDDL('writer STRING, n BIGINT');
  const versions: number[] = [];
  for (let i = 0; i < Number(count); i++) {
    const r = await writeDelta(table, [{ writer, n: i }], schema, { mode: 'append' });
    versions.push(r.version as number);
  }
  process.stdout.write(`${JSON.stringify({ versions })}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${String((e as Error).stack ?? e)}\n`);
  process.exit(1);
});
