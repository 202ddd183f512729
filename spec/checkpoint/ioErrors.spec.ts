/**
 * Every failed filesystem call of the checkpoint (store, logs, metadata, lock) is a WeirError with an IO_* code,
 * the absolute path and the operation, never a raw `code=EROFS` (issue #16, items 3 and 13). Faults come from
 * the fault-injecting fs wrapper (CI runs as root, where chmod does not stop writes); one variant uses a real
 * read-only folder and runs only when the tests do not run as root.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Checkpoint } from '../../lib/checkpoint/Checkpoint';
import { CheckpointLock } from '../../lib/checkpoint/CheckpointLock';
import { FileCheckpointStore } from '../../lib/checkpoint/FileCheckpointStore';
import { ErrorCodes, WeirError, type ErrorCode } from '../../lib/errors';
import { errnoToErrorCode, ioError } from '../../lib/util/ioError';
import { readFileIfExists, readFileIfExistsSync } from '../../lib/util/readFileIfExists';
import { injectFsFaults, type FaultyFs } from './faultyFs';
import { rejectionOf, useTempDir } from './tempDir';

// Before useTempDir: afterEach hooks run in the order they are declared, and the folder is removed for real.
let faults: FaultyFs;
beforeEach(() => {
  faults = injectFsFaults();
});
afterEach(() => faults.restore());
const tempDir = useTempDir('weir-io-');

function expectIoError(e: unknown, code: ErrorCode, context: Record<string, unknown>): WeirError {
  expect(e).toBeInstanceOf(WeirError);
  const error = e as WeirError;
  expect({ code: error.code, ...Object.fromEntries(Object.keys(context).map((k) => [k, error.context[k]])) }).toEqual({ code, ...context });
  expect(error.message).toContain(String(context.path));
  return error;
}

describe('errno codes map to weir codes', () => {
  it.each([
    ['ENOSPC', 'IO_DISK_FULL'],
    ['EDQUOT', 'IO_DISK_FULL'],
    ['EROFS', 'IO_READ_ONLY'],
    ['EACCES', 'IO_PERMISSION_DENIED'],
    ['EPERM', 'IO_PERMISSION_DENIED'],
    ['ENOENT', 'IO_NOT_FOUND'],
    ['EIO', 'IO_ERROR'],
    ['EMFILE', 'IO_TOO_MANY_OPEN_FILES'],
    ['ENFILE', 'IO_TOO_MANY_OPEN_FILES'],
    ['EBUSY', 'IO_ERROR'],
  ])('%s is %s', (errno, code) => {
    expect(errnoToErrorCode(errno)).toBe(code);
  });

  it('ioError keeps the cause, names path, operation, errno and syscall, and is retriable only where retrying can help', () => {
    const cause = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write', path: '/x/.tmp-7-ab' });
    const e = ioError(cause, 'write', '/x/7', { batchId: 7 }) as WeirError;
    expect(e.code).toBe(ErrorCodes.IO_DISK_FULL);
    expect(e.cause).toBe(cause);
    expect(e.retriable).toBe(true);
    expect(e.context).toMatchObject({ path: '/x/7', operation: 'write', errno: 'ENOSPC', syscall: 'write', osPath: '/x/.tmp-7-ab', batchId: 7 });
    expect(e.message).toMatch(/^Cannot write \/x\/7: no space left on device \(ENOSPC\)\. Free space/);
    expect((ioError(Object.assign(new Error('ro'), { code: 'EROFS' }), 'write', '/x') as WeirError).retriable).toBe(false);
  });

  it('ioError passes WeirErrors and errors without an errno through unchanged', () => {
    const weir = new WeirError(ErrorCodes.LOG_ENTRY_CONFLICT, 'exists');
    const plain = new TypeError('bad');
    expect(ioError(weir, 'write', '/x')).toBe(weir);
    expect(ioError(plain, 'write', '/x')).toBe(plain);
  });

  it('readFileIfExists gives undefined for a missing file or folder and throws every other failure', async () => {
    const file = path.join(tempDir(), 'f');
    expect(await readFileIfExists(file)).toBeUndefined();
    expect(await readFileIfExists(path.join(file, 'below'))).toBeUndefined();
    await fs.writeFile(file, 'x');
    expect(await readFileIfExists(file, 'utf8')).toBe('x');
    expect(await readFileIfExists(path.join(file, 'below'))).toBeUndefined(); // ENOTDIR: f is a file
    faults.add({ errno: 'EACCES', under: file, calls: ['readFile'] });
    await expect(readFileIfExists(file)).rejects.toMatchObject({ code: 'EACCES' });
    expect(readFileIfExistsSync(path.join(tempDir(), 'missing'))).toBeUndefined();
    expect(readFileIfExistsSync(file)?.toString()).toBe('x');
    expect(readFileIfExistsSync(path.join(file, 'below'))).toBeUndefined();
  });
});

describe('FileCheckpointStore names its I/O failures', () => {
  it.each([
    ['ENOSPC', 'write', 'IO_DISK_FULL'],
    ['EROFS', 'openForWrite', 'IO_READ_ONLY'],
    ['EACCES', 'openForWrite', 'IO_PERMISSION_DENIED'],
    ['EIO', 'write', 'IO_ERROR'],
    ['EMFILE', 'openForWrite', 'IO_TOO_MANY_OPEN_FILES'],
  ] as const)('a write failing with %s (at %s) is %s with the file and operation write', async (errno, call, code) => {
    const store = new FileCheckpointStore(tempDir());
    await store.mkdirs('offsets');
    faults.add({ errno, under: tempDir(), calls: [call] });
    const e = await rejectionOf(store.writeAtomic('offsets/3', 'v1\n{}\n'));
    expectIoError(e, code, { path: path.join(tempDir(), 'offsets', '3'), operation: 'write', errno });
    faults.clear();
    expect(await fs.readdir(path.join(tempDir(), 'offsets'))).toEqual([]); // no temp file left behind
  });

  it('read, list, delete, stat and mkdir failures carry their operation', async () => {
    const root = tempDir();
    const store = new FileCheckpointStore(root);
    await store.writeAtomic('commits/0', 'v1\n{}\n');
    faults.add({ errno: 'EIO', under: root, calls: ['readFile', 'readdir', 'unlink', 'stat', 'mkdir'] });
    expectIoError(await rejectionOf(store.read('commits/0')), ErrorCodes.IO_ERROR, { path: path.join(root, 'commits', '0'), operation: 'read' });
    expectIoError(await rejectionOf(store.list('commits')), ErrorCodes.IO_ERROR, { path: path.join(root, 'commits'), operation: 'list' });
    expectIoError(await rejectionOf(store.delete('commits/0')), ErrorCodes.IO_ERROR, { path: path.join(root, 'commits', '0'), operation: 'delete' });
    expectIoError(await rejectionOf(store.modificationTime('commits/0')), ErrorCodes.IO_ERROR, { path: path.join(root, 'commits', '0'), operation: 'stat' });
    expectIoError(await rejectionOf(store.mkdirs('state')), ErrorCodes.IO_ERROR, { path: path.join(root, 'state'), operation: 'mkdir' });
  });

  it('a store that may not create its root refuses to re-create a deleted root (CHECKPOINT_DELETED) and leaves nothing there', async () => {
    const root = path.join(tempDir(), 'ckpt');
    await fs.mkdir(root);
    const store = new FileCheckpointStore(root, { createRoot: false });
    await store.writeAtomic('offsets/0', 'a');
    await fs.rm(root, { recursive: true });
    const e = (await rejectionOf(store.writeAtomic('offsets/1', 'b'))) as WeirError;
    expect({ code: e.code, path: e.context.path }).toEqual({ code: ErrorCodes.CHECKPOINT_DELETED, path: root });
    await expect(fs.stat(root)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('Checkpoint.open and the lock name their I/O failures', () => {
  it('opening a checkpoint on a full disk is IO_DISK_FULL naming the file it could not write (ENOSPC, item 13)', async () => {
    const root = path.join(tempDir(), 'ckpt');
    await fs.mkdir(root);
    faults.add({ errno: 'ENOSPC', under: root, calls: ['write'] });
    const e = await rejectionOf(Checkpoint.open(root, { numSources: 1, runId: 'r' }));
    // The lock file is the first file written.
    expectIoError(e, ErrorCodes.IO_DISK_FULL, { path: path.join(root, '.lock'), operation: 'lock', errno: 'ENOSPC' });
    faults.clear();
    const checkpoint = await Checkpoint.open(root, { numSources: 1, runId: 'r' }); // the failed open left it usable
    await checkpoint.close();
  });

  it('a read-only checkpoint folder fails the open with IO_READ_ONLY, and the in-process lock is free again', async () => {
    const root = tempDir();
    faults.add({ errno: 'EROFS', under: root });
    const e = await rejectionOf(Checkpoint.open(root, { numSources: 1, runId: 'r' }));
    expectIoError(e, ErrorCodes.IO_READ_ONLY, { path: path.join(root, '.lock'), operation: 'lock', errno: 'EROFS' });
    expect(await CheckpointLock.isHeldInProcess(root)).toBe(false);
  });

  it('writing metadata of a new checkpoint on a read-only disk is IO_READ_ONLY naming metadata', async () => {
    const root = tempDir();
    faults.add({ errno: 'EROFS', under: path.join(root, 'metadata') });
    const e = await rejectionOf(Checkpoint.open(root, { numSources: 1, runId: 'r' }));
    expectIoError(e, ErrorCodes.IO_READ_ONLY, { path: path.join(root, 'metadata'), operation: 'write' });
  });

  it('a lock release that cannot delete the lock file is IO_READ_ONLY with operation unlock', async () => {
    const root = tempDir();
    const checkpoint = await Checkpoint.open(root, { numSources: 1, runId: 'r' });
    faults.add({ errno: 'EROFS', under: root });
    const e = await rejectionOf(checkpoint.close());
    expectIoError(e, ErrorCodes.IO_READ_ONLY, { path: path.join(await fs.realpath(root), '.lock'), operation: 'unlock' });
  });

  const asRoot = process.getuid?.() === 0;
  (asRoot ? it.skip : it)(
    'a real read-only folder (chmod 555) fails the open with IO_PERMISSION_DENIED [skipped as root: chmod does not stop root writing]',
    async () => {
      const root = path.join(tempDir(), 'ckpt');
      await fs.mkdir(root);
      await fs.chmod(root, 0o555);
      try {
        faults.restore(); // the real filesystem only
        const e = await rejectionOf(Checkpoint.open(root, { numSources: 1, runId: 'r' }));
        expectIoError(e, ErrorCodes.IO_PERMISSION_DENIED, { path: path.join(root, '.lock'), operation: 'lock', errno: 'EACCES' });
      } finally {
        await fs.chmod(root, 0o755);
      }
    },
  );
});
