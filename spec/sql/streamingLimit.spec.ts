/**
 * limit(n) on a stream: in append mode Spark's stateful global limit (the first n rows over the query's life,
 * restarts included, re-run batches emitting what they emitted before); in complete mode each result table is cut;
 * update mode is rejected (analysis.spec.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { MemoryStream, Session } from '../../index';
import { limit } from '../../operators';
import { OperatorHarness } from '../../lib/testing';
import { foreachBatchSink } from '../../sinks';
import { startQuery } from '../../lib/query/startQuery';
import type { Row } from '../../lib/contracts';

describe('streaming limit', () => {
  const spark = Session.builder().appName('limit').getOrCreate();
  afterAll(() => spark.stop());

  it('append: the first n rows over several batches, then nothing (memory table)', async () => {
    const input = new MemoryStream(spark, 'v INT');
    const q = await input.toDF().where('v > 0').limit(3).writeStream.format('memory').queryName('limited').outputMode('append').start();
    try {
      input.addData([{ v: 1 }, { v: -1 }]);
      await q.processAllAvailable();
      input.addData([{ v: 2 }, { v: 3 }, { v: 4 }]);
      await q.processAllAvailable();
      input.addData([{ v: 5 }]);
      await q.processAllAvailable();
      expect(await spark.table('limited').collect()).toEqual([{ v: 1 }, { v: 2 }, { v: 3 }]);
      expect(q.lastProgress?.stateOperators.map((s) => s.operatorName)).toEqual(['globalLimit']);
    } finally {
      await q.stop();
    }
  });

  it('complete: cuts each result table', async () => {
    const input = new MemoryStream(spark, 'w STRING');
    const q = await input.toDF().groupBy('w').count().orderBy('w').limit(2).writeStream.format('memory').queryName('top2').outputMode('complete').start();
    try {
      input.addData([{ w: 'c' }, { w: 'a' }, { w: 'b' }, { w: 'a' }]);
      await q.processAllAvailable();
      expect(await spark.table('top2').collect()).toEqual([
        { w: 'a', count: 2 },
        { w: 'b', count: 1 },
      ]);
    } finally {
      await q.stop();
    }
  });

  it('keeps its count across a restart from the checkpoint (LevelDB state)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'weir-limit-'));
    const seen: number[] = [];
    const input = new MemoryStream<{ v: number }>();
    const run = async () => {
      const q = await startQuery({
        source: input,
        pipeline: [limit(4)],
        sink: foreachBatchSink<Row>((rows) => {
          for (const r of rows) seen.push(r.v as number);
        }),
        outputMode: 'append',
        checkpointLocation: dir,
      });
      await q.processAllAvailable();
      await q.stop();
    };
    try {
      input.addData({ v: 1 }, { v: 2 }, { v: 3 });
      await run();
      input.addData({ v: 4 }, { v: 5 });
      await run();
      input.addData({ v: 6 });
      await run();
      expect(seen).toEqual([1, 2, 3, 4]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the operator on the harness: state survives a snapshot and restore; bad n is rejected', () => {
    const h = new OperatorHarness([limit(2)], { outputMode: 'append' });
    expect(h.processBatch([{ v: 1 }])).toEqual([{ v: 1 }]);
    const snap = h.snapshot();
    const fresh = OperatorHarness.restore([limit(2)], snap, { outputMode: 'append' });
    expect(fresh.processBatch([{ v: 2 }, { v: 3 }])).toEqual([{ v: 2 }]);
    expect(fresh.processBatch([{ v: 4 }])).toEqual([]);
    expect(() => limit(-1)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
