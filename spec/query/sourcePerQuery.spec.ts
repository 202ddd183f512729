/**
 * One source per query: queries started from one streaming DataFrame (or on one MemoryStream) each read a source
 * of their own, so stopping or failing one leaves the others running; a query on a temporary checkpoint removes
 * the folder when it stops, when it fails and when it cannot start.
 *
 * The OS temp folder is pointed at a folder of this spec's own (os.tmpdir is stubbed), so the `weir-temporary-*`
 * folders counted before and after are exactly this spec's queries'.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { map } from 'rxjs';
import { MemoryStream, Session, startQuery, type StreamingQuery } from '../../index';
import { TEMP_CHECKPOINT_PREFIX } from '../../lib/query/startQuery';
import { untilBatch } from '../../lib/testing/untilBatch';
import { rows } from '../../operators';
import { memorySink } from '../../sinks';

// The module object itself (an `import * as` namespace is a copy, where a stub would not reach startQuery).
const os = require('node:os') as typeof import('node:os');
const realTmp = os.tmpdir();
let tmp: string;
let spark: Session;

beforeAll(() => {
  spark = Session.builder().appName('source-per-query').getOrCreate();
});
afterAll(() => spark.stop());
beforeEach(() => {
  tmp = mkdtempSync(path.join(realTmp, 'weir-source-per-query-'));
  jest.spyOn(os, 'tmpdir').mockReturnValue(tmp);
});
afterEach(() => {
  jest.restoreAllMocks();
  rmSync(tmp, { recursive: true, force: true });
});

/** The temporary checkpoint folders that exist now. */
function tempCheckpoints(): string[] {
  return readdirSync(tmp).filter((n) => n.startsWith(TEMP_CHECKPOINT_PREFIX)).sort();
}

/** The checkpoint folder of a running query (from `explain(true)`). */
function checkpointOf(query: StreamingQuery): string {
  return /^Checkpoint: (.*)$/m.exec(query.explain(true))![1]!;
}

