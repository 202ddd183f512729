/** Kafka's murmur2 and the keyed partition choice agree with kafkajs's DefaultPartitioner (and so with Java's). */
import { randomBytes } from 'node:crypto';
import { keyPartition, murmur2 } from '../../../../connectors/kafka/client/murmur2';

// kafkajs's own implementation (an internal module without types), the reference.
const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2') as (key: Buffer | string) => number;

describe('murmur2', () => {
  it("equals kafkajs's murmur2 for keys of every tail length, and Kafka's known values", () => {
    for (let length = 0; length < 40; length += 1) {
      for (let i = 0; i < 5; i += 1) {
        const key = randomBytes(length);
        expect(murmur2(key)).toBe(kafkajsMurmur2(key));
      }
    }
    for (const s of ['', 'a', 'ab', 'abc', 'abcd', 'order-1', 'ünïcödé']) expect(murmur2(Buffer.from(s))).toBe(kafkajsMurmur2(s));
    // From Kafka's UtilsTest.testMurmur2.
    expect(murmur2(Buffer.from('21'))).toBe(-973932308);
    expect(murmur2(Buffer.from('foobar'))).toBe(-790332482);
    expect(murmur2(Buffer.from('a-little-bit-long-string'))).toBe(-985981536);
    expect(murmur2(Buffer.from('a-little-bit-longer-string'))).toBe(-1486304829);
    expect(murmur2(Buffer.from('lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8'))).toBe(-58897971);
    expect(murmur2(Buffer.from([97, 98, 99]))).toBe(479470107);
  });

  it('picks toPositive(hash) % partitions', () => {
    for (const s of ['a', 'b', 'order-7', 'x'.repeat(33)]) {
      const key = Buffer.from(s);
      expect(keyPartition(key, 7)).toBe((kafkajsMurmur2(key) & 0x7fffffff) % 7);
    }
  });
});
