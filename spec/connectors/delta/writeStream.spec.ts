/**
 * `writeStream.format('delta')` on the DataFrame face: a streaming aggregation written to a Delta table, one
 * commit per batch with the query's txn, and a restarted query that resumes without writing a batch twice.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { MemoryStream, Session } from '../../../index';
import { readDelta } from '../../../connectors/delta/tableReader';
import { col, count } from '../../../lib/sql/functions';
import { expectWeirError } from '../../support/expectWeirError';

let spark: Session;
let dir: string;
beforeAll(() => {
  spark = Session.builder().appName('delta-write-stream').getOrCreate();
  dir = mkdtempSync(path.join(tmpdir(), 'weir-delta-ws-'));
});
afterAll(async () => {
  await spark.stop();
  rmSync(dir, { recursive: true, force: true });
});

const sorted = (rows: readonly Record<string, unknown>[]) => [...rows].sort((a, b) => String(a.word).localeCompare(String(b.word)));

describe("writeStream.format('delta')", () => {
  it('writes a complete-mode aggregation, one commit per batch, and resumes after a restart', async () => {
    const table = path.join(dir, 'counts');
    const checkpoint = path.join(dir, 'cp');
    const input = new MemoryStream(spark, 'word STRING');
    const start = () =>
      input.toDF().groupBy(col('word')).agg(count('*').alias('n')).writeStream.format('delta').outputMode('complete').option('checkpointLocation', checkpoint).start(table);

    let q = await start();
    input.addData({ word: 'a' }, { word: 'b' }, { word: 'a' });
    await q.processAllAvailable();
    await q.stop();
    expect(sorted((await readDelta(table)).rows)).toEqual([{ word: 'a', n: 2 }, { word: 'b', n: 1 }]);

    q = await start();
    input.addData({ word: 'b' }, { word: 'c' });
    await q.processAllAvailable();
    await q.stop();
    const after = await readDelta(table);
    expect(sorted(after.rows)).toEqual([{ word: 'a', n: 2 }, { word: 'b', n: 2 }, { word: 'c', n: 1 }]);
    // Version 0 is the first batch's commit (it creates the table), version 1 the second's: no batch twice.
    expect(after.version).toBe(1);
    expect(readdirSync(path.join(table, '_delta_log')).filter((f) => f.endsWith('.json'))).toEqual(['00000000000000000000.json', '00000000000000000001.json']);
  });

  it('rejects update mode with Delta\'s message', async () => {
    const input = new MemoryStream(spark, 'word STRING');
    const df = input.toDF().groupBy(col('word')).agg(count('*').alias('n'));
    await expectWeirError(
      () => df.writeStream.format('delta').outputMode('update').option('checkpointLocation', path.join(dir, 'cp-u')).start(path.join(dir, 'u')),
      'UNSUPPORTED_OUTPUT_MODE',
    );
  });
});