/** Resolves once `check()` holds (polling), or fails after `timeoutMs`. */
async function eventually(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function tableValues(name: string, column: string): Promise<unknown[]> {
  return (await spark.table(name).collect()).map((r) => r[column]).sort((a, b) => Number(a) - Number(b));
}

describe('queries started from one streaming DataFrame read sources of their own', () => {
  it('rate-micro-batch: the second query keeps producing batches after the first stops, and stops cleanly', async () => {
    const df = spark.readStream.format('rate-micro-batch').option('rowsPerBatch', 3).load();
    expect(tempCheckpoints()).toEqual([]);
    const first = await df.writeStream.format('memory').queryName('rmb_first').trigger({ processingTime: '100 milliseconds' }).start();
    const second = await df.writeStream.trigger({ processingTime: '100 milliseconds' }).toTable('rmb_second');
    await Promise.all([untilBatch(first, 2), untilBatch(second, 2)]);
    expect(tempCheckpoints()).toEqual([path.basename(checkpointOf(first)), path.basename(checkpointOf(second))].sort());

    await first.stop();
    expect(first.exception).toBeNull();
    expect(tempCheckpoints()).toEqual([path.basename(checkpointOf(second))]);
    const stoppedAt = second.lastProgress!.batchId;
    await untilBatch(second, stoppedAt + 3);
    expect(second.isActive).toBe(true);
    expect(second.exception).toBeNull();

    await second.stop();
    expect(second.exception).toBeNull();
    expect(tempCheckpoints()).toEqual([]);
    // Each query read the source from its own start: rows 0, 1, 2, ... without gaps, in each table.
    for (const table of ['rmb_first', 'rmb_second']) {
      const values = await tableValues(table, 'value');
      expect(values.length).toBeGreaterThanOrEqual(9);
      expect(values).toEqual(values.map((_v, i) => i));
    }
  });

  it('rate: stopping the first query does not stop the second one\'s source', async () => {
    const df = spark.readStream.format('rate').option('rowsPerSecond', 100).load();
    const first = await df.writeStream.format('memory').queryName('rate_first').trigger({ processingTime: '100 milliseconds' }).start();
    const second = await df.writeStream.format('memory').queryName('rate_second').trigger({ processingTime: '100 milliseconds' }).start();
    await Promise.all([untilBatch(first, 1), untilBatch(second, 1)]);
    await first.stop();
    const stoppedAt = second.lastProgress!.batchId;
    await untilBatch(second, stoppedAt + 1);
    expect(second.isActive).toBe(true);
    await second.stop();
    expect([first.exception, second.exception]).toEqual([null, null]);
    expect(tempCheckpoints()).toEqual([]);
  });

  it('a file source: each query keeps its own seen-files log in its own checkpoint, also across a restart', async () => {
    const input = path.join(tmp, 'in');
    mkdirSync(input, { recursive: true });
    writeFileSync(path.join(input, 'f0.json'), '{"v":1}\n');
    const df = spark.readStream.schema('v BIGINT').json(input);
    const checkpoint = path.join(tmp, 'first-checkpoint');
    const first = await df.writeStream.format('memory').queryName('files_first').option('checkpointLocation', checkpoint).start();
    const second = await df.writeStream.format('memory').queryName('files_second').start();
    await first.processAllAvailable();
    await second.processAllAvailable();
    expect(await tableValues('files_first', 'v')).toEqual([1]);
    expect(await tableValues('files_second', 'v')).toEqual([1]);

    await first.stop();
    writeFileSync(path.join(input, 'f1.json'), '{"v":2}\n');
    await second.processAllAvailable();
    expect(await tableValues('files_second', 'v')).toEqual([1, 2]);
    expect(second.isActive).toBe(true);

    // The first query restarts from its checkpoint: its own log says f0 was read, so only f1 is new to it.
    const restarted = await df.writeStream.format('memory').queryName('files_first_again').option('checkpointLocation', checkpoint).start();
    await restarted.processAllAvailable();
    expect(await tableValues('files_first_again', 'v')).toEqual([2]);
    writeFileSync(path.join(input, 'f2.json'), '{"v":3}\n');
    await second.processAllAvailable();
    await restarted.processAllAvailable();
    expect(await tableValues('files_second', 'v')).toEqual([1, 2, 3]);
    expect(await tableValues('files_first_again', 'v')).toEqual([2, 3]);
    await Promise.all([second.stop(), restarted.stop()]);
    expect([first.exception, second.exception, restarted.exception]).toEqual([null, null, null]);
    expect(tempCheckpoints()).toEqual([]);
  });

  it('explain() names the relation before any query runs; a batch DataFrame runs beside the query', async () => {
    const df = spark.readStream.format('rate-micro-batch').option('rowsPerBatch', 2).load();
    const query = await df.writeStream.format('memory').queryName('rmb_explained').trigger({ processingTime: '100 milliseconds' }).start();
    expect(df.explain()).toContain('StreamingRelation RatePerMicroBatchStream');
    await untilBatch(query, 1);
    expect(query.explain()).toContain('StreamingDataSource RatePerMicroBatchStream');
    // A batch DataFrame over the memory table runs its own plan while the query writes it.
    expect((await spark.table('rmb_explained').collect()).length).toBeGreaterThanOrEqual(4);
    await query.stop();
    expect(query.exception).toBeNull();
  });
});

describe('queries on one MemoryStream each see all its data, with offsets of their own', () => {
  it('DataFrame face: stopping one query leaves the other reading new data', async () => {
    const events = new MemoryStream(spark, 'v INT');
    const df = events.toDF();
    const first = await df.writeStream.format('memory').queryName('ms_first').start();
    const second = await df.writeStream.format('memory').queryName('ms_second').start();
    events.addData({ v: 1 }, { v: 2 });
    await first.processAllAvailable();
    await second.processAllAvailable();
    await first.stop();
    events.addData({ v: 3 });
    await second.processAllAvailable();
    expect(await tableValues('ms_first', 'v')).toEqual([1, 2]);
    expect(await tableValues('ms_second', 'v')).toEqual([1, 2, 3]);
    // A query started later reads everything from its own start.
    const third = await df.writeStream.format('memory').queryName('ms_third').start();
    await third.processAllAvailable();
    expect(await tableValues('ms_third', 'v')).toEqual([1, 2, 3]);
    await Promise.all([second.stop(), third.stop()]);
    expect([first.exception, second.exception, third.exception]).toEqual([null, null, null]);
    expect(tempCheckpoints()).toEqual([]);
  });

  it('RxJS face: addData still wakes the remaining query after the other stopped (no polling)', async () => {
    const input = new MemoryStream<{ v: number }>();
    const a = memorySink<{ v: number }>({ name: 'wake_a' });
    const b = memorySink<{ v: number }>({ name: 'wake_b' });
    // Idle polling every minute: only the source's wake-up call starts a batch within the test's time.
    const qa = await startQuery({ source: input, sink: a, pollingDelayMs: 60_000 });
    const qb = await startQuery({ source: input, sink: b, pollingDelayMs: 60_000 });
    input.addData({ v: 1 });
    await eventually(() => a.rows().length === 1 && b.rows().length === 1);
    await qb.stop(); // the query that opened the stream last
    input.addData({ v: 2 });
    await eventually(() => a.rows().length === 2);
    expect(a.rows()).toEqual([{ v: 1 }, { v: 2 }]);
    expect(b.rows()).toEqual([{ v: 1 }]);
    await qa.stop();
    expect([qa.exception, qb.exception]).toEqual([null, null]);
    expect(tempCheckpoints()).toEqual([]);
  });
});

describe('temporary checkpoints are removed when a query fails', () => {
  it('a failing query removes its folder; the query beside it on the same stream keeps running', async () => {
    const input = new MemoryStream<{ v: number }>();
    const ok = memorySink<{ v: number }>({ name: 'beside_failing' });
    const healthy = await startQuery({ source: input, sink: ok });
    const failing = await startQuery({
      source: input,
      pipeline: [rows(map((r: { v: number }) => (r.v === 1 ? fail() : r)))],
      sink: memorySink<{ v: number }>({ name: 'failing' }),
    });
    expect(tempCheckpoints()).toHaveLength(2);
    input.addData({ v: 1 });
    await expect(failing.awaitTermination()).rejects.toThrow('boom');
    expect(tempCheckpoints()).toEqual([path.basename(checkpointOf(healthy))]);
    input.addData({ v: 2 });
    await healthy.processAllAvailable();
    expect(ok.rows()).toEqual([{ v: 1 }, { v: 2 }]);
    await healthy.stop();
    expect(tempCheckpoints()).toEqual([]);
  });

  it('a DataFrame query whose foreachBatch throws removes its folder', async () => {
    const events = new MemoryStream(spark, 'v INT');
    const query = await events
      .toDF()
      .writeStream.foreachBatch(() => {
        throw new Error('foreachBatch failed');
      })
      .start();
    expect(tempCheckpoints()).toHaveLength(1);
    events.addData({ v: 1 });
    await expect(query.awaitTermination()).rejects.toThrow('foreachBatch function failed in batch 0');
    expect(tempCheckpoints()).toEqual([]);
  });

  it('a query that cannot start leaves no folder', async () => {
    const input = new MemoryStream<{ v: number }>();
    await expect(startQuery({ source: input, sink: memorySink({ name: 'no_start' }), outputMode: 'complete' })).rejects.toMatchObject({
      code: 'UNSUPPORTED_OPERATION',
    });
    await expect(new MemoryStream(spark, 'v INT').toDF().writeStream.format('memory').queryName('no_start_df').outputMode('complete').start()).rejects.toMatchObject({
      code: 'UNSUPPORTED_OPERATION',
    });
    expect(tempCheckpoints()).toEqual([]);
  });
});

function fail(): never {
  throw new Error('boom');
}
