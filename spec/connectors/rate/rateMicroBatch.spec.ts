import { count, firstValueFrom, last } from 'rxjs';
import type { Offset, ReadLimit, Source, SourceContext } from '../../../lib/contracts';
import {
  rateMicroBatch,
  type RateMicroBatchOffset,
  type RateMicroBatchOptions,
  type RateMicroBatchRow,
} from '../../../connectors/rate/rateMicroBatch';
import { expectWeirError } from '../../support/expectWeirError';
import { ManualClock } from '../../support/ManualClock';
import { collect, sourceContract } from '../../support/sourceContract';

const ALL: ReadLimit = { kind: 'all' };

sourceContract(
  'rateMicroBatch',
  () => ({ source: rateMicroBatch({ rowsPerBatch: 4 }), clock: new ManualClock(0), produce: () => {} }),
  { alwaysHasData: true, splitInvariant: (row) => row.value },
);

sourceContract(
  'rateMicroBatch (numPartitions: 3)',
  () => ({
    source: rateMicroBatch({ rowsPerBatch: 7, numPartitions: 3, startTimestamp: 5000, advanceMillisPerBatch: 250 }),
    clock: new ManualClock(0),
    produce: () => {},
  }),
  { alwaysHasData: true, partitioned: true, splitInvariant: (row) => row.value },
);

