/**
 * A changed query restarted on an old checkpoint (issue #16 item 9): the stateful operators and their state
 * schemas are recorded in `state/_metadata/<N>` at the first batch and compared on restart, as Spark's
 * OperatorStateMetadata and StateSchemaCompatibilityChecker do. Each case runs a query on a checkpoint with
 * LevelDB state, stops it, and restarts a changed (or the same) query on that checkpoint.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { MemoryStream, Session, type DataFrame } from '../../index';
import { sum } from '../../lib/sql/functions';
import { agg, aggregate, count, dropDuplicates, flatMapGroupsWithState, groupByKey, GroupStateTimeout, type GroupState } from '../../operators';
import { foreachBatchSink } from '../../sinks';
import { startQuery } from '../../lib/query/startQuery';
import type { Row } from '../../lib/contracts';

const spark = Session.builder().appName('changedQuery').getOrCreate();
afterAll(() => spark.stop());

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'weir-changed-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

type Input = MemoryStream<Row>;

/** Runs `df` (built on `input`) on the checkpoint until the added data is processed; returns the batches' rows. */
async function runDataFrame(df: DataFrame, outputMode: 'update' | 'append' = 'update'): Promise<Row[]> {
  const out: Row[] = [];
  const q = await df.writeStream
    .outputMode(outputMode)
    .option('checkpointLocation', dir)
    .foreachBatch(async (batch) => {
      out.push(...(await batch.collect()));
    })
    .start();
  try {
    await q.processAllAvailable();
  } finally {
    await q.stop();
  }
  return out;
}

/** The error a failed restart terminates with (the cause of its StreamingQueryException). */
async function restartFails(df: DataFrame, outputMode: 'update' | 'append' = 'update'): Promise<Error & { code: string; context: Record<string, unknown> }> {
  const error = await runDataFrame(df, outputMode).then(
    () => undefined,
    (e: unknown) => e as Error & { cause?: unknown },
  );
  expect(error).toBeDefined();
  return ((error as { cause?: unknown }).cause ?? error) as Error & { code: string; context: Record<string, unknown> };
}

const metadataDir = () => path.join(dir, 'state', '_metadata');

function stream(): Input {
  return new MemoryStream(spark, 'k STRING, j STRING, v INT') as unknown as Input;
}

