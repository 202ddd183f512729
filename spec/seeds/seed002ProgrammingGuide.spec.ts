/**
 * ../shared/seeds/002_ef95b6bc5a7099a2.txt (Structured Streaming Programming Guide, Spark 2.0): every code example
 * that runs on one machine, ported with only the syntax changed. The seed's lines are quoted above the line that
 * ports them (Python where the seed has a Python block, else Scala). spec/seeds/README.md lists what is not
 * ported and why.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { MemoryStream, Session, type StreamingQueryListener } from '../../index';
import { col, count, explode, split, window } from '../../lib/sql/functions';
import { StructType } from '../../lib/values/types';
import { lineServer, seedHooks, type StdoutCapture, tableSet, tempDirs, waitFor } from './seedSupport';

const dirs = tempDirs('weir-seed002-');
let spark: Session;
let out: StdoutCapture;

/** The guide's IoT device rows: `{ device: string, type: string, signal: double, time: string }` (line 391). */
const DEVICE_SCHEMA = 'device STRING, type STRING, signal DOUBLE, time STRING';
const DEVICES = [
  { device: 'd1', type: 'thermo', signal: 5.0, time: '2024-01-01 12:00:10' },
  { device: 'd2', type: 'thermo', signal: 15.0, time: '2024-01-01 12:00:40' },
  { device: 'd3', type: 'camera', signal: 25.0, time: '2024-01-01 12:01:05' },
  { device: 'd2', type: 'thermo', signal: 11.0, time: '2024-01-01 12:01:30' },
];

seedHooks({
  dirs,
  // spark = SparkSession\
  //     .builder()\
  //     .appName("StructuredNetworkWordCount")\
  //     .getOrCreate()
  start: () => (spark = Session.builder().appName('StructuredNetworkWordCount').getOrCreate()),
  capture: (capture) => (out = capture),
});

