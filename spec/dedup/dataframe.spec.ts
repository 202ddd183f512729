/**
 * Deduplication through the DataFrame face: dropDuplicates / distinct / dropDuplicatesWithinWatermark compile onto
 * the same operators as the RxJS face, with Spark's analysis messages and the numDroppedDuplicateRows metric.
 */
import { MemoryStream, Session } from '../../index';
import { col } from '../../lib/sql/functions';

let spark: Session;
beforeAll(() => {
  spark = Session.builder().appName('dedup-dataframe').getOrCreate();
});
afterAll(() => spark.stop());

let n = 0;
const table = () => `dedup_df_${(n += 1)}`;

describe('dropDuplicates on streaming DataFrames', () => {
  it('keeps the first row per key across batches and reports numDroppedDuplicateRows under operator "dedupe"', async () => {
    const input = new MemoryStream(spark, 'word STRING, v BIGINT');
    const name = table();
    const q = await input.toDF().dropDuplicates(['word']).writeStream.format('memory').queryName(name).start();
    try {
      input.addData({ word: 'a', v: 1 }, { word: 'b', v: 2 }, { word: 'a', v: 3 });
      await q.processAllAvailable();
      input.addData({ word: 'a', v: 4 }, { word: 'c', v: 5 });
      await q.processAllAvailable();
      expect(await spark.table(name).collect()).toEqual([
        { word: 'a', v: 1 },
        { word: 'b', v: 2 },
        { word: 'c', v: 5 },
      ]);
      const op = q.lastProgress!.stateOperators[0]!;
      expect(op.operatorName).toBe('dedupe');
      expect(op.customMetrics.numDroppedDuplicateRows).toBe(1);
      expect(op.numRowsTotal).toBe(3);
      // The operator's metric joins the state store's own (LevelDB cache metrics), as in Spark's progress.
      expect(JSON.parse(q.lastProgress!.json).stateOperators[0].customMetrics).toEqual(
        expect.objectContaining({ numDroppedDuplicateRows: 1, cacheEntries: 3 }),
      );
    } finally {
      await q.stop();
    }
  });

  it('distinct() and dropDuplicates() use every column; drop_duplicates is the PySpark alias', async () => {
    const input = new MemoryStream(spark, 'word STRING, v BIGINT');
    const name = table();
    const q = await input.toDF().distinct().writeStream.format('memory').queryName(name).start();
    try {
      input.addData({ word: 'a', v: 1 }, { word: 'a', v: 1 }, { word: 'a', v: 2 });
      await q.processAllAvailable();
      expect(await spark.table(name).collect()).toEqual([
        { word: 'a', v: 1 },
        { word: 'a', v: 2 },
      ]);
    } finally {
      await q.stop();
    }
    expect(input.toDF().drop_duplicates('word').explain()).toContain('Deduplicate [word]');
  });

  it('dropDuplicatesWithinWatermark keeps working after a projection (the watermark delay travels with the column)', async () => {
    const input = new MemoryStream(spark, 'id STRING, ts TIMESTAMP, extra STRING');
    const name = table();
    const df = input.toDF().withWatermark('ts', '10 seconds').select(col('id'), col('ts')).dropDuplicatesWithinWatermark('id');
    const q = await df.writeStream.format('memory').queryName(name).start();
    try {
      input.addData({ id: 'a', ts: '2024-01-01T00:00:05Z' }, { id: 'z', ts: '2024-01-01T00:00:26Z' }); // wm -> 16; a expires 15
      await q.processAllAvailable();
      input.addData({ id: 'a', ts: '2024-01-01T00:00:20Z' }, { id: 'z', ts: '2024-01-01T00:00:27Z' });
      await q.processAllAvailable();
      const rows = await spark.table(name).collect();
      expect(rows.map((r) => `${r.id as string}@${(r.ts as Date).toISOString().slice(17, 19)}`)).toEqual(['a@05', 'z@26', 'a@20']);
      expect(q.lastProgress!.stateOperators[0]!.operatorName).toBe('dedupeWithinWatermark');
    } finally {
      await q.stop();
    }
  });

  it("rejects what Spark rejects, with Spark's messages", async () => {
    const input = new MemoryStream(spark, 'word STRING, ts TIMESTAMP');
    await expect(input.toDF().dropDuplicatesWithinWatermark('word').writeStream.format('memory').queryName(table()).start()).rejects.toMatchObject({
      code: 'UNSUPPORTED_OPERATION',
      message: 'dropDuplicatesWithinWatermark is not supported on streaming DataFrames/DataSets without watermark',
    });
    expect(() => input.toDF().dropDuplicates(['nope']).schema).toThrow(
      expect.objectContaining({ code: 'UNRESOLVED_COLUMN', message: 'Cannot resolve column name "nope" among (word, ts).' }),
    );
    await expect(input.toDF().dropDuplicates('word').writeStream.format('memory').queryName(table()).outputMode('complete').start()).rejects.toMatchObject({
      code: 'UNSUPPORTED_OPERATION',
    });
  });
});

describe('dropDuplicates on batch DataFrames', () => {
  const df = () =>
    spark.createDataFrame(
      [
        { word: 'a', v: 1 },
        { word: 'a', v: 1 },
        { word: 'a', v: 2 },
        { word: 'b', v: 2 },
      ],
      'word STRING, v INT',
    );

  it('dropDuplicates(cols), distinct(), and column names resolved case-insensitively', async () => {
    expect(await df().dropDuplicates('WORD').collect()).toEqual([
      { word: 'a', v: 1 },
      { word: 'b', v: 2 },
    ]);
    expect(await df().distinct().count()).toBe(3);
  });

  it("dropDuplicatesWithinWatermark is Spark's error on a batch DataFrame", async () => {
    await expect(df().dropDuplicatesWithinWatermark('word').collect()).rejects.toMatchObject({
      code: 'UNSUPPORTED_OPERATION',
      message: 'dropDuplicatesWithinWatermark is not supported with batch DataFrames/DataSets',
    });
  });
});
