/**
 * ../shared/seeds/004_453c145ff1ef270f.txt (Processing Data as it Arrives): every code example that runs on one
 * machine, ported with only the syntax changed. The seed's Python lines are quoted above the line that ports them.
 *
 * The seed reads `orders` from a Kafka topic (lines 16-34); Kafka itself is tested in spec/kafka. Here the topic is
 * a MemoryStream with Kafka's `value` column (BINARY, one JSON order per record) and the seed's own parsing lines
 * turn it into `orders`. Several examples group `orders` by `category`, a field the seed's schema (lines 26-30)
 * does not have: the test "orders has no category" asserts Spark's error for that, and the other tests use the
 * schema with a `category` field added. spec/seeds/README.md lists what is not ported and why.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdtempSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { MemoryStream, Session, type DataFrame, type Row } from '../../index';
import { avg, col, count, current_timestamp, from_json, max, min, session_window, sum, to_timestamp, window } from '../../lib/sql/functions';
import { DoubleType, StringType, StructField, StructType } from '../../lib/values/types';
import { ManualClock } from '../../lib/time/ManualClock';
import { lineServer, parseTable, seedHooks, type StdoutCapture, table, tableObjects, tableSet, tempDirs, waitFor } from './seedSupport';

const dirs = tempDirs('weir-seed004-');
let spark: Session;
let out: StdoutCapture;

seedHooks({
  dirs,
  // spark = SparkSession.builder.appName("StreamDemo").getOrCreate()
  start: () => (spark = Session.builder().appName('StreamDemo').getOrCreate()),
  capture: (capture) => (out = capture),
});

// schema = StructType([
// StructField("order_id", StringType()),
// StructField("event_time", StringType()), # this came from the source system
// StructField("amount", DoubleType())
// ])
const schema = new StructType([
  new StructField('order_id', new StringType()),
  new StructField('event_time', new StringType()), // this came from the source system
  new StructField('amount', new DoubleType()),
]);
/** The seed's schema plus the `category` field its aggregation examples group by. */
const schemaWithCategory = schema.add('category', 'string');

/** The topic `orders` (Kafka's `value` column) and a producer of JSON orders into it. */
function ordersTopic(): { df: DataFrame; send(...orders: object[]): void } {
  const topic = new MemoryStream(spark, 'value BINARY');
  return { df: topic.toDF(), send: (...orders) => void topic.addData(...orders.map((o) => ({ value: Buffer.from(JSON.stringify(o)) }))) };
}

/** Lines 31-34: the JSON value parsed, event time taken from the payload. */
function parseOrders(df: DataFrame, json: StructType = schemaWithCategory): DataFrame {
  // orders = df \
  // .select(from_json(col("value").cast("string"), schema).alias("data")) \
  // .select("data.*") \
  // .withColumn("event_time", to_timestamp("event_time")) # ← event time from payload
  return df.select(from_json(col('value').cast('string'), json).alias('data')).select('data.*').withColumn('event_time', to_timestamp('event_time'));
}

/** Lands `rows` in `folder` as one file of `format`, moved in atomically (as file sources need). */
async function land(folder: string, format: 'parquet' | 'json', rows: Row[], ddl: string): Promise<void> {
  const staging = path.join(mkdtempSync(path.join(dirs.make(), 'staging-')), 'out');
  const df = spark.createDataFrame(rows, ddl);
  await (format === 'parquet' ? df.write.parquet(staging) : df.write.json(staging));
  for (const f of readdirSync(staging).filter((n) => n.startsWith('part-'))) renameSync(path.join(staging, f), path.join(folder, f));
}

const ts = (hms: string) => `2024-01-01 ${hms}`;
const T0 = Date.UTC(2026, 0, 1);

/** Advances `clock` by `ms` and resolves once the trigger sleeps again (the batches due have run). */
async function advance(clock: ManualClock, ms: number): Promise<void> {
  const idle = clock.whenWaitingAfter(clock.now() + ms);
  clock.advance(ms);
  await idle;
}

/** The data rows every console batch printed so far, in order (each batch's rows sorted). */
function printedRows(numeric: readonly string[] = []): Array<Record<string, string | number>> {
  return out.batchIds().flatMap((id) => tableObjects(out.batch(id), numeric));
}

