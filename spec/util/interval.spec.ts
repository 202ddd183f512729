import { durationToMs, intervalToDelayMs, parseInterval } from '../../lib/util/interval';

describe('interval strings', () => {
  it.each([
    ['10 seconds', 10_000],
    ['1 second', 1_000],
    ['interval 1 hour 30 minutes', 5_400_000],
    ['500 milliseconds', 500],
    ['2 days', 172_800_000],
    ['1 week', 604_800_000],
    ['10s', 10_000],
  ])('%s = %d ms', (text, ms) => {
    expect(intervalToDelayMs(parseInterval(text))).toBe(ms);
  });

  it('counts a month as 31 days and a year as 12 months for delays', () => {
    expect(intervalToDelayMs(parseInterval('1 month'))).toBe(31 * 86_400_000);
    expect(intervalToDelayMs(parseInterval('1 year'))).toBe(12 * 31 * 86_400_000);
  });

  it('rejects months in durations and garbage everywhere', () => {
    expect(() => durationToMs('1 month')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => parseInterval('ten seconds')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => parseInterval('10 fortnights')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => parseInterval('')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
