import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ReadLimit, SourceContext } from '../../../lib/contracts';
import { MemoryStream, memory } from '../../../connectors/memory/MemoryStream';
import { expectWeirError } from '../../support/expectWeirError';
import { ManualClock } from '../../support/ManualClock';
import { collect, sourceContract } from '../../support/sourceContract';

const ALL: ReadLimit = { kind: 'all' };

sourceContract(
  'MemoryStream',
  () => {
    const source = new MemoryStream<{ n: number }>();
    let n = 0;
    return {
      source,
      clock: new ManualClock(0),
      produce: () => {
        source.addData({ n: n++ }, { n: n++ });
      },
    };
  },
  { notifiesOnData: true },
);

describe('MemoryStream', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'weir-memory-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });
  const context = (notify: () => void = () => {}): SourceContext => ({
    metadataPath: dir,
    sourceIndex: 0,
    clock: new ManualClock(0),
    notifyDataAvailable: notify,
  });

  it('numbers addData calls from 0, after the initial offset -1', async () => {
    const input = new MemoryStream<number>();
    expect(await input.initialOffset()).toBe(-1);
    expect(input.currentOffset).toBe(-1);
    expect(input.addData(1, 2)).toBe(0);
    expect(input.addData([3])).toBe(1);
    expect(input.addData()).toBe(2); // an empty source batch still counts, as in Spark
    expect(input.currentOffset).toBe(2);
  });

  it('merges several addData calls into one range', async () => {
    const input = new MemoryStream<number>();
    await input.open(context());
    input.addData(1, 2);
    input.addData([3, 4]);
    input.addData(5);
    const end = await input.latestOffset(-1, ALL);
    expect(end).toBe(2);
    expect(await collect(input.read(-1, end))).toEqual([1, 2, 3, 4, 5]);
    expect(await collect(input.read(0, 1))).toEqual([3, 4]);
  });

  it('treats one array argument as the rows of the batch', async () => {
    const input = new MemoryStream<number[]>();
    input.addData([[1, 2]]); // one row, itself an array
    input.addData([3], [4]); // two rows
    expect(await collect(input.read(-1, 1))).toEqual([[1, 2], [3], [4]]);
  });

  it('does not keep a reference to the array passed to addData', async () => {
    const input = new MemoryStream<number>();
    const rows = [1, 2];
    input.addData(rows);
    rows.push(3);
    expect(await collect(input.read(-1, 0))).toEqual([1, 2]);
  });

  it('fails with DATA_NOT_AVAILABLE for a range never added', async () => {
    const input = new MemoryStream<number>();
    input.addData(1);
    const e = await expectWeirError(() => collect(input.read(-1, 3)), 'DATA_NOT_AVAILABLE');
    expect(e.context.offset).toBe(3);
  });

  it('rejects offsets that are not its own with INVALID_ARGUMENT', async () => {
    const input = new MemoryStream<number>();
    input.addData(1);
    await expectWeirError(() => collect(input.read('x', 0)), 'INVALID_ARGUMENT');
    await expectWeirError(() => collect(input.read(-2, 0)), 'INVALID_ARGUMENT');
    await expectWeirError(() => collect(input.read(0, -1)), 'INVALID_ARGUMENT');
    await expectWeirError(() => input.latestOffset(1.5, ALL), 'INVALID_ARGUMENT');
  });

  it('notifies the open query of new data, and nobody after stop', async () => {
    const input = new MemoryStream<number>();
    let calls = 0;
    input.addData(0);
    await input.open(context(() => (calls += 1)));
    input.addData(1);
    expect(calls).toBe(1);
    await input.stop();
    input.addData(2);
    expect(calls).toBe(1);
  });

  it('keeps its data across query runs in the same process', async () => {
    const input = new MemoryStream<number>();
    await input.open(context());
    input.addData(1, 2);
    await input.commit(await input.latestOffset(-1, ALL));
    await input.stop();
    input.addData(3);
    await input.open(context());
    expect(await input.latestOffset(0, ALL)).toBe(1);
    expect(await collect(input.read(-1, 1))).toEqual([1, 2, 3]);
  });

  it('treats a start beyond its data as "no new data"', async () => {
    const input = new MemoryStream<number>();
    await input.open(context());
    input.addData(1);
    expect(await input.latestOffset(5, ALL)).toBe(5);
  });

  it('fixes the available data on prepareForTriggerAvailableNow', async () => {
    const input = new MemoryStream<number>();
    await input.open(context());
    input.addData(1);
    input.addData(2);
    await input.prepareForTriggerAvailableNow();
    input.addData(3);
    expect(await input.latestOffset(-1, ALL)).toBe(1);
    expect(await input.latestOffset(1, ALL)).toBe(1);
    await input.stop();
    await input.open(context());
    expect(await input.latestOffset(1, ALL)).toBe(2);
  });

  it('ignores read limits, as Spark does', async () => {
    const input = new MemoryStream<number>();
    await input.open(context());
    input.addData(1, 2, 3);
    input.addData(4);
    expect(await input.latestOffset(-1, { kind: 'maxRows', maxRows: 1 })).toBe(1);
  });

  it('describes itself by name or by id', () => {
    expect(new MemoryStream({ name: 'clicks' }).description).toBe('MemoryStream[clicks]');
    expect(new MemoryStream().description).toMatch(/^MemoryStream\[\d+\]$/);
    expect(memory({ name: 'x' })).toBeInstanceOf(MemoryStream);
    expect(memory<number>().description).toMatch(/^MemoryStream\[\d+\]$/);
  });

  it('rejects bad options with INVALID_ARGUMENT', async () => {
    const e = await expectWeirError(() => new MemoryStream({ name: '' }), 'INVALID_ARGUMENT');
    expect(e.context.option).toBe('name');
    expect(e.context.hint).toEqual(expect.any(String));
    await expectWeirError(() => new MemoryStream({ nmae: 'x' } as never), 'INVALID_ARGUMENT');
    await expectWeirError(() => memory(null as never), 'INVALID_ARGUMENT');
  });
});