describe('a changed query on an old checkpoint (DataFrame face)', () => {
  it('changed grouping keys: STATE_STORE_KEY_SCHEMA_NOT_COMPATIBLE naming the operator, old and new key', async () => {
    const input = stream();
    input.addData([{ k: 'a', j: 'x', v: 1 }, { k: 'b', j: 'y', v: 2 }]);
    await runDataFrame(input.toDF().groupBy('k').count());
    input.addData([{ k: 'a', j: 'y', v: 3 }]);
    const e = await restartFails(input.toDF().groupBy('j').count());
    expect(e.code).toBe('STATE_STORE_KEY_SCHEMA_NOT_COMPATIBLE');
    expect(e.message).toContain('[STATE_STORE_KEY_SCHEMA_NOT_COMPATIBLE] Provided key schema does not match existing state key schema.');
    expect(e.message).toContain('Existing key_schema=struct<k> and new key_schema=struct<j>');
    expect(e.message).toContain('aggregate-0 (stateStoreSave)');
    expect(e.message).toContain('new checkpoint location');
    expect(e.context).toMatchObject({ operatorId: 'aggregate-0', storedKeySchema: 'struct<k>', newKeySchema: 'struct<j>', batchId: 1 });
  });

  it('more grouping keys: STATE_STORE_KEY_SCHEMA_NOT_COMPATIBLE', async () => {
    const input = stream();
    input.addData([{ k: 'a', j: 'x', v: 1 }]);
    await runDataFrame(input.toDF().groupBy('k').count());
    input.addData([{ k: 'a', j: 'y', v: 3 }]);
    const e = await restartFails(input.toDF().groupBy('k', 'j').count());
    expect(e.code).toBe('STATE_STORE_KEY_SCHEMA_NOT_COMPATIBLE');
    expect(e.context).toMatchObject({ storedKeySchema: 'struct<k>', newKeySchema: 'struct<k,j>' });
  });

  it('count -> sum: STATE_STORE_VALUE_SCHEMA_NOT_COMPATIBLE with the old and new aggregate', async () => {
    const input = stream();
    input.addData([{ k: 'a', j: 'x', v: 1 }]);
    await runDataFrame(input.toDF().groupBy('k').count());
    input.addData([{ k: 'a', j: 'y', v: 3 }]);
    const e = await restartFails(input.toDF().groupBy('k').agg(sum('v')));
    expect(e.code).toBe('STATE_STORE_VALUE_SCHEMA_NOT_COMPATIBLE');
    expect(e.message).toContain('[STATE_STORE_VALUE_SCHEMA_NOT_COMPATIBLE] Provided value schema does not match existing state value schema.');
    expect(e.context).toMatchObject({ operatorId: 'aggregate-0', storedValueSchema: 'struct<count:count(1)>', newValueSchema: 'struct<sum(v):sum(v)>' });
  });

  it('a stateless query on a stateful checkpoint: STREAMING_STATEFUL_OPERATOR_NOT_MATCH_IN_STATE_METADATA', async () => {
    const input = stream();
    input.addData([{ k: 'a', j: 'x', v: 1 }]);
    await runDataFrame(input.toDF().groupBy('k').count());
    input.addData([{ k: 'a', j: 'y', v: 3 }]);
    const e = await restartFails(input.toDF().select('k'), 'append');
    expect(e.code).toBe('STREAMING_STATEFUL_OPERATOR_NOT_MATCH_IN_STATE_METADATA');
    expect(e.message).toContain(
      'Stateful operators in the metadata: [(OperatorId: aggregate-0 -> OperatorName: stateStoreSave)]; Stateful operators in current batch: []. SQLSTATE: 42K03',
    );
    expect(e.message).toContain('the query now has none');
  });

  it('a stateful query on a stateless checkpoint: STREAMING_STATEFUL_OPERATOR_NOT_MATCH_IN_STATE_METADATA', async () => {
    const input = stream();
    input.addData([{ k: 'a', j: 'x', v: 1 }]);
    await runDataFrame(input.toDF().select('k'), 'append');
    input.addData([{ k: 'a', j: 'y', v: 3 }]);
    const e = await restartFails(input.toDF().groupBy('k').count());
    expect(e.code).toBe('STREAMING_STATEFUL_OPERATOR_NOT_MATCH_IN_STATE_METADATA');
    expect(e.message).toContain(
      'Stateful operators in the metadata: []; Stateful operators in current batch: [(OperatorId: aggregate-0 -> OperatorName: stateStoreSave)]',
    );
  });

  it('the same query restarts and keeps counting; the record is written once, at batch 0', async () => {
    const input = stream();
    input.addData([{ k: 'a', j: 'x', v: 1 }, { k: 'b', j: 'y', v: 2 }]);
    expect(await runDataFrame(input.toDF().groupBy('k').count())).toEqual(
      expect.arrayContaining([{ k: 'a', count: 1 }, { k: 'b', count: 1 }]),
    );
    expect(readdirSync(metadataDir())).toEqual(['0']);
    const record = readFileSync(path.join(metadataDir(), '0'), 'utf8');
    expect(record).toContain('"operatorId":"aggregate-0","operatorName":"stateStoreSave","keySchema":[{"name":"k"}]');
    input.addData([{ k: 'a', j: 'y', v: 3 }]);
    expect(await runDataFrame(input.toDF().groupBy('k').count())).toEqual([{ k: 'a', count: 2 }]);
    expect(readdirSync(metadataDir())).toEqual(['0']);
  });

  it('a checkpoint without the record (written before weir kept it) is accepted and gets one', async () => {
    const input = stream();
    input.addData([{ k: 'a', j: 'x', v: 1 }]);
    await runDataFrame(input.toDF().groupBy('k').count());
    rmSync(metadataDir(), { recursive: true, force: true });
    input.addData([{ k: 'a', j: 'y', v: 3 }]);
    expect(await runDataFrame(input.toDF().groupBy('k').count())).toEqual([{ k: 'a', count: 2 }]);
    // Recorded at the first batch of that run (batch 1), and checked from then on.
    expect(readdirSync(metadataDir())).toEqual(['1']);
    input.addData([{ k: 'b', j: 'y', v: 3 }]);
    const e = await restartFails(input.toDF().groupBy('j').count());
    expect(e.code).toBe('STATE_STORE_KEY_SCHEMA_NOT_COMPATIBLE');
  });

  it('a damaged record is CHECKPOINT_CORRUPT, not ignored', async () => {
    const input = stream();
    input.addData([{ k: 'a', j: 'x', v: 1 }]);
    await runDataFrame(input.toDF().groupBy('k').count());
    const file = path.join(metadataDir(), '0');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('"k"', '"j"'));
    input.addData([{ k: 'a', j: 'y', v: 3 }]);
    const e = await restartFails(input.toDF().groupBy('j').count());
    expect(e.code).toBe('CHECKPOINT_CORRUPT');
    expect(e.context).toMatchObject({ path: file, batchId: 0 });
  });
});