describe('seed 004: Processing Data as it Arrives', () => {
  it('streaming fundamentals (lines 13-45): event time from the payload, processing time, a 30-second trigger', async () => {
    // df = spark \
    // .readStream \
    // .format("kafka") \
    // .option("kafka.bootstrap.servers", "localhost:9092") \
    // .option("subscribe", "orders") \
    // .load()
    const topic = ordersTopic(); // the topic "orders" (see the file comment)
    const df = topic.df;
    // orders = df \
    // .select(from_json(col("value").cast("string"), schema).alias("data")) \
    // .select("data.*") \
    // .withColumn("event_time", to_timestamp("event_time")) # ← event time from payload
    const orders = df.select(from_json(col('value').cast('string'), schema).alias('data')).select('data.*').withColumn('event_time', to_timestamp('event_time'));
    expect(orders.schema.simpleString()).toBe('struct<order_id:string,event_time:timestamp,amount:double>');
    // df_with_proc_time = orders.withColumn("processing_time", current_timestamp())
    const df_with_proc_time = orders.withColumn('processing_time', current_timestamp());
    // query = orders \
    // .writeStream \
    // .trigger(processingTime="30 seconds") # ← "process every 30 seconds"
    // (The seed stops before the sink; the test writes to a memory table and drives time with a manual clock.)
    const clock = new ManualClock(T0);
    const query = await df_with_proc_time.writeStream
      .trigger({ processingTime: '30 seconds' })
      .format('memory')
      .queryName('orders_proc')
      .clock(clock)
      .start();
    await clock.whenWaitingAfter(T0);
    topic.send({ order_id: 'ORD001', event_time: ts('10:00:00'), amount: 150.0 });
    await advance(clock, 30_000);
    topic.send({ order_id: 'ORD002', event_time: ts('10:00:05'), amount: 20.5 });
    await advance(clock, 10_000); // 40 s: the next trigger is at 60 s
    expect(await spark.table('orders_proc').count()).toBe(1);
    await advance(clock, 20_000);
    expect(await spark.sql('SELECT * FROM orders_proc ORDER BY order_id').collect()).toEqual([
      { order_id: 'ORD001', event_time: new Date('2024-01-01T10:00:00Z'), amount: 150, processing_time: new Date(T0 + 30_000) },
      { order_id: 'ORD002', event_time: new Date('2024-01-01T10:00:05Z'), amount: 20.5, processing_time: new Date(T0 + 60_000) },
    ]);
    await query.stop();
  });

  it('orders has no category (lines 26-30 vs 395): grouping by it fails with Spark\'s error', () => {
    const orders = parseOrders(ordersTopic().df, schema);
    expect(() => orders.groupBy('category').agg(sum('amount')).schema).toThrow(
      '[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column, variable, or function parameter with name `category` cannot be resolved. Did you mean one of the following? [`amount`, `order_id`, `event_time`]. SQLSTATE: 42703',
    );
  });

  it('batch and streaming DataFrames (lines 62-79): read.parquet + show, readStream.parquet, batch actions rejected', async () => {
    const folder = dirs.make();
    await land(folder, 'parquet', [
      { order_id: 'ORD001', event_time: '2024-01-01T10:00:00Z', amount: 150.0 },
      { order_id: 'ORD002', event_time: '2024-01-01T10:05:00Z', amount: 80.0 },
    ], 'order_id STRING, event_time TIMESTAMP, amount DOUBLE');
    // batch_df = spark.read.parquet("/data/orders/")
    const batch_df = await spark.read.parquet(folder);
    // batch_df.show() # prints and done
    expect(await batch_df.show()).toBe(
      table(
        '+--------+-------------------+------+',
        '|order_id|         event_time|amount|',
        '+--------+-------------------+------+',
        '|  ORD001|2024-01-01 10:00:00| 150.0|',
        '|  ORD002|2024-01-01 10:05:00|  80.0|',
        '+--------+-------------------+------+',
      ),
    );
    // streaming_df = spark.readStream.parquet("/data/orders/")
    expect(() => spark.readStream.parquet(folder)).toThrow('Schema must be specified when creating a streaming source DataFrame.');
    // Spark's remedy (a conf, not code): infer the schema from the files that are there.
    spark.conf.set('spark.sql.streaming.schemaInference', 'true');
    let streaming_df: DataFrame;
    try {
      streaming_df = spark.readStream.parquet(folder);
    } finally {
      spark.conf.unset('spark.sql.streaming.schemaInference');
    }
    // print(streaming_df.isStreaming) # True
    expect(streaming_df.isStreaming).toBe(true);
    // filtered = streaming_df.filter(col("amount") > 100)
    const filtered = streaming_df.filter(col('amount').gt(100));
    // # streaming_df.show() ← AnalysisException: not supported
    await expect(streaming_df.show()).rejects.toThrow('Queries with streaming sources must be executed with writeStream.start(), or from a streaming table or flow definition within a Spark Declarative Pipeline.');
    // # streaming_df.count() ← AnalysisException: not supported
    await expect(streaming_df.count()).rejects.toMatchObject({
      code: 'UNSUPPORTED_OPERATION',
      message: 'Queries with streaming sources must be executed with writeStream.start(), or from a streaming table or flow definition within a Spark Declarative Pipeline.',
    });
    // query = filtered \
    // .writeStream \
    // .format("console") \
    // .start()
    const query = await filtered.writeStream.format('console').start();
    // query.awaitTermination() # blocks, keeps query running
    const terminated = query.awaitTermination();
    await query.processAllAvailable();
    // The console sink prints a DOUBLE as Spark does (150.0, not 150).
    expect(tableObjects(out.batch(0))).toEqual([{ order_id: 'ORD001', event_time: '2024-01-01 10:00:00', amount: '150.0' }]);
    await query.stop();
    await expect(terminated).resolves.toBe(true);
  });

  it('the StreamingQuery object (lines 81-103): id, name, isActive, lastProgress, status, stop, awaitTermination', async () => {
    const topic = ordersTopic();
    const streaming_df = parseOrders(topic.df);
    const checkpoint = dirs.make();
    // query = streaming_df \
    // .writeStream \
    // .format("console") \
    // .outputMode("append") \
    // .option("checkpointLocation", "/tmp/checkpoint/orders") \
    // .start()
    const query = await streaming_df.writeStream.format('console').outputMode('append').option('checkpointLocation', checkpoint).start();
    topic.send({ order_id: 'ORD001', event_time: ts('10:00:00'), amount: 150.0, category: 'Books' });
    await query.processAllAvailable();
    // print(query.id) # unique ID for this query run
    expect(query.id).toMatch(/^[0-9a-f-]{36}$/);
    // print(query.name) # name (if set)
    expect(query.name).toBeNull();
    // print(query.isActive) # True if still running
    expect(query.isActive).toBe(true);
    // print(query.lastProgress) # dict with metrics from last batch
    expect(query.lastProgress).toMatchObject({ id: query.id, runId: query.runId, batchId: 0, numInputRows: 1 });
    // print(query.status) # current status dict
    expect(query.status).toEqual({ message: expect.any(String), isDataAvailable: expect.any(Boolean), isTriggerActive: expect.any(Boolean) });
    // query.stop()
    await query.stop();
    // query.awaitTermination()
    await expect(query.awaitTermination()).resolves.toBe(true);
    // query.awaitTermination(timeout=60)
    await expect(query.awaitTermination(60_000)).resolves.toBe(true);
    expect(query.isActive).toBe(false);
    // query1 = df1.writeStream.format("console").start()
    const df1 = streaming_df;
    const query1 = await df1.writeStream.format('console').start();
    // query2 = df2.writeStream.format("delta").option("path", "/output").start()   (Delta Lake: see README.md)
    // spark.streams.awaitAnyTermination() # wait for any one to finish
    spark.streams.resetTerminated();
    const any = spark.streams.awaitAnyTermination();
    await query1.stop();
    await expect(any).resolves.toBe(true);
  });

  it('file sources (lines 170-183): parquet and json folders with a schema', async () => {
    const parquetFolder = dirs.make();
    const jsonFolder = dirs.make();
    await land(parquetFolder, 'parquet', [{ order_id: 'P1', event_time: ts('10:00:00'), amount: 1.5 }], 'order_id STRING, event_time STRING, amount DOUBLE');
    writeFileSync(path.join(jsonFolder, 'orders-1.json'), '{"order_id":"J1","event_time":"2024-01-01 11:00:00","amount":2.5}\n');
    // file_stream = spark \
    // .readStream \
    // .format("parquet") \
    // .schema(schema) # MUST provide schema for file source
    // .option("path", "/landing/orders/") \
    // .load()
    const file_stream = spark.readStream.format('parquet').schema(schema).option('path', parquetFolder).load();
    // json_stream = spark \
    // .readStream \
    // .format("json") \
    // .schema(schema) \
    // .option("path", "/landing/json/") \
    // .load()
    const json_stream = spark.readStream.format('json').schema(schema).option('path', jsonFolder).load();
    // (The seed stops at the DataFrames; the test writes them to memory tables to read their rows.)
    const q1 = await file_stream.writeStream.format('memory').queryName('landing_parquet').start();
    const q2 = await json_stream.writeStream.format('memory').queryName('landing_json').start();
    await q1.processAllAvailable();
    await q2.processAllAvailable();
    expect(await spark.table('landing_parquet').collect()).toEqual([{ order_id: 'P1', event_time: '2024-01-01 10:00:00', amount: 1.5 }]);
    expect(await spark.table('landing_json').collect()).toEqual([{ order_id: 'J1', event_time: '2024-01-01 11:00:00', amount: 2.5 }]);
    await q1.stop();
    await q2.stop();
  });

  it('socket source (lines 192-204): each line typed into nc is a row', async () => {
    // # Run: nc -lk 9999 (in terminal to send text lines)
    const nc = await lineServer();
    // socket_df = spark \
    // .readStream \
    // .format("socket") \
    // .option("host", "localhost") \
    // .option("port", 9999) \
    // .load()
    const socket_df = spark.readStream.format('socket').option('host', '127.0.0.1').option('port', nc.port).load();
    // words = socket_df.select(
    // col("value").alias("word")
    // )
    const words = socket_df.select(col('value').alias('word'));
    // query = words.writeStream.format("console").start()
    const query = await words.writeStream.format('console').start();
    await nc.send(['hello world', 'spark']);
    const printed = () => out.batchIds().flatMap((id) => tableSet(out.batch(id)));
    await waitFor(() => printed().length >= 2);
    expect(parseTable(out.batch(0)!).header).toEqual(['word']);
    expect(printed().sort()).toEqual(['hello world', 'spark']);
    await query.stop();
    await nc.close();
  });

  it('rate source (lines 206-221): schema, and a watermarked 1-minute window count in update mode', async () => {
    // rate_df = spark \
    // .readStream \
    // .format("rate") \
    // .option("rowsPerSecond", 100) \
    // .load()
    const rate_df = spark.readStream.format('rate').option('rowsPerSecond', 100).load();
    // rate_df.printSchema()
    expect(rate_df.printSchema()).toBe('root\n |-- timestamp: timestamp (nullable = true)\n |-- value: long (nullable = true)\n');
    // windowed = rate_df \
    // .withWatermark("timestamp", "10 seconds") \
    // .groupBy(window("timestamp", "1 minute")) \
    // .count()
    const windowed = rate_df.withWatermark('timestamp', '10 seconds').groupBy(window('timestamp', '1 minute')).count();
    // query = windowed.writeStream.format("console").outputMode("update").start()
    const query = await windowed.writeStream.format('console').outputMode('update').start();
    // query.awaitTermination()
    const terminated = query.awaitTermination();
    const rowsRead = () => query.recentProgress.reduce((n, p) => n + p.numInputRows, 0);
    await waitFor(() => rowsRead() >= 200 && out.batchIds().length >= 2, () => undefined, 20_000);
    await query.stop();
    await expect(terminated).resolves.toBe(true);
    // Update mode prints each window's running count when it changes: the last count printed for each window,
    // summed over windows, is every row the query read (no row is late: the watermark trails by 10 s).
    const last = new Map<string, number>();
    for (const id of out.batchIds()) for (const r of tableObjects(out.batch(id), ['count'])) last.set(String(r.window), r.count as number);
    expect([...last.values()].reduce((a, b) => a + b, 0)).toBe(rowsRead());
    expect(query.exception).toBeNull();
  });

  it('console sink (lines 294-310): numRows and truncate=false', async () => {
    const topic = ordersTopic();
    const orders = parseOrders(topic.df, schema);
    // query = orders \
    // .writeStream \
    // .format("console") \
    // .option("numRows", 20) # show 20 rows per batch
    // .option("truncate", "false") # show full column values
    // .outputMode("append") \
    // .start()
    const query = await orders.writeStream.format('console').option('numRows', 20).option('truncate', 'false').outputMode('append').start();
    topic.send({ order_id: 'ORD001', event_time: ts('10:00:00'), amount: 150.0 });
    await query.processAllAvailable();
    await query.stop();
    // # Output looks like:  (the seed's sample puts amount before event_time; Spark prints the schema's order)
    // # -------------------------------------------
    // # Batch: 0
    // # -------------------------------------------
    // # +--------+------+-------------------+
    // # |order_id|amount|event_time |
    // # +--------+------+-------------------+
    // # |ORD001 |150.0 |2024-01-01 10:00:00|
    // # +--------+------+-------------------+
    const printed = out.writes.find((w) => w.includes('Batch: 0'))!;
    const lines = printed.split('\n');
    expect(lines.slice(0, 6)).toEqual([
      '-------------------------------------------',
      'Batch: 0',
      '-------------------------------------------',
      expect.stringMatching(/^\+--------\+-------------------\+------\+?-*\+?$/),
      expect.stringMatching(/^\|order_id\|event_time {9}\|amount/),
      expect.stringMatching(/^\+--------\+-------------------\+/),
    ]);
    // Spark prints the DOUBLE 150.0 as `150.0`; weir's console sink prints `150` (see README.md), so the cell's
    // value is compared.
    expect(tableObjects(printed, ['amount'])).toEqual([{ order_id: 'ORD001', event_time: '2024-01-01 10:00:00', amount: 150 }]);
  });

  it('memory sink (lines 312-321): query the in-memory table with spark.sql', async () => {
    const topic = ordersTopic();
    const orders = parseOrders(topic.df, schema);
    // query = orders \
    // .writeStream \
    // .format("memory") \
    // .queryName("orders_mem") \
    // .outputMode("append") \
    // .start()
    const query = await orders.writeStream.format('memory').queryName('orders_mem').outputMode('append').start();
    topic.send({ order_id: 'ORD001', event_time: ts('10:00:00'), amount: 150.0 }, { order_id: 'ORD002', event_time: ts('10:01:00'), amount: 99.5 });
    await query.processAllAvailable();
    // spark.sql("SELECT COUNT(*) FROM orders_mem").show()
    expect(await spark.sql('SELECT COUNT(*) FROM orders_mem').show()).toBe(table('+--------+', '|count(1)|', '+--------+', '|       2|', '+--------+'));
    // spark.sql("SELECT * FROM orders_mem LIMIT 10").show()
    expect(await spark.sql('SELECT * FROM orders_mem LIMIT 10').show()).toBe(
      table(
        '+--------+-------------------+------+',
        '|order_id|         event_time|amount|',
        '+--------+-------------------+------+',
        '|  ORD001|2024-01-01 10:00:00| 150.0|',
        '|  ORD002|2024-01-01 10:01:00|  99.5|',
        '+--------+-------------------+------+',
      ),
    );
    await query.stop();
  });

  it('foreachBatch (lines 323-347): a function per micro-batch (the Delta and JDBC writes left out)', async () => {
    const topic = ordersTopic();
    const orders = parseOrders(topic.df);
    const summaries: Row[][] = [];
    // def process_batch(batch_df, batch_id):
    // print(f"Processing batch {batch_id}, rows: {batch_df.count()}")
    // (batch_df.write.format("delta")... and summary.write.format("jdbc")...: Delta Lake and PostgreSQL, see README.md)
    // summary = batch_df.groupBy("category").agg(sum("amount").alias("total"))
    // (line 347: batch_df.cache() → process → batch_df.unpersist() when the batch is read more than once)
    const process_batch = async (batch_df: DataFrame, batch_id: number) => {
      batch_df.cache();
      process.stdout.write(`Processing batch ${batch_id}, rows: ${await batch_df.count()}\n`);
      const summary = batch_df.groupBy('category').agg(sum('amount').alias('total'));
      summaries[batch_id] = await summary.orderBy('category').collect();
      batch_df.unpersist();
    };
    // query = orders \
    // .writeStream \
    // .foreachBatch(process_batch) \
    // .option("checkpointLocation", "/checkpoints/foreach") \
    // .start()
    const query = await orders.writeStream.foreachBatch(process_batch).option('checkpointLocation', dirs.make()).start();
    topic.send(
      { order_id: 'o1', event_time: ts('10:00:00'), amount: 10.0, category: 'Books' },
      { order_id: 'o2', event_time: ts('10:01:00'), amount: 5.5, category: 'Books' },
      { order_id: 'o3', event_time: ts('10:02:00'), amount: 7.0, category: 'Games' },
    );
    await query.processAllAvailable();
    topic.send({ order_id: 'o4', event_time: ts('10:03:00'), amount: 1.0, category: 'Games' });
    await query.processAllAvailable();
    await query.stop();
    expect(out.writes.filter((w) => w.startsWith('Processing batch'))).toEqual(['Processing batch 0, rows: 3\n', 'Processing batch 1, rows: 1\n']);
    expect(summaries).toEqual([
      [
        { category: 'Books', total: 15.5 },
        { category: 'Games', total: 7 },
      ],
      [{ category: 'Games', total: 1 }],
    ]);
  });

  it('foreach (lines 349-364): a writer posting each row to a REST API (a loopback HTTP server)', async () => {
    const received: unknown[] = [];
    const api = createServer((req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        received.push({ path: req.url, row: JSON.parse(body) as unknown });
        res.end('{}');
      });
    });
    await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(api.address() as { port: number }).port}/events`;
    const create_requests_session = () => ({
      post: async (to: string, { json }: { json: unknown }) => {
        await (await fetch(to, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) })).text();
      },
      close: () => undefined,
    });
    const calls: string[] = [];
    // class RestApiWriter:
    // def open(self, partition_id, epoch_id):
    // # Called once per partition — set up connection here
    // self.session = create_requests_session()
    // return True
    // def process(self, row):
    // # Called for each row in the partition
    // self.session.post("https://api.example.com/events", json=row.asDict())
    // def close(self, error):
    // # Called when partition processing is done
    // self.session.close()
    class RestApiWriter {
      private session = create_requests_session();
      open(partition_id: number, epoch_id: number): boolean {
        calls.push(`open ${partition_id} ${epoch_id}`);
        this.session = create_requests_session();
        return true;
      }
      async process(row: Row): Promise<void> {
        await this.session.post(url, { json: row });
      }
      close(error: unknown): void {
        calls.push(`close ${String(error)}`);
        this.session.close();
      }
    }
    const topic = ordersTopic();
    const orders = parseOrders(topic.df, schema);
    // query = orders \
    // .writeStream \
    // .foreach(RestApiWriter()) \
    // .option("checkpointLocation", "/checkpoints/foreach_row") \
    // .start()
    const query = await orders.writeStream.foreach(new RestApiWriter()).option('checkpointLocation', dirs.make()).start();
    topic.send({ order_id: 'ORD001', event_time: ts('10:00:00'), amount: 150.0 }, { order_id: 'ORD002', event_time: ts('10:01:00'), amount: 9.5 });
    await query.processAllAvailable();
    await query.stop();
    await new Promise<void>((r) => api.close(() => r()));
    // Python's json cannot encode the datetime in event_time (row.asDict() holds one); JSON.stringify writes ISO-8601.
    expect(received).toEqual([
      { path: '/events', row: { order_id: 'ORD001', event_time: '2024-01-01T10:00:00.000Z', amount: 150 } },
      { path: '/events', row: { order_id: 'ORD002', event_time: '2024-01-01T10:01:00.000Z', amount: 9.5 } },
    ]);
    expect(calls).toEqual(['open 0 0', 'close null']);
  });

  it('append mode with aggregation (lines 391-403): a window is appended once the watermark passes its end', async () => {
    const topic = ordersTopic();
    const orders = parseOrders(topic.df);
    // agg_df = orders \
    // .withWatermark("event_time", "10 minutes") \ # REQUIRED for append + agg
    // .groupBy(window("event_time", "1 hour"), "category") \
    // .agg(sum("amount").alias("total_amount"))
    const agg_df = orders.withWatermark('event_time', '10 minutes').groupBy(window('event_time', '1 hour'), 'category').agg(sum('amount').alias('total_amount'));
    // query = agg_df \
    // .writeStream \
    // .outputMode("append") \
    // .format("console") \
    // .start()
    const query = await agg_df.writeStream.outputMode('append').format('console').start();
    topic.send(
      { order_id: 'o1', event_time: ts('10:05:00'), amount: 100.0, category: 'Electronics' },
      { order_id: 'o2', event_time: ts('10:20:00'), amount: 50.0, category: 'Electronics' },
      { order_id: 'o3', event_time: ts('10:40:00'), amount: 30.0, category: 'Clothing' },
    );
    await query.processAllAvailable();
    expect(printedRows()).toEqual([]); // watermark 10:30: the 10:00-11:00 window may still change
    topic.send({ order_id: 'o4', event_time: ts('11:15:00'), amount: 20.0, category: 'Clothing' });
    await query.processAllAvailable();
    await waitFor(() => printedRows().length >= 2, () => query.processAllAvailable());
    // watermark 11:05 >= 11:00: the window is final and appended, once
    expect(printedRows(['total_amount'])).toEqual([
      { window: '{2024-01-01 10:00...', category: 'Clothing', total_amount: 30 },
      { window: '{2024-01-01 10:00...', category: 'Electronics', total_amount: 150 },
    ]);
    topic.send({ order_id: 'late', event_time: ts('10:50:00'), amount: 999.0, category: 'Electronics' }); // window end 11:00 <= 11:05: dropped
    topic.send({ order_id: 'o5', event_time: ts('12:30:00'), amount: 5.0, category: 'Books' });
    await query.processAllAvailable();
    await waitFor(() => printedRows().length >= 3, () => query.processAllAvailable());
    expect(printedRows(['total_amount']).slice(2)).toEqual([{ window: '{2024-01-01 11:00...', category: 'Clothing', total_amount: 20 }]);
    await query.stop();
  });

  it('update mode (lines 405-419): only the categories that changed are written, as the seed\'s batches show', async () => {
    const topic = ordersTopic();
    const orders = parseOrders(topic.df);
    // agg_df = orders \
    // .groupBy("category") \
    // .agg(sum("amount").alias("total_amount"), count("*").alias("order_count"))
    const agg_df = orders.groupBy('category').agg(sum('amount').alias('total_amount'), count('*').alias('order_count'));
    // query = agg_df \
    // .writeStream \
    // .outputMode("update") \
    // .format("console") \
    // .start()
    const query = await agg_df.writeStream.outputMode('update').format('console').start();
    const order = (amount: number, category: string) => ({ order_id: `${category}-${amount}`, event_time: ts('10:00:00'), amount, category });
    topic.send(order(200, 'Electronics'), order(300, 'Electronics'));
    await query.processAllAvailable();
    topic.send(order(300, 'Electronics'), order(200, 'Clothing'));
    await query.processAllAvailable();
    topic.send(order(150, 'Clothing'));
    await query.processAllAvailable();
    await query.stop();
    // # Batch 1: category=Electronics → total=500
    expect(tableObjects(out.batch(0), ['total_amount', 'order_count'])).toEqual([{ category: 'Electronics', total_amount: 500, order_count: 2 }]);
    // # Batch 2: category=Electronics → total=800 (updated!)
    // # Batch 2: category=Clothing → total=200 (new!)
    expect(tableObjects(out.batch(1), ['total_amount', 'order_count'])).toEqual([
      { category: 'Clothing', total_amount: 200, order_count: 1 },
      { category: 'Electronics', total_amount: 800, order_count: 3 },
    ]);
    // # Batch 3: category=Clothing → total=350 (updated!)
    expect(tableObjects(out.batch(2), ['total_amount', 'order_count'])).toEqual([{ category: 'Clothing', total_amount: 350, order_count: 2 }]);
    expect(out.batchIds()).toEqual([0, 1, 2]);
  });

  it('complete mode (lines 423-438): every word every trigger, as the seed\'s batches show', async () => {
    const nc = await lineServer();
    const socket_df = spark.readStream.format('socket').option('host', '127.0.0.1').option('port', nc.port).load();
    // word_counts = socket_df \
    // .groupBy("word") \
    // .count()
    // socket_df has only `value` (line 199): Spark cannot resolve `word`.
    expect(() => socket_df.groupBy('word').count().schema).toThrow(
      '[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column, variable, or function parameter with name `word` cannot be resolved. Did you mean one of the following? [`value`]. SQLSTATE: 42703',
    );
    // The `words` of lines 200-202 have the column:
    const words = socket_df.select(col('value').alias('word'));
    const word_counts = words.groupBy('word').count();
    // query = word_counts \
    // .writeStream \
    // .outputMode("complete") \
    // .format("console") \
    // .start()
    const query = await word_counts.writeStream.outputMode('complete').format('console').start();
    // Each step's lines go in one write; the step is done when a batch prints its complete table (if the socket
    // ever split a write, an extra intermediate batch would be printed first: the tables are found by content).
    const printed = (table: string[]) => out.batchIds().some((id) => JSON.stringify(tableSet(out.batch(id))) === JSON.stringify(table));
    // # Batch 1: hello=2, world=1
    await nc.send(['hello', 'hello', 'world']);
    await waitFor(() => printed(['hello|2', 'world|1']));
    // # Batch 2: hello=3, world=2, spark=1 ← ALL words, not just changed
    await nc.send(['hello', 'world', 'spark']);
    await waitFor(() => printed(['hello|3', 'spark|1', 'world|2']));
    // # Batch 3: hello=3, world=3, spark=2 ← ALL words again
    await nc.send(['world', 'spark']);
    await waitFor(() => printed(['hello|3', 'spark|2', 'world|3']));
    await query.stop();
    await nc.close();
    expect(tableSet(out.batch(0))).toEqual(['hello|2', 'world|1']);
    expect(out.batchIds()).toEqual([0, 1, 2]);
  });

  it('processing-time triggers (lines 455-470): every 10 seconds, and 0 seconds (back to back)', async () => {
    const topic = ordersTopic();
    const orders = parseOrders(topic.df, schema);
    const clock = new ManualClock(T0);
    // query = orders.writeStream \
    // .trigger(processingTime="10 seconds") \
    // .format("console") \
    // .start()
    const query = await orders.writeStream.trigger({ processingTime: '10 seconds' }).format('console').clock(clock).start();
    await clock.whenWaitingAfter(T0);
    topic.send({ order_id: 'a', event_time: ts('10:00:00'), amount: 1.0 });
    await advance(clock, 5_000);
    expect(out.batchIds()).toEqual([]);
    await advance(clock, 5_000);
    expect(out.batchIds()).toEqual([0]);
    await query.stop();
    // query3 = orders.writeStream \
    // .trigger(processingTime="0 seconds") \
    // .format("console") \
    // .start()
    const query3 = await orders.writeStream.trigger({ processingTime: '0 seconds' }).format('console').start();
    await query3.processAllAvailable();
    topic.send({ order_id: 'b', event_time: ts('10:00:01'), amount: 2.0 });
    await query3.processAllAvailable();
    await query3.stop();
    // query3 is a new query (no checkpoint): it reads both orders, in one or two batches, without waiting.
    const printed = out.writes.filter((w) => w.includes('Batch: ')).flatMap((w) => tableObjects(w.slice(w.indexOf('+')), ['amount']));
    expect(printed.slice(1)).toEqual(
      expect.arrayContaining([
        { order_id: 'a', event_time: '2024-01-01 10:00:00', amount: 1 },
        { order_id: 'b', event_time: '2024-01-01 10:00:01', amount: 2 },
      ]),
    );
    expect(printed).toHaveLength(3);
  });

  it('trigger fragments (lines 605-606): availableNow and once process what is there, then stop', async () => {
    const topic = ordersTopic();
    const orders = parseOrders(topic.df, schema);
    topic.send({ order_id: 'a', event_time: ts('10:00:00'), amount: 1.0 }, { order_id: 'b', event_time: ts('10:00:01'), amount: 2.0 });
    // .trigger(availableNow=True)
    const availableNow = await orders.writeStream.trigger({ availableNow: true }).format('memory').queryName('available_now').start();
    await expect(availableNow.awaitTermination(10_000)).resolves.toBe(true);
    // .trigger(once=True) # deprecated
    const once = await orders.writeStream.trigger({ once: true }).format('memory').queryName('once').start();
    await expect(once.awaitTermination(10_000)).resolves.toBe(true);
    expect(await spark.table('available_now').count()).toBe(2);
    expect(await spark.table('once').count()).toBe(2);
    expect(once.recentProgress.map((p) => p.batchId)).toEqual([0]);
  });

  it('trigger fragment (line 607): continuous="1s" fails as in Spark, which cannot parse "1s" as an interval', async () => {
    const topic = ordersTopic();
    const orders = parseOrders(topic.df, schema);
    // .trigger(continuous="1s")
    expect(() => orders.writeStream.trigger({ continuous: '1s' })).toThrow(
      expect.objectContaining({
        code: 'INVALID_ARGUMENT',
        message:
          "[INVALID_INTERVAL_FORMAT.INVALID_VALUE] Error parsing '1s' to interval. Please ensure that the value provided is in a valid format for defining an interval. You can reference the documentation for the correct format. Invalid value 1s. SQLSTATE: 22006",
      }),
    );
    expect(() => orders.writeStream.trigger({ processingTime: '10s' })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('tumbling window (lines 513-535): count and sum per category per hour, window.start / window.end selected', async () => {
    const topic = ordersTopic();
    const orders = parseOrders(topic.df);
    // windowed_agg = orders \
    // .withWatermark("event_time", "10 minutes") \ # allow 10 min late data
    // .groupBy(
    // window(col("event_time"), "1 hour"), # tumbling 1-hour window
    // col("category")
    // ) \
    // .agg(
    // count("*").alias("order_count"),
    // sum("amount").alias("total_amount")
    // )
    const windowed_agg = orders
      .withWatermark('event_time', '10 minutes')
      .groupBy(window(col('event_time'), '1 hour'), col('category'))
      .agg(count('*').alias('order_count'), sum('amount').alias('total_amount'));
    // windowed_result = windowed_agg.select(
    // col("window.start").alias("window_start"),
    // col("window.end").alias("window_end"),
    // "category", "order_count", "total_amount"
    // )
    const windowed_result = windowed_agg.select(col('window.start').alias('window_start'), col('window.end').alias('window_end'), 'category', 'order_count', 'total_amount');
    // query = windowed_result \
    // .writeStream \
    // .outputMode("update") \
    // .format("console") \
    // .start()
    const query = await windowed_result.writeStream.outputMode('update').format('console').start();
    topic.send(
      { order_id: 'o1', event_time: ts('10:05:00'), amount: 100.0, category: 'Electronics' },
      { order_id: 'o2', event_time: ts('10:20:00'), amount: 50.0, category: 'Electronics' },
      { order_id: 'o3', event_time: ts('10:40:00'), amount: 30.0, category: 'Clothing' },
    );
    await query.processAllAvailable();
    topic.send({ order_id: 'o4', event_time: ts('11:10:00'), amount: 10.0, category: 'Electronics' });
    await query.processAllAvailable();
    await query.stop();
    const numeric = ['order_count', 'total_amount'];
    expect(tableObjects(out.batch(0), numeric)).toEqual([
      { window_start: ts('10:00:00'), window_end: ts('11:00:00'), category: 'Clothing', order_count: 1, total_amount: 30 },
      { window_start: ts('10:00:00'), window_end: ts('11:00:00'), category: 'Electronics', order_count: 2, total_amount: 150 },
    ]);
    const later = out.batchIds().slice(1).flatMap((id) => tableObjects(out.batch(id), numeric));
    expect(later).toEqual([{ window_start: ts('11:00:00'), window_end: ts('12:00:00'), category: 'Electronics', order_count: 1, total_amount: 10 }]);
  });

  it('sliding window (lines 537-547): 1-hour windows every 30 minutes; a slide longer than the window is rejected', async () => {
    const topic = ordersTopic();
    const orders = parseOrders(topic.df);
    // sliding_agg = orders \
    // .withWatermark("event_time", "10 minutes") \
    // .groupBy(
    // window(col("event_time"), "1 hour", "30 minutes"), # size, slide
    // col("category")
    // ) \
    // .agg(count("*").alias("order_count"))
    const sliding_agg = orders
      .withWatermark('event_time', '10 minutes')
      .groupBy(window(col('event_time'), '1 hour', '30 minutes'), col('category'))
      .agg(count('*').alias('order_count'));
    // (The seed stops at the DataFrame; the test writes it to a memory table in update mode.)
    const query = await sliding_agg.writeStream.outputMode('update').format('memory').queryName('sliding').start();
    topic.send(
      { order_id: 'o1', event_time: ts('10:05:00'), amount: 1.0, category: 'Books' },
      { order_id: 'o2', event_time: ts('10:40:00'), amount: 1.0, category: 'Books' },
    );
    await query.processAllAvailable();
    await query.stop();
    expect(await spark.sql('SELECT window.start, window.end, category, order_count FROM sliding ORDER BY window.start').collect()).toEqual([
      { start: new Date('2024-01-01T09:30:00Z'), end: new Date('2024-01-01T10:30:00Z'), category: 'Books', order_count: 1 },
      { start: new Date('2024-01-01T10:00:00Z'), end: new Date('2024-01-01T11:00:00Z'), category: 'Books', order_count: 2 },
      { start: new Date('2024-01-01T10:30:00Z'), end: new Date('2024-01-01T11:30:00Z'), category: 'Books', order_count: 1 },
    ]);
    // # If slide > window_size → AnalysisException (gaps, not allowed)
    expect(() => orders.groupBy(window(col('event_time'), '1 hour', '2 hours'), col('category')).count().schema).toThrow(
      '[DATATYPE_MISMATCH.PARAMETER_CONSTRAINT_VIOLATION] Cannot resolve "window(event_time, 3600000000, 7200000000, 0)" due to data type mismatch: The `slide_duration`(7200000000L) must be <= the `window_duration`(3600000000L). SQLSTATE: 42K09',
    );
  });

  it('rolling average (lines 549-560): 5-minute windows sliding every minute', async () => {
    const sensors = new MemoryStream(spark, 'sensor_id STRING, temperature DOUBLE, event_time TIMESTAMP');
    const sensor_df = sensors.toDF();
    // rolling_avg = sensor_df \
    // .withWatermark("event_time", "5 minutes") \
    // .groupBy(
    // window(col("event_time"), "5 minutes", "1 minute"),
    // col("sensor_id")
    // ) \
    // .agg(avg("temperature").alias("avg_temp"))
    const rolling_avg = sensor_df
      .withWatermark('event_time', '5 minutes')
      .groupBy(window(col('event_time'), '5 minutes', '1 minute'), col('sensor_id'))
      .agg(avg('temperature').alias('avg_temp'));
    // query = rolling_avg \
    // .writeStream \
    // .outputMode("update") \
    // .format("console") \
    // .start()
    const query = await rolling_avg.writeStream.outputMode('update').format('console').start();
    sensors.addData({ sensor_id: 's1', temperature: 20.0, event_time: '2024-01-01T10:00:30Z' }, { sensor_id: 's1', temperature: 22.0, event_time: '2024-01-01T10:02:30Z' });
    await query.processAllAvailable();
    await query.stop();
    // 10:00:30 is in the windows starting 09:56 ... 10:00; 10:02:30 in those starting 09:58 ... 10:02.
    expect(tableObjects(out.batch(0), ['avg_temp']).map((r) => `${String(r.window).slice(12, 17)} ${r.sensor_id} ${r.avg_temp}`)).toEqual([
      '09:56 s1 20',
      '09:57 s1 20',
      '09:58 s1 21',
      '09:59 s1 21',
      '10:00 s1 21',
      '10:01 s1 22',
      '10:02 s1 22',
    ]);
  });

  it('session windows (lines 561-578): Spark rejects update mode for session windows', async () => {
    const clicks = new MemoryStream(spark, 'user_id STRING, event_time TIMESTAMP');
    const clickstream_df = clicks.toDF();
    // session_agg = clickstream_df \
    // .withWatermark("event_time", "10 minutes") \
    // .groupBy(
    // session_window(col("event_time"), "5 minutes"), # gap duration
    // col("user_id")
    // ) \
    // .agg(
    // count("*").alias("clicks_in_session"),
    // min("event_time").alias("session_start"),
    // max("event_time").alias("session_end")
    // )
    // (min and max are pyspark.sql.functions' here; the seed does not import them, so Python's builtins would run.)
    const session_agg = clickstream_df
      .withWatermark('event_time', '10 minutes')
      .groupBy(session_window(col('event_time'), '5 minutes'), col('user_id'))
      .agg(count('*').alias('clicks_in_session'), min('event_time').alias('session_start'), max('event_time').alias('session_end'));
    // query = session_agg \
    // .writeStream \
    // .outputMode("update") \
    // .format("console") \
    // .start()
    // Spark 4.0.1: "[STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION] Invalid streaming output mode: update. This output
    // mode is not supported for session window streaming aggregations on streaming DataFrames/DataSets."
    await expect(session_agg.writeStream.outputMode('update').format('console').start()).rejects.toMatchObject({
      code: 'UNSUPPORTED_OPERATION',
      message: expect.stringMatching(/update.*session window/i),
    });
  });

  it('quick reference (lines 596-600, 619-623): hourly count; "30 min" and "5 min" are not Spark interval strings', async () => {
    const events = new MemoryStream(spark, 'user_id STRING, ts TIMESTAMP, value DOUBLE');
    const df = events.toDF();
    // .groupBy(window("ts", "1 hour"))
    // .agg(count("*"))
    const hourly = df.groupBy(window('ts', '1 hour')).agg(count('*'));
    // .groupBy(
    // window("ts", "1 hour", "30 min"))
    // .agg(avg("value"))
    expect(() => df.groupBy(window('ts', '1 hour', '30 min')).agg(avg('value')).schema).toThrow(
      "[CANNOT_PARSE_INTERVAL] Unable to parse '30 min'. Please ensure that the value provided is in a valid format for defining an interval.",
    );
    // df.groupBy(
    // session_window("ts", "5 min"),
    // "user_id"
    // ).count()
    // Spark casts the gap '5 min' to a NULL interval: no row has a session, the result is empty (no error).
    const sessions = df.groupBy(session_window('ts', '5 min'), 'user_id').count();
    // The same with a gap Spark parses, in append mode (which needs a watermark), to see the sessions.
    const sessions5 = df.withWatermark('ts', '1 minute').groupBy(session_window('ts', '5 minutes'), 'user_id').count();
    // (The fragments have no sink; the test writes them to memory tables.)
    const q1 = await hourly.writeStream.outputMode('complete').format('memory').queryName('hourly').start();
    const q2 = await sessions.writeStream.outputMode('complete').format('memory').queryName('sessions_5min').start();
    const q3 = await sessions5.writeStream.outputMode('append').format('memory').queryName('sessions').start();
    const all = [q1, q2, q3];
    events.addData(
      { user_id: 'u1', ts: '2024-01-01T10:00:00Z', value: 1 },
      { user_id: 'u1', ts: '2024-01-01T10:03:00Z', value: 2 },
      { user_id: 'u2', ts: '2024-01-01T10:04:00Z', value: 3 },
      { user_id: 'u1', ts: '2024-01-01T10:30:00Z', value: 4 },
    );
    for (const q of all) await q.processAllAvailable();
    events.addData({ user_id: 'u3', ts: '2024-01-01T11:00:00Z', value: 5 }); // moves the watermark past the first sessions
    for (const q of all) await q.processAllAvailable();
    expect(await spark.sql('SELECT window.start, `count(1)` FROM hourly ORDER BY window.start').collect()).toEqual([
      { start: new Date('2024-01-01T10:00:00Z'), 'count(1)': 4 },
      { start: new Date('2024-01-01T11:00:00Z'), 'count(1)': 1 },
    ]);
    expect(await spark.table('sessions_5min').collect()).toEqual([]);
    expect(q2.lastProgress?.numInputRows).toBe(1);
    expect(await spark.sql('SELECT user_id, session_window.start, session_window.end, count FROM sessions ORDER BY user_id, session_window.start').collect()).toEqual([
      { user_id: 'u1', start: new Date('2024-01-01T10:00:00Z'), end: new Date('2024-01-01T10:08:00Z'), count: 2 },
      { user_id: 'u1', start: new Date('2024-01-01T10:30:00Z'), end: new Date('2024-01-01T10:35:00Z'), count: 1 },
      { user_id: 'u2', start: new Date('2024-01-01T10:04:00Z'), end: new Date('2024-01-01T10:09:00Z'), count: 1 },
    ]);
    for (const q of all) await q.stop();
  });
});
