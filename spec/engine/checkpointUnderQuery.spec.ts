/**
 * What happens to a running query when its checkpoint goes away or stops taking writes (issue #16, items 2, 3
 * and 13): the folder deleted or replaced, its metadata deleted, the lock file deleted or taken over, another
 * writer's offsets/N, a read-only or full disk. Each one stops the query with a named error (code and path) at the
 * latest before the next batch writes anything, `stop()` and `awaitTermination()` reject with it, and where the
 * checkpoint is still there a restart gives the uninterrupted run's output. Read-only and full disks come from
 * the fault-injecting fs wrapper (CI runs as root, where chmod does not stop writes).
 */
import { existsSync, mkdirSync, mkdtempSync, promises as fs, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Row, Source } from '../../lib/contracts';
import { FileCheckpointStore } from '../../lib/checkpoint/FileCheckpointStore';
import { OffsetSeqLog } from '../../lib/checkpoint/OffsetSeqLog';
import { ErrorCodes, WeirError, type ErrorCode } from '../../lib/errors';
import { startQuery } from '../../lib/query/startQuery';
import type { StreamingQuery } from '../../lib/query/StreamingQuery';
import { untilBatch } from '../../lib/testing/untilBatch';
import { foreachBatchSink } from '../../sinks';
import { rateMicroBatch } from '../../sources';
import { durableTestSink, readDurableTestSink } from '../support/durableTestSink';
import { runChild } from '../support/crashChild';
import { injectFsFaults, type FaultyFs } from '../checkpoint/faultyFs';

