/**
 * A batch's rows are garbage once the batch is over: nothing the engine keeps between batches (the stateful
 * operators' handles, the last batch context) may reach them. Kept rows survive into the next batch, where
 * young-generation GC copies and promotes them (the stateful benchmark measured twice the scavenges of the
 * same work without the engine before this held).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { map, type OperatorFunction } from 'rxjs';
import { MemoryStream, startQuery, type Row } from '../../index';
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

describe("a batch's rows after the batch", () => {
  it('are not kept into the next batch: stream-stream join (its state keeps rows column-wise, not the row objects)', async () => {
    const left = new MemoryStream<Event>();
    const right = new MemoryStream<{ word: string; rts: Date }>();
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
    const query = await startQuery({
      inputs: [
        { source: left, pipeline: [copy, withWatermark('ts', '10 seconds')] },
        { source: right, pipeline: [withWatermark('rts', '10 seconds')] },
      ],
      pipeline: [joinStream({ on: 'word' })],
      sink,
    });
    try {
      const t = (i: number) => new Date(Date.UTC(2024, 0, 1) + i * 100);
      left.addData(...Array.from({ length: 50 }, (_, i) => ({ word: `w${i % 5}`, ts: t(i) })));
      right.addData({ word: 'w1', rts: t(1) });
      await query.processAllAvailable();
      left.addData({ word: 'w2', ts: t(60) });
      await query.processAllAvailable();
      expect(firstBatchRows).toHaveLength(50);
      expect(aliveLater.length).toBeGreaterThan(0);
      expect(aliveLater).toEqual(aliveLater.map(() => 0));
    } finally {
      await query.stop();
    }
  });

  it.each(Object.keys(stateful))('are not kept into the next batch: %s', async (name) => {
    const input = new MemoryStream<Event>();
    const firstBatchRows: WeakRef<object>[] = [];
    let tracking = true;
    // Rows copied by an operator, so only the batch (not the memory source's own log) holds them.
    const copy = rows(
      map((r: Event) => {
        const row = { word: r.word, ts: r.ts };
        if (tracking) firstBatchRows.push(new WeakRef(row));
        return row;
      }),
    );
    // In the sink of every later batch (before the engine replaces what it kept of batch 0), count the rows of
    // batch 0 still alive after a full GC.
    const aliveLater: number[] = [];
    const sink = foreachBatchSink((_rows, batchId) => {
      if (batchId === 0) {
        tracking = false;
        return;
      }
      gc();
      aliveLater.push(firstBatchRows.filter((ref) => ref.deref() !== undefined).length);
    });
    const query = await startQuery({
      source: input,
      pipeline: [copy, ...stateful[name]!()],
      sink,
      outputMode: name === 'windowed count' || name === 'flatMapGroupsWithState' ? 'update' : 'append',
    });
    try {
      const at = (i: number) => ({ word: `w${i % 5}`, ts: new Date(Date.UTC(2024, 0, 1) + i * 100) });
      input.addData(...Array.from({ length: 50 }, (_, i) => at(i)));
      await query.processAllAvailable();
      input.addData(at(50));
      await query.processAllAvailable();
      expect(firstBatchRows).toHaveLength(50);
      expect(aliveLater.length).toBeGreaterThan(0);
      expect(aliveLater).toEqual(aliveLater.map(() => 0));
    } finally {
      await query.stop();
    }
  });
});
