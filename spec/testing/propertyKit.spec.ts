/**
 * The property kit of weir-streams/testing on a windowed count: split invariance (complete, update and append
 * mode) and "append emits once" hold on the DataFrame and the RxJS face for any cutting of keyed events that are
 * at most as late as the watermark delay; and the checks fail on a deliberately wrong query (a watermark shorter
 * than the data's lateness, an update-mode run) and on a wrong model. numRuns from WEIR_PROPERTY_RUNS (default 20).
 */
import fc from 'fast-check';
import { Session } from '../../index';
import type { Row } from '../../lib/contracts';
import { col, count, sum, window } from '../../lib/sql/functions';
import { count as countOp, groupByKey, window as windowOp, withWatermark } from '../../operators';
import {
  batchModel,
  batchedEvents,
  checkAppendEmitsOnce,
  checkPipelineSplitInvariance,
  checkSplitInvariance,
  cut,
  keyedEvents,
  runPipeline,
  runStream,
  type DataFrameQuery,
  type StreamRun,
} from '../../lib/testing';

const numRuns = Number(process.env.WEIR_PROPERTY_RUNS ?? 20);
const T0 = Date.parse('2024-01-01T00:00:00Z');
const schema = 'key STRING, ts TIMESTAMP, value INT';

/** A windowed count (and sum) with a 5 s watermark. */
const counts = (delay = '5 seconds', size = '10 seconds'): DataFrameQuery => (df) =>
  df.withWatermark('ts', delay).groupBy(window(col('ts'), size), col('key')).agg(count('*').alias('n'), sum('value').alias('total'));
/** The same count on the RxJS face. */
const countPipeline = (delay = '5 seconds') => [withWatermark('ts', delay), windowOp('ts', '10 seconds'), groupByKey('window', 'key'), countOp()];
/** An event far in the future: its batch moves the watermark past every window of the data. */
const flush = [{ key: 'flush', ts: new Date('2100-01-01T00:00:00Z'), value: 0 }];
/** Events at most 5 s late (the watermark delay: none is dropped), cut into at most 6 micro-batches. */
const onTime = batchedEvents(keyedEvents({ keys: 3, lateness: 5_000 }), { maxBatches: 6 });
const ev = (key: string, s: number, value = 1): Row => ({ key, ts: new Date(T0 + s * 1000), value });

/** The error a failing fc.assert reports (fast-check's own error carries the property's error as its cause). */
async function failureOf(assertion: Promise<void>): Promise<Error> {
  const error = await assertion.then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  if (error === undefined) throw new Error('expected the property to fail');
  expect(error.message).toContain('Property failed after');
  return (error.cause as Error | undefined) ?? error;
}

let spark: Session;
beforeAll(() => {
  spark = Session.builder().appName('propertyKit').getOrCreate();
});
afterAll(() => spark.stop());

describe('the property kit on the DataFrame face', () => {
  it('complete mode: any cutting ends with the batch model', async () => {
    await fc.assert(
      fc.asyncProperty(onTime, async ({ batches }) => {
        await checkSplitInvariance(counts(), batches, { session: spark, schema, outputMode: 'complete' });
      }),
      { numRuns },
    );
  });

  it("append mode: any cutting ends with the model's closed windows (all of them after a flush), each emitted once", async () => {
    await fc.assert(
      fc.asyncProperty(onTime, async ({ batches }) => {
        const run = await checkSplitInvariance(counts(), batches, { session: spark, schema, outputMode: 'append' });
        checkAppendEmitsOnce(run, { keys: ['window', 'key'] });
        const flushed = await checkSplitInvariance(counts(), batches, { session: spark, schema, outputMode: 'append', flush });
        checkAppendEmitsOnce(flushed, { keys: ['window', 'key'] });
        // The flush closed every window the data opened: the stream emitted the whole model.
        expect(flushed.rows).toHaveLength((await batchModel(counts(), batches.flat(), { session: spark, schema })).length);
      }),
      { numRuns },
    );
  });

  it('update mode: the last row per key of any cutting is the batch model', async () => {
    await fc.assert(
      fc.asyncProperty(onTime, async ({ batches }) => {
        await checkSplitInvariance(counts(), batches, { session: spark, schema, outputMode: 'update', keys: ['window', 'key'] });
      }),
      { numRuns },
    );
  });

  it('a hand-cut case: runStream reports what each batch emitted and the watermark after it', async () => {
    const events = [ev('a', 1), ev('b', 4), ev('a', 12), ev('a', 3), ev('b', 31)];
    const run = await runStream(counts(), cut(events, [2, 2]), { session: spark, schema, outputMode: 'append' });
    const windowOf = (r: Row) => `${(r.window as { start: Date }).start.toISOString().slice(17, 19)}/${String(r.key)}`;
    expect(run.emitted.map((rows) => rows.map(windowOf).sort())).toEqual([[], [], ['00/a', '00/b', '10/a']]);
    expect(run.watermarksMs).toEqual([T0 - 1_000, T0 + 7_000, T0 + 26_000]);
    expect(run.rows.find((r) => windowOf(r) === '00/a')).toMatchObject({ n: 2, total: 2 });
  });
});

