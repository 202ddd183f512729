/** Read limits of the Kafka source as pure functions: Spark's rateLimit and the minOffsetsPerTrigger wait. */
import type { ReadLimit } from '../../../../lib/contracts';
import { admit, rateLimit } from '../../../../connectors/kafka/source/admission';

const m = (entries: Record<string, number>): Map<string, number> => new Map(Object.entries(entries));

describe('rateLimit', () => {
  it('splits the limit in proportion to the backlog: floor, or ceil for a share below 1', () => {
    expect(rateLimit(8, m({ a: 0, b: 0, c: 0 }), m({ a: 30, b: 10, c: 1 }))).toEqual(m({ a: 5, b: 1, c: 1 }));
    expect(rateLimit(10, m({ a: 0, b: 0 }), m({ a: 100, b: 0 }))).toEqual(m({ a: 10, b: 0 }));
    // Never past the end; a partition without a start (new) keeps its end; nothing to read: the ends.
    expect(rateLimit(100, m({ a: 5 }), m({ a: 7, n: 3 }))).toEqual(m({ a: 7, n: 3 }));
    expect(rateLimit(3, m({ a: 5 }), m({ a: 5 }))).toEqual(m({ a: 5 }));
  });
});

describe('admit', () => {
  const from = m({ a: 0, b: 0 });
  const until = m({ a: 3, b: 1 });
  const minRows: ReadLimit = { kind: 'minRows', minRows: 5, maxDelayMs: 1000 };

  it('admits everything for `all`, the rate-limited end for `maxRows`', () => {
    const state = { nowMs: 0, lastTriggerMs: 0, availableNow: false };
    expect(admit({ kind: 'all' }, from, until, state)).toEqual(until);
    // Spark's arithmetic: 2·3/4 = 1.5 → 1, 2·1/4 = 0.5 → ceil 1.
    expect(admit({ kind: 'maxRows', maxRows: 2 }, from, until, state)).toEqual(m({ a: 1, b: 1 }));
  });

  it('waits for minRows until maxDelayMs passed since the last batch; AvailableNow never waits', () => {
    expect(admit(minRows, from, until, { nowMs: 1500, lastTriggerMs: 1000, availableNow: false })).toBe('wait');
    expect(admit(minRows, from, until, { nowMs: 2000, lastTriggerMs: 1000, availableNow: false })).toEqual(until);
    expect(admit(minRows, from, m({ a: 4, b: 1 }), { nowMs: 1500, lastTriggerMs: 1000, availableNow: false })).toEqual(m({ a: 4, b: 1 }));
    expect(admit(minRows, from, until, { nowMs: 1500, lastTriggerMs: 1000, availableNow: true })).toEqual(until);
    const both: ReadLimit = { kind: 'composite', limits: [minRows, { kind: 'maxRows', maxRows: 2 }] };
    expect(admit(both, from, m({ a: 10, b: 10 }), { nowMs: 1500, lastTriggerMs: 1000, availableNow: false })).toEqual(m({ a: 1, b: 1 }));
  });
});
