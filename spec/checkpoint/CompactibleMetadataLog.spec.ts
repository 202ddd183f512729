/**
 * The compactible metadata log's contract, run against both checkpoint stores and both file framings (weir's
 * checksummed files, which the file source's seen-files log uses, and Spark's plain ones, which the file sink's
 * `_spark_metadata` uses): compaction every `compactInterval` batches, what compaction keeps, deletion of obsolete
 * files after the cleanup delay, a restart reading the newest compaction file and the batches after it, and damage.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CompactibleMetadataLog,
  deriveCompactInterval,
  type CompactibleMetadataLogOptions,
  type CompactionRules,
} from '../../lib/checkpoint/CompactibleMetadataLog';
import { FileCheckpointStore } from '../../lib/checkpoint/FileCheckpointStore';
import type { LogCodec } from '../../lib/checkpoint/FileStatus';
import { checksummedLogFormat, type LogFileFormat } from '../../lib/checkpoint/logFile';
import { MemoryCheckpointStore } from '../../lib/checkpoint/MemoryCheckpointStore';
import { sparkPlainLogFormat } from '../../lib/checkpoint/sparkLogFile';
import type { CheckpointStore } from '../../lib/contracts';
import { ErrorCodes, isWeirError, type WeirError } from '../../lib/errors';
import { expectWeirError } from '../support/expectWeirError';
import { rejectionOf, useTempDir } from './tempDir';

/** An entry: a file id, a time, and whether it deletes an earlier entry of the same id (as the sink log's). */
interface Entry {
  readonly id: string;
  readonly t: number;
  readonly del?: boolean;
}

const codec: LogCodec<Entry[]> = {
  version: 1,
  encode: (entries) => entries.map((e) => JSON.stringify(e)),
  decode: (lines) =>
    lines.map((line) => {
      const value = JSON.parse(line) as Entry;
      if (typeof value !== 'object' || value === null || typeof value.id !== 'string') throw new Error(`not an entry: ${line}`);
      return value;
    }),
};

/** Adds minus deletes (the sink log's rule). */
const rules: CompactionRules<Entry> = {
  compactLogs: (entries) => {
    const deleted = new Set(entries.filter((e) => e.del).map((e) => e.id));
    return entries.filter((e) => !e.del && !deleted.has(e.id));
  },
};

const e = (id: string, t = 0): Entry => ({ id, t });
const ids = (entries: readonly Entry[] | undefined) => (entries ?? []).map((x) => x.id);

const tempDir = useTempDir('weir-compactible-log-');

const stores: Array<[string, () => CheckpointStore]> = [
  ['FileCheckpointStore', () => new FileCheckpointStore(path.join(tempDir(), 'root'))],
  ['MemoryCheckpointStore', () => new MemoryCheckpointStore()],
];
const formats: Array<[string, LogFileFormat]> = [
  ['checksummed files', checksummedLogFormat],
  ["Spark's plain files", sparkPlainLogFormat],
];

