import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { map, pipe } from 'rxjs';
import {
  agg,
  aggregate as A,
  dropDuplicates,
  flatMapGroupsWithState,
  groupByKey,
  mapGroupsWithState,
  withWatermark,
  GroupStateTimeout,
  type GroupState,
} from '../../operators';
import { OperatorHarness } from '../../lib/testing';
import { MemoryStream } from '../../connectors/memory/MemoryStream';
import { startQuery } from '../../lib/query/startQuery';
import type { MicroBatch, Row } from '../../lib/contracts';
import { memorySink } from '../../connectors/memory/memorySink';
import { CORRECTNESS_ISSUE } from '../../lib/query/startQuery';
import { startClockedQuery } from '../groupState/clockedQuery';
import { ManualClock } from '../../lib/time/ManualClock';
import { expectWeirError } from '../support/expectWeirError';

const T0 = Date.parse('2024-01-01T00:00:00Z');
const ts = (s: number): Date => new Date(T0 + s * 1000);

/** Running count per user; emits the count after each batch (update) or once on timeout (append). */
const counting =
  (emitOn: 'update' | 'timeout', timeout: 'event' | 'none' = 'none') =>
  (key: { user: string }, rows: readonly Row[], state: GroupState<number>) => {
    if (state.hasTimedOut) {
      const n = state.get();
      state.remove();
      return [{ ...key, n, timedOut: true }];
    }
    const n = (state.getOption() ?? 0) + rows.length;
    state.update(n);
    if (timeout === 'event') state.setTimeoutTimestamp(Math.max(...rows.map((r) => (r.ts as Date).getTime())), '5 seconds');
    return emitOn === 'update' ? [{ ...key, n }] : [];
  };

