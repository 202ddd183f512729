/**
 * Kafka crash test on the real broker: a child process runs Kafka → windowed count (update) → Kafka exactly-once
 * and is SIGKILLed at named points (engine failpoints; inside an open Kafka transaction before and after its
 * records are sent; after the Kafka commit before commits/N) and at random moments. After the restarts a
 * read_committed read of the output topic must equal an uninterrupted run's: same records, same order, 0
 * duplicates, 0 missing. WEIR_KAFKA_CRASH_KILLS (default 8) and WEIR_CRASH_SEED make a run reproducible.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { brokers, testClient, uniqueTopic } from './support/kafka';
import { produce, readTopic } from './support/produce';
import { rng, runChild, type RunResult } from '../support/crashChild';

const CHILD = path.join(__dirname, 'crash', 'kafkaCrashChild.ts');
const TOTAL = 600;
const BATCHES = TOTAL / 20;
const KILLS = Number(process.env.WEIR_KAFKA_CRASH_KILLS ?? 8);
const SEED = Number(process.env.WEIR_CRASH_SEED ?? Date.now() % 100000);
const NAMED = (process.env.WEIR_KAFKA_CRASH_POINTS?.split(',') ?? [
  'transactionOpen',
  'recordsSent',
  'transactionCommitted',
  'afterSinkWrite',
  'afterStateCommit',
  'afterOffsetsWritten',
]) as readonly string[];

describe(`kafka crash test (${KILLS} kills, seed ${SEED})`, () => {
  const client = testClient();
  const roots: string[] = [];
  afterAll(async () => {
    roots.forEach((r) => rmSync(r, { recursive: true, force: true }));
    await client.close();
  });

  it('Kafka → windowed count (update) → Kafka exactly-once survives SIGKILLs: read_committed output equals an uninterrupted run', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'weir-kafka-crash-'));
    roots.push(root);
    const input = uniqueTopic('crash-in');
    await client.createTopic(input, { partitions: 1 });
    const t0 = 1_700_000_000_000;
    await produce(
      client,
      Array.from({ length: TOTAL }, (_, i) => ({ topic: input, key: null, value: JSON.stringify({ k: i % 3, ts: t0 + i * 100 }) })),
    );
    const base = { BROKERS: brokers(), IN_TOPIC: input, TOTAL: String(TOTAL) };

    const refTopic = uniqueTopic('crash-ref');
    const reference = await runChild(CHILD, { ...base, OUT_TOPIC: refTopic, CHECKPOINT: path.join(root, 'ref') });
    expect(reference.stderr).toBe('');
    expect(reference.code).toBe(0);
    const expected = (await readTopic(client, refTopic)).map((r) => `${r.key}=${r.value}`);
    expect(expected.length).toBeGreaterThan(BATCHES);

    const outTopic = uniqueTopic('crash-out');
    const env = { ...base, OUT_TOPIC: outTopic, CHECKPOINT: path.join(root, 'cp') };
    const random = rng(SEED);
    const kills: string[] = [];
    let killed = 0;
    for (let k = 0; k < KILLS; k += 1) {
      let result: RunResult;
      if (k < NAMED.length) {
        const point = NAMED[k]!;
        // Batches advance by at least one per run, so aim each named kill a bit further into the run.
        const batch = 2 + k * 3 + Math.floor(random() * 2);
        kills.push(`${point}@${batch}`);
        result = await runChild(CHILD, { ...env, KILL_POINT: point, KILL_BATCH: String(batch) });
      } else {
        const delay = 100 + Math.floor(random() * 600);
        kills.push(`random@${delay}ms`);
        result = await runChild(CHILD, env, delay);
      }
      if (result.signal === 'SIGKILL') killed += 1;
      else expect({ kill: kills[kills.length - 1], code: result.code, stderr: result.stderr }).toEqual({ kill: kills[kills.length - 1], code: 0, stderr: '' });
    }
    const final = await runChild(CHILD, env);
    expect(final.stderr).toBe('');
    expect(final.code).toBe(0);

    const actual = (await readTopic(client, outTopic)).map((r) => `${r.key}=${r.value}`);
    expect(new Set(actual).size).toBe(actual.length); // 0 duplicates
    expect(actual).toEqual(expected); // same records in the same order: 0 missing, 0 extra
    // The aborted transactions of killed runs are in the log, invisible to read_committed.
    expect(killed).toBeGreaterThanOrEqual(NAMED.length);
    process.stdout.write(`kafka crash test: ${killed} of ${kills.length} kill points hit: ${kills.join(', ')}\n`);
  }, 300_000);
});
