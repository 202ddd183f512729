/**
 * Kafka's `Utils.murmur2` and its default partitioner's choice for a keyed record, as the Java client and kafkajs's
 * DefaultPartitioner compute them.
 *
 * Invariant: 32-bit arithmetic throughout (Math.imul, `>>>`), so the hash equals Java's `int` result bit for bit;
 * a key gets the partition a real producer would give it.
 */

const SEED = 0x9747b28c;
const M = 0x5bd1e995;

/** Kafka's murmur2 of `data` (a signed 32-bit int). */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = (SEED ^ length) | 0;
  const length4 = Math.floor(length / 4);
  for (let i = 0; i < length4; i += 1) {
    const i4 = i * 4;
    let k = (data[i4]! & 0xff) + ((data[i4 + 1]! & 0xff) << 8) + ((data[i4 + 2]! & 0xff) << 16) + ((data[i4 + 3]! & 0xff) << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M);
    h ^= k;
  }
  // Java's switch falls through from the third-last byte down to the last one.
  const tail = length & ~3;
  const rest = length % 4;
  if (rest >= 3) h ^= (data[tail + 2]! & 0xff) << 16;
  if (rest >= 2) h ^= (data[tail + 1]! & 0xff) << 8;
  if (rest >= 1) {
    h ^= data[tail]! & 0xff;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/**
 * The partition Kafka's default partitioner gives a record with `key` (`toPositive(murmur2(key)) % n`).
 *
 * @example
 * ```ts
 * keyPartition(Buffer.from('order-1'), 3); // the partition a Java or kafkajs producer picks
 * ```
 */
export function keyPartition(key: Uint8Array, numPartitions: number): number {
  return (murmur2(key) & 0x7fffffff) % numPartitions;
}