describe('flatMapGroupsWithState on the operator harness', () => {
  it('NoTimeout: calls the function per group with its rows in input order and keeps the state', () => {
    const seen: Array<[string, number[]]> = [];
    const h = new OperatorHarness(
      [
        flatMapGroupsWithState(['user'], 'update', 'NoTimeout', (key: Row, rows: readonly Row[], state: GroupState<number>) => {
          seen.push([key.user as string, rows.map((r) => r.v as number)]);
          state.update((state.getOption() ?? 0) + rows.length);
          return [{ user: key.user, n: state.get() }];
        }),
      ],
      { outputMode: 'update' },
    );
    expect(h.processBatch([{ user: 'a', v: 1 }, { user: 'b', v: 2 }, { user: 'a', v: 3 }])).toEqual([
      { user: 'a', n: 2 },
      { user: 'b', n: 1 },
    ]);
    expect(h.processBatch([{ user: 'a', v: 4 }])).toEqual([{ user: 'a', n: 3 }]);
    expect(seen).toEqual([['a', [1, 3]], ['b', [2]], ['a', [4]]]);
    expect(h.stateRowCount()).toBe(2);
    expect(h.needsNoDataBatch()).toBe(false);
  });

  it('remove() deletes the group; a key function groups by its result object', () => {
    const h = new OperatorHarness(
      [
        flatMapGroupsWithState((r: Row) => ({ u: (r.user as string).toLowerCase() }), 'append', 'NoTimeout', (key, rows, state: GroupState<number>) => {
          const n = (state.getOption() ?? 0) + rows.length;
          if (n >= 3) {
            state.remove();
            return [{ ...key, n }];
          }
          state.update(n);
          return [];
        }),
      ],
      { outputMode: 'append' },
    );
    expect(h.processBatch([{ user: 'A' }, { user: 'a' }])).toEqual([]);
    expect(h.stateRowCount()).toBe(1);
    expect(h.processBatch([{ user: 'a' }])).toEqual([{ u: 'a', n: 3 }]);
    expect(h.stateRowCount()).toBe(0);
  });

  it('EventTimeTimeout: the timeout fires in the no-data batch once the watermark passes it (strictly), late rows never reach the function', () => {
    const h = new OperatorHarness([withWatermark('ts', '10 seconds'), flatMapGroupsWithState(['user'], 'append', 'EventTimeTimeout', counting('timeout', 'event'))]);
    expect(h.processBatch([{ user: 'a', ts: ts(1) }, { user: 'a', ts: ts(3) }])).toEqual([]); // timeout 8 s
    expect(h.advanceWatermark()).toEqual([]);
    expect(h.processBatch([{ user: 'z', ts: ts(18) }])).toEqual([]); // wm -> 8: 8 < 8 is false
    expect(h.advanceWatermark()).toEqual([]);
    expect(h.stateRowCount()).toBe(2);
    expect(h.processBatch([{ user: 'z', ts: ts(19) }])).toEqual([]); // wm -> 9
    expect(h.needsNoDataBatch()).toBe(true);
    expect(h.advanceWatermark()).toEqual([{ user: 'a', n: 2, timedOut: true }]);
    expect(h.stateRowCount()).toBe(1);
    // a@5 is late (<= 9): dropped before the function, so no new group for a.
    expect(h.processBatch([{ user: 'a', ts: ts(5) }])).toEqual([]);
    expect(h.stateRowCount()).toBe(1);
  });

  it('a timeout holds only when set again in the call; removed with a timeout keeps a row without value', () => {
    const calls: Array<{ exists: boolean; timedOut: boolean; rows: number }> = [];
    const h = new OperatorHarness([
      withWatermark('ts', '0 seconds'),
      flatMapGroupsWithState(['k'], 'append', 'EventTimeTimeout', (_key, rows: readonly Row[], state: GroupState<string>) => {
        calls.push({ exists: state.exists, timedOut: state.hasTimedOut, rows: rows.length });
        const mode = rows[0]?.mode;
        if (mode === 'set') {
          state.update('v');
          state.setTimeoutTimestamp(T0 + 10_000);
        } else if (mode === 'removeWithTimeout') {
          state.remove();
          state.setTimeoutTimestamp(T0 + 20_000);
        }
        // mode 'nothing': no update, no timeout -> the earlier timeout is dropped
        return [];
      }),
    ]);
    h.processBatch([{ k: 1, mode: 'set', ts: ts(1) }, { k: 2, mode: 'set', ts: ts(1) }]);
    h.processBatch([{ k: 1, mode: 'nothing', ts: ts(2) }, { k: 2, mode: 'removeWithTimeout', ts: ts(2) }]);
    h.advanceWatermark();
    expect(h.stateRowCount()).toBe(2);
    calls.length = 0;
    h.processBatch([{ k: 3, mode: 'nothing', ts: ts(30) }]); // wm -> 30: only k=2 still has a timeout
    h.advanceWatermark();
    expect(calls).toEqual([
      { exists: false, timedOut: false, rows: 1 }, // k=3
      { exists: false, timedOut: true, rows: 0 }, // k=2: removed value, timeout kept
    ]);
    // k=1 keeps 'v' without a timeout. k=2's call removed nothing and set no timeout, but its timeout changed, so
    // (as Spark's onIteratorCompletion does) its row is rewritten without value and without timeout; only a call
    // that calls remove() itself deletes the row.
    expect(h.stateRowCount()).toBe(2);
    calls.length = 0;
    h.processBatch([{ k: 3, mode: 'nothing', ts: ts(40) }]);
    h.advanceWatermark();
    expect(calls).toEqual([{ exists: false, timedOut: false, rows: 1 }]); // no timeout left to fire
  });

  it('mapGroupsWithState returns one row per call, also on timeout', () => {
    const h = new OperatorHarness(
      [
        mapGroupsWithState(['user'], 'NoTimeout', (key: Row, rows: readonly Row[], state: GroupState<number>) => {
          state.update((state.getOption() ?? 0) + rows.length);
          return { user: key.user, n: state.get() };
        }),
      ],
      { outputMode: 'update' },
    );
    expect(h.processBatch([{ user: 'a' }, { user: 'a' }, { user: 'b' }])).toEqual([
      { user: 'a', n: 2 },
      { user: 'b', n: 1 },
    ]);
  });

  it('initialState: applied in batch 0 only; keys with only initial state are called with no rows', () => {
    const calls: Array<[string, number[], number | undefined]> = [];
    const op = flatMapGroupsWithState(
      ['user'],
      'update',
      'NoTimeout',
      (key: Row, rows: readonly Row[], state: GroupState<number>) => {
        calls.push([key.user as string, rows.map((r) => r.v as number), state.getOption()]);
        if (rows.length > 0) state.update((state.getOption() ?? 0) + rows.length);
        return [{ user: key.user, n: state.getOption() ?? null }];
      },
      { initialState: [[{ user: 'a' }, 10], [{ user: 'z' }, 100]] },
    );
    const h = new OperatorHarness([op], { outputMode: 'update' });
    expect(h.processBatch([{ user: 'a', v: 1 }, { user: 'b', v: 2 }])).toEqual([
      { user: 'a', n: 11 },
      { user: 'b', n: 1 },
      { user: 'z', n: 100 },
    ]);
    // z's function did not update: its initial state is stored all the same (as Spark puts it before the call).
    expect(h.stateRowCount()).toBe(3);
    expect(h.processBatch([{ user: 'z', v: 3 }, { user: 'a', v: 4 }])).toEqual([
      { user: 'z', n: 101 },
      { user: 'a', n: 12 },
    ]);
    expect(calls).toEqual([
      ['a', [1], 10],
      ['b', [2], undefined],
      ['z', [], 100],
      ['z', [3], 100],
      ['a', [4], 11],
    ]);
  });

  it('initialState: a key given twice fails with Spark\'s message; a non-pair entry is INVALID_ARGUMENT at once', async () => {
    const twice = new OperatorHarness([
      flatMapGroupsWithState(['k'], 'append', 'NoTimeout', () => [], { initialState: [[{ k: 1 }, 'x'], [{ k: 1 }, 'y']] }),
    ]);
    expect(() => twice.processBatch([])).toThrow(
      expect.objectContaining({
        code: 'INVALID_ARGUMENT',
        message: 'The initial state provided contained multiple rows(state) with the same key. Make sure to de-duplicate the initial state before passing it.',
      }),
    );
    await expectWeirError(
      () => flatMapGroupsWithState(['k'], 'append', 'NoTimeout', () => [], { initialState: [{ k: 1 }] as unknown as Array<[Row, number]> }),
      'INVALID_ARGUMENT',
    );
  });

  it('wraps a failing user function in Spark\'s error, and lets GroupState errors through with their code', () => {
    const failing = new OperatorHarness([
      flatMapGroupsWithState(['k'], 'append', 'NoTimeout', () => {
        throw new Error('boom');
      }),
    ]);
    expect(() => failing.processBatch([{ k: 1 }])).toThrow(
      expect.objectContaining({
        code: 'OPERATOR_ERROR',
        message: '[FLATMAPGROUPSWITHSTATE_USER_FUNCTION_ERROR] An error occurred in the user provided function in flatMapGroupsWithState. Reason: boom',
      }),
    );
    const misuse = new OperatorHarness([
      flatMapGroupsWithState(['k'], 'append', 'NoTimeout', (_k, _r, state: GroupState<number>) => {
        state.setTimeoutDuration(10);
        return [];
      }),
    ]);
    expect(() => misuse.processBatch([{ k: 1 }])).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_OPERATION' }));
  });

  it('checks with the first batch what a hidden pipeline kept from the start-time analysis', () => {
    const opaque = pipe(map((b: MicroBatch<Row>) => b));
    const h = new OperatorHarness([opaque, flatMapGroupsWithState(['k'], 'append', 'EventTimeTimeout', () => [])]);
    expect(() => h.processBatch([{ k: 1 }])).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_OPERATION' }));
    const m = new OperatorHarness([opaque, mapGroupsWithState(['k'], 'NoTimeout', () => ({}))], { outputMode: 'append' });
    expect(() => m.processBatch([{ k: 1 }])).toThrow(
      expect.objectContaining({ message: 'mapGroupsWithState is not supported with Append output mode on a streaming DataFrame/Dataset' }),
    );
  });
});