describe('seed 002: Structured Streaming Programming Guide', () => {
  it('quick example (lines 58-191): socket word count, complete mode, console sink', async () => {
    // $ nc -lk 9999
    const nc = await lineServer();
    const checkpointDir = dirs.make();
    // lines = spark\
    //    .readStream\
    //    .format('socket')\
    //    .option('host', 'localhost')\
    //    .option('port', 9999)\
    //    .load()
    const lines = spark.readStream.format('socket').option('host', '127.0.0.1').option('port', nc.port).load();
    // words = lines.select(
    //    explode(
    //        split(lines.value, ' ')
    //    ).alias('word')
    // )
    const words = lines.select(explode(split(lines.col('value'), ' ')).alias('word'));
    // wordCounts = words.groupBy('word').count()
    const wordCounts = words.groupBy('word').count();
    // query = wordCounts\
    //     .writeStream\
    //     .outputMode('complete')\
    //     .format('console')\
    //     .option('checkpointLocation', checkpointDir)\
    //     .start()
    const query = await wordCounts.writeStream.outputMode('complete').format('console').option('checkpointLocation', checkpointDir).start();
    // query.awaitTermination()
    const terminated = query.awaitTermination();

    // Typed into nc: "apache spark", then "apache hadoop" (the guide's own walk-through).
    await nc.send(['apache spark']);
    await waitFor(() => out.batchIds().length >= 1);
    await nc.send(['apache hadoop']);
    await waitFor(() => out.batchIds().length >= 2);
    expect(query.exception).toBeNull();
    expect(out.batch(0)).toMatch(/^\+------\+-----\+\n\| {2}word\|count\|\n/);
    expect(tableSet(out.batch(0))).toEqual(['apache|1', 'spark|1']);
    expect(tableSet(out.batch(1))).toEqual(['apache|2', 'hadoop|1', 'spark|1']);

    await query.stop();
    await expect(terminated).resolves.toBe(true);
    await nc.close();
  });

  it('creating streaming DataFrames (lines 350-371): socketDF.isStreaming, printSchema, a CSV folder with a user schema', async () => {
    const nc = await lineServer();
    const directory = dirs.make();
    writeFileSync(path.join(directory, 'people.csv'), 'alice;31\nbob;27\n');
    // socketDF = spark \
    //     .readStream()  \
    //     .format("socket") \
    //     .option("host", "localhost") \
    //     .option("port", 9999) \
    //     .load()
    const socketDF = spark.readStream.format('socket').option('host', '127.0.0.1').option('port', nc.port).load();
    // socketDF.isStreaming()    # Returns True for DataFrames that has a streaming source
    expect(socketDF.isStreaming).toBe(true);
    // socketDF.printSchema()
    expect(socketDF.printSchema()).toBe('root\n |-- value: string (nullable = true)\n');
    // userSchema = StructType().add("name", "string").add("age", "integer")
    const userSchema = new StructType().add('name', 'string').add('age', 'integer');
    // csvDF = spark \
    //     .readStream() \
    //     .option("sep", ";") \
    //     .schema(userSchema) \
    //     .csv("/path/to/directory")    # Equivalent to format("cv").load("/path/to/directory")
    const csvDF = spark.readStream.option('sep', ';').schema(userSchema).csv(directory);
    expect(csvDF.isStreaming).toBe(true);
    expect(csvDF.printSchema()).toBe('root\n |-- name: string (nullable = true)\n |-- age: integer (nullable = true)\n');
    // (The seed stops at the DataFrame; to see its rows the test writes it to a memory table.)
    const query = await csvDF.writeStream.format('memory').queryName('people').start();
    await query.processAllAvailable();
    expect(await spark.sql('SELECT name, age FROM people ORDER BY name').collect()).toEqual([
      { name: 'alice', age: 31 },
      { name: 'bob', age: 27 },
    ]);
    await query.stop();
    await nc.close();
  });

  it('basic operations (lines 394-399): untyped select/where and a running count per device type', async () => {
    // val df: DataFrame = … // streaming DataFrame with IOT device data with schema { device: string, type: string, signal: double, time: string }
    const input = new MemoryStream(spark, DEVICE_SCHEMA);
    const df = input.toDF();
    // df.select("device").where("signal > 10")      // using untyped APIs
    const selected = df.select('device').where('signal > 10');
    // df.groupBy("type").count()                          // using untyped API
    const counts = df.groupBy('type').count();
    // (The seed builds the DataFrames only; the test writes them to memory tables to read Spark's result.)
    const q1 = await selected.writeStream.format('memory').queryName('signals').start();
    const q2 = await counts.writeStream.format('memory').queryName('typeCounts').outputMode('complete').start();
    input.addData(...DEVICES);
    await q1.processAllAvailable();
    await q2.processAllAvailable();
    expect(await spark.table('signals').collect()).toEqual([{ device: 'd2' }, { device: 'd3' }, { device: 'd2' }]);
    expect(await spark.sql('SELECT type, count FROM typeCounts ORDER BY type').collect()).toEqual([
      { type: 'camera', count: 1 },
      { type: 'thermo', count: 3 },
    ]);
    await q1.stop();
    await q2.stop();
  });

  it('window operations on event time (lines 426-435): counts and average signal per 1-minute window', async () => {
    const input = new MemoryStream(spark, DEVICE_SCHEMA);
    const df = input.toDF();
    // df.groupBy(window(time, "1 minute"))
    //   .count()
    const perMinute = df.groupBy(window('time', '1 minute')).count();
    // df.groupBy(
    //      "type",
    //      window(time, "1 minute"))
    //   .avg(df.col("signal"))
    // RelationalGroupedDataset.avg takes column names in Scala and PySpark alike, so avg(df.col(...)) does not
    // compile in Spark either: the name is passed.
    const avgSignal = df.groupBy('type', window('time', '1 minute')).avg('signal');
    const q1 = await perMinute.writeStream.format('memory').queryName('perMinute').outputMode('complete').start();
    const q2 = await avgSignal.writeStream.format('memory').queryName('avgSignal').outputMode('complete').start();
    input.addData(...DEVICES);
    await q1.processAllAvailable();
    await q2.processAllAvailable();
    const at = (hms: string) => new Date(`2024-01-01T${hms}Z`);
    expect(await spark.sql('SELECT window.start, window.end, count FROM perMinute ORDER BY window.start').collect()).toEqual([
      { start: at('12:00:00'), end: at('12:01:00'), count: 2 },
      { start: at('12:01:00'), end: at('12:02:00'), count: 2 },
    ]);
    expect(await spark.sql('SELECT type, window.start AS start, `avg(signal)` AS a FROM avgSignal ORDER BY start, type').collect()).toEqual([
      { type: 'thermo', start: at('12:00:00'), a: 10 },
      { type: 'camera', start: at('12:01:00'), a: 25 },
      { type: 'thermo', start: at('12:01:00'), a: 11 },
    ]);
    await q1.stop();
    await q2.stop();
  });

  it('window operations, the prose example (lines 416-420): word counts in 10-minute windows sliding every 5 minutes', async () => {
    // The guide's code block for this picture is the 1-minute example above; the picture's query (words with
    // their times, 10-minute windows updating every 5 minutes) written out, in update mode with a watermark:
    const input = new MemoryStream(spark, 'timestamp TIMESTAMP, word STRING');
    const words = input.toDF();
    const windowedCounts = words
      .withWatermark('timestamp', '10 minutes')
      .groupBy(window(words.col('timestamp'), '10 minutes', '5 minutes'), words.col('word'))
      .count();
    const query = await windowedCounts.writeStream
      .outputMode('update')
      .format('memory')
      .queryName('windowedCounts')
      .option('checkpointLocation', dirs.make())
      .start();
    input.addData({ timestamp: '2024-01-01T12:02:00Z', word: 'cat' }, { timestamp: '2024-01-01T12:03:00Z', word: 'dog' });
    await query.processAllAvailable();
    input.addData({ timestamp: '2024-01-01T12:07:00Z', word: 'owl' }, { timestamp: '2024-01-01T12:08:00Z', word: 'cat' });
    await query.processAllAvailable();
    const at = (hm: string) => new Date(`2024-01-01T${hm}:00Z`);
    // Update mode appends each changed (window, word) row to the memory table: batch 0, then batch 1.
    expect(await spark.sql('SELECT window.start, word, count FROM windowedCounts').collect()).toEqual(
      expect.arrayContaining([
        { start: at('11:55'), word: 'cat', count: 1 },
        { start: at('12:00'), word: 'cat', count: 1 },
        { start: at('11:55'), word: 'dog', count: 1 },
        { start: at('12:00'), word: 'dog', count: 1 },
        { start: at('12:00'), word: 'cat', count: 2 },
        { start: at('12:05'), word: 'cat', count: 1 },
        { start: at('12:00'), word: 'owl', count: 1 },
        { start: at('12:05'), word: 'owl', count: 1 },
      ]),
    );
    expect(await spark.table('windowedCounts').count()).toBe(8);
    await query.stop();
  });

  it('join operations (lines 458-462): inner equi-join with a static DataFrame; "right_join" is no join type', async () => {
    const staticPath = path.join(dirs.make(), 'types.json');
    writeFileSync(staticPath, '{"type":"thermo","unit":"celsius"}\n{"type":"camera","unit":"lux"}\n');
    // val staticDf = spark.read. …
    const staticDf = await spark.read.schema('type STRING, unit STRING').json(staticPath);
    // val streamingDf = spark.readStream. …
    const input = new MemoryStream(spark, DEVICE_SCHEMA);
    const streamingDf = input.toDF();
    // streamingDf.join(staticDf, “type”)                     // inner equi-join with a static DF
    const joined = streamingDf.join(staticDf, 'type');
    // streamingDf.join(staticDf, “type”, “right_join”)  // right outer join with a static DF
    expect(() => streamingDf.join(staticDf, 'type', 'right_join').schema).toThrow(
      "[UNSUPPORTED_JOIN_TYPE] Unsupported join type 'right_join'. Supported join types include: 'inner', 'outer', 'full', 'fullouter', 'full_outer', 'leftouter', 'left', 'left_outer', 'rightouter', 'right', 'right_outer', 'leftsemi', 'left_semi', 'semi', 'leftanti', 'left_anti', 'anti', 'cross'.",
    );
    expect(joined.columns).toEqual(['type', 'device', 'signal', 'time', 'unit']);
    const query = await joined.writeStream.format('memory').queryName('joined').start();
    input.addData(...DEVICES);
    await query.processAllAvailable();
    expect(await spark.sql('SELECT device, unit FROM joined ORDER BY time').collect()).toEqual([
      { device: 'd1', unit: 'celsius' },
      { device: 'd2', unit: 'celsius' },
      { device: 'd3', unit: 'lux' },
      { device: 'd2', unit: 'celsius' },
    ]);
    await query.stop();
  });

  it('unsupported operations (lines 494-502): batch actions on a streaming Dataset fail with Spark\'s message', async () => {
    const df = spark.readStream.format('rate').load();
    // - `count()` - Cannot return a single count from a streaming Dataset.
    // - `show()` - Instead use the console sink (see next section).
    for (const action of [() => df.count(), () => df.show(), () => df.collect()]) {
      await expect(action()).rejects.toMatchObject({
        code: 'UNSUPPORTED_OPERATION',
        message: 'Queries with streaming sources must be executed with writeStream.start(), or from a streaming table or flow definition within a Spark Declarative Pipeline.',
      });
    }
    // ...and the other way round: writeStream on a batch DataFrame.
    expect(() => spark.createDataFrame([{ a: 1 }]).writeStream).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_OPERATION' }));
  });

  it('starting streaming queries (lines 661-695): console, parquet and memory sinks, then SQL over the memory table', async () => {
    const input = new MemoryStream(spark, DEVICE_SCHEMA);
    const deviceDataDf = input.toDF();
    const df = deviceDataDf;
    const destination = dirs.make();
    // Dataset[Row] noAggDF = deviceDataDf.select("device").where("signal > 10")
    const noAggDF = deviceDataDf.select('device').where('signal > 10');
    // noAggDF\
    //    .writeStream()\
    //    .format("console")\
    //    .start();
    const toConsole = await noAggDF.writeStream.format('console').start();
    // noAggDF\
    //    .writeStream()\
    //    .parquet("path/to/destination/directory")\
    //    .start();
    // DataStreamWriter has no parquet() in Spark (Scala, Java or Python): its way is format("parquet").start(path).
    // Without a checkpoint location Spark refuses the file sink:
    await expect(noAggDF.writeStream.format('parquet').start(destination)).rejects.toThrow(
      'checkpointLocation must be specified either through option("checkpointLocation", ...) or SparkSession.conf.set("spark.sql.streaming.checkpointLocation", ...)',
    );
    const toParquet = await noAggDF.writeStream.format('parquet').option('checkpointLocation', dirs.make()).start(destination);
    // Dataset[Row] aggDF = df.groupBy(“device”).count();
    const aggDF = df.groupBy('device').count();
    // aggDF\
    //    .writeStream()\
    //    .outputMode("complete")\
    //    .format("console")\
    //    .start();
    const aggToConsole = await aggDF.writeStream.outputMode('complete').format('console').start();
    // aggDF\
    //    .writeStream()\
    //    .queryName("aggregates")\
    //    .outputMode("complete")\
    //    .format("memory")\
    //    .start();
    const aggToMemory = await aggDF.writeStream.queryName('aggregates').outputMode('complete').format('memory').start();

    input.addData(...DEVICES);
    for (const q of [toConsole, toParquet, aggToConsole, aggToMemory]) await q.processAllAvailable();
    // spark.sql("select * from aggregates).show()   # interactively query in-memory table
    const shown = await spark.sql('select * from aggregates').show();
    expect(shown.split('\n')[1]).toBe('|device|count|');
    expect(tableSet(shown)).toEqual(['d1|1', 'd2|2', 'd3|1']);
    // What the console sinks printed (two queries, each its batch 0).
    const printed = out.writes.filter((w) => w.includes('Batch: 0')).map((w) => tableSet(w.slice(w.indexOf('+'))));
    expect(printed).toContainEqual(['d2', 'd2', 'd3']);
    expect(printed).toContainEqual(['d1|1', 'd2|2', 'd3|1']);
    // The parquet sink committed its files; a batch read sees the selected devices.
    expect(readdirSync(destination)).toContain('_spark_metadata');
    expect((await spark.read.parquet(destination).collect()).map((r) => r.device).sort()).toEqual(['d2', 'd2', 'd3']);
    for (const q of [toConsole, toParquet, aggToConsole, aggToMemory]) await q.stop();
  });

  it('managing streaming queries (lines 770-786): id, name, explain, stop, awaitTermination, exception', async () => {
    const input = new MemoryStream(spark, DEVICE_SCHEMA);
    const df = input.toDF();
    // query = df.writeStream().format("console").start()   # get the query object
    const query = await df.writeStream.format('console').start();
    input.addData(...DEVICES);
    await query.processAllAvailable();
    // query.id()          # get the unique identifier of the running query
    expect(query.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    // query.name()        # get the name of the auto-generated or user-specified name
    expect(query.name).toBeNull();
    // query.explain()   # print detailed explanations of the query
    expect(query.explain()).toContain('== Physical Plan ==');
    // query.stop()      # stop the query
    await query.stop();
    expect(query.isActive).toBe(false);
    // query.awaitTermination()   # block until query is terminated, with stop() or with error
    await expect(query.awaitTermination()).resolves.toBe(true);
    // query.exception()    # the exception if the query has been terminated with error
    expect(query.exception).toBeNull();
    // query.souceStatus()  # progress information about data has been read from the input sources
    // query.sinkStatus()   # progress information about data written to the output sink
    // Both were removed before Spark 2.0.0 shipped; lastProgress.sources / lastProgress.sink replaced them.
    expect(query.lastProgress?.sources[0]).toMatchObject({ numInputRows: 4 });
    expect(query.lastProgress?.sink.description).toContain('Console');
  });

  it('the query manager (lines 826-830): active, get(id), awaitAnyTermination', async () => {
    const df = spark.readStream.format('rate-micro-batch').option('rowsPerBatch', 1).load();
    const a = await df.writeStream.format('noop').start();
    const b = await df.writeStream.format('noop').start();
    // spark.streams().active()    # get the list of currently active streaming queries
    expect(spark.streams.active).toEqual(expect.arrayContaining([a, b]));
    // spark.streams().get(id)   # get a query object by its unique id
    expect(spark.streams.get(b.id)).toBe(b);
    // spark.streams().awaitAnyTermination()   # block until any one of them terminates
    spark.streams.resetTerminated();
    const any = spark.streams.awaitAnyTermination();
    await a.stop();
    await expect(any).resolves.toBe(true);
    expect(spark.streams.active).not.toContain(a);
    await b.stop();
  });

  it('listeners (line 836): started, progress and terminated callbacks, here for a rate source feeding foreachBatch', async () => {
    const seen: Array<{ batchId: number; n: number }> = [];
    const df = spark.readStream.format('rate-micro-batch').option('rowsPerBatch', 10).load();
    const events: string[] = [];
    const listener: StreamingQueryListener = {
      onQueryStarted: (e) => events.push(`started ${e.name}`),
      onQueryProgress: (e) => events.push(`progress ${e.progress.batchId}`),
      onQueryTerminated: () => events.push('terminated'),
    };
    spark.streams.addListener(listener);
    const query = await df
      .withColumn('even', col('value').mod(2).eq(0))
      .writeStream.queryName('evens')
      .foreachBatch(async (batchDf, batchId) => {
        const counted = await batchDf.groupBy('even').agg(count('*').alias('n')).collect();
        seen.push({ batchId, n: counted.reduce((a, r) => a + (r.n as number), 0) });
      })
      .option('checkpointLocation', dirs.make())
      .trigger({ processingTime: '10 milliseconds' })
      .start();
    await waitFor(() => seen.length >= 3);
    expect(query.lastProgress?.numInputRows).toBe(10);
    await query.stop();
    await spark.streams.bus.drain();
    spark.streams.removeListener(listener);
    expect(seen.slice(0, 3)).toEqual([
      { batchId: 0, n: 10 },
      { batchId: 1, n: 10 },
      { batchId: 2, n: 10 },
    ]);
    expect(events[0]).toBe('started evens');
    expect(events).toContain('progress 0');
    expect(events[events.length - 1]).toBe('terminated');
  });

  it('recovering from failures with checkpointing (lines 869-874): a restarted complete-mode query recreates the whole table', async () => {
    const input = new MemoryStream(spark, DEVICE_SCHEMA);
    const aggDF = input.toDF().groupBy('device').count();
    const checkpoint = dirs.make();
    const start = () =>
      // aggDF\
      //    .writeStream()\
      //    .outputMode("complete")\
      //    .option(“checkpointLocation”, “path/to/HDFS/dir”)\
      //    .format("memory")\
      //    .start()
      aggDF.writeStream.outputMode('complete').option('checkpointLocation', checkpoint).format('memory').queryName('recovered').start();
    const first = await start();
    input.addData(...DEVICES.slice(0, 2));
    await first.processAllAvailable();
    await first.stop();
    const second = await start();
    input.addData(...DEVICES.slice(2));
    await second.processAllAvailable();
    // Running counts continue from the checkpointed state: d2 was counted once before the restart, once after.
    expect(await spark.sql('SELECT device, count FROM recovered ORDER BY device').collect()).toEqual([
      { device: 'd1', count: 1 },
      { device: 'd2', count: 2 },
      { device: 'd3', count: 1 },
    ]);
    expect(second.lastProgress?.batchId).toBe(1);
    await second.stop();
  });
});
