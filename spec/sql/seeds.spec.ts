/**
 * The code examples of ../shared/seeds (Spark's Structured Streaming guide) that run on one machine, ported to
 * TypeScript with only the syntax changed.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { MemoryStream, Session, type StreamingQueryListener } from '../../index';
import { col, count, explode, split, window } from '../../lib/sql/functions';

let spark: Session;
const roots: string[] = [];
const temp = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'weir-seeds-'));
  roots.push(d);
  return d;
};

beforeAll(() => {
  spark = Session.builder().appName('StructuredNetworkWordCount').config('spark.sql.shuffle.partitions', 1).getOrCreate();
});
afterAll(async () => {
  await spark.stop();
  roots.forEach((r) => rmSync(r, { recursive: true, force: true }));
});

/** A loopback line server (the guide's `nc -lk 9999`). */
async function lineServer(): Promise<{ port: number; send(lines: string[]): void; close(): Promise<void> }> {
  const clients: Socket[] = [];
  let connected: () => void = () => undefined;
  const ready = new Promise<void>((r) => (connected = r));
  const server: Server = createServer((s) => {
    clients.push(s);
    connected();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    send: (lines) => void ready.then(() => clients.forEach((c) => c.write(`${lines.join('\n')}\n`))),
    close: () => new Promise((r) => {
      clients.forEach((c) => c.destroy());
      server.close(() => r());
    }),
  };
}

describe('seed examples', () => {
  it('quick example: socket word count in complete mode', async () => {
    const server = await lineServer();
    // lines = spark.readStream.format("socket").option("host", "localhost").option("port", 9999).load()
    const lines = spark.readStream.format('socket').option('host', '127.0.0.1').option('port', server.port).load();
    // words = lines.select(explode(split(lines.value, " ")).alias("word"))
    const words = lines.select(explode(split(lines.col('value'), ' ')).alias('word'));
    // wordCounts = words.groupBy("word").count()
    const wordCounts = words.groupBy('word').count();
    const query = await wordCounts.writeStream.outputMode('complete').format('memory').queryName('wordCounts').start();
    server.send(['apache spark', 'apache hadoop']);
    // The lines travel over a real socket: wait (bounded) until they have been processed.
    const deadline = Date.now() + 10_000;
    while ((await spark.table('wordCounts').count()) < 3 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
      await query.processAllAvailable();
    }
    expect(query.exception).toBeNull();
    const rows = await spark.table('wordCounts').collect();
    expect(rows.sort((a, b) => String(a.word).localeCompare(String(b.word)))).toEqual([
      { word: 'apache', count: 2 },
      { word: 'hadoop', count: 1 },
      { word: 'spark', count: 1 },
    ]);
    await query.stop();
    await server.close();
  });

  it('window operations on event time with watermarking (update mode)', async () => {
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
      .option('checkpointLocation', temp())
      .start();
    input.addData({ timestamp: '2024-01-01T12:07:00Z', word: 'owl' }, { timestamp: '2024-01-01T12:08:00Z', word: 'cat' });
    await query.processAllAvailable();
    const rows = await spark.table('windowedCounts').collect();
    expect(rows).toHaveLength(4); // each word in [12:00,12:10) and [12:05,12:15)
    expect(rows.every((r) => r.count === 1)).toBe(true);
    await query.stop();
  });

  it('rate source, foreachBatch with a batch DataFrame, and query management', async () => {
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
      .option('checkpointLocation', temp())
      .trigger({ processingTime: '10 milliseconds' })
      .start();
    expect(query.name).toBe('evens');
    expect(spark.streams.get(query.id)).toBe(query);
    expect(spark.streams.active).toContain(query);
    while (seen.length < 3) await new Promise((r) => setTimeout(r, 5));
    expect(query.isActive).toBe(true);
    expect(query.status).toHaveProperty('message');
    expect(query.lastProgress?.numInputRows).toBe(10);
    expect(query.explain()).toContain('== Physical Plan ==');
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
    expect(await spark.streams.awaitAnyTermination(1000)).toBe(true);
  });

  it('batch actions on a streaming DataFrame fail with Spark\'s message', async () => {
    const df = spark.readStream.format('rate').load();
    await expect(df.collect()).rejects.toMatchObject({
      code: 'UNSUPPORTED_OPERATION',
      message: 'Queries with streaming sources must be executed with writeStream.start()',
    });
    expect(() => spark.createDataFrame([{ a: 1 }]).writeStream).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_OPERATION' }));
  });
});
