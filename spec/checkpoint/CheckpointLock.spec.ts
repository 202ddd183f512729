import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Checkpoint } from '../../lib/checkpoint/Checkpoint';
import { CheckpointLock } from '../../lib/checkpoint/CheckpointLock';
import { ErrorCodes, isWeirError, type WeirError } from '../../lib/errors';
import { rejectionOf, useTempDir } from './tempDir';

const tempDir = useTempDir('weir-lock-');
const REPO_ROOT = path.resolve(__dirname, '..', '..');
const SPARK_TEXT = (id: string): string =>
  `Cannot start query with id ${id} as another query with same id is already active. Perhaps you are attempting to ` +
  'restart a query from checkpoint that is already active.';

const lockFile = (root: string): string => path.join(root, '.lock');
const writeLock = (root: string, holder: Record<string, unknown>): Promise<void> =>
  fs.writeFile(lockFile(root), JSON.stringify(holder));

/** A pid that belonged to a process which has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  const pid = child.pid as number;
  await new Promise((resolve) => child.once('exit', resolve));
  return pid;
}

describe('CheckpointLock within one process', () => {
  it('a second open of the same checkpoint fails with CONCURRENT_QUERY until the first closes', async () => {
    const first = await Checkpoint.open(tempDir(), { numSources: 1, runId: 'run-1' });
    const error = (await rejectionOf(Checkpoint.open(tempDir(), { numSources: 1, runId: 'run-2' }))) as WeirError;
    expect(isWeirError(error, ErrorCodes.CONCURRENT_QUERY)).toBe(true);
    expect(error.message).toContain(SPARK_TEXT(first.queryId));
    expect(error.message).toContain(`pid ${process.pid}`);
    expect(error.context).toMatchObject({ holderPid: process.pid, queryId: first.queryId });
    await first.close();
    const second = await Checkpoint.open(tempDir(), { numSources: 1, runId: 'run-2' });
    expect(second.queryId).toBe(first.queryId);
    await second.close();
  });

  it('knows the checkpoint by its real path: a symlink to it is the same checkpoint', async () => {
    const real = path.join(tempDir(), 'real');
    const link = path.join(tempDir(), 'link');
    await fs.mkdir(real);
    await fs.symlink(real, link);
    const first = await Checkpoint.open(real, { numSources: 1, runId: 'a' });
    expect(isWeirError(await rejectionOf(Checkpoint.open(link, { numSources: 1, runId: 'b' })), ErrorCodes.CONCURRENT_QUERY)).toBe(true);
    await first.close();
  });

  it('lets exactly one of several racing opens win', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) => Checkpoint.open(tempDir(), { numSources: 1, runId: `racer-${i}` })),
    );
    const opened = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(opened).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') expect(isWeirError(r.reason, ErrorCodes.CONCURRENT_QUERY)).toBe(true);
    }
    await opened[0]?.close();
    expect(await fs.readdir(tempDir())).not.toContain('.lock');
  });

  it('close is idempotent and removes the lock file', async () => {
    const checkpoint = await Checkpoint.open(tempDir(), { numSources: 0, runId: 'r' });
    expect(JSON.parse(await fs.readFile(lockFile(tempDir()), 'utf8'))).toMatchObject({
      pid: process.pid,
      hostname: os.hostname(),
      runId: 'r',
    });
    await checkpoint.close();
    await checkpoint.close();
    expect(checkpoint.isClosed).toBe(true);
    await expect(fs.access(lockFile(tempDir()))).rejects.toThrow();
    expect(await CheckpointLock.isHeldInProcess(tempDir())).toBe(false);
  });

  it('release removes the lock file only while it still holds our runId', async () => {
    const lock = await CheckpointLock.acquire(tempDir(), { runId: 'mine' });
    expect(await CheckpointLock.isHeldInProcess(tempDir())).toBe(true);
    await writeLock(tempDir(), { pid: 1, hostname: os.hostname(), runId: 'someone-else', startedAt: '' });
    await lock.release();
    expect(JSON.parse(await fs.readFile(lockFile(tempDir()), 'utf8'))).toMatchObject({ runId: 'someone-else' });
    expect(await CheckpointLock.isHeldInProcess(tempDir())).toBe(false);
  });
});

describe('CheckpointLock across processes', () => {
  let child: ChildProcess | undefined;
  afterEach(async () => {
    // Only the child this test started, by its pid.
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      process.kill(child.pid, 'SIGKILL');
      await exited;
    }
    child = undefined;
  });

  /** Starts a child that opens the checkpoint with weir's module and holds it; resolves when it holds it. */
  async function startHolder(root: string): Promise<{ pid: number; queryId: string }> {
    const ready = path.join(tempDir(), 'ready.json');
    let stderr = '';
    child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', path.join(__dirname, 'fixtures', 'holdCheckpoint.ts'), root, ready],
      { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // The one real-time wait: polling for the child to be ready.
    for (let waited = 0; waited < 30_000; waited += 50) {
      const content = await fs.readFile(ready, 'utf8').catch(() => undefined);
      if (content !== undefined && content.length > 0) return JSON.parse(content) as { pid: number; queryId: string };
      if (child.exitCode !== null) throw new Error(`holder exited early: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`holder not ready: ${stderr}`);
  }

  it('refuses a checkpoint held by a live process, and takes it over once that process is SIGKILLed', async () => {
    const root = path.join(tempDir(), 'ckpt');
    const holder = await startHolder(root);
    expect(holder.pid).toBe(child?.pid);

    const error = (await rejectionOf(Checkpoint.open(root, { numSources: 1, runId: 'parent' }))) as WeirError;
    expect(isWeirError(error, ErrorCodes.CONCURRENT_QUERY)).toBe(true);
    expect(error.message).toContain(SPARK_TEXT(holder.queryId));
    expect(error.message).toContain(`pid ${holder.pid}`);
    expect(error.context.holderPid).toBe(holder.pid);

    const exited = new Promise((resolve) => child?.once('exit', resolve));
    process.kill(holder.pid, 'SIGKILL');
    await exited;

    // The dead holder's lock file is still there: stale, taken over.
    expect(JSON.parse(await fs.readFile(lockFile(root), 'utf8'))).toMatchObject({ pid: holder.pid });
    const checkpoint = await Checkpoint.open(root, { numSources: 1, runId: 'parent' });
    expect(checkpoint.queryId).toBe(holder.queryId);
    expect(JSON.parse(await fs.readFile(lockFile(root), 'utf8'))).toMatchObject({ pid: process.pid, runId: 'parent' });
    expect((await fs.readdir(root)).filter((n) => n.startsWith('.lock'))).toEqual(['.lock']);
    await checkpoint.close();
  });

  it('takes over a lock whose pid is dead, unreadable, or a leftover of this very process', async () => {
    for (const content of [
      JSON.stringify({ pid: await deadPid(), hostname: os.hostname(), runId: 'dead', startedAt: '' }),
      'garbage{',
      '',
      JSON.stringify({ pid: process.pid, hostname: os.hostname(), runId: 'old-run-of-this-process', startedAt: '' }),
    ]) {
      await fs.writeFile(lockFile(tempDir()), content);
      const lock = await CheckpointLock.acquire(tempDir(), { runId: 'taker' });
      expect(JSON.parse(await fs.readFile(lockFile(tempDir()), 'utf8'))).toMatchObject({ runId: 'taker' });
      await lock.release();
    }
  });

  it('never takes over a lock from another host', async () => {
    await writeLock(tempDir(), { pid: await deadPid(), hostname: `not-${os.hostname()}`, runId: 'remote', startedAt: '' });
    const error = await rejectionOf(CheckpointLock.acquire(tempDir(), { runId: 'local', queryId: 'q' }));
    expect(isWeirError(error, ErrorCodes.CONCURRENT_QUERY)).toBe(true);
    expect(await CheckpointLock.isHeldInProcess(tempDir())).toBe(false);
  });

  it("says how to hand over another host's checkpoint: stop the query there, or delete the lock once that host is gone", async () => {
    const other = `not-${os.hostname()}`;
    await writeLock(tempDir(), { pid: 4242, hostname: other, runId: 'remote', startedAt: '' });
    const error = (await rejectionOf(CheckpointLock.acquire(tempDir(), { runId: 'local', queryId: 'q' }))) as WeirError;
    expect(error.context).toMatchObject({ otherHost: true, holderHostname: other, path: lockFile(await fs.realpath(tempDir())) });
    expect(error.message).toContain(`stop the query on ${other}`);
    expect(error.message).toContain(`delete ${lockFile(await fs.realpath(tempDir()))}`);
  });
});

describe('CheckpointLock.verify (the check before every batch)', () => {
  it('is held while nothing changed, writes a deleted lock file again, and refuses a lock another run took', async () => {
    const lock = await CheckpointLock.acquire(tempDir(), { runId: 'mine', queryId: 'q' });
    try {
      const before = await fs.readFile(lock.path, 'utf8');
      expect(await lock.verify()).toBe('held');
      await fs.rm(lock.path);
      expect(await lock.verify()).toBe('restored');
      expect(await fs.readFile(lock.path, 'utf8')).toBe(before);
      await writeLock(tempDir(), { pid: process.ppid, hostname: os.hostname(), runId: 'theirs', startedAt: '' });
      const error = (await rejectionOf(lock.verify())) as WeirError;
      expect(isWeirError(error, ErrorCodes.CONCURRENT_QUERY)).toBe(true);
      expect(error.context).toMatchObject({ path: lock.path, holderRunId: 'theirs', runId: 'mine' });
      await fs.writeFile(lock.path, '{"torn');
      expect(await rejectionOf(lock.verify())).toMatchObject({ code: ErrorCodes.CONCURRENT_QUERY });
    } finally {
      await lock.release();
    }
    expect(await fs.readFile(lockFile(tempDir()), 'utf8')).toBe('{"torn'); // release leaves a lock that is not its own
  });
});