let faults: FaultyFs;
let dir: string;
const queries: StreamingQuery[] = [];
beforeEach(() => {
  faults = injectFsFaults();
  dir = mkdtempSync(path.join(os.tmpdir(), 'weir-ckpt-under-query-'));
});
afterEach(async () => {
  faults.restore();
  for (const q of queries.splice(0)) await q.stop().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

/** A source whose latest offset the test moves: offset n means rows 1..n; each batch reads (start, end]. */
function steppedSource(): { source: Source<Row>; moveTo(n: number): void } {
  let latest = 0;
  let wake: (() => void) | undefined;
  const source: Source<Row> = {
    description: 'stepped',
    async open(context) {
      wake = context.notifyDataAvailable;
    },
    async initialOffset() {
      return 0;
    },
    async latestOffset() {
      return latest;
    },
    read: () => {
      throw new Error('readAll is used');
    },
    async readAll(start, end) {
      const rows: Row[] = [];
      for (let v = (start as number) + 1; v <= (end as number); v += 1) rows.push({ v });
      return rows;
    },
    async commit() {},
    async stop() {},
  };
  return {
    source,
    moveTo(n) {
      latest = n;
      wake?.();
    },
  };
}

/** Starts a stepped-source query on `checkpoint` collecting its batches; `warnings` gets the logger's lines. */
async function startStepped(checkpoint: string) {
  const stepped = steppedSource();
  const batches: number[][] = [];
  const warnings: string[] = [];
  const query = await startQuery({
    source: stepped.source,
    sink: foreachBatchSink((rows: readonly Row[]) => {
      batches.push(rows.map((r) => r.v as number));
    }),
    checkpointLocation: checkpoint,
    logger: { warn: (m) => warnings.push(m) },
  });
  queries.push(query);
  return { query, stepped, batches, warnings };
}

/**
 * The error that terminated `query` (its StreamingQueryException's cause), checked to be a WeirError with `code`:
 * waits (without looking at the exception) until the query ended by itself, then `stop()` must reject with it, and
 * `awaitTermination()` too.
 */
async function terminationCause(query: StreamingQuery, code: ErrorCode, withinMs = 5_000): Promise<WeirError> {
  const deadline = Date.now() + withinMs;
  while (query.isActive && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(query.isActive).toBe(false); // still running after withinMs: the fault went unnoticed
  const stopped = await query.stop().then(
    () => 'stop() resolved',
    (e: unknown) => e,
  );
  expect(stopped).toBeInstanceOf(WeirError);
  expect((stopped as WeirError).code).toBe(ErrorCodes.STREAMING_QUERY_EXCEPTION);
  await expect(query.awaitTermination()).rejects.toBe(stopped);
  const cause = (stopped as WeirError).cause as WeirError;
  expect(cause).toBeInstanceOf(WeirError);
  expect(cause.code).toBe(code);
  return cause;
}

describe('a checkpoint deleted or replaced under a running query (item 2)', () => {
  it('the folder deleted: the next batch stops the query with CHECKPOINT_DELETED naming the folder, and nothing re-creates it', async () => {
    const checkpoint = path.join(dir, 'ckpt');
    const { query, stepped } = await startStepped(checkpoint);
    stepped.moveTo(1);
    await untilBatch(query, 0);
    rmSync(checkpoint, { recursive: true, force: true });
    stepped.moveTo(2);
    const cause = await terminationCause(query, ErrorCodes.CHECKPOINT_DELETED);
    expect(cause.context).toMatchObject({ path: checkpoint, batchId: 1, reason: 'the folder was deleted' });
    expect(cause.message).toContain('Restore the folder from a backup');
    expect(existsSync(checkpoint)).toBe(false);
  });

  it('the folder deleted and made again (another inode): CHECKPOINT_DELETED', async () => {
    const checkpoint = path.join(dir, 'ckpt');
    const { query, stepped } = await startStepped(checkpoint);
    stepped.moveTo(1);
    await untilBatch(query, 0);
    rmSync(checkpoint, { recursive: true, force: true });
    mkdirSync(checkpoint);
    stepped.moveTo(2);
    const cause = await terminationCause(query, ErrorCodes.CHECKPOINT_DELETED);
    // A filesystem may give the new folder the old one's inode number; its missing metadata still tells.
    expect(cause.context.path).toBe(checkpoint);
    expect(cause.context.reason).toMatch(/^(the folder was deleted and another one made in its place|its metadata file .* was deleted)$/);
    expect(await fs.readdir(checkpoint)).toEqual([]); // batch 1 wrote nothing into the new folder
  });

  it('its metadata file deleted: CHECKPOINT_DELETED naming metadata, before offsets/1 is written', async () => {
    const checkpoint = path.join(dir, 'ckpt');
    const { query, stepped } = await startStepped(checkpoint);
    stepped.moveTo(1);
    await untilBatch(query, 0);
    rmSync(path.join(checkpoint, 'metadata'));
    stepped.moveTo(2);
    const cause = await terminationCause(query, ErrorCodes.CHECKPOINT_DELETED);
    expect(cause.message).toContain(path.join(checkpoint, 'metadata'));
    expect(existsSync(path.join(checkpoint, 'offsets', '1'))).toBe(false);
  });
});

describe('the lock of a running query (item 13)', () => {
  it('a deleted .lock is written again at the next batch, so a second process gets CONCURRENT_QUERY', async () => {
    const checkpoint = path.join(dir, 'ckpt');
    const { query, stepped, warnings } = await startStepped(checkpoint);
    stepped.moveTo(1);
    await untilBatch(query, 0);
    const lock = path.join(checkpoint, '.lock');
    const before = readFileSync(lock, 'utf8');
    rmSync(lock);
    stepped.moveTo(2);
    await untilBatch(query, 1);
    expect(readFileSync(lock, 'utf8')).toBe(before);
    expect(warnings.some((w) => w.includes('lock file') && w.includes('written again before batch 1'))).toBe(true);

    const child = await runChild(path.join(__dirname, 'crash', 'secondQueryChild.ts'), { CHECKPOINT: checkpoint }, undefined, {
      quietNodeWarnings: true,
    });
    expect({ code: child.code, stderr: child.stderr }).toEqual({ code: 3, stderr: `CONCURRENT_QUERY ${lock}` });
    expect(query.isActive).toBe(true);
  }, 30_000);

  it('a lock another run took over stops this run at its next batch with CONCURRENT_QUERY naming the holder', async () => {
    const checkpoint = path.join(dir, 'ckpt');
    const { query, stepped, batches } = await startStepped(checkpoint);
    stepped.moveTo(1);
    await untilBatch(query, 0);
    const lock = path.join(checkpoint, '.lock');
    // What a second process that found no lock file writes (a live pid of this host: the parent's).
    writeFileSync(lock, JSON.stringify({ pid: process.ppid, hostname: os.hostname(), runId: 'other-run', startedAt: '' }));
    stepped.moveTo(2);
    const cause = await terminationCause(query, ErrorCodes.CONCURRENT_QUERY);
    expect(cause.context).toMatchObject({ path: await fs.realpath(lock).catch(() => lock), holderRunId: 'other-run', holderPid: process.ppid });
    expect(batches).toEqual([[1]]);
    expect(existsSync(path.join(checkpoint, 'offsets', '1'))).toBe(false);
    expect(JSON.parse(readFileSync(lock, 'utf8')).runId).toBe('other-run'); // the other run's lock is left alone
  });

  it('offsets/N written by another writer while this run is active is CONCURRENT_QUERY, not CHECKPOINT_INCONSISTENT', async () => {
    const checkpoint = path.join(dir, 'ckpt');
    const { query, stepped } = await startStepped(checkpoint);
    stepped.moveTo(1);
    await untilBatch(query, 0);
    // Another run of the query (its lock file deleted, say) wrote the next batch's offsets.
    await new OffsetSeqLog(new FileCheckpointStore(checkpoint), 'offsets').add(1, {
      metadata: { batchWatermarkMs: 0, batchTimestampMs: 0, conf: {}, queryId: query.id },
      offsets: [5],
    });
    stepped.moveTo(2);
    const cause = await terminationCause(query, ErrorCodes.CONCURRENT_QUERY);
    expect(cause.context).toMatchObject({ batchId: 1, path: path.join(checkpoint, 'offsets', '1') });
  });
});

describe('a checkpoint that stops taking writes (item 3)', () => {
  const BATCHES = 8;

  /** rate-micro-batch → durable sink until batch BATCHES - 1, on `checkpoint`, with an optional failpoint. */
  async function startRate(checkpoint: string, out: string, failpoint?: (point: string, batchId: number) => void) {
    const query = await startQuery({
      source: rateMicroBatch({ rowsPerBatch: 3, startTimestamp: 1_700_000_000_000, advanceMillisPerBatch: 1000 }),
      sink: durableTestSink(out, { maxBatchId: BATCHES - 1 }),
      checkpointLocation: checkpoint,
      ...(failpoint ? { failpoint } : {}),
    });
    queries.push(query);
    return query;
  }

  async function uninterrupted(): Promise<Map<number, Row[]>> {
    const query = await startRate(path.join(dir, 'ref-ckpt'), path.join(dir, 'ref-out'));
    await untilBatch(query, BATCHES - 1);
    await query.stop();
    return readDurableTestSink(path.join(dir, 'ref-out')).batches;
  }

  it.each([
    ['EROFS', 'the commit of batch 3', 'afterStateCommit', 'commits', ErrorCodes.IO_READ_ONLY],
    ['ENOSPC', 'the offsets of batch 3', 'afterCommitWritten', 'offsets', ErrorCodes.IO_DISK_FULL],
    ['EACCES', 'the offsets of batch 3', 'afterCommitWritten', 'offsets', ErrorCodes.IO_PERMISSION_DENIED],
  ] as const)('%s at %s fails the query with a named error and the path; a restart equals the uninterrupted run', async (errno, _what, point, log, code) => {
    const expected = await uninterrupted();
    const checkpoint = path.join(dir, 'ckpt');
    const out = path.join(dir, 'out');
    const armAt = point === 'afterStateCommit' ? 3 : 2; // the fault is in place for the next checkpoint write
    const query = await startRate(checkpoint, out, (p, batchId) => {
      if (p === point && batchId === armAt) faults.add({ errno, under: checkpoint, calls: ['openForWrite', 'write', 'rename', 'link', 'unlink'] });
    });
    const cause = await terminationCause(query, code);
    expect(cause.context).toMatchObject({ path: path.join(checkpoint, log, '3'), operation: 'write', errno });
    expect(cause.message).toContain(path.join(checkpoint, log, '3'));
    // The run could not commit batch 3: neither stop() nor awaitTermination() reported success (terminationCause).
    await expect(query.stop()).resolves.toBeUndefined(); // once the failure was reported, a clean-up stop() is quiet

    faults.clear(); // the disk is writable again
    const restarted = await startRate(checkpoint, out);
    await untilBatch(restarted, BATCHES - 1);
    await restarted.stop();
    const actual = readDurableTestSink(out);
    expect(actual.conflicts).toEqual([]);
    expect(actual.batches).toEqual(expected);
  });

  it('stop() asked for while the batch in flight cannot commit rejects with the error instead of resolving', async () => {
    const checkpoint = path.join(dir, 'ckpt');
    let stopping: Promise<void> | undefined;
    let query: StreamingQuery | undefined = undefined;
    query = await startRate(checkpoint, path.join(dir, 'out'), (p, batchId) => {
      if (p === 'afterSinkWrite' && batchId === 2) {
        faults.add({ errno: 'EROFS', under: checkpoint });
        stopping = query!.stop();
        stopping.catch(() => undefined); // asserted below
      }
    });
    await untilBatch(query, 2).catch(() => undefined);
    await query.awaitTermination().catch(() => undefined);
    expect(stopping).toBeDefined();
    await expect(stopping).rejects.toMatchObject({
      code: ErrorCodes.STREAMING_QUERY_EXCEPTION,
      cause: { code: ErrorCodes.IO_READ_ONLY, context: { path: path.join(checkpoint, 'commits', '2') } },
    });
  });
});
