/**
 * Marble tests (RxJS TestScheduler, virtual time) for the joins: one output batch per input batch, on the same
 * frame; a stream-stream left outer join emits its pair in the frame of the batch that completes it and the
 * null-padded row in the frame of the later batch whose watermark evicts the unmatched row.
 */
import { of, tap } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { MicroBatch, Row, StateStore } from '../../lib/contracts';
import { EngineBatchContext } from '../../lib/engine/EngineBatchContext';
import { MemoryStateStorage, MemoryStateStoreProvider } from '../../lib/state';
import { joinStatic, streamJoinOperator, streamJoinPlan, type JoinStreamOptions } from '../../operators';
import type { JoinSides } from '../../lib/plan/PlanNode';

const T0 = Date.parse('2024-01-01T00:00:00Z');
const t = (s: number): Date => new Date(T0 + s * 1000);

/** One batch of a join node's two sides (as the plan tree hands them to the join) on a shared state store provider. */
function batch(provider: MemoryStateStoreProvider, batchId: number, watermarkS: number, left: Row[], right: Row[]): JoinSides {
  const context = new EngineBatchContext('marbles', '', batchId, provider);
  const base = { batchId, watermarkMs: T0 + watermarkS * 1000, lateEventsWatermarkMs: T0 + watermarkS * 1000, batchTimestampMs: 0, outputMode: 'append' as const, context };
  return {
    left: { ...base, rows: left, metadata: { eventTimeColumn: 'lt' } },
    right: { ...base, rows: right, metadata: { eventTimeColumn: 'rt' } },
    operatorId: context.nextOperatorId('join'),
  };
}

/** The join node's operator of `options` (what `joinStream` declares). */
const joinStream = (options: JoinStreamOptions) => streamJoinOperator(streamJoinPlan(options)).operator;

/** Commits the stores a batch opened, as the engine does once the sink has the batch. */
const commit = tap((b: MicroBatch<Row>) => {
  for (const store of (b.context as EngineBatchContext).openedStores().values()) void (store as StateStore).commit();
});

const scheduler = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

describe('join marbles', () => {
  it('left outer stream-stream join: the pair on its frame, the outer row on the frame that evicts it', () => {
    const provider = new MemoryStateStoreProvider();
    const a = batch(provider, 0, 0, [{ lk: 'x', lt: t(10) }, { lk: 'y', lt: t(10) }], []);
    const b = batch(provider, 1, 0, [], [{ rk: 'x', rt: t(12) }]);
    const c = batch(provider, 2, 30, [], []);
    const join = joinStream({
      how: 'left_outer',
      leftKeys: ['lk'],
      rightKeys: ['rk'],
      between: { left: 'lt', right: 'rt', lower: '-5 seconds', upper: '5 seconds' },
      leftColumns: ['lk', 'lt'],
      rightColumns: ['rk', 'rt'],
    });
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('a-b--c|', { a, b, c }).pipe(join, commit)).toBe('a-b--c|', {
        a: expect.objectContaining({ batchId: 0, rows: [] }),
        b: expect.objectContaining({ batchId: 1, rows: [{ lk: 'x', lt: t(10), rk: 'x', rt: t(12) }] }),
        c: expect.objectContaining({ batchId: 2, rows: [{ lk: 'y', lt: t(10), rk: null, rt: null }], metadata: { eventTimeColumn: 'lt' } }),
      });
    });
  });

  it('a restart between batches rebuilds the buffered rows and their match marks from the durable state', () => {
    const storage = new MemoryStateStorage();
    const join = (): ReturnType<typeof joinStream> =>
      joinStream({
        how: 'full_outer',
        leftKeys: ['lk'],
        rightKeys: ['rk'],
        between: { left: 'lt', right: 'rt', lower: '-5 seconds', upper: '5 seconds' },
        leftColumns: ['lk', 'lt'],
        rightColumns: ['rk', 'rt'],
      });
    const run = (b: JoinSides): readonly Row[] => {
      let rows: readonly Row[] = [];
      of(b).pipe(join(), commit).subscribe((out) => (rows = out.rows));
      return rows;
    };
    const first = new MemoryStateStoreProvider({ storage });
    // Batch 0 buffers x, y (left; y's key has two rows) and z (right); batch 1 matches x: a mark on an old row.
    expect(run(batch(first, 0, 0, [{ lk: 'x', lt: t(10) }, { lk: 'y', lt: t(11) }, { lk: 'y', lt: t(40) }], [{ rk: 'z', rt: t(50) }]))).toEqual([]);
    expect(run(batch(first, 1, 0, [], [{ rk: 'x', rt: t(12) }]))).toEqual([{ lk: 'x', lt: t(10), rk: 'x', rt: t(12) }]);
    void first.close();
    // Restart: a new provider on the same storage has no memo; the join rebuilds both sides from their blocks.
    const second = new MemoryStateStoreProvider({ storage });
    const out = run(batch(second, 2, 30, [{ lk: 'z', lt: t(52) }], [{ rk: 'y', rt: t(41) }]));
    // x matched before the restart: not emitted as unmatched; the first y is evicted unmatched; the second y
    // (still buffered) matches the new right row; z matches the new left row; the right x row is evicted matched.
    expect(out).toEqual(
      expect.arrayContaining([
        { lk: 'z', lt: t(52), rk: 'z', rt: t(50) },
        { lk: 'y', lt: t(40), rk: 'y', rt: t(41) },
        { lk: 'y', lt: t(11), rk: null, rt: null },
      ]),
    );
    expect(out).toHaveLength(3);
  });

  it('stream-static left anti join: one output batch per input batch, same frames, no state', () => {
    const provider = new MemoryStateStoreProvider();
    const mk = (id: number, rows: Row[]): MicroBatch<Row> => ({
      batchId: id,
      rows,
      watermarkMs: 0,
      lateEventsWatermarkMs: 0,
      batchTimestampMs: 0,
      outputMode: 'append',
      context: new EngineBatchContext('marbles', '', id, provider),
    });
    const a = mk(0, [{ k: 1 }, { k: 2 }]);
    const b = mk(1, [{ k: 3 }]);
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-a-b|', { a, b }).pipe(joinStatic([{ k: 1 }], { how: 'left_anti', on: 'k' }))).toBe('-a-b|', {
        a: expect.objectContaining({ rows: [{ k: 2 }] }),
        b: expect.objectContaining({ rows: [{ k: 3 }] }),
      });
    });
    expect((a.context as EngineBatchContext).openedStores().size).toBe(0);
  });
});