describe.each(stores)('CompactibleMetadataLog over %s', (_storeName, createStore) => {
  describe.each(formats)('with %s', (formatName, format) => {
    let store: CheckpointStore;
    /** Added to the wall clock: the log's time (file modification times are the wall clock's). */
    let offsetMs: number;
    const clock = { now: () => Date.now() + offsetMs };
    const open = (options: Partial<CompactibleMetadataLogOptions> = {}, rulesOf: CompactionRules<Entry> = rules) =>
      new CompactibleMetadataLog(store, 'sources/0', codec, rulesOf, { compactInterval: 3, clock, format, ...options });
    const names = async () => (await store.list('sources/0')).sort((a, b) => parseInt(a, 10) - parseInt(b, 10));
    /** Batches 0..n-1, one entry `f<b>` each. */
    const fill = async (log: CompactibleMetadataLog<Entry>, n: number, from = 0) => {
      for (let b = from; b < n; b++) expect(await log.add(b, [e(`f${b}`, b)])).toBe(true);
    };

    beforeEach(() => {
      store = createStore();
      offsetMs = 0;
    });

    it('writes every compactInterval-th batch as <N>.compact holding compactLogs of every entry so far', async () => {
      const log = open({ deletion: false });
      await fill(log, 4);
      expect(await log.add(4, [{ id: 'f1', t: 4, del: true }, e('g4', 4)])).toBe(true);
      await fill(log, 8, 5);
      expect(await names()).toEqual(['0', '1', '2.compact', '3', '4', '5.compact', '6', '7']);
      expect(await log.isCompactionBatch(5)).toBe(true);
      expect(await log.pathOf(5)).toBe('sources/0/5.compact');
      expect(ids(await log.get(2))).toEqual(['f0', 'f1', 'f2']);
      // 5.compact: 2.compact + 3 + 4 (deleting f1) + 5, compacted.
      expect(ids(await log.get(5))).toEqual(['f0', 'f2', 'f3', 'g4', 'f5']);
      expect(ids(await log.get(4))).toEqual(['f1', 'g4']);
      expect(ids(await log.allFiles())).toEqual(['f0', 'f2', 'f3', 'g4', 'f5', 'f6', 'f7']);
      expect(await log.latestBatchId()).toBe(7);
      expect(await log.get(8)).toBeUndefined();
    });

    it('add never replaces an entry: false for a logged batch, and exactly one of concurrent writers wins', async () => {
      const log = open();
      expect(await log.add(0, [e('a')])).toBe(true);
      expect(await log.add(0, [e('b')])).toBe(false);
      expect(ids(await log.get(0))).toEqual(['a']);
      const results = await Promise.all([1, 2, 3, 4].map((w) => open().add(1, [e(`w${w}`)])));
      expect(results.filter((r) => r)).toHaveLength(1);
      expect(ids(await log.get(1))).toEqual([`w${results.indexOf(true) + 1}`]);
    });

    it("drops entries shouldRetain refuses at compaction, at the clock's time", async () => {
      const retained: CompactionRules<Entry> = { ...rules, shouldRetain: (x, nowMs) => x.t > nowMs - 500 };
      const now = Date.now();
      const log = open({}, retained);
      await log.add(0, [e('old', now - 10_000)]);
      await log.add(1, [e('young', now - 100)]);
      await log.add(2, [e('new', now)]);
      expect(ids(await log.get(2))).toEqual(['young', 'new']);
      // Plain batches are written as given: retention applies at compaction only.
      expect(ids(await log.get(0))).toEqual(['old']);
    });

    it('deletes files a compaction made obsolete once older than the cleanup delay, keeping the previous compaction file', async () => {
      const log = open({ cleanupDelayMs: 60_000 });
      await fill(log, 6);
      // 5.compact made 0, 1 and 2.compact obsolete, but they are younger than the delay.
      expect(await names()).toEqual(['0', '1', '2.compact', '3', '4', '5.compact']);
      offsetMs = 120_000;
      await fill(log, 9, 6);
      expect(await names()).toEqual(['5.compact', '6', '7', '8.compact']);
      expect(ids(await log.allFiles())).toEqual(['f0', 'f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7', 'f8']);
      // Batches before the newest compaction file are read from it.
      expect(ids(await log.get(8))).toHaveLength(9);
    });

    it('keeps every file with deletion off, and deletes at once with a zero cleanup delay', async () => {
      offsetMs = 1;
      const kept = open({ deletion: false, cleanupDelayMs: 0 });
      await fill(kept, 9);
      expect(await names()).toEqual(['0', '1', '2.compact', '3', '4', '5.compact', '6', '7', '8.compact']);
      for (const name of await store.list('sources/0')) await store.delete(`sources/0/${name}`);
      const eager = open({ cleanupDelayMs: 0 });
      offsetMs = 1_000;
      await fill(eager, 9);
      expect(await names()).toEqual(['5.compact', '6', '7', '8.compact']);
    });

    it('a restart reads the newest compaction file and the batches after it only, and keeps the folder interval', async () => {
      await fill(open({ deletion: false }), 8);
      // Damage older files: a reader that started from 5.compact never opens them.
      await store.writeAtomic('sources/0/1', 'garbage');
      await store.writeAtomic('sources/0/2.compact', 'v1\n{"id":');
      const restarted = open({ compactInterval: 10 });
      expect(await restarted.compactInterval()).toBe(3);
      expect(ids(await restarted.allFiles())).toEqual(['f0', 'f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7']);
      expect(await restarted.add(8, [e('f8')])).toBe(true);
      expect(await names()).toContain('8.compact');
      expect(ids(await open().allFiles())).toHaveLength(9);
    });

    it('reads a batch under either name, so a log written with another interval reads the same', async () => {
      await fill(open({ compactInterval: 10, deletion: false }), 11);
      // Configured 3, the folder's 9.compact makes it 2 (Spark's deriveCompactInterval: a divisor of 10), under
      // which batch 1 would be 1.compact: it is found as 1 all the same.
      const other = open({ compactInterval: 3 });
      expect(await other.compactInterval()).toBe(2);
      expect(ids(await other.get(1))).toEqual(['f1']);
      expect(ids(await other.get(9))).toHaveLength(10);
      expect(ids(await other.allFiles())).toHaveLength(11);
      expect(deriveCompactInterval(3, [{ batchId: 9, compact: true }])).toBe(2);
      expect(deriveCompactInterval(20, [{ batchId: 9, compact: true }])).toBe(10);
      expect(deriveCompactInterval(4, [{ batchId: 20, compact: true }])).toBe(3);
      expect(deriveCompactInterval(7, [])).toBe(7);
    });

    it('names a torn newest entry as damage (CHECKPOINT_CORRUPT with its path); older entries still read; it is never replaced', async () => {
      await fill(open(), 8);
      const bytes = (await store.read('sources/0/7')) as Buffer;
      // A write that stopped in the middle of its last line.
      await store.writeAtomic('sources/0/7', bytes.subarray(0, bytes.indexOf('"f7"') + 2));
      const restarted = open();
      expect((await restarted.inspect(7))?.kind).toBe(format === checksummedLogFormat ? 'torn' : 'corrupt');
      const error = (await rejectionOf(restarted.allFiles())) as WeirError;
      expect(isWeirError(error, ErrorCodes.CHECKPOINT_CORRUPT)).toBe(true);
      expect(error.context).toMatchObject({ batchId: 7, path: path.join(store.root, 'sources', '0', '7') });
      expect(error.message).toContain(path.join('sources', '0', '7'));
      expect(ids(await restarted.get(6))).toEqual(['f6']);
      expect(ids(await restarted.get(5))).toHaveLength(6);
      expect(await restarted.add(7, [e('again')])).toBe(false);
      // An empty file (a write that stopped before its first byte) is torn in both framings.
      await store.writeAtomic('sources/0/7', '');
      expect((await restarted.inspect(7))?.kind).toBe('torn');
    });

    if (formatName === "Spark's plain files") {
      it("cannot see a cut at a line boundary (Spark's files carry no checksum)", async () => {
        const log = open();
        await log.add(0, [e('a'), e('b')]);
        const text = ((await store.read('sources/0/0')) as Buffer).toString('utf8');
        expect(text).toBe('v1\n{"id":"a","t":0}\n{"id":"b","t":0}');
        await store.writeAtomic('sources/0/0', text.slice(0, text.lastIndexOf('\n')));
        expect(ids(await open().get(0))).toEqual(['a']);
      });
    } else {
      it('writes weir checkpoint files (v1, the lines, a crc32 trailer)', async () => {
        const log = open();
        await log.add(0, [e('a')]);
        expect(((await store.read('sources/0/0')) as Buffer).toString('utf8')).toMatch(/^v1\n\{"id":"a","t":0\}\ncrc32:[0-9a-f]{8}\n$/);
      });
    }

    it('a missing batch after the newest compaction file is CHECKPOINT_MISSING_BATCH, for reads and for compaction', async () => {
      const log = open({ deletion: false });
      await fill(log, 8);
      await store.delete('sources/0/6');
      const listing = (await rejectionOf(open().allFiles())) as WeirError;
      expect(isWeirError(listing, ErrorCodes.CHECKPOINT_MISSING_BATCH)).toBe(true);
      expect(listing.context.batchId).toBe(6);
      const compaction = (await rejectionOf(log.add(8, [e('f8')]))) as WeirError;
      expect(isWeirError(compaction, ErrorCodes.CHECKPOINT_MISSING_BATCH)).toBe(true);
      expect(compaction.context.batchId).toBe(6);
      expect(await names()).not.toContain('8.compact');
    });

    it('refuses a value its codec cannot read back and a bad interval: INVALID_ARGUMENT', async () => {
      const log = open();
      const bad = { id: 7 } as unknown as Entry;
      expect(isWeirError(await rejectionOf(log.add(0, [bad])), ErrorCodes.INVALID_ARGUMENT)).toBe(true);
      expect(await log.latestBatchId()).toBeUndefined();
      for (const compactInterval of [0, -1, 1.5]) await expectWeirError(() => open({ compactInterval }), 'INVALID_ARGUMENT');
    });
  });
});

