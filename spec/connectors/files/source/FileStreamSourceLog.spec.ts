import { cpSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { FileCheckpointStore } from '../../../../lib/checkpoint/FileCheckpointStore';
import { MetadataLog } from '../../../../lib/checkpoint/MetadataLog';
import { FileStreamSourceLog, type FileEntry } from '../../../../connectors/files/FileStreamSourceLog';
import { expectWeirError } from '../../../support/expectWeirError';
import { tempDirs } from '../../../formats/support';

const entry = (batchId: number, name = `f${batchId}.json`): FileEntry => ({ path: `file:/in/${name}`, timestamp: 1_700_000_000_000 + batchId, batchId });

describe('FileStreamSourceLog', () => {
  const temp = tempDirs('source-log');

  it('reads entry files written before compaction existed (weir checkpoint files through MetadataLog)', async () => {
    const dir = temp();
    const old = new MetadataLog<FileEntry[]>(new FileCheckpointStore(dir), '', {
      version: 1,
      encode: (entries) => entries.map((e) => JSON.stringify(e)),
      decode: (lines) => lines.map((l) => JSON.parse(l) as FileEntry),
    });
    await old.add(0, [entry(0), entry(0, 'g0.json')]);
    await old.add(1, [entry(1)]);
    const log = new FileStreamSourceLog(new FileCheckpointStore(dir), '', { compactInterval: 3, clock: { now: Date.now } });
    expect((await log.getBatch(0))?.map((e) => e.path)).toEqual(['file:/in/f0.json', 'file:/in/g0.json']);
    expect(await log.allFiles()).toHaveLength(3);
    // Batch 2 compacts 0..2 into 2.compact, in the same file format.
    expect(await log.add(2, [entry(2)])).toBe(true);
    expect(readFileSync(path.join(dir, '2.compact'), 'utf8')).toMatch(/^v1\n(.*\n){4}crc32:[0-9a-f]{8}\n$/);
    expect(await log.getBatch(2)).toEqual([entry(2)]);
    expect(await new FileStreamSourceLog(new FileCheckpointStore(dir), '', { clock: { now: Date.now } }).getBatch(2)).toEqual([entry(2)]);
    expect(await log.add(2, [entry(9)])).toBe(false);
  });

  it("finds a batch in the compaction file that covers it once its own file is gone (Spark's get)", async () => {
    const dir = temp();
    const log = new FileStreamSourceLog(new FileCheckpointStore(dir), '', { compactInterval: 2, clock: { now: () => Date.now() + 3_600_000 } });
    for (let b = 0; b < 6; b++) await log.add(b, [entry(b)]);
    // 3.compact made 0 obsolete, 5.compact 1.compact and 2; 3.compact is kept for readers that started from it.
    expect(readdirSync(dir).sort()).toEqual(['3.compact', '4', '5.compact']);
    // A fresh log (a restart) has no batch in memory: every batch is read from the files.
    const restarted = new FileStreamSourceLog(new FileCheckpointStore(dir), '', { compactInterval: 2, clock: { now: Date.now } });
    for (const l of [log, restarted]) {
      for (let b = 0; b < 6; b++) expect(await l.getBatch(b)).toEqual([entry(b)]);
      expect((await l.getRange(0, 5)).map((x) => x.entries.map((e) => e.batchId))).toEqual([[0], [1], [2], [3], [4], [5]]);
    }
    expect(await log.getBatch(6)).toBeUndefined();
    await expectWeirError(() => log.getRange(5, 6), 'CHECKPOINT_MISSING_BATCH');
  });

  it('names damage: a flipped byte is CHECKPOINT_CORRUPT with the path, a newer version CHECKPOINT_UNSUPPORTED_VERSION', async () => {
    const dir = temp();
    await new FileStreamSourceLog(new FileCheckpointStore(dir), '', { clock: { now: Date.now } }).add(0, [entry(0)]);
    const log = new FileStreamSourceLog(new FileCheckpointStore(dir), '', { clock: { now: Date.now } });
    const file = path.join(dir, '0');
    const bytes = readFileSync(file);
    bytes[5] = bytes[5] === 0x61 ? 0x62 : 0x61;
    writeFileSync(file, bytes);
    const e = await expectWeirError(() => log.getBatch(0), 'CHECKPOINT_CORRUPT');
    expect(e.context.path).toBe(file);
    const store = new FileCheckpointStore(dir);
    const newer = new MetadataLog<FileEntry[]>(store, '', { version: 2, encode: (es) => es.map((x) => JSON.stringify(x)), decode: () => [] });
    await newer.add(1, [entry(1)]);
    await expectWeirError(() => log.getBatch(1), 'CHECKPOINT_UNSUPPORTED_VERSION');
  });

  it('reads a log the earlier (synchronous) weir wrote, and writes the same entries to the same bytes', async () => {
    // Written by the CompactibleFileStreamLog-based FileStreamSourceLog with compactInterval 3 (batches 0..4).
    const fixture = path.join(__dirname, 'fixtures', 'source-log-v1');
    const dir = temp();
    cpSync(fixture, dir, { recursive: true });
    const clock = { now: Date.now };
    const log = new FileStreamSourceLog(new FileCheckpointStore(dir), '', { compactInterval: 3, deletion: false, clock });
    expect(await log.latestBatchId()).toBe(4);
    expect((await log.allFiles()).map((e) => [e.batchId, e.relative])).toEqual([
      [0, 'f0.json'],
      [1, 'f1.json'],
      [1, 'day=2024-01-01/g 1.json'],
      [2, 'f2.json'],
      [3, 'f3.json'],
      [4, 'f4.json'],
    ]);
    expect((await log.getBatch(1))?.map((e) => e.path)).toEqual(['file:///data/in/f1.json', 'file:///data/in/day=2024-01-01/g%201.json']);
    const fresh = temp();
    const again = new FileStreamSourceLog(new FileCheckpointStore(fresh), '', { compactInterval: 3, deletion: false, clock });
    for (let b = 0; b <= 4; b++) expect(await again.add(b, (await log.getBatch(b)) as FileEntry[])).toBe(true);
    expect(readdirSync(fresh).sort()).toEqual(readdirSync(fixture).sort());
    for (const name of readdirSync(fixture)) expect(readFileSync(path.join(fresh, name), 'utf8')).toBe(readFileSync(path.join(fixture, name), 'utf8'));
    // ... and continues it: batch 5 is the next compaction file.
    expect(await log.add(5, [entry(5)])).toBe(true);
    expect(readdirSync(dir)).toContain('5.compact');
  });
});
