/**
 * Interval strings on the DataFrame face follow Spark's grammar (IntervalUtils.stringToInterval), found by porting
 * ../shared/seeds/004 (`window("ts", "1 hour", "30 min")`, `session_window("ts", "5 min")`). Every expectation
 * was checked against Apache Spark 4.0.1.
 */
import { MemoryStream, Session } from '../../index';
import { session_window, window } from '../../lib/sql/functions';
import { isSparkIntervalString } from '../../lib/sql/expr/sparkInterval';

let spark: Session;
beforeAll(() => {
  spark = Session.builder().appName('sparkInterval').getOrCreate();
});
afterAll(() => spark.stop());

const cannotParse = (text: string) =>
  `[CANNOT_PARSE_INTERVAL] Unable to parse '${text}'. Please ensure that the value provided is in a valid format for defining an interval. You can reference the documentation for the correct format. If the issue persists, please double check that the input value is not null or empty and try again. SQLSTATE: 22006`;

const events = () => spark.createDataFrame([{ u: 'a', ts: '2024-01-01T10:00:00Z' }], 'u STRING, ts TIMESTAMP');

describe("Spark's interval strings", () => {
  it.each([
    ['10 seconds', true],
    ['1 second', true],
    ['1 hour 30 minutes', true],
    ['INTERVAL 2 Hours', true],
    ['  5   minutes ', true],
    ['-1 day', true],
    ['- 1 day', true],
    ['1.5 seconds', true],
    ['10 milliseconds 3 microseconds', true],
    ['2 weeks', true],
    ['30 min', false],
    ['1 min', false],
    ['1s', false],
    ['10 sec', false],
    ['1.5 hours', false],
    ['1 hour 30', false],
    ['interval', false],
    ['', false],
    ['ten seconds', false],
  ])('%j parses: %s', (text, ok) => {
    expect(isSparkIntervalString(text)).toBe(ok);
  });

  it('window() with a duration Spark cannot parse fails with CANNOT_PARSE_INTERVAL', async () => {
    expect(() => events().groupBy(window('ts', '1 hour', '30 min')).count().schema).toThrow(cannotParse('30 min'));
    await expect(events().select(window('ts', '1 min')).collect()).rejects.toThrow(cannotParse('1 min'));
    expect(await events().groupBy(window('ts', '1 hour', '30 minutes')).count().count()).toBe(2);
  });

  it('withWatermark with a delay Spark cannot parse fails the same way', () => {
    const input = new MemoryStream(spark, 'u STRING, ts TIMESTAMP');
    expect(() => input.toDF().withWatermark('ts', '10 min').groupBy(window('ts', '1 minute')).count().schema).toThrow(cannotParse('10 min'));
  });

  it('session_window with a gap Spark cannot parse has no sessions (the gap casts to NULL), and no error', async () => {
    expect(await events().groupBy(session_window('ts', '5 min'), 'u').count().collect()).toEqual([]);
    expect(await events().groupBy(session_window('ts', '5 minutes'), 'u').count().collect()).toHaveLength(1);
  });
});

describe("window()'s checks fail with Spark 4.0.1's messages (durations in microseconds)", () => {
  const mismatch = (shown: string, subclass: string, detail: string) =>
    `[DATATYPE_MISMATCH.${subclass}] Cannot resolve "${shown}" due to data type mismatch: ${detail}. SQLSTATE: 42K09`;
  it.each([
    [['0 seconds'], mismatch('window(ts, 0, 0, 0)', 'VALUE_OUT_OF_RANGE', 'The `window_duration` must be between (0, 9223372036854775807] (current value = 0L)')],
    [['-5 seconds'], mismatch('window(ts, -5000000, -5000000, 0)', 'VALUE_OUT_OF_RANGE', 'The `window_duration` must be between (0, 9223372036854775807] (current value = -5000000L)')],
    [['10 seconds', '0 seconds'], mismatch('window(ts, 10000000, 0, 0)', 'VALUE_OUT_OF_RANGE', 'The `slide_duration` must be between (0, 9223372036854775807] (current value = 0L)')],
    [['5 seconds', '10 seconds'], mismatch('window(ts, 5000000, 10000000, 0)', 'PARAMETER_CONSTRAINT_VIOLATION', 'The `slide_duration`(10000000L) must be <= the `window_duration`(5000000L)')],
    [['10 seconds', '5 seconds', '5 seconds'], mismatch('window(ts, 10000000, 5000000, 5000000)', 'PARAMETER_CONSTRAINT_VIOLATION', 'The `abs(start_time)`(5000000L) must be < the `slide_duration`(5000000L)')],
    [['10 seconds', '5 seconds', '-7 seconds'], mismatch('window(ts, 10000000, 5000000, -7000000)', 'PARAMETER_CONSTRAINT_VIOLATION', 'The `abs(start_time)`(7000000L) must be < the `slide_duration`(5000000L)')],
    [['1 month'], 'Intervals greater than a month is not supported (1 month).'],
  ])('window(ts, %j)', (durations, message) => {
    const [w, s, st] = durations as string[];
    expect(() => events().groupBy(window('ts', w!, s, st)).count().schema).toThrow(message);
  });
});
