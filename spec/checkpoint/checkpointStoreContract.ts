/**
 * The contract every CheckpointStore passes (abstract-level style: one suite, every implementation).
 */
import type { CheckpointStore } from '../../lib/contracts';
import { hasModificationTimes } from '../../lib/checkpoint/modificationTime';
import { ErrorCodes, isWeirError, type WeirError } from '../../lib/errors';
import { rejectionOf } from './tempDir';

/** What a store factory hands the suite. */
export interface StoreUnderTest {
  readonly store: CheckpointStore;
  /** Plants a file behind the store's back (a leftover temp file, say), bypassing writeAtomic. */
  readonly plant: (relativePath: string, data: string) => Promise<void>;
}

/** Runs the CheckpointStore contract against stores made by `create` (called once per test). */
export function describeCheckpointStoreContract(name: string, create: () => Promise<StoreUnderTest>): void {
  describe(`CheckpointStore contract: ${name}`, () => {
    let store: CheckpointStore;
    let plant: StoreUnderTest['plant'];
    beforeEach(async () => {
      ({ store, plant } = await create());
    });

    it('reads undefined for a missing file, also in a missing folder', async () => {
      expect(await store.read('nothing')).toBeUndefined();
      expect(await store.read('no/such/folder/file')).toBeUndefined();
    });

    it('round-trips strings and arbitrary bytes, creating parent folders', async () => {
      await store.writeAtomic('a/b/c/text', 'héllo\n');
      const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
      await store.writeAtomic('a/bytes', bytes);
      expect((await store.read('a/b/c/text'))?.toString('utf8')).toBe('héllo\n');
      expect(Buffer.compare((await store.read('a/bytes')) as Buffer, Buffer.from(bytes))).toBe(0);
    });

    it('hands out copies: mutating what was written or read changes nothing stored', async () => {
      const data = Buffer.from('abc');
      await store.writeAtomic('f', data);
      data[0] = 0x7a;
      const read = (await store.read('f')) as Buffer;
      read[1] = 0x7a;
      expect((await store.read('f'))?.toString()).toBe('abc');
    });

    it('overwrites by default', async () => {
      await store.writeAtomic('f', 'one');
      await store.writeAtomic('f', 'two');
      await store.writeAtomic('f', 'three', { overwrite: true });
      expect((await store.read('f'))?.toString()).toBe('three');
    });

    it('with overwrite:false writes a new file but never replaces one: LOG_ENTRY_CONFLICT with the path', async () => {
      await store.writeAtomic('log/0', 'first', { overwrite: false });
      const error = (await rejectionOf(store.writeAtomic('log/0', 'second', { overwrite: false }))) as WeirError;
      expect(isWeirError(error, ErrorCodes.LOG_ENTRY_CONFLICT)).toBe(true);
      expect(String(error.context.path)).toMatch(/log[/\\]0$/);
      expect((await store.read('log/0'))?.toString()).toBe('first');
    });

    it('lets exactly one of many concurrent exclusive writers win', async () => {
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) => store.writeAtomic('race/7', `writer ${i}`, { overwrite: false })),
      );
      const winners = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
      expect(winners).toHaveLength(1);
      for (const r of results) {
        if (r.status === 'rejected') expect(isWeirError(r.reason, ErrorCodes.LOG_ENTRY_CONFLICT)).toBe(true);
      }
      expect((await store.read('race/7'))?.toString()).toBe(`writer ${winners[0]}`);
    });

    it('lists file names directly in a folder, sorted, without temp files or sub-folders', async () => {
      for (const name of ['10', '2', '1', 'b', 'a']) await store.writeAtomic(`logs/${name}`, name);
      await store.writeAtomic('logs/nested/x', 'x');
      await plant('logs/.tmp-3-abcdef', 'half a wri');
      expect(await store.list('logs')).toEqual(['1', '10', '2', 'a', 'b']);
      expect(await store.list('logs/nested')).toEqual(['x']);
      expect(await store.list('logs/')).toEqual(await store.list('./logs'));
    });

    it('lists [] for a missing or empty folder', async () => {
      expect(await store.list('missing')).toEqual([]);
      await store.mkdirs('empty/deeper');
      expect(await store.list('empty/deeper')).toEqual([]);
      expect(await store.list('empty')).toEqual([]);
    });

    it('lists the root with an empty path', async () => {
      await store.writeAtomic('metadata', 'm');
      expect(await store.list('')).toEqual(['metadata']);
    });

    it('deletes files; deleting a missing file (or in a missing folder) is not an error', async () => {
      await store.writeAtomic('d/1', 'x');
      await store.writeAtomic('d/2', 'y');
      await store.delete('d/1');
      await store.delete('d/1');
      await store.delete('nowhere/at/all');
      expect(await store.read('d/1')).toBeUndefined();
      expect(await store.list('d')).toEqual(['2']);
    });

    it('reports when a file was written, if it can tell modification times (an optional capability)', async () => {
      if (!hasModificationTimes(store)) return;
      const before = Date.now();
      await store.writeAtomic('t/1', 'x');
      const written = (await store.modificationTime('t/1')) as number;
      // Filesystem times may be coarser than the clock's: allow a second either way.
      expect(written).toBeGreaterThanOrEqual(before - 1000);
      expect(written).toBeLessThanOrEqual(Date.now() + 1000);
      expect(await store.modificationTime('t/./1')).toBe(written);
      expect(await store.modificationTime('t/2')).toBeUndefined();
      await store.delete('t/1');
      expect(await store.modificationTime('t/1')).toBeUndefined();
    });

    it('treats equivalent spellings of a path as one file', async () => {
      await store.writeAtomic('offsets/./0', 'x');
      expect((await store.read('offsets/0'))?.toString()).toBe('x');
      expect((await store.read('offsets/sub/../0'))?.toString()).toBe('x');
    });

    it('refuses paths outside the root and the root itself as a file: INVALID_ARGUMENT', async () => {
      const attempts: Array<() => Promise<unknown>> = [
        () => store.read('../escape'),
        () => store.read('/etc/passwd'),
        () => store.writeAtomic('a/../../escape', 'x'),
        () => store.writeAtomic('', 'x'),
        () => store.list('..'),
        () => store.delete('../x'),
        () => store.mkdirs('../x'),
      ];
      for (const attempt of attempts) {
        expect(isWeirError(await rejectionOf(attempt()), ErrorCodes.INVALID_ARGUMENT)).toBe(true);
      }
    });
  });
}