describe('CompactibleMetadataLog and modification times', () => {
  it("takes a file's age from the store (MemoryCheckpointStore stamps its own clock)", async () => {
    let storeNow = 0;
    const store = new MemoryCheckpointStore('/m', { now: () => storeNow });
    const clock = { now: () => 100_000 };
    const log = new CompactibleMetadataLog(store, 'log', codec, rules, { compactInterval: 2, cleanupDelayMs: 50_000, clock });
    await log.add(0, [e('a')]); // written at 0: old
    storeNow = 90_000;
    for (let b = 1; b < 6; b++) await log.add(b, [e(`f${b}`)]);
    // 3.compact made 0 obsolete, written at 0: older than 100_000 - 50_000, deleted; 5.compact made 1.compact and 2
    // obsolete, written at 90_000: kept.
    expect(await store.list('log')).toEqual(['1.compact', '2', '3.compact', '4', '5.compact']);
  });

  it('a store without modification times has obsolete files deleted only with a zero cleanup delay', async () => {
    const memory = new MemoryCheckpointStore();
    const plain: CheckpointStore = {
      root: memory.root,
      read: (p) => memory.read(p),
      writeAtomic: (p, d, o) => memory.writeAtomic(p, d, o),
      list: (d) => memory.list(d),
      delete: (p) => memory.delete(p),
      mkdirs: (d) => memory.mkdirs(d),
    };
    const clock = { now: () => Date.now() + 3_600_000 };
    const keep = new CompactibleMetadataLog(plain, 'a', codec, rules, { compactInterval: 2, clock });
    const drop = new CompactibleMetadataLog(plain, 'b', codec, rules, { compactInterval: 2, cleanupDelayMs: 0, clock });
    for (let b = 0; b < 6; b++) {
      await keep.add(b, [e(`f${b}`)]);
      await drop.add(b, [e(`f${b}`)]);
    }
    expect(await plain.list('a')).toHaveLength(6);
    expect(await plain.list('b')).toEqual(['3.compact', '4', '5.compact']);
  });

  it('FileCheckpointStore reports the filesystem modification time', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'weir-mtime-'));
    try {
      const store = new FileCheckpointStore(root);
      await store.writeAtomic('x/1', 'a');
      await fs.utimes(path.join(root, 'x', '1'), 1_700_000_000, 1_700_000_000);
      expect(await store.modificationTime('x/1')).toBe(1_700_000_000_000);
      expect(await store.modificationTime('x/2')).toBeUndefined();
      expect(await store.modificationTime('nowhere/2')).toBeUndefined();
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  });
});
