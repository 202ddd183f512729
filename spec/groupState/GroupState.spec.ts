import { GroupStateImpl, GroupStateMessages, GroupStateTimeout, parseDuration, parseGroupStateTimeout } from '../../lib/groupState/GroupState';

const handle = <S>(o: Partial<ConstructorParameters<typeof GroupStateImpl<S>>[0]> = {}) =>
  new GroupStateImpl<S>({
    value: undefined,
    timeout: GroupStateTimeout.NoTimeout,
    hasTimedOut: false,
    batchProcessingTimeMs: 1_000_000,
    eventTimeWatermarkMs: undefined,
    ...o,
  });

describe('GroupState', () => {
  it('get / getOption / exists / update / remove follow Spark', () => {
    const s = handle<number>();
    expect(s.exists).toBe(false);
    expect(s.getOption()).toBeUndefined();
    expect(() => s.get()).toThrow(expect.objectContaining({ code: 'STATE_NOT_DEFINED', message: GroupStateMessages.notDefined }));
    s.update(3);
    expect([s.exists, s.get(), s.getOption(), s.updated, s.removed]).toEqual([true, 3, 3, true, false]);
    s.remove();
    expect([s.exists, s.getOption(), s.updated, s.removed]).toEqual([false, undefined, false, true]);
    s.update(0); // 0 is a value, not "no value"
    expect([s.exists, s.get(), s.removed]).toEqual([true, 0, false]);
  });

  it('starts from the stored value and rejects null updates', () => {
    const s = handle<{ n: number }>({ value: { n: 1 } });
    expect(s.get()).toEqual({ n: 1 });
    expect(s.updated).toBe(false);
    expect(() => s.update(null as unknown as { n: number })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', message: "'null' is not a valid state value" }),
    );
  });

  it('setTimeoutDuration: processing-time timeout only; ms or Spark interval strings; must be positive', () => {
    const s = handle({ timeout: GroupStateTimeout.ProcessingTimeTimeout });
    expect(s.getTimeoutTimestampMs()).toBeUndefined(); // not carried over from earlier calls
    s.setTimeoutDuration(500);
    expect(s.getTimeoutTimestampMs()).toBe(1_000_500);
    s.setTimeoutDuration('1 minute 30 seconds');
    expect(s.getTimeoutTimestampMs()).toBe(1_090_000);
    s.setTimeoutDuration('interval 1 day');
    expect(s.getTimeoutTimestampMs()).toBe(1_000_000 + 86_400_000);
    s.setTimeoutDuration('1 month'); // a month is 31 days, as Spark's parseDuration
    expect(s.getTimeoutTimestampMs()).toBe(1_000_000 + 31 * 86_400_000);
    expect(() => s.setTimeoutDuration(0)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', message: 'Timeout duration must be positive' }));
    expect(() => s.setTimeoutDuration('-5 seconds')).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', message: 'Provided duration (-5 seconds) is negative' }),
    );
    expect(() => handle({ timeout: GroupStateTimeout.EventTimeTimeout }).setTimeoutDuration(10)).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED_OPERATION', message: GroupStateMessages.durationNotEnabled }),
    );
  });

  it('setTimeoutTimestamp: event-time timeout only; not before the watermark; Date and extra duration forms', () => {
    const s = handle({ timeout: GroupStateTimeout.EventTimeTimeout, eventTimeWatermarkMs: 10_000 });
    s.setTimeoutTimestamp(10_000); // equal to the watermark is allowed
    expect(s.getTimeoutTimestampMs()).toBe(10_000);
    s.setTimeoutTimestamp(new Date(20_000), '5 seconds');
    expect(s.getTimeoutTimestampMs()).toBe(25_000);
    s.setTimeoutTimestamp(9_000, '2 seconds');
    expect(s.getTimeoutTimestampMs()).toBe(11_000);
    expect(() => s.setTimeoutTimestamp(9_999)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', message: 'Timeout timestamp (9999) cannot be earlier than the current watermark (10000)' }),
    );
    expect(() => s.setTimeoutTimestamp(0)).toThrow(expect.objectContaining({ message: 'Timeout timestamp must be positive' }));
    expect(() => handle({ timeout: GroupStateTimeout.ProcessingTimeTimeout }).setTimeoutTimestamp(1)).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED_OPERATION', message: GroupStateMessages.timestampNotEnabled }),
    );
  });

  it('getCurrentWatermarkMs needs a watermark; getCurrentProcessingTimeMs is the batch time', () => {
    expect(() => handle().getCurrentWatermarkMs()).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED_OPERATION', message: GroupStateMessages.noWatermark }),
    );
    expect(handle({ eventTimeWatermarkMs: 7 }).getCurrentWatermarkMs()).toBe(7);
    expect(handle().getCurrentProcessingTimeMs()).toBe(1_000_000);
    expect(handle({ hasTimedOut: true }).hasTimedOut).toBe(true);
  });

  it('parses timeout confs and durations', () => {
    expect(parseGroupStateTimeout('eventtimetimeout')).toBe('EventTimeTimeout');
    expect(() => parseGroupStateTimeout('Never')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(parseDuration('2 hours')).toBe(7_200_000);
  });
});