describe('[flat]MapGroupsWithState analysis at start (Spark\'s UnsupportedOperationChecker)', () => {
  const fm = (mode: 'append' | 'update', timeout: GroupStateTimeout = 'NoTimeout') => flatMapGroupsWithState(['k'], mode, timeout, () => []);
  const mg = () => mapGroupsWithState(['k'], 'NoTimeout', () => ({ k: 1 }));
  const count = () => [groupByKey('k'), agg({ n: A.count() })];
  const wm = () => withWatermark('ts', '10 seconds');
  const start = async (pipeline: any[], outputMode: 'append' | 'update' | 'complete', conf?: Record<string, string>) => {
    const q = await startQuery({ source: new MemoryStream<Row>(), pipeline, sink: memorySink({ name: `gws_${Math.random().toString(36).slice(2)}` }), outputMode, ...(conf ? { conf } : {}) });
    await q.stop();
  };
  const rejected: Array<[string, any[], 'append' | 'update' | 'complete', string]> = [
    ['mapGroupsWithState in append', [mg()], 'append', 'mapGroupsWithState is not supported with Append output mode on a streaming DataFrame/Dataset'],
    ['mapGroupsWithState with aggregation', [mg(), ...count()], 'update', 'mapGroupsWithState is not supported with aggregation on a streaming DataFrame/Dataset'],
    ['flatMap update op in append query', [fm('update')], 'append', 'flatMapGroupsWithState in update mode is not supported with Append output mode on a streaming DataFrame/Dataset'],
    ['flatMap append op in update query', [fm('append')], 'update', 'flatMapGroupsWithState in append mode is not supported with Update output mode on a streaming DataFrame/Dataset'],
    ['flatMap update op with aggregation', [fm('update'), ...count()], 'update', 'flatMapGroupsWithState in update mode is not supported with aggregation on a streaming DataFrame/Dataset'],
    ['flatMap after aggregation', [...count(), fm('append')], 'update', 'flatMapGroupsWithState in append mode is not supported after aggregation on a streaming DataFrame/Dataset'],
    ['two mapGroupsWithState', [mg(), mg()], 'update', 'Multiple mapGroupsWithStates are not supported on a streaming DataFrames/Datasets'],
    ['mixing', [mg(), fm('update')], 'update', 'Mixing mapGroupsWithStates and flatMapGroupsWithStates are not supported on a streaming DataFrames/Datasets'],
    ['two flatMaps not all append', [fm('update'), fm('update')], 'update', 'Multiple flatMapGroupsWithStates are not supported when they are not all in append mode or the output mode is not append on a streaming DataFrames/Datasets'],
    ['event-time timeout without watermark', [fm('append', 'EventTimeTimeout')], 'append', "Watermark must be specified in the query using '[Dataset/DataFrame].withWatermark()' for using event-time timeout in a [map|flatMap]GroupsWithState. Event-time timeout not supported without watermark."],
    ['stateful operator after an event-time timeout', [wm(), fm('append', 'EventTimeTimeout'), fm('append')], 'append', CORRECTNESS_ISSUE.message],
    ['complete mode without aggregation', [fm('append')], 'complete', '[STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION] Invalid streaming output mode: complete. This output mode is not supported for no streaming aggregations on streaming DataFrames/DataSets. SQLSTATE: 42KDE'],
  ];
  it.each(rejected)('%s', async (_name, pipeline, mode, message) => {
    await expect(start(pipeline, mode)).rejects.toMatchObject({ code: 'UNSUPPORTED_OPERATION', message });
  });

  const allowed: Array<[string, any[], 'append' | 'update']> = [
    ['mapGroupsWithState in update', [mg()], 'update'],
    ['flatMap append then aggregation in update', [fm('append'), ...count()], 'update'],
    ['two flatMaps in append', [fm('append'), fm('append')], 'append'],
    ['event-time timeout with a watermark', [wm(), fm('update', 'EventTimeTimeout')], 'update'],
    ['dedup on the event-time key before an aggregation in update', [wm(), dropDuplicates('k', 'ts'), groupByKey('k'), agg({ n: A.count() })], 'update'],
  ];
  it.each(allowed)('allows %s', async (_name, pipeline, mode) => {
    await expect(start(pipeline, mode)).resolves.toBeUndefined();
  });

  it('the correctness check can be disabled as in Spark', async () => {
    await expect(
      start([wm(), fm('append', 'EventTimeTimeout'), fm('append')], 'append', { 'spark.sql.streaming.statefulOperator.checkCorrectness.enabled': 'false' }),
    ).resolves.toBeUndefined();
  });
});

