import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { FileCheckpointStore } from '../../../lib/checkpoint/FileCheckpointStore';
import { MetadataLog } from '../../../lib/checkpoint/MetadataLog';
import { FileStreamSourceLog, type FileEntry } from '../../../sources/file/FileStreamSourceLog';
import { expectWeirError } from '../../support/expectWeirError';
import { tempDirs } from '../../formats/support';

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
    const log = new FileStreamSourceLog(dir, { compactInterval: 3 });
    expect(log.getBatch(0)?.map((e) => e.path)).toEqual(['file:/in/f0.json', 'file:/in/g0.json']);
    expect(log.allFiles()).toHaveLength(3);
    // Batch 2 compacts 0..2 into 2.compact, in the same file format.
    expect(await log.add(2, [entry(2)])).toBe(true);
    expect(readFileSync(path.join(dir, '2.compact'), 'utf8')).toMatch(/^v1\n(.*\n){4}crc32:[0-9a-f]{8}\n$/);
    expect(log.getBatch(2)).toEqual([entry(2)]);
    expect(await log.add(2, [entry(9)])).toBe(false);
  });

  it("finds a batch in the compaction file that covers it once its own file is gone (Spark's get)", async () => {
    const dir = temp();
    const log = new FileStreamSourceLog(dir, { compactInterval: 2, now: () => Date.now() + 3_600_000 });
    for (let b = 0; b < 6; b++) await log.add(b, [entry(b)]);
    // 3.compact made 0 obsolete, 5.compact 1.compact and 2; 3.compact is kept for readers that started from it.
    expect(readdirSync(dir).sort()).toEqual(['3.compact', '4', '5.compact']);
    for (let b = 0; b < 6; b++) expect(log.getBatch(b)).toEqual([entry(b)]);
    expect(log.getRange(0, 5).map((x) => x.entries.map((e) => e.batchId))).toEqual([[0], [1], [2], [3], [4], [5]]);
    expect(log.getBatch(6)).toBeUndefined();
    await expectWeirError(() => log.getRange(5, 6), 'CHECKPOINT_MISSING_BATCH');
  });

  it('names damage: a flipped byte is CHECKPOINT_CORRUPT with the path, a newer version CHECKPOINT_UNSUPPORTED_VERSION', async () => {
    const dir = temp();
    const log = new FileStreamSourceLog(dir);
    await log.add(0, [entry(0)]);
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
});