describe('a changed query on an old checkpoint (startQuery, RxJS face)', () => {
  const run = async (input: MemoryStream<Row>, pipeline: Parameters<typeof startQuery>[0]['pipeline']) => {
    const out: Row[] = [];
    const q = await startQuery({
      source: input,
      pipeline,
      sink: foreachBatchSink<Row>((rows) => {
        out.push(...rows);
      }),
      outputMode: 'update',
      checkpointLocation: dir,
    });
    try {
      await q.processAllAvailable();
    } finally {
      await q.stop();
    }
    return out;
  };

  it('changed grouping keys of groupByKey + count: refused before any row is written (3 duplicate rows before)', async () => {
    const input = new MemoryStream<Row>();
    input.addData({ k: 'a', j: 'x' }, { k: 'b', j: 'x' }, { k: 'c', j: 'y' });
    await run(input, [groupByKey('k'), count()]);
    input.addData({ k: 'a', j: 'x' });
    const written: Row[] = [];
    const error = await run(input, [groupByKey('j'), count()]).then(
      (rows) => {
        written.push(...rows);
        return undefined;
      },
      (e: { cause?: unknown }) => e.cause ?? e,
    );
    expect(written).toEqual([]);
    expect(error).toMatchObject({ code: 'STATE_STORE_KEY_SCHEMA_NOT_COMPATIBLE' });
  });

  it('an aggregate replaced (count -> sum) and a dedup replacing an aggregation are refused', async () => {
    const input = new MemoryStream<Row>();
    input.addData({ k: 'a', v: 1 });
    await run(input, [groupByKey('k'), agg({ n: aggregate.count() })]);
    input.addData({ k: 'a', v: 2 });
    await expect(run(input, [groupByKey('k'), agg({ n: aggregate.sum('v') })])).rejects.toMatchObject({
      cause: { code: 'STATE_STORE_VALUE_SCHEMA_NOT_COMPATIBLE', context: { storedValueSchema: 'struct<n:count(1)>', newValueSchema: 'struct<n:sum(v)>' } },
    });
    await expect(run(input, [dropDuplicates('k')])).rejects.toMatchObject({
      cause: {
        code: 'STREAMING_STATEFUL_OPERATOR_NOT_MATCH_IN_STATE_METADATA',
        message: expect.stringContaining('[(OperatorId: aggregate-0 -> OperatorName: stateStoreSave)]; Stateful operators in current batch: [(OperatorId: dedupe-0 -> OperatorName: dedupe)]'),
      },
    });
    // Nothing the refused runs did changed the checkpoint: the original query still runs on it.
    expect(await run(input, [groupByKey('k'), agg({ n: aggregate.count() })])).toEqual([{ k: 'a', n: 2 }]);
    expect(existsSync(path.join(metadataDir(), '0'))).toBe(true);
  });

  it('other dedup columns and another groupsWithState key or timeout are refused', async () => {
    const input = new MemoryStream<Row>();
    input.addData({ k: 'a', j: 'x' });
    await run(input, [dropDuplicates('k')]);
    input.addData({ k: 'a', j: 'y' });
    await expect(run(input, [dropDuplicates('k', 'j')])).rejects.toMatchObject({
      cause: { code: 'STATE_STORE_KEY_SCHEMA_NOT_COMPATIBLE', context: { operatorId: 'dedupe-0', storedKeySchema: 'struct<k>', newKeySchema: 'struct<k,j>' } },
    });

    rmSync(dir, { recursive: true, force: true });
    const counter = (_key: Row, rows: readonly Row[], state: GroupState<number>) => {
      state.update((state.getOption() ?? 0) + rows.length);
      return [];
    };
    const other = new MemoryStream<Row>();
    other.addData({ k: 'a', j: 'x' });
    await run(other, [flatMapGroupsWithState(['k'], 'update', GroupStateTimeout.NoTimeout, counter)]);
    other.addData({ k: 'a', j: 'y' });
    await expect(run(other, [flatMapGroupsWithState(['j'], 'update', GroupStateTimeout.NoTimeout, counter)])).rejects.toMatchObject({
      cause: { code: 'STATE_STORE_KEY_SCHEMA_NOT_COMPATIBLE', context: { operatorId: 'flatMapGroupsWithState-0' } },
    });
    await expect(run(other, [flatMapGroupsWithState(['k'], 'update', GroupStateTimeout.ProcessingTimeTimeout, counter)])).rejects.toMatchObject({
      cause: { code: 'STATE_STORE_VALUE_SCHEMA_NOT_COMPATIBLE', context: { storedValueSchema: 'struct<groupState>', newValueSchema: 'struct<groupState,timeoutTimestamp>' } },
    });
    expect(await run(other, [flatMapGroupsWithState(['k'], 'update', GroupStateTimeout.NoTimeout, counter)])).toEqual([]);
  });
});