describe('the property kit on the RxJS face', () => {
  it('append mode: any cutting ends as the same pipeline over one batch, each window emitted once', async () => {
    await fc.assert(
      fc.asyncProperty(onTime, async ({ batches }) => {
        const run = await checkPipelineSplitInvariance(countPipeline(), batches, { outputMode: 'append' });
        checkAppendEmitsOnce(run, { keys: ['window', 'key'] });
      }),
      { numRuns },
    );
  });

  it('complete mode against a reference function of the rows', async () => {
    const reference = (rows: Row[]): Row[] => {
      const groups = new Map<string, Row>();
      for (const r of rows) {
        const start = Math.floor((r.ts as Date).getTime() / 10_000) * 10_000;
        const id = `${start}/${String(r.key)}`;
        const g = groups.get(id) ?? { window: { start: new Date(start), end: new Date(start + 10_000) }, key: r.key, count: 0 };
        g.count = (g.count as number) + 1;
        groups.set(id, g);
      }
      return [...groups.values()];
    };
    await fc.assert(
      fc.asyncProperty(onTime, async ({ batches }) => {
        await checkPipelineSplitInvariance(countPipeline(), batches, { outputMode: 'complete', model: reference });
      }),
      { numRuns },
    );
  });
});

// The failing properties stop at their first counterexample (endOnFailure): shrinking one runs a stream per
// candidate, and these tests only show that the checks fail.
describe("the kit's checks fail", () => {
  // Events up to 20 s late against a 5 s watermark: some cuttings drop rows as late, the batch model does not.
  const tooLate = batchedEvents(keyedEvents({ keys: 2, lateness: 20_000 }), { maxBatches: 6 });

  it('split invariance, on a query whose watermark is shorter than the lateness of its data', async () => {
    const failure = fc.assert(
      fc.asyncProperty(tooLate, async ({ batches }) => {
        await checkSplitInvariance(counts(), batches, { session: spark, schema, outputMode: 'append', flush });
      }),
      { numRuns: 100, seed: 7, endOnFailure: true },
    );
    expect((await failureOf(failure)).message).toMatch(/Split invariance: streaming \d+ rows in \d+ batches .* in append mode does not end with the batch model/);
  });

  it('split invariance, on the same case cut by hand: the late row is missing from the stream', async () => {
    // The second batch's row is 15 s older than the newest: the watermark (newest - 5 s) has passed its window.
    const batches = cut([ev('a', 15), ev('a', 2)], [1]);
    const error = await checkSplitInvariance(counts(), batches, { session: spark, schema, outputMode: 'append', flush }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain('== Missing from the stream (1) ==');
    expect((error as Error).message).toContain("start: 2024-01-01T00:00:00.000Z");
    // One batch holding both rows drops nothing: the same query passes.
    await checkSplitInvariance(counts(), [batches.flat()], { session: spark, schema, outputMode: 'append', flush });
  });

  it('split invariance, against a wrong model (5 s windows for a 10 s count)', async () => {
    const failure = fc.assert(
      fc.asyncProperty(onTime, async ({ batches }) => {
        await checkSplitInvariance(counts(), batches, { session: spark, schema, outputMode: 'complete', model: counts('5 seconds', '5 seconds') });
      }),
      { numRuns: 50, seed: 7, endOnFailure: true },
    );
    expect((await failureOf(failure)).message).toMatch(/Unexpected in the stream/);
  });

  it('split invariance on the RxJS face, against a wrong reference function', async () => {
    const failure = fc.assert(
      fc.asyncProperty(onTime, async ({ batches }) => {
        // Forgets the last row: wrong whenever there is one.
        const wrong = async (rows: Row[]) => (await runPipeline(countPipeline(), [rows.slice(0, -1)], { outputMode: 'complete' })).rows;
        await checkPipelineSplitInvariance(countPipeline(), batches, { outputMode: 'complete', model: wrong });
      }),
      { numRuns: 50, seed: 7, endOnFailure: true },
    );
    expect((await failureOf(failure)).message).toMatch(/Split invariance: .* does not end with the model/);
  });

  it('append emits once, on an update-mode run (a window updated in two batches is emitted twice)', async () => {
    const run = await runStream(counts(), cut([ev('a', 1), ev('a', 2)], [1]), { session: spark, schema, outputMode: 'update' });
    expect(() => checkAppendEmitsOnce(run, { keys: ['window', 'key'] })).toThrow(/Append emits once: .* before the watermark passed/);
    // Without the window check (no window column named so), the second emission of the key is reported.
    expect(() => checkAppendEmitsOnce(run, { keys: ['window', 'key'], windowColumn: 'none' })).toThrow(
      /the key \(window, key\) of .* was emitted in batch 0 and again in batch 1 of 2 \(update mode\)/,
    );
  });

  it('append emits once, on a property over update-mode runs', async () => {
    const failure = fc.assert(
      fc.asyncProperty(onTime, async ({ batches }) => {
        const run = await runPipeline(countPipeline(), batches, { outputMode: 'update' });
        checkAppendEmitsOnce(run, { keys: ['window', 'key'], windowColumn: 'none' });
      }),
      { numRuns: 100, seed: 7, endOnFailure: true },
    );
    expect((await failureOf(failure)).message).toMatch(/Append emits once/);
  });

  it('append emits once, on a hand-made run that emits a row twice', () => {
    const row = { window: { start: new Date(0), end: new Date(10_000) }, key: 'a', n: 1 };
    const run: StreamRun = {
      outputMode: 'append',
      rows: [row, { ...row }],
      emitted: [[row], [], [{ ...row }]],
      watermarksMs: [10_000, 10_000, 20_000],
      watermarkMs: 20_000,
      batchCount: 3,
      flushed: false,
    };
    expect(() => checkAppendEmitsOnce(run)).toThrow(/the row .* was emitted in batch 0 and again in batch 2 of 3/);
    expect(() => checkAppendEmitsOnce({ ...run, outputMode: 'complete' })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('split invariance in update mode needs the key columns', async () => {
    await expect(checkSplitInvariance(counts(), [[ev('a', 1)]], { session: spark, schema, outputMode: 'update' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });
});
