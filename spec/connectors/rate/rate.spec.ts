import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ReadLimit, Source, SourceContext } from '../../../lib/contracts';
import { decodeLogFile, encodeLogFile } from '../../../lib/checkpoint/logFile';
import { rate, type RateOptions, type RateRow } from '../../../connectors/rate/rate';
import { expectWeirError } from '../../support/expectWeirError';
import { ManualClock } from '../../support/ManualClock';
import { collect, sourceContract } from '../../support/sourceContract';

const ALL: ReadLimit = { kind: 'all' };
const T0 = Date.UTC(2024, 0, 1, 12, 0, 0);

sourceContract('rate', () => {
  const clock = new ManualClock(T0);
  return { source: rate({ rowsPerSecond: 5 }), clock, produce: () => clock.advance(1000) };
});

sourceContract(
  'rate (numPartitions: 3)',
  () => {
    const clock = new ManualClock(T0);
    return { source: rate({ rowsPerSecond: 7, numPartitions: 3 }), clock, produce: () => clock.advance(1000) };
  },
  { partitioned: true },
);

describe('rate', () => {
  let dir: string;
  let clock: ManualClock;
  let opened: Source<RateRow>[];
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'weir-rate-'));
    clock = new ManualClock(T0);
    opened = [];
  });
  afterEach(async () => {
    for (const s of opened) await s.stop();
    await fs.rm(dir, { recursive: true, force: true });
  });
  const context = (c: ManualClock = clock): SourceContext => ({
    metadataPath: dir,
    sourceIndex: 0,
    clock: c,
    notifyDataAvailable: () => {},
  });
  async function open(options: RateOptions, c: ManualClock = clock): Promise<Source<RateRow>> {
    const source = rate(options);
    await source.open(context(c));
    opened.push(source);
    return source;
  }
  const values = (rows: RateRow[]) => rows.map((r) => r.value);
  const times = (rows: RateRow[]) => rows.map((r) => r.timestamp.getTime() - T0);

  it('offsets are whole seconds since creation, starting at 0', async () => {
    const source = await open({});
    expect(await source.initialOffset()).toBe(0);
    expect(await source.latestOffset(0, ALL)).toBe(0);
    clock.advance(999);
    expect(await source.latestOffset(0, ALL)).toBe(0);
    clock.advance(1);
    expect(await source.latestOffset(0, ALL)).toBe(1);
    clock.advance(2500);
    expect(await source.latestOffset(1, ALL)).toBe(3);
  });

  it('ramps up: rowsPerSecond=10, rampUpTime=4 gives end values 0 2 6 12 20 30 40', async () => {
    const source = await open({ rowsPerSecond: 10, rampUpTime: 4 });
    const ends: number[] = [];
    for (let s = 0; s <= 6; s++) ends.push((await collect(source.read(0, s))).length);
    expect(ends).toEqual([0, 2, 6, 12, 20, 30, 40]);
    // speed 0 2 4 6 8 10 10
    const perSecond: number[] = [];
    for (let s = 1; s <= 6; s++) perSecond.push((await collect(source.read(s - 1, s))).length);
    expect(perSecond).toEqual([2, 4, 6, 8, 10, 10]);
    expect(values(await collect(source.read(3, 5)))).toEqual([12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29]);
  });

  it('spreads timestamps evenly over the range (Spark formula)', async () => {
    const source = await open({ rowsPerSecond: 10, rampUpTime: '4s' });
    const first = await collect(source.read(0, 1)); // values 0..1 over 1000 ms
    expect(values(first)).toEqual([0, 1]);
    expect(times(first)).toEqual([0, 500]);
    const fifth = await collect(source.read(4, 5)); // values 20..29, 100 ms apart from second 4
    expect(values(fifth)).toEqual([20, 21, 22, 23, 24, 25, 26, 27, 28, 29]);
    expect(times(fifth)).toEqual([4000, 4100, 4200, 4300, 4400, 4500, 4600, 4700, 4800, 4900]);
    const span = await collect(source.read(0, 3)); // 12 values over 3000 ms: 250 ms apart
    expect(times(span)).toEqual(values(span).map((v) => v * 250));
  });

  it('rounds timestamps like Math.round (rowsPerSecond=3)', async () => {
    const source = await open({ rowsPerSecond: 3 });
    const rows = await collect(source.read(1, 2));
    expect(values(rows)).toEqual([3, 4, 5]);
    expect(times(rows)).toEqual([1000, 1333, 1667]);
  });

  it('concatenates partitions in order: numPartitions=2', async () => {
    const source = await open({ rowsPerSecond: 10, numPartitions: 2 });
    const rows = await collect(source.read(0, 1));
    expect(values(rows)).toEqual([0, 2, 4, 6, 8, 1, 3, 5, 7, 9]);
    expect(times(rows)).toEqual([0, 200, 400, 600, 800, 100, 300, 500, 700, 900]);
    const three = await open({ rowsPerSecond: 7, numPartitions: 3 });
    expect(values(await collect(three.read(1, 2)))).toEqual([7, 10, 13, 8, 11, 9, 12]);
  });

  it('persists the creation time durably in <metadataPath>/0', async () => {
    await open({});
    const decoded = decodeLogFile(await fs.readFile(path.join(dir, '0')), 1);
    expect(decoded).toEqual({ kind: 'ok', version: 1, lines: [String(T0)] });
    expect((await fs.readdir(dir)).filter((f) => f.startsWith('.tmp-'))).toEqual([]);
  });

  it('reads the persisted creation time back on restart', async () => {
    const first = await open({ rowsPerSecond: 2 });
    clock.advance(3000);
    const end = await first.latestOffset(0, ALL);
    const rows = await collect(first.read(0, end));
    await first.stop();

    const later = new ManualClock(T0 + 10_500);
    const second = await open({ rowsPerSecond: 2 }, later);
    expect(await collect(second.read(0, end))).toEqual(rows);
    expect(await second.latestOffset(end, ALL)).toBe(10);
    expect((await collect(second.read(0, 1)))[0]!.timestamp.getTime()).toBe(T0);
  });

  it('fails on a corrupt creation-time file with CHECKPOINT_CORRUPT', async () => {
    await fs.writeFile(path.join(dir, '0'), 'v1\n1700000000000\ncrc32:00000000\n');
    const e = await expectWeirError(() => rate({}).open(context()), 'CHECKPOINT_CORRUPT');
    expect(e.context.path).toBe(path.join(dir, '0'));
    await fs.writeFile(path.join(dir, '0'), encodeLogFile(1, ['not a number']));
    await expectWeirError(() => rate({}).open(context()), 'CHECKPOINT_CORRUPT');
    await fs.writeFile(path.join(dir, '0'), 'v1\n17000');
    await expectWeirError(() => rate({}).open(context()), 'CHECKPOINT_CORRUPT');
    await fs.writeFile(path.join(dir, '0'), encodeLogFile(2, ['1700000000000']));
    await expectWeirError(() => rate({}).open(context()), 'CHECKPOINT_UNSUPPORTED_VERSION');
  });

  it('ignores read limits, as Spark does', async () => {
    const source = await open({ rowsPerSecond: 100 });
    clock.advance(5000);
    expect(await source.latestOffset(0, { kind: 'maxRows', maxRows: 1 })).toBe(5);
  });

  it('never goes back: a recovered end offset beyond the clock holds', async () => {
    const source = await open({});
    clock.advance(2000);
    expect(await source.latestOffset(7, ALL)).toBe(7);
    expect((await collect(source.read(0, 9))).length).toBe(9);
    expect(await source.latestOffset(0, ALL)).toBe(9);
  });

  it('caps at the offset available when prepared for Trigger.AvailableNow', async () => {
    const source = await open({ rowsPerSecond: 10 });
    clock.advance(3000);
    await source.prepareForTriggerAvailableNow!();
    clock.advance(5000);
    expect(await source.latestOffset(0, ALL)).toBe(3);
    expect(await source.latestOffset(3, ALL)).toBe(3);
  });

  it('parses rampUpTime like Spark, truncated to whole seconds', () => {
    const ramp = (rampUpTime: string | number) => /rampUpTimeSeconds=(\d+)/.exec(rate({ rampUpTime }).description)![1];
    expect(ramp('0s')).toBe('0');
    expect(ramp('5s')).toBe('5');
    expect(ramp('5')).toBe('5');
    expect(ramp('2 seconds')).toBe('2');
    expect(ramp('1 minute')).toBe('60');
    expect(ramp('2min')).toBe('120');
    expect(ramp('1h')).toBe('3600');
    expect(ramp('1 day')).toBe('86400');
    expect(ramp('1500ms')).toBe('1');
    expect(ramp('999ms')).toBe('0');
    expect(ramp(' 3S ')).toBe('3');
    expect(ramp(3.7)).toBe('3');
  });

  it('describes itself like Spark', () => {
    expect(rate({ rowsPerSecond: 10, rampUpTime: '4s', numPartitions: 2 }).description).toBe(
      'RateStreamV2[rowsPerSecond=10, rampUpTimeSeconds=4, numPartitions=2]',
    );
  });

  it('rejects bad options with INVALID_ARGUMENT', async () => {
    const bad: unknown[] = [
      { rowsPerSecond: 0 },
      { rowsPerSecond: -1 },
      { rowsPerSecond: 1.5 },
      { rowsPerSecond: '10' },
      { numPartitions: 0 },
      { numPartitions: 2.5 },
      { rampUpTime: '-1s' },
      { rampUpTime: -1 },
      { rampUpTime: Number.NaN },
      { rampUpTime: 'soon' },
      { rampUpTime: '5 fortnights' },
      { rampUpTime: '1 minute 30 seconds' },
      { rowsPerSecond: 2 ** 40, rampUpTime: 2 ** 20 },
      { rowPerSecond: 10 },
    ];
    for (const options of bad) {
      const e = await expectWeirError(() => rate(options as RateOptions), 'INVALID_ARGUMENT');
      expect(e.context.hint).toEqual(expect.any(String));
      expect(e.context.source).toBe('rate');
    }
  });

  it('fails with SOURCE_ERROR when used before open', async () => {
    const source = rate({});
    await expectWeirError(() => source.latestOffset(0, ALL), 'SOURCE_ERROR');
    await expectWeirError(() => collect(source.read(0, 1)), 'SOURCE_ERROR');
  });

  it('rejects foreign offsets with INVALID_ARGUMENT', async () => {
    const source = await open({});
    await expectWeirError(() => collect(source.read(-1, 1)), 'INVALID_ARGUMENT');
    await expectWeirError(() => collect(source.read(2, 1)), 'INVALID_ARGUMENT');
    await expectWeirError(() => source.latestOffset({ offset: 1 }, ALL), 'INVALID_ARGUMENT');
  });

  it('fails with SOURCE_ERROR past the largest representable offset', async () => {
    const source = await open({ rowsPerSecond: 2 ** 40 });
    await expectWeirError(() => collect(source.read(0, 2 ** 20)), 'SOURCE_ERROR');
  });
});
