import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { FileCheckpointStore } from '../../lib/checkpoint/FileCheckpointStore';
import { ErrorCodes, isWeirError } from '../../lib/errors';
import { describeCheckpointStoreContract } from './checkpointStoreContract';
import { rejectionOf, useTempDir } from './tempDir';

const tempDir = useTempDir();

describeCheckpointStoreContract('FileCheckpointStore', async () => {
  const root = path.join(tempDir(), 'ckpt');
  return {
    store: new FileCheckpointStore(root),
    plant: async (relative, data) => {
      const file = path.join(root, relative);
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, data);
    },
  };
});

describe('FileCheckpointStore on disk', () => {
  it('resolves its root to an absolute path and paths under it', () => {
    const store = new FileCheckpointStore(path.relative(process.cwd(), tempDir()));
    expect(store.root).toBe(path.resolve(tempDir()));
    expect(store.resolve('offsets/3')).toBe(path.join(tempDir(), 'offsets', '3'));
    expect(store.resolve('')).toBe(store.root);
  });

  it('leaves no temp file behind, after a write, a refused exclusive write, or a failed write', async () => {
    const store = new FileCheckpointStore(tempDir());
    await store.writeAtomic('log/0', 'a');
    await rejectionOf(store.writeAtomic('log/0', 'b', { overwrite: false }));
    // Writing a file where a folder is fails at the rename; the temp file must go too.
    await fs.mkdir(path.join(tempDir(), 'log', 'dir'));
    await rejectionOf(store.writeAtomic('log/dir', 'c'));
    expect((await fs.readdir(path.join(tempDir(), 'log'))).sort()).toEqual(['0', 'dir']);
  });

  it('reports LOG_ENTRY_CONFLICT with the absolute path', async () => {
    const store = new FileCheckpointStore(tempDir());
    await store.writeAtomic('commits/4', 'x', { overwrite: false });
    const error = await rejectionOf(store.writeAtomic('commits/4', 'y', { overwrite: false }));
    expect(isWeirError(error, ErrorCodes.LOG_ENTRY_CONFLICT)).toBe(true);
    expect((error as { context: { path: string } }).context.path).toBe(path.join(tempDir(), 'commits', '4'));
  });
});
