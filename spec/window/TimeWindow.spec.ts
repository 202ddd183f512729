import { timeWindowSpec, toEpochMs, windowStartsFor } from '../../lib/window/TimeWindow';

const at = (hms: string): number => Date.parse(`2024-01-01T${hms}Z`);
const iso = (ms: number): string => new Date(ms).toISOString().slice(11, 19);

describe('TimeWindow (Spark formula)', () => {
  it("places timestamps in sliding windows as Spark's docs show (10 s window, 3 s slide)", () => {
    const spec = timeWindowSpec('10 seconds', '3 seconds');
    expect(windowStartsFor(at('19:39:27'), spec).map(iso).sort()).toEqual(['19:39:18', '19:39:21', '19:39:24', '19:39:27']);
    expect(windowStartsFor(at('19:39:34'), spec).map(iso).sort()).toEqual(['19:39:27', '19:39:30', '19:39:33']);
  });

  it('applies startTime offsets', () => {
    const spec = timeWindowSpec('10 seconds', '10 seconds', '5 seconds');
    expect(windowStartsFor(at('19:39:34'), spec).map(iso)).toEqual(['19:39:25']);
    expect(windowStartsFor(at('19:39:27'), spec).map(iso)).toEqual(['19:39:25']);
    expect(windowStartsFor(at('19:39:56'), spec).map(iso)).toEqual(['19:39:55']);
  });

  it('uses floor semantics before 1970: every window contains its timestamp', () => {
    const spec = timeWindowSpec(10_000, 4_000);
    for (const ts of [-1, -3_999, -4_000, -4_001, -10_000, -123_457]) {
      const starts = windowStartsFor(ts, spec);
      expect(starts.length).toBeGreaterThan(0);
      for (const s of starts) {
        expect(s <= ts && ts < s + 10_000).toBe(true);
        expect(((s % 4_000) + 4_000) % 4_000).toBe(0);
      }
    }
    expect(windowStartsFor(-1, timeWindowSpec(10_000))).toEqual([-10_000]);
  });

  it("rejects bad arguments with Spark's messages (microseconds)", () => {
    expect(() => timeWindowSpec(0)).toThrow('The window duration (0) must be greater than 0.');
    expect(() => timeWindowSpec('10 seconds', '20 seconds')).toThrow(
      'The slide duration (20000000) must be less than or equal to the windowDuration (10000000).',
    );
    expect(() => timeWindowSpec('10 seconds', '5 seconds', '5 seconds')).toThrow(
      'The absolute value of start time (5000000) must be less than the slideDuration (5000000).',
    );
    expect(() => timeWindowSpec('10 seconds', -1)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('reads event times from Dates, epoch ms, ISO strings and window structs (window_time)', () => {
    expect(toEpochMs(new Date(5))).toBe(5);
    expect(toEpochMs(7)).toBe(7);
    expect(toEpochMs('1970-01-01T00:00:01.000Z')).toBe(1000);
    expect(toEpochMs({ start: new Date(0), end: new Date(10_000) })).toBe(9_999);
    expect(toEpochMs(null)).toBeNull();
    expect(toEpochMs('not a time')).toBeNull();
  });
});
