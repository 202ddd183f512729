/**
 * Child process of the state crash test: commits the workload of stateCrashModel batch after batch into a
 * LevelStateStoreProvider, like the engine (open every operator for batch N, write, commit each store, then
 * write the "commits" file N), until it is SIGKILLed. Env: STATE_PATH, COMMITS_FILE, SEED.
 *
 * It checks what it reads (the running sum and every key it reads before writing) against the model and exits
 * with code 1 on the first difference. Now and then it aborts a batch and runs it again.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { StateStore } from '../../../lib/contracts';
import { LevelStateStoreProvider } from '../../../lib/state/LevelStateStoreProvider';
import { dataKey, modelAfter, OPERATORS, SUM_KEY, sumAfter, writesOf, type CrashValue } from './stateCrashModel';

function lastCommitted(file: string): number {
  try {
    return Number(readFileSync(file, 'utf8'));
  } catch {
    return -1;
  }
}

async function main(): Promise<void> {
  const statePath = process.env.STATE_PATH!;
  const commitsFile = process.env.COMMITS_FILE!;
  let seed = Number(process.env.SEED ?? 1) >>> 0 || 1;
  const random = (): number => {
    seed = (Math.imul(seed ^ (seed >>> 15), 2246822507) + 0x6d2b79f5) >>> 0;
    return seed / 2 ** 32;
  };
  const committed = lastCommitted(commitsFile);
  const models = new Map(OPERATORS.map((op) => [op as string, modelAfter(op, committed)]));
  const provider = new LevelStateStoreProvider(statePath);
  process.stdout.write('started\n');

  for (let batch = committed + 1; ; batch += 1) {
    const stores: StateStore[] = [];
    for (const op of OPERATORS) stores.push(await provider.open(op, batch));
    for (let o = 0; o < OPERATORS.length; o += 1) {
      const op = OPERATORS[o]!;
      const store = stores[o]!;
      const model = models.get(op)!;
      const sum = (await store.get(SUM_KEY)) ?? 0;
      if (sum !== (batch === 0 ? 0 : sumAfter(batch - 1))) throw new Error(`${op}@${batch}: sum ${String(sum)}`);
      const writes = writesOf(op, batch);
      // Read before writing: every read sees the committed version.
      const read = await store.getMany(writes.map(([key]) => dataKey(key)));
      writes.forEach(([key], i) => {
        const expected = model.get(key);
        const actual = read[i] as CrashValue | undefined;
        if (JSON.stringify(actual) !== JSON.stringify(expected)) {
          throw new Error(`${op}@${batch}: key ${key} is ${JSON.stringify(actual)}, model ${JSON.stringify(expected)}`);
        }
      });
      for (const [key, value] of writes) {
        if (value === null) store.delete(dataKey(key));
        else store.put(dataKey(key), value);
      }
      store.put(SUM_KEY, sumAfter(batch));
    }
    if (random() < 0.05) {
      for (const store of stores) await store.abort();
      batch -= 1; // run it again
      continue;
    }
    // The engine's commit log write (fsynced) takes a while: leave kills room to land between the store commits
    // and the "commits" file, where a restart has to roll state back.
    for (const store of stores) {
      await store.commit();
      await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 3)));
    }
    const temp = `${commitsFile}.tmp`;
    writeFileSync(temp, String(batch));
    renameSync(temp, commitsFile);
    for (const op of OPERATORS) models.set(op, modelAfter(op, batch, { batch: batch - 1, model: models.get(op)! }));
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(1);
});