describe('ProcessingTimeTimeout on the query clock', () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

  it('fires in no-data batches as processing time passes, with the batch time as the current processing time', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'weir-gws-pt-'));
    roots.push(root);
    const input = new MemoryStream<Row>();
    const times: number[] = [];
    const q = await startClockedQuery({
      inputs: [{ source: input }],
      pipeline: [
        flatMapGroupsWithState(['user'], 'update', 'ProcessingTimeTimeout', (key: Row, rows: readonly Row[], state: GroupState<number>) => {
          times.push(state.getCurrentProcessingTimeMs());
          if (state.hasTimedOut) {
            const n = state.get();
            state.remove();
            return [{ user: key.user, n, expired: true }];
          }
          state.update((state.getOption() ?? 0) + rows.length);
          state.setTimeoutDuration('10 seconds');
          return [{ user: key.user, n: state.get(), expired: false }];
        }),
      ],
      outputMode: 'update',
      checkpointLocation: path.join(root, 'cp'),
    });
    try {
      const t0 = q.clock.now();
      input.addData({ user: 'a' }, { user: 'a' });
      expect(await q.tick()).toBe(true); // batch 0 at t0 + 1 s: timeout at t0 + 11 s
      expect(q.batches.get(0)).toEqual([{ user: 'a', n: 2, expired: false }]);
      expect(times).toEqual([t0 + 1000]);
      // A processing-time timeout makes every trigger run a (no-data) batch, as in Spark.
      for (let i = 0; i < 9; i += 1) expect(await q.tick()).toBe(true); // t0 + 2 s .. t0 + 10 s
      expect([...q.batches.values()].slice(1).every((rows) => rows.length === 0)).toBe(true);
      expect(await q.tick()).toBe(true); // t0 + 11 s: 11 < 11 is false
      expect(q.batches.get(10)).toEqual([]);
      expect(await q.tick()).toBe(true); // t0 + 12 s
      expect(q.batches.get(11)).toEqual([{ user: 'a', n: 2, expired: true }]);
      expect(times[times.length - 1]).toBe(t0 + 12_000);
      expect(q.query.lastProgress?.stateOperators[0]).toMatchObject({ operatorName: 'flatMapGroupsWithState', numRowsTotal: 0, numRowsRemoved: 1 });
    } finally {
      await q.stop();
    }
  });

  it('a batch re-run after a crash sees the processing time logged for it, not the clock\'s', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'weir-gws-pt-crash-'));
    roots.push(root);
    const input = new MemoryStream<Row>();
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const batches = new Map<number, Row[]>();
    let crashed = false;
    const seen: Array<{ batchTime: number; timedOut: boolean }> = [];
    const start = () =>
      startClockedQuery({
        inputs: [{ source: input }],
        pipeline: [
          flatMapGroupsWithState(['user'], 'update', 'ProcessingTimeTimeout', (key: Row, rows: readonly Row[], state: GroupState<number>) => {
            seen.push({ batchTime: state.getCurrentProcessingTimeMs(), timedOut: state.hasTimedOut });
            if (state.hasTimedOut) {
              state.remove();
              return [{ user: key.user, at: state.getCurrentProcessingTimeMs() }];
            }
            state.update(rows.length);
            state.setTimeoutDuration(2000);
            return [];
          }),
        ],
        outputMode: 'update',
        checkpointLocation: path.join(root, 'cp'),
        clock,
        batches,
        failpoint: (point, batchId) => {
          if (!crashed && point === 'afterSinkWrite' && batchId === 3) {
            crashed = true;
            throw new Error('crash after the sink got batch 3');
          }
        },
      });
    const t0 = clock.now();
    let q = await start();
    input.addData({ user: 'a' });
    expect(await q.tick()).toBe(true); // batch 0 at t0 + 1 s: timeout t0 + 3 s
    expect(await q.tick()).toBe(true); // batch 1, t0 + 2 s
    expect(await q.tick()).toBe(true); // batch 2, t0 + 3 s: 3 < 3 is false
    await expect(q.tick()).rejects.toThrow('crash after the sink got batch 3'); // batch 3 at t0 + 4 s fires it
    expect(batches.get(3)).toEqual([{ user: 'a', at: t0 + 4000 }]);
    clock.advance(60_000); // much later
    q = await start();
    try {
      expect(await q.tick()).toBe(true); // batch 3 again, from its log
      expect(batches.get(3)).toEqual([{ user: 'a', at: t0 + 4000 }]);
      expect(seen.filter((s) => s.timedOut)).toEqual([
        { batchTime: t0 + 4000, timedOut: true },
        { batchTime: t0 + 4000, timedOut: true },
      ]);
    } finally {
      await q.stop();
    }
  });
});
