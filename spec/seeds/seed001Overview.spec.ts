/**
 * ../shared/seeds/001_844c27acd411cc9f.txt (Overview of Structured Streaming): its one example (lines 20-57), ported
 * with only the syntax changed; the s3a:// paths are local temporary folders. As written the example does not
 * run in Spark: the file source has no schema (Spark asks for one) and the parquet sink is started in update mode
 * (Spark rejects it). The first test asserts both; the second runs the same pipeline in append mode, the mode
 * Spark's file sink has, so its result can be checked.
 */
import { mkdtempSync, readdirSync, renameSync } from 'node:fs';
import * as path from 'node:path';
import { Session, type StreamingQueryListener, type StreamingQuery } from '../../index';
import { window } from '../../lib/sql/functions';
import { ManualClock } from '../../lib/time/ManualClock';
import { seedHooks, type StdoutCapture, tempDirs } from './seedSupport';

const dirs = tempDirs('weir-seed001-');
let spark: Session;
let out: StdoutCapture;

seedHooks({
  dirs,
  // spark = (SparkSession #(1)!
  //     .builder
  //     .appName("DemoApp")
  //     .getOrCreate())
  start: () => (spark = Session.builder().appName('DemoApp').getOrCreate()),
  capture: (capture) => (out = capture),
});

/** Lands `rows` in `folder` as one parquet file, moved in atomically (as the guide asks of file sources). */
async function landParquet(folder: string, rows: Array<{ age: number; timestamp: string }>): Promise<void> {
  const staging = path.join(mkdtempSync(path.join(dirs.make(), 'staging-')), 'out');
  await spark.createDataFrame(rows, 'age INT, timestamp TIMESTAMP').write.parquet(staging);
  for (const f of readdirSync(staging).filter((n) => n.endsWith('.parquet'))) renameSync(path.join(staging, f), path.join(folder, f));
}

describe('seed 001: Overview of Structured Streaming', () => {
  it('the example as written (lines 20-44) fails in Spark: no schema for the file source, update mode on the parquet sink', async () => {
    const data = dirs.make();
    await landParquet(data, [{ age: 30, timestamp: '2024-01-01T10:01:00Z' }]);
    // source_df = (spark
    //     .readStream # (2)!
    //     .format("parquet") # (3)!
    //     .option("path", "s3a://demo-app/data") # (4)!
    //     .load()) # (5)!
    expect(() => spark.readStream.format('parquet').option('path', data).load()).toThrow(
      "Schema must be specified when creating a streaming source DataFrame. If some files already exist in the directory, then depending on the file format you may be able to create a static DataFrame on that directory with 'spark.read.load(directory)' and infer schema from it.",
    );
    // Spark's remedy for the schema (a conf, not code): infer it from the files that are there.
    spark.conf.set('spark.sql.streaming.schemaInference', 'true');
    try {
      const source_df = spark.readStream.format('parquet').option('path', data).load();
      // transformed_df = (source_df
      //     .filter("age > 25") # (6)!
      //     .withWatermark("timestamp", "15 minutes") # (7)!
      //     .groupBy(window("timestamp", "10 minutes")) # (8)!
      //     .count())
      const transformed_df = source_df.filter('age > 25').withWatermark('timestamp', '15 minutes').groupBy(window('timestamp', '10 minutes')).count();
      // query = (transformed_df
      //     .writeStream # (9)!
      //     .trigger(processingTime="1 minute") # (10)!
      //     .outputMode("update") # (11)!
      //     .option("checkpointLocation", "s3a://demo-app/checkpoint") # (12)!
      //     .format("parquet") # (13)!
      //     .option("path", "s3a://demo-app/sink") # (14)!
      //     .start()) # (15)!
      // Spark 4.0.1: "[STREAMING_OUTPUT_MODE.UNSUPPORTED_DATASOURCE] Invalid streaming output mode: update. This
      // output mode is not supported in Data Source parquet." (weir words it as Spark 3 did, same code path).
      await expect(
        transformed_df.writeStream
          .trigger({ processingTime: '1 minute' })
          .outputMode('update')
          .option('checkpointLocation', dirs.make())
          .format('parquet')
          .option('path', dirs.make())
          .start(),
      ).rejects.toMatchObject({ code: 'UNSUPPORTED_OUTPUT_MODE', message: expect.stringMatching(/parquet.*update|update.*parquet/i) });
    } finally {
      spark.conf.unset('spark.sql.streaming.schemaInference');
    }
  });

  it('the same pipeline in append mode: 1-minute trigger, a progress listener, awaitTermination', async () => {
    const data = dirs.make();
    const sink = dirs.make();
    await landParquet(data, [
      { age: 30, timestamp: '2024-01-01T10:01:00Z' },
      { age: 20, timestamp: '2024-01-01T10:02:00Z' },
      { age: 40, timestamp: '2024-01-01T10:08:00Z' },
    ]);
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const source_df = spark.readStream.format('parquet').schema('age INT, timestamp TIMESTAMP').option('path', data).load();
    const transformed_df = source_df.filter('age > 25').withWatermark('timestamp', '15 minutes').groupBy(window('timestamp', '10 minutes')).count();
    const query: StreamingQuery = await transformed_df.writeStream
      .trigger({ processingTime: '1 minute' })
      .outputMode('append')
      .option('checkpointLocation', dirs.make())
      .format('parquet')
      .option('path', sink)
      .clock(clock)
      .start();
    // # Configure monitoring
    // class QueryListener(StreamingQueryListener): # (16)!
    //     def onQueryProgress(self, event: QueryProgressEvent):
    //         print("Query made progress: ", event.progress)
    // spark.streams.addListener(QueryListener())
    const progressed: number[] = [];
    const listener: StreamingQueryListener = {
      onQueryProgress: (event) => {
        progressed.push(event.progress.batchId);
        process.stdout.write(`Query made progress:  ${event.progress.json}\n`);
      },
    };
    spark.streams.addListener(listener);
    // try:
    //     query.awaitTermination() # (17)!
    // except Exception as e:
    //     # Send alert to your own service
    //     print(f"Got exception {e}")
    const awaited = query.awaitTermination().catch((e: unknown) => `Got exception ${String(e)}`);

    const minute = async () => {
      const idle = clock.whenWaitingAfter(clock.now() + 60_000);
      clock.advance(60_000);
      await idle;
    };
    await clock.whenWaitingAfter(clock.now()); // batch 0 (the first file) ran at start
    await landParquet(data, [{ age: 50, timestamp: '2024-01-01T10:30:00Z' }]);
    await minute(); // batch 1 reads it: the watermark moves to 10:15
    await minute(); // the window [10:00, 10:10) is below the watermark: appended
    await query.stop();
    await spark.streams.bus.drain();
    spark.streams.removeListener(listener);

    expect(await awaited).toBe(true);
    expect(query.exception).toBeNull();
    expect(progressed.slice(0, 3)).toEqual([0, 1, 2]);
    expect(out.writes.filter((w) => w.startsWith('Query made progress:  {"id":'))).toHaveLength(progressed.length);
    const written = await spark.read.parquet(sink).collect();
    expect(written).toEqual([{ window: { start: new Date('2024-01-01T10:00:00Z'), end: new Date('2024-01-01T10:10:00Z') }, count: 2 }]);
  });
});
