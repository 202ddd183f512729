/**
 * Child process of the state durability spec, run under strace: commits COMMITS batches into a default
 * LevelStateStoreProvider at STATE_PATH and, after each commit resolves, fsyncs `<MARKS>/after-commit-<N>` (the
 * moment the engine would write commits/N), so the trace shows which syncs happened before it.
 */
import { closeSync, fsyncSync, openSync } from 'node:fs';
import * as path from 'node:path';
import { LevelStateStoreProvider } from '../../../lib/state/LevelStateStoreProvider';

async function main(): Promise<void> {
  const provider = new LevelStateStoreProvider(process.env.STATE_PATH!);
  const commits = Number(process.env.COMMITS ?? 10);
  try {
    for (let batchId = 0; batchId < commits; batchId += 1) {
      const store = await provider.open('aggregate-0', batchId);
      store.put(Uint8Array.of(1, batchId), { batchId });
      await store.commit();
      const fd = openSync(path.join(process.env.MARKS!, `after-commit-${batchId}`), 'w');
      fsyncSync(fd);
      closeSync(fd);
    }
  } finally {
    await provider.close();
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(1);
});
