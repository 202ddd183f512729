import { FileCheckpointStore } from '../../lib/checkpoint/FileCheckpointStore';
import type { LogCodec } from '../../lib/checkpoint/FileStatus';
import { encodeLogFile } from '../../lib/checkpoint/logFile';
import { MemoryCheckpointStore } from '../../lib/checkpoint/MemoryCheckpointStore';
import { MetadataLog } from '../../lib/checkpoint/MetadataLog';
import type { CheckpointStore } from '../../lib/contracts';
import { ErrorCodes, isWeirError, type WeirError } from '../../lib/errors';
import { rejectionOf, useTempDir } from './tempDir';

/** A codec of string lists that refuses "BAD" on decode, to exercise decode failures. */
const codec: LogCodec<string[]> = {
  version: 1,
  encode: (files) => files.map((f) => JSON.stringify(f)),
  decode: (lines) =>
    lines.map((line) => {
      const value = JSON.parse(line) as unknown;
      if (typeof value !== 'string' || value === 'BAD') throw new Error(`bad line ${line}`);
      return value;
    }),
};

const tempDir = useTempDir();

describe.each<[string, () => CheckpointStore]>([
  ['memory', () => new MemoryCheckpointStore()],
  ['file', () => new FileCheckpointStore(tempDir())],
])('MetadataLog over the %s store', (_name, createStore) => {
  let store: CheckpointStore;
  let log: MetadataLog<string[]>;
  beforeEach(() => {
    store = createStore();
    log = new MetadataLog(store, 'sinks/files', codec);
  });

  it('names files by batch id in plain decimal', async () => {
    expect(log.pathOf(0)).toBe('sinks/files/0');
    expect(log.pathOf(123)).toBe('sinks/files/123');
    await log.add(12, ['a']);
    expect(await store.list('sinks/files')).toEqual(['12']);
    expect((await store.read('sinks/files/12'))?.toString()).toBe(encodeLogFile(1, ['"a"']));
  });

  it('add writes once and returns false (leaving the entry alone) when the batch is logged already', async () => {
    expect(await log.add(0, ['a'])).toBe(true);
    expect(await log.add(0, ['b'])).toBe(false);
    expect(await log.get(0)).toEqual(['a']);
  });

  it('put overwrites', async () => {
    await log.add(0, ['a']);
    await log.put(0, ['b']);
    await log.put(1, ['c']);
    expect(await log.get(0)).toEqual(['b']);
    expect(await log.get(1)).toEqual(['c']);
  });

  it('get returns undefined for a missing batch', async () => {
    expect(await log.get(5)).toBeUndefined();
    expect(await log.inspect(5)).toBeUndefined();
  });

  it('lists batch ids ascending (numerically), ignoring other names and temp files', async () => {
    for (const id of [10, 2, 0, 1]) await log.add(id, [String(id)]);
    await store.writeAtomic('sinks/files/notes.txt', 'x');
    await store.writeAtomic('sinks/files/007', 'x');
    await store.writeAtomic('sinks/files/-1', 'x');
    await store.writeAtomic('sinks/files/.tmp-3-abc', 'x');
    expect(await log.listBatchIds()).toEqual([0, 1, 2, 10]);
  });

  it('getLatest returns the highest batch, or undefined when empty', async () => {
    expect(await log.getLatest()).toBeUndefined();
    await log.add(3, ['c']);
    await log.add(1, ['a']);
    expect(await log.getLatest()).toEqual({ batchId: 3, value: ['c'] });
  });

  it('getRange returns contiguous entries and throws CHECKPOINT_MISSING_BATCH on a gap', async () => {
    for (const id of [2, 3, 4, 6]) await log.add(id, [String(id)]);
    expect((await log.getRange(2, 4)).map((e) => e.batchId)).toEqual([2, 3, 4]);
    expect((await log.getRange(undefined, 3)).map((e) => e.batchId)).toEqual([2, 3]);
    expect(await log.getRange(7, 9)).toEqual([]);
    const error = (await rejectionOf(log.getRange(2, 6))) as WeirError;
    expect(isWeirError(error, ErrorCodes.CHECKPOINT_MISSING_BATCH)).toBe(true);
    expect(error.context.batchId).toBe(5);
    expect(isWeirError(await rejectionOf(log.getRange(1, 3)), ErrorCodes.CHECKPOINT_MISSING_BATCH)).toBe(true);
  });

  it('purge deletes every entry below the threshold, delete removes one', async () => {
    for (let id = 0; id < 6; id++) await log.add(id, [String(id)]);
    await log.purge(3);
    expect(await log.listBatchIds()).toEqual([3, 4, 5]);
    await log.purge(0);
    expect(await log.listBatchIds()).toEqual([3, 4, 5]);
    await log.delete(4);
    await log.delete(4);
    expect(await log.listBatchIds()).toEqual([3, 5]);
  });

  it('inspect names damage without throwing; get throws it with path and batchId', async () => {
    await log.add(0, ['fine']);
    const good = (await store.read(log.pathOf(0))) as Buffer;
    await store.writeAtomic(log.pathOf(1), good.subarray(0, 7));
    const flipped = Buffer.from(good);
    flipped[5] = (flipped[5] as number) ^ 0x20;
    await store.writeAtomic(log.pathOf(2), flipped);
    await store.writeAtomic(log.pathOf(3), encodeLogFile(9, ['"future"']));
    await store.writeAtomic(log.pathOf(4), encodeLogFile(1, ['"BAD"']));

    expect(await log.inspect(0)).toEqual({ kind: 'ok', value: ['fine'] });
    expect((await log.inspect(1))?.kind).toBe('torn');
    expect((await log.inspect(2))?.kind).toBe('corrupt');
    expect(await log.inspect(3)).toEqual({ kind: 'unsupportedVersion', version: 9, maxVersion: 1 });
    expect(await log.inspect(4)).toMatchObject({ kind: 'corrupt' });

    for (const [batchId, code] of [
      [1, ErrorCodes.CHECKPOINT_CORRUPT],
      [2, ErrorCodes.CHECKPOINT_CORRUPT],
      [3, ErrorCodes.CHECKPOINT_UNSUPPORTED_VERSION],
      [4, ErrorCodes.CHECKPOINT_CORRUPT],
    ] as const) {
      const error = (await rejectionOf(log.get(batchId))) as WeirError;
      expect(isWeirError(error, code)).toBe(true);
      expect(error.context).toMatchObject({ batchId, path: log.absolutePathOf(batchId) });
    }
    const unsupported = (await rejectionOf(log.get(3))) as WeirError;
    expect(unsupported.message).toContain(
      'UnsupportedLogVersion: maximum supported log version is v1, but encountered v9. The log file was produced by a ' +
        'newer version of weir and cannot be read by this version. Please upgrade.',
    );
    expect(isWeirError(await rejectionOf(log.getLatest()), ErrorCodes.CHECKPOINT_CORRUPT)).toBe(true);
  });

  it('refuses bad batch ids and values its codec cannot read back: INVALID_ARGUMENT', async () => {
    for (const id of [-1, 1.5, Number.NaN]) {
      expect(isWeirError(await rejectionOf(log.add(id, ['x'])), ErrorCodes.INVALID_ARGUMENT)).toBe(true);
    }
    expect(isWeirError(await rejectionOf(log.add(0, ['BAD'])), ErrorCodes.INVALID_ARGUMENT)).toBe(true);
    expect(await log.listBatchIds()).toEqual([]);
  });
});
