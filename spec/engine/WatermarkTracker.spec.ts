import { WatermarkTracker, parseWatermarkPolicy } from '../../lib/engine/WatermarkTracker';

const stats = (max: number, count = 1) => ({ min: max, max, sum: max * count, count });

describe('WatermarkTracker', () => {
  it('takes max event time minus delay and never goes back', () => {
    const t = new WatermarkTracker('min');
    expect(t.update(new Map([['a', { stats: stats(10_000), delayMs: 2_000 }]]))).toBe(8_000);
    expect(t.update(new Map([['a', { stats: stats(5_000), delayMs: 2_000 }]]))).toBe(8_000);
    expect(t.update(new Map([['a', { stats: stats(0, 0), delayMs: 2_000 }]]))).toBe(8_000);
  });

  it('min policy stays at 0 until every input has data; max policy follows the fastest', () => {
    const min = new WatermarkTracker('min');
    const max = new WatermarkTracker('max');
    const reports = new Map([
      ['a', { stats: stats(10_000), delayMs: 0 }],
      ['b', { stats: stats(0, 0), delayMs: 0 }],
    ]);
    expect(min.update(reports)).toBe(0);
    expect(max.update(reports)).toBe(10_000);
    expect(min.update(new Map([['b', { stats: stats(4_000), delayMs: 1_000 }]]))).toBe(3_000);
  });

  it('restores from a logged watermark and parses the policy conf', () => {
    expect(new WatermarkTracker('min', 42).currentWatermarkMs).toBe(42);
    expect(parseWatermarkPolicy('MAX')).toBe('max');
    expect(parseWatermarkPolicy(undefined)).toBe('min');
    expect(() => parseWatermarkPolicy('avg')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
