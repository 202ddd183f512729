/** Produce requests are cut by size and by record count (kafkajs's per-request grouping is quadratic in the count). */
import type { KafkaOutRecord } from '../../../../connectors/kafka/client/KafkaClient';
import { MAX_REQUEST_BYTES, MAX_REQUEST_RECORDS, produceChunks } from '../../../../connectors/kafka/client/produceChunks';

const rec = (value: string, topic = 't'): KafkaOutRecord => ({ topic, key: null, value });

describe('produceChunks', () => {
  it('caps every request at MAX_REQUEST_RECORDS records and about MAX_REQUEST_BYTES, keeping the order', () => {
    const small = Array.from({ length: 2 * MAX_REQUEST_RECORDS + 345 }, (_, i) => rec(String(i)));
    const chunks = produceChunks(small);
    expect(chunks.map((c) => c.length)).toEqual([MAX_REQUEST_RECORDS, MAX_REQUEST_RECORDS, 345]);
    expect(chunks.flat()).toEqual(small);
    const big = Array.from({ length: 10 }, (_, i) => rec(`${i}`.padEnd(200 * 1024, 'x')));
    const bigChunks = produceChunks(big);
    expect(bigChunks.map((c) => c.length)).toEqual([2, 2, 2, 2, 2]);
    for (const c of bigChunks) expect(c.reduce((a, r) => a + String(r.value).length, 0)).toBeLessThanOrEqual(MAX_REQUEST_BYTES);
    // A record larger than the limit still goes out, alone.
    expect(produceChunks([rec('a'), rec('y'.repeat(MAX_REQUEST_BYTES + 1)), rec('b')]).map((c) => c.length)).toEqual([1, 1, 1]);
    expect(produceChunks([])).toEqual([]);
  });
});