describe('rateMicroBatch', () => {
  const context: SourceContext = {
    metadataPath: '/nonexistent/never-written',
    sourceIndex: 0,
    clock: new ManualClock(0),
    notifyDataAvailable: () => {},
  };
  async function open(options: RateMicroBatchOptions): Promise<Source<RateMicroBatchRow>> {
    const source = rateMicroBatch(options);
    await source.open(context);
    return source;
  }

  it('batch k holds values [kR, (k+1)R), all stamped startTimestamp + k*advance', async () => {
    const R = 5;
    const start = Date.UTC(2024, 0, 1);
    const source = await open({ rowsPerBatch: R, startTimestamp: start, advanceMillisPerBatch: 250 });
    let offset: Offset = await source.initialOffset();
    expect(offset).toEqual({ offset: 0, timestamp: start });
    for (let k = 0; k < 5; k++) {
      const end = await source.latestOffset(offset, ALL);
      expect(end).toEqual({ offset: (k + 1) * R, timestamp: start + (k + 1) * 250 });
      const rows = await collect(source.read(offset, end));
      expect(rows.map((r) => r.value)).toEqual(Array.from({ length: R }, (_, i) => k * R + i));
      for (const row of rows) expect(row.timestamp.getTime()).toBe(start + k * 250);
      offset = end;
    }
  });

  it('has data on every trigger, whatever the clock says', async () => {
    const source = await open({ rowsPerBatch: 3 });
    const o0 = await source.initialOffset();
    const o1 = await source.latestOffset(o0, ALL);
    expect(await source.latestOffset(o0, ALL)).toEqual(o1);
    expect(await source.latestOffset(o1, ALL)).toEqual({ offset: 6, timestamp: 2000 });
  });

  it('concatenates partitions in order', async () => {
    const source = await open({ rowsPerBatch: 6, numPartitions: 4 });
    const rows = await collect(source.read({ offset: 0, timestamp: 0 }, { offset: 6, timestamp: 1000 }));
    expect(rows.map((r) => r.value)).toEqual([0, 4, 1, 5, 2, 3]);
    expect(new Set(rows.map((r) => r.timestamp.getTime()))).toEqual(new Set([0]));
  });

  it('shares one Date among the rows of a batch (rows are values), a new one per batch', async () => {
    const source = await open({ rowsPerBatch: 2 });
    const [a, b] = await collect(source.read({ offset: 0, timestamp: 0 }, { offset: 2, timestamp: 1000 }));
    expect(a!.timestamp).toBe(b!.timestamp);
    const [c] = await collect(source.read({ offset: 2, timestamp: 1000 }, { offset: 4, timestamp: 2000 }));
    expect(c!.timestamp).not.toBe(a!.timestamp);
    expect(c!.timestamp.getTime()).toBe(1000);
  });

  it('streams a million rows through a plain loop', async () => {
    const source = await open({ rowsPerBatch: 1_000_000 });
    const o0 = await source.initialOffset();
    const o1 = await source.latestOffset(o0, ALL);
    expect(await firstValueFrom(source.read(o0, o1).pipe(count()))).toBe(1_000_000);
    expect((await firstValueFrom(source.read(o0, o1).pipe(last()))).value).toBe(999_999);
  });

  it('ignores read limits and reports maxRows = rowsPerBatch as its default', async () => {
    const source = await open({ rowsPerBatch: 10 });
    expect(source.defaultReadLimit!()).toEqual({ kind: 'maxRows', maxRows: 10 });
    const end = (await source.latestOffset({ offset: 0, timestamp: 0 }, { kind: 'maxRows', maxRows: 1 })) as RateMicroBatchOffset;
    expect(end.offset).toBe(10);
  });

  it('Trigger.AvailableNow: exactly one more batch, fixed by the first latestOffset after prepare', async () => {
    const source = await open({ rowsPerBatch: 10 });
    const o2: Offset = { offset: 20, timestamp: 2000 };
    await source.prepareForTriggerAvailableNow!();
    const end = await source.latestOffset(o2, ALL);
    expect(end).toEqual({ offset: 30, timestamp: 3000 });
    expect(await source.latestOffset(end, ALL)).toEqual(end);
    expect(await source.latestOffset(o2, ALL)).toEqual(end);
    // A new run is not AvailableNow unless prepared again.
    await source.stop();
    await source.open(context);
    expect(await source.latestOffset(end, ALL)).toEqual({ offset: 40, timestamp: 4000 });
  });

  it('replays the same batch after a restart (no clock, no state)', async () => {
    const a = await open({ rowsPerBatch: 3, numPartitions: 2 });
    const b = await open({ rowsPerBatch: 3, numPartitions: 2 });
    const start: Offset = { offset: 9, timestamp: 3000 };
    expect(await collect(b.read(start, await b.latestOffset(start, ALL)))).toEqual(
      await collect(a.read(start, await a.latestOffset(start, ALL))),
    );
  });

  it('describes itself like Spark', () => {
    expect(rateMicroBatch({ rowsPerBatch: 10, numPartitions: 2, startTimestamp: 5, advanceMillisPerBatch: 7 }).description).toBe(
      'RatePerMicroBatchStream[rowsPerBatch=10, numPartitions=2, startTimestamp=5, advanceMsPerBatch=7]',
    );
  });

  it('rejects bad options with INVALID_ARGUMENT', async () => {
    const bad: unknown[] = [
      {},
      { rowsPerBatch: 0 },
      { rowsPerBatch: -1 },
      { rowsPerBatch: 1.5 },
      { rowsPerBatch: '10' },
      { rowsPerBatch: 1, numPartitions: 0 },
      { rowsPerBatch: 1, startTimestamp: -1 },
      { rowsPerBatch: 1, startTimestamp: 0.5 },
      { rowsPerBatch: 1, advanceMillisPerBatch: -1 },
      { rowsPerBatch: 1, rowsPerSecond: 1 },
    ];
    for (const options of bad) {
      const e = await expectWeirError(() => rateMicroBatch(options as RateMicroBatchOptions), 'INVALID_ARGUMENT');
      expect(e.context.source).toBe('rate-micro-batch');
      expect(e.context.hint).toEqual(expect.any(String));
    }
    await expectWeirError(() => rateMicroBatch(undefined as never), 'INVALID_ARGUMENT');
  });

  it('rejects foreign offsets with INVALID_ARGUMENT', async () => {
    const source = await open({ rowsPerBatch: 1 });
    await expectWeirError(() => source.latestOffset(3, ALL), 'INVALID_ARGUMENT');
    await expectWeirError(() => source.latestOffset({ offset: -1, timestamp: 0 }, ALL), 'INVALID_ARGUMENT');
    await expectWeirError(() => collect(source.read({ offset: 2, timestamp: 0 }, { offset: 1, timestamp: 0 })), 'INVALID_ARGUMENT');
    await expectWeirError(() => collect(source.read({ offset: 0, timestamp: 9 }, { offset: 1, timestamp: 0 })), 'INVALID_ARGUMENT');
  });
});
