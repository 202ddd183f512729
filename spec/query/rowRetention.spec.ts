/**
 * A batch's rows are garbage once the batch is over: nothing the engine keeps between batches (the stateful
 * operators' handles, the last batch context) may reach them. Kept rows survive into the next batch, where
 * young-generation GC copies and promotes them (the stateful benchmark measured twice the scavenges of the
 * same work without the engine before this held).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { map, type OperatorFunction } from 'rxjs';
import { MemoryStream, startQuery, type Row, type Sink, type StreamingQuery } from '../../index';
import {
  count,
  dropDuplicates,
  dropDuplicatesWithinWatermark,
  flatMapGroupsWithState,
  groupByKey,
  joinStream,
  rows,
  window,
  withWatermark,
} from '../../operators';
import { foreachBatchSink } from '../../sinks';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

type Event = { word: string; ts: Date };

const stateful: Record<string, () => OperatorFunction<any, any>[]> = {
  'windowed count': () => [withWatermark('ts', '10 seconds'), window('ts', '5 seconds'), groupByKey('window', 'word'), count()],
  dropDuplicates: () => [withWatermark('ts', '10 seconds'), dropDuplicates('word', 'ts')],
  dropDuplicatesWithinWatermark: () => [withWatermark('ts', '10 seconds'), dropDuplicatesWithinWatermark('word')],
  flatMapGroupsWithState: () => [
    withWatermark('ts', '10 seconds'),
    flatMapGroupsWithState(
      (r: Event) => ({ word: r.word }),
      'update',
      'EventTimeTimeout',
      (key: Row, values: Iterable<Row>, state: { getOption(): number | undefined; update(n: number): void }) => {
        let n = state.getOption() ?? 0;
        for (const _ of values) n += 1;
        state.update(n);
        return [{ word: key.word, n }];
      },
    ),
  ],
};

/**
 * Counts, in the sink of every batch after batch 0 (before the engine replaces what it kept of batch 0), the rows
 * of batch 0 still alive after a full GC. The rows are the copies `copy` makes, so only the batch holds them (not
 * a memory source's own log). `start` starts the query with `copy` in front and `sink`; `feed` adds batch 0's 50
 * rows (processed), then more (processed).
 */
async function rowsOfBatch0AliveLater(
  start: (copy: OperatorFunction<any, any>, sink: Sink<Row>) => Promise<StreamingQuery>,
  feed: { first(): void; then(): void },
): Promise<number[]> {
  const firstBatchRows: WeakRef<object>[] = [];
  let tracking = true;
  const copy = rows(
    map((r: Event) => {
      const row = { word: r.word, ts: r.ts };
      if (tracking) firstBatchRows.push(new WeakRef(row));
      return row;
    }),
  );
  const aliveLater: number[] = [];
  const sink = foreachBatchSink((_rows, batchId) => {
    if (batchId === 0) {
      tracking = false;
      return;
    }
    gc();
    aliveLater.push(firstBatchRows.filter((ref) => ref.deref() !== undefined).length);
  });
  const query = await start(copy, sink);
  try {
    feed.first();
    await query.processAllAvailable();
    feed.then();
    await query.processAllAvailable();
  } finally {
    await query.stop();
  }
  expect(firstBatchRows).toHaveLength(50);
  expect(aliveLater.length).toBeGreaterThan(0);
  return aliveLater;
}

const at = (i: number): Event => ({ word: `w${i % 5}`, ts: new Date(Date.UTC(2024, 0, 1) + i * 100) });

describe("a batch's rows after the batch", () => {
  it('are not kept into the next batch: stream-stream join (its state keeps rows column-wise, not the row objects)', async () => {
    const left = new MemoryStream<Event>();
    const right = new MemoryStream<{ word: string; rts: Date }>();
    const alive = await rowsOfBatch0AliveLater(
      (copy, sink) =>
        startQuery({
          inputs: [
            { source: left, pipeline: [copy, withWatermark('ts', '10 seconds')] },
            { source: right, pipeline: [withWatermark('rts', '10 seconds')] },
          ],
          pipeline: [joinStream({ on: 'word' })],
          sink,
        }),
      {
        first: () => {
          left.addData(...Array.from({ length: 50 }, (_, i) => at(i)));
          right.addData({ word: 'w1', rts: at(1).ts });
        },
        then: () => left.addData(at(60)),
      },
    );
    expect(alive).toEqual(alive.map(() => 0));
  });

  it("are garbage by the batch's own sink: withWatermark's deferred stats are computed, and dropped, before it", async () => {
    const input = new MemoryStream<Event>();
    const tracked: WeakRef<object>[] = [];
    const copy = rows(
      map((r: Event) => {
        const row = { word: r.word, ts: r.ts };
        tracked.push(new WeakRef(row));
        return row;
      }),
    );
    const aliveInOwnSink: number[] = [];
    const sink = foreachBatchSink(async () => {
      if (tracked.length === 0) return; // a no-data batch
      // A new macrotask first: a WeakRef keeps its target alive until the end of the job that made it.
      await new Promise((resolve) => setImmediate(resolve));
      gc();
      aliveInOwnSink.push(tracked.filter((ref) => ref.deref() !== undefined).length);
      tracked.length = 0;
    });
    const query = await startQuery({
      source: input,
      pipeline: [copy, withWatermark('ts', '10 seconds'), window('ts', '5 seconds'), groupByKey('window', 'word'), count()],
      sink,
      outputMode: 'update',
    });
    try {
      input.addData(...Array.from({ length: 50 }, (_, i) => at(i)));
      await query.processAllAvailable();
      input.addData(...Array.from({ length: 50 }, (_, i) => at(50 + i)));
      await query.processAllAvailable();
      input.addData(...Array.from({ length: 50 }, (_, i) => at(100 + i)));
      await query.processAllAvailable();
    } finally {
      await query.stop();
    }
    expect(aliveInOwnSink).toEqual([0, 0, 0]);
  });

  it.each(Object.keys(stateful))('are not kept into the next batch: %s', async (name) => {
    const input = new MemoryStream<Event>();
    const alive = await rowsOfBatch0AliveLater(
      (copy, sink) =>
        startQuery({
          source: input,
          pipeline: [copy, ...stateful[name]!()],
          sink,
          outputMode: name === 'windowed count' || name === 'flatMapGroupsWithState' ? 'update' : 'append',
        }),
      {
        first: () => input.addData(...Array.from({ length: 50 }, (_, i) => at(i))),
        then: () => input.addData(at(50)),
      },
    );
    expect(alive).toEqual(alive.map(() => 0));
  });
});
