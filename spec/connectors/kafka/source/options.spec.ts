/**
 * The Kafka source's options are parsed and checked at construction (no broker, no client): Spark's names and
 * errors, minPartitions' read ranges, and Spark's start-versus-end validation. (Moved here from the broker suite,
 * spec/kafka, which needs a JVM.)
 */
import { kafka, offsetRanges } from '../../../../connectors/kafka/source';
import { expectWeirError } from '../../../support/expectWeirError';

/** Never contacted: options are checked when the source is made. */
const SERVERS = '127.0.0.1:1';
const T0 = 1_700_000_000_000;

describe('kafka source options', () => {
  it('rejects bad options with named errors at construction', async () => {
    await expectWeirError(() => kafka({ subscribe: 't' }), 'MISSING_OPTION');
    await expectWeirError(() => kafka({ 'kafka.bootstrap.servers': SERVERS }), 'MISSING_OPTION');
    await expectWeirError(() => kafka({ 'kafka.bootstrap.servers': SERVERS, subscribe: 'a', assign: '{"a":[0]}' }), 'INVALID_ARGUMENT');
    const e = await expectWeirError(
      () => kafka({ 'kafka.bootstrap.servers': SERVERS, subscribe: 'a', 'kafka.auto.offset.reset': 'earliest' }),
      'INVALID_ARGUMENT',
    );
    expect(e.context.option).toBe('kafka.auto.offset.reset');
    await expectWeirError(() => kafka({ 'kafka.bootstrap.servers': SERVERS, assign: '{"a":"x"}' }), 'INVALID_ARGUMENT');
    await expectWeirError(() => kafka({ 'kafka.bootstrap.servers': SERVERS, subscribe: 'a', maxOffsetsPerTrigger: '0' }), 'INVALID_ARGUMENT');
    await expectWeirError(() => kafka({ 'kafka.bootstrap.servers': SERVERS, subscribe: 'a', failOnDataLoss: 'maybe' }), 'INVALID_ARGUMENT');
    await expectWeirError(() => kafka({ 'kafka.bootstrap.servers': SERVERS, subscribe: 'a', endingOffsets: 'earliest' }), 'INVALID_ARGUMENT');
  });

});

describe("minPartitions (Spark's KafkaOffsetRangeCalculator)", () => {
  const tp1 = { topic: 't1', partition: 0 };
  const tp2 = { topic: 't2', partition: 0 };
  const tp3 = { topic: 't3', partition: 0 };
  const r = (tp: typeof tp1, fromOffset: number, untilOffset: number) => ({ tp, fromOffset, untilOffset });

  it('splits ranges as Spark does', () => {
    // The cases of Spark's KafkaOffsetRangeCalculatorSuite.
    expect(offsetRanges([r(tp1, 1, 2), r(tp2, 1, 2), r(tp3, 1, 1)], undefined)).toEqual([r(tp1, 1, 2), r(tp2, 1, 2)]);
    expect(offsetRanges([r(tp1, 1, 2)], 1)).toEqual([r(tp1, 1, 2)]);
    expect(offsetRanges([r(tp1, 1, 2), r(tp2, 1, 2), r(tp3, 1, 2)], 2)).toEqual([r(tp1, 1, 2), r(tp2, 1, 2), r(tp3, 1, 2)]);
    expect(offsetRanges([r(tp1, 1, 5)], 4)).toEqual([r(tp1, 1, 2), r(tp1, 2, 3), r(tp1, 3, 4), r(tp1, 4, 5)]);
    expect(offsetRanges([r(tp1, 1, 11)], 3)).toEqual([r(tp1, 1, 4), r(tp1, 4, 7), r(tp1, 7, 11)]);
    expect(offsetRanges([r(tp1, 1, 5), r(tp2, 1, 21)], 3)).toEqual([r(tp1, 1, 5), r(tp2, 1, 11), r(tp2, 11, 21)]);
    expect(offsetRanges([r(tp1, 1, 5), r(tp2, 1, 21), r(tp3, 1, 1)], 3)).toEqual([r(tp1, 1, 5), r(tp2, 1, 11), r(tp2, 11, 21)]);
    // Small ranges are left out of the proportional split: 1 + 1 of 10002 stay whole, 10000 takes the other 2.
    expect(offsetRanges([r(tp1, 0, 1), r(tp2, 0, 1), r(tp3, 0, 10_000)], 4)).toEqual([
      r(tp1, 0, 1),
      r(tp2, 0, 1),
      r(tp3, 0, 5000),
      r(tp3, 5000, 10_000),
    ]);
  });

  it('is validated like Spark (a positive integer)', async () => {
    for (const bad of ['0', '-1', 'x', 1.5]) {
      const e = await expectWeirError(() => kafka({ 'kafka.bootstrap.servers': SERVERS, subscribe: 'a', minPartitions: bad as string }), 'INVALID_ARGUMENT');
      expect(e.context.option).toBe('minPartitions');
    }
  });
});

describe('endingTimestamp and endingOffsetsByTimestamp options', () => {
  it('validates like Spark: one long value, the same partitions at both ends, no start after its end', async () => {
    const base = { 'kafka.bootstrap.servers': SERVERS, subscribe: 't' };
    for (const bad of ['x', '', '-5', '1.5']) {
      const e = await expectWeirError(() => kafka({ ...base, endingTimestamp: bad }), 'INVALID_ARGUMENT');
      expect(e.context.option).toBe('endingTimestamp');
    }
    await expectWeirError(() => kafka({ ...base, startingTimestamp: 'soon' }), 'INVALID_ARGUMENT');
    await expectWeirError(() => kafka({ ...base, endingOffsetsByTimestamp: '[1]' }), 'INVALID_ARGUMENT');
    await expectWeirError(
      () => kafka({ ...base, startingOffsets: { t: { '0': 1, '1': 1 } }, endingOffsets: { t: { '0': 5 } } }),
      'INVALID_ARGUMENT',
    );
    const e = await expectWeirError(() => kafka({ ...base, startingOffsets: { t: { '0': 6 } }, endingOffsets: { t: { '0': 5 } } }), 'INVALID_ARGUMENT');
    expect(e.context.option).toBe('endingOffsets');
    // -2/-1 are not compared.
    expect(() => kafka({ ...base, startingOffsets: { t: { '0': -2 } }, endingOffsets: { t: { '0': -1 } } })).not.toThrow();
    await expectWeirError(
      () => kafka({ ...base, startingOffsetsByTimestamp: { t: { '0': T0 + 1 } }, endingOffsetsByTimestamp: { t: { '0': T0 } } }),
      'INVALID_ARGUMENT',
    );
    expect(() => kafka({ ...base, startingOffsetsByTimestamp: { t: { '0': T0 } }, endingOffsetsByTimestamp: { t: { '0': T0 } } })).not.toThrow();
  });

});
