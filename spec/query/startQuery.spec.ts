import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { filter, from, map, tap, type Observable, type OperatorFunction } from 'rxjs';
import {
  MemoryStream,
  StreamingQueryManager,
  Trigger,
  isWeirError,
  startQuery,
  type MicroBatch,
  type Row,
  type StreamingQueryListener,
} from '../../index';
import { rows, describeOperator } from '../../operators';
import { memorySink, noopSink } from '../../sinks';
import { rateMicroBatch } from '../../sources';
import { ManualClock } from '../../lib/time/ManualClock';

const roots: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'weir-query-'));
  roots.push(d);
  return d;
}
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

interface Seen {
  batchId: number;
  watermarkMs: number;
  batchTimestampMs: number;
  rows: Row[];
}

/** Records every batch the pipeline sees. */
function record(seen: Seen[]): OperatorFunction<MicroBatch<Row>, MicroBatch<Row>> {
  return tap((b: MicroBatch<Row>) =>
    seen.push({ batchId: b.batchId, watermarkMs: b.watermarkMs, batchTimestampMs: b.batchTimestampMs, rows: [...b.rows] }),
  );
}

describe('startQuery (RxJS face) on the engine', () => {
  it('runs MemoryStream → rows(map) → memory sink and resumes after stop from the checkpoint', async () => {
    const checkpointLocation = tempDir();
    const input = new MemoryStream<{ v: number }>();
    const sink = memorySink<{ v: number; double: number }>({ name: 'doubles' });
    const pipeline = rows(map((r: { v: number }) => ({ v: r.v, double: r.v * 2 })));
    let query = await startQuery({ source: input, pipeline, sink, checkpointLocation });
    input.addData({ v: 1 }, { v: 2 });
    await query.processAllAvailable();
    expect(sink.rows()).toEqual([
      { v: 1, double: 2 },
      { v: 2, double: 4 },
    ]);
    const id = query.id;
    await query.stop();
    expect(query.isActive).toBe(false);

    input.addData({ v: 3 });
    query = await startQuery({ source: input, pipeline, sink, checkpointLocation });
    expect(query.id).toBe(id); // stable across restarts
    await query.processAllAvailable();
    expect(sink.rows().map((r) => r.v)).toEqual([1, 2, 3]);
    expect(query.lastProgress?.batchId).toBe(1);
    await query.stop();

    // Spark's layout, with weir's checksum trailer.
    expect(readdirSync(checkpointLocation).sort()).toEqual(expect.arrayContaining(['commits', 'metadata', 'offsets', 'sources']));
    const offsets1 = readFileSync(path.join(checkpointLocation, 'offsets', '1'), 'utf8').split('\n');
    expect(offsets1[0]).toBe('v1');
    expect(JSON.parse(offsets1[1]!)).toMatchObject({ batchWatermarkMs: 0, queryId: id });
    expect(offsets1[2]).toBe('1');
    expect(offsets1[3]).toMatch(/^crc32:[0-9a-f]{8}$/);
    const commits1 = readFileSync(path.join(checkpointLocation, 'commits', '1'), 'utf8').split('\n');
    expect(JSON.parse(commits1[1]!)).toMatchObject({ nextBatchWatermarkMs: 0 });
  });

  it('re-runs a batch that failed after the sink write with exactly the logged offsets and timestamp', async () => {
    const checkpointLocation = tempDir();
    const clock = new ManualClock(1_000);
    const input = new MemoryStream<{ v: number }>();
    const seen: Seen[] = [];
    const sink = memorySink({ name: 'rerun' });
    let failOnce = true;
    const query = await startQuery({
      source: input,
      pipeline: record(seen),
      sink,
      checkpointLocation,
      clock,
      failpoint: (point, batchId) => {
        if (point === 'afterSinkWrite' && batchId === 1 && failOnce) {
          failOnce = false;
          throw new Error('injected crash after the sink write');
        }
      },
    });
    input.addData({ v: 1 });
    await query.processAllAvailable();
    clock.advance(500);
    input.addData({ v: 2 });
    await expect(query.awaitTermination()).rejects.toMatchObject({ code: 'STREAMING_QUERY_EXCEPTION' });
    expect(query.exception?.cause).toBeInstanceOf(Error);

    clock.advance(10_000); // a different "now": the re-run must still use the logged batch timestamp
    input.addData({ v: 3 }); // arrives after the crash: must NOT join the re-run batch
    const restarted = await startQuery({ source: input, pipeline: record(seen), sink, checkpointLocation, clock });
    await restarted.processAllAvailable();
    await restarted.stop();
    const batch1 = seen.filter((s) => s.batchId === 1);
    expect(batch1).toHaveLength(2);
    expect(batch1[1]).toEqual(batch1[0]); // same rows, watermark and timestamp
    expect(batch1[0]!.batchTimestampMs).toBe(1_500);
    expect(seen.find((s) => s.batchId === 2)?.rows).toEqual([{ v: 3 }]);
    expect(sink.rows()).toEqual([{ v: 1 }, { v: 2 }, { v: 3 }]); // the re-delivered batch 1 was ignored
  });

  it('delivers the four listener events with Spark field names, onQueryStarted inside start()', async () => {
    const manager = new StreamingQueryManager();
    const events: string[] = [];
    const listener: StreamingQueryListener = {
      onQueryStarted: (e) => events.push(`started:${e.id === undefined ? '?' : 'id'}:${e.name}`),
      onQueryProgress: (e) => events.push(`progress:${e.progress.batchId}`),
      onQueryIdle: () => events.push('idle'),
      onQueryTerminated: (e) => events.push(`terminated:${e.exception}`),
    };
    manager.addListener(listener);
    const input = new MemoryStream<Row>();
    input.addData({ a: 1 });
    const queryPromise = startQuery({
      source: input,
      sink: memorySink({ name: 'events' }),
      queryName: 'events',
      manager,
      noDataProgressEventIntervalMs: 0,
      checkpointLocation: tempDir(),
    });
    const query = await queryPromise;
    expect(events).toEqual(['started:id:events']);
    await query.processAllAvailable();
    await query.stop();
    await manager.bus.drain();
    expect(events[0]).toBe('started:id:events');
    expect(events).toContain('progress:0');
    expect(events).toContain('idle');
    expect(events[events.length - 1]).toBe('terminated:null');
    expect(manager.active).toEqual([]);
  });

  it("produces progress with Spark's JSON shape and keeps recentProgress bounded", async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const query = await startQuery({
      source: rateMicroBatch({ rowsPerBatch: 5 }),
      sink: noopSink(),
      trigger: Trigger.ProcessingTime(1000),
      clock,
      numRecentProgressUpdates: 3,
      queryName: 'shape',
      checkpointLocation: tempDir(),
    });
    for (let i = 0; i < 5; i += 1) {
      const next = clock.whenWaitingAfter(clock.now());
      await next;
      clock.advance(1000);
    }
    await clock.whenWaitingAfter(clock.now());
    await query.stop();
    expect(query.recentProgress.length).toBe(3);
    const p = query.lastProgress!;
    const json = JSON.parse(p.json);
    expect(Object.keys(json)).toEqual([
      'id',
      'runId',
      'name',
      'timestamp',
      'batchId',
      'batchDuration',
      'numInputRows',
      'inputRowsPerSecond',
      'processedRowsPerSecond',
      'durationMs',
      'stateOperators',
      'sources',
      'sink',
    ]);
    expect(Object.keys(json.durationMs)).toEqual([
      'addBatch',
      'commitOffsets',
      'getBatch',
      'latestOffset',
      'queryPlanning',
      'triggerExecution',
      'walCommit',
    ]);
    expect(json.name).toBe('shape');
    expect(json.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(json.numInputRows).toBe(5);
    expect(json.inputRowsPerSecond).toBe(5); // 5 rows over the 1 s since the previous trigger
    expect(json.sources[0]).toMatchObject({
      description: expect.stringContaining('RatePerMicroBatch'),
      numInputRows: 5,
      startOffset: { offset: 25, timestamp: 5000 },
      endOffset: { offset: 30, timestamp: 6000 },
    });
    expect(json.sink).toEqual({ description: expect.any(String), numOutputRows: 5 });
    expect(p.prettyJson).toContain('"batchId" : 5');
  });

  it('runs processing-time batches aligned to the interval on a manual clock', async () => {
    const clock = new ManualClock(10_250);
    const seen: Seen[] = [];
    const query = await startQuery({
      source: rateMicroBatch({ rowsPerBatch: 1 }),
      pipeline: record(seen),
      sink: noopSink(),
      trigger: Trigger.ProcessingTime('1 second'),
      clock,
      checkpointLocation: tempDir(),
    });
    await clock.whenWaitingAfter(10_250);
    clock.advance(750); // 11_000: the next boundary
    await clock.whenWaitingAfter(11_000);
    clock.advance(1000);
    await clock.whenWaitingAfter(12_000);
    await query.stop();
    expect(seen.map((s) => s.batchTimestampMs)).toEqual([10_250, 11_000, 12_000]);
    expect(seen.map((s) => s.batchId)).toEqual([0, 1, 2]);
  });

  it('Once processes what is available in one batch and stops; AvailableNow stops when done', async () => {
    const input = new MemoryStream<Row>();
    input.addData({ a: 1 });
    input.addData({ a: 2 });
    const sink = memorySink({ name: 'once' });
    const once = await startQuery({ source: input, sink, trigger: { once: true }, checkpointLocation: tempDir() });
    expect(await once.awaitTermination(10_000)).toBe(true);
    expect(sink.rows()).toEqual([{ a: 1 }, { a: 2 }]);
    expect(once.recentProgress.map((p) => p.batchId)).toEqual([0]);

    const sink2 = memorySink({ name: 'availableNow' });
    const checkpoint = tempDir();
    const now = await startQuery({ source: input, sink: sink2, trigger: Trigger.AvailableNow(), checkpointLocation: checkpoint });
    expect(await now.awaitTermination(10_000)).toBe(true);
    expect(sink2.rows()).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('AvailableNow honours read limits across several batches, runs nothing newer, then stops', async () => {
    const data = Array.from({ length: 7 }, (_, i) => ({ i }));
    let available = 5;
    let cap: number | undefined;
    // A replayable list source that admits 2 rows per batch and supports AvailableNow.
    const source = {
      description: 'ListSource',
      open: async () => undefined,
      initialOffset: async () => 0,
      defaultReadLimit: () => ({ kind: 'maxRows', maxRows: 2 }) as const,
      latestOffset: async (start: unknown) => Math.min(Number(start) + 2, cap ?? available),
      read: (start: unknown, end: unknown) => {
        available = 7; // more data arrives while the run is going: not part of this AvailableNow run
        return from(data.slice(Number(start), Number(end)));
      },
      commit: async () => undefined,
      stop: async () => undefined,
      prepareForTriggerAvailableNow: async () => {
        cap = available;
      },
    };
    const sink = memorySink({ name: 'limited' });
    const query = await startQuery({ source, sink, trigger: Trigger.AvailableNow(), checkpointLocation: tempDir() });
    expect(await query.awaitTermination(10_000)).toBe(true);
    expect(sink.rows()).toEqual(data.slice(0, 5));
    expect(query.recentProgress.map((p) => p.numInputRows)).toEqual([2, 2, 1]);
  });

  it('fails the second live query on one checkpoint with CONCURRENT_QUERY', async () => {
    const checkpointLocation = tempDir();
    const input = new MemoryStream<Row>();
    const first = await startQuery({ source: input, sink: noopSink(), checkpointLocation });
    let error: unknown;
    try {
      await startQuery({ source: input, sink: noopSink(), checkpointLocation });
    } catch (e) {
      error = e;
    }
    expect(isWeirError(error, 'CONCURRENT_QUERY')).toBe(true);
    expect(String((error as Error).message)).toContain('as another query with same id is already active');
    await first.stop();
    const again = await startQuery({ source: input, sink: noopSink(), checkpointLocation });
    await again.stop();
  });

  it('requires a checkpoint location unless the sink allows a temporary one, and rejects duplicate names', async () => {
    const input = new MemoryStream<Row>();
    const plainSink = { description: 'PlainSink', addBatch: async () => undefined };
    await expect(startQuery({ source: input, sink: plainSink })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('checkpointLocation must be specified'),
    });
    const manager = new StreamingQueryManager();
    const q = await startQuery({ source: input, sink: memorySink({ name: 'dup' }), queryName: 'dup', manager });
    await expect(
      startQuery({ source: input, sink: memorySink({ name: 'dup' }), queryName: 'dup', manager }),
    ).rejects.toMatchObject({ code: 'CONCURRENT_QUERY' });
    expect(manager.get(q.id)).toBe(q);
    await q.stop();
    expect(await manager.awaitAnyTermination(1000)).toBe(true);
  });

  it('awaitTermination resolves false on timeout and rejects with the failure; the manager sees it too', async () => {
    const manager = new StreamingQueryManager();
    const input = new MemoryStream<{ v: number }>();
    const query = await startQuery({
      source: input,
      pipeline: rows(
        map((r: { v: number }) => {
          if (r.v < 0) throw new Error('negative');
          return r;
        }),
      ),
      sink: memorySink({ name: 'fails' }),
      manager,
    });
    expect(await query.awaitTermination(20)).toBe(false);
    input.addData({ v: -1 });
    await expect(query.awaitTermination()).rejects.toMatchObject({ code: 'STREAMING_QUERY_EXCEPTION' });
    expect(query.exception?.cause).toMatchObject({ code: 'OPERATOR_ERROR' });
    await expect(manager.awaitAnyTermination()).rejects.toMatchObject({ code: 'STREAMING_QUERY_EXCEPTION' });
    manager.resetTerminated();
    expect(await manager.awaitAnyTermination(10)).toBe(false);
  });

  it('rejects a pipeline that does not emit exactly one batch per batch', async () => {
    const input = new MemoryStream<Row>();
    const dropAll = describeOperator('dropAll', (b$: Observable<MicroBatch<Row>>) => b$.pipe(filter(() => false)));
    const query = await startQuery({ source: input, pipeline: dropAll, sink: memorySink({ name: 'zero' }) });
    input.addData({ a: 1 });
    await expect(query.awaitTermination()).rejects.toMatchObject({
      cause: expect.objectContaining({ code: 'OPERATOR_ERROR' }),
    });
  });

  it('explains the plan', async () => {
    const input = new MemoryStream<Row>({ name: 'words' });
    const query = await startQuery({
      source: input,
      pipeline: [rows(map((r: Row) => r), 'project')],
      sink: memorySink({ name: 'explained' }),
    });
    const text = query.explain();
    await query.stop();
    expect(text).toContain('== Physical Plan ==');
    expect(text).toContain('WriteToMicroBatchDataSource');
    expect(text).toContain('+- project');
    expect(text).toContain('MemoryStream[words]');
  });

  it('runs a no-data batch when a stateful operator asks for one, and counts it in batch ids', async () => {
    const input = new MemoryStream<{ t: number }>();
    const seen: Seen[] = [];
    let askedFor: number[] = [];
    // A minimal watermarking, stateful operator: reports event times, wants a batch while the watermark moved.
    const watermarking = describeOperator('fakeStateful', (b$: Observable<MicroBatch<{ t: number }>>) =>
      b$.pipe(
        tap((b) => {
          const ts = b.rows.map((r) => r.t);
          b.context.reportEventTime(
            'wm',
            ts.length === 0
              ? { min: 0, max: 0, sum: 0, count: 0 }
              : { min: Math.min(...ts), max: Math.max(...ts), sum: ts.reduce((a, c) => a + c, 0), count: ts.length },
            1000,
          );
          const used = b.watermarkMs;
          b.context.registerStatefulOperator({
            operatorId: 'agg',
            operatorName: 'stateStoreSave',
            shouldRunAnotherBatch: (next) => {
              askedFor.push(next);
              return next > used;
            },
          });
        }),
      ),
    );
    const query = await startQuery({
      source: input,
      pipeline: [watermarking, record(seen as never)] as never,
      sink: memorySink({ name: 'nodata' }),
    });
    input.addData({ t: 5000 });
    await query.processAllAvailable();
    await query.stop();
    // batch 0 saw the data with watermark 0; batch 1 is the no-data batch with watermark 4000.
    expect(seen.map((s) => [s.batchId, s.watermarkMs, s.rows.length])).toEqual([
      [0, 0, 1],
      [1, 4000, 0],
    ]);
    expect(askedFor).toContain(4000);
    askedFor = [];
    const progress = query.recentProgress.map((p) => JSON.parse(p.json));
    expect(progress[1].eventTime).toEqual({ watermark: '1970-01-01T00:00:04.000Z' });
    expect(progress[0].eventTime).toEqual({
      avg: '1970-01-01T00:00:05.000Z',
      max: '1970-01-01T00:00:05.000Z',
      min: '1970-01-01T00:00:05.000Z',
      watermark: '1970-01-01T00:00:00.000Z',
    });
    expect(progress[0].stateOperators[0].operatorName).toBe('stateStoreSave');
  });
});
