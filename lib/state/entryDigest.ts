/**
 * The digest of an operator's committed entries: the sum, modulo 2^32, of a 32-bit hash of every (key, value)
 * pair. A sum is updated per write without reading the other entries (subtract the old pair's hash, add the new
 * one's), and it does not depend on the order of the entries.
 *
 * Invariant: the version marker of every commit carries the digest of that version's entries (`d`) and of the
 * previous version's (`pd`, for a rollback); the provider recomputes it from a scan when it first opens an
 * operator, so an entry LevelDB lost or changed without a trace (a zeroed log block it skips silently, a table
 * block it reads without checking its CRC) is found at the next start. A random change goes unnoticed with
 * probability 2^-32.
 *
 * Why not LevelDB's own checks: its log records and table blocks carry CRC-32C, but it skips bad log records at
 * recovery without failing (`paranoid_checks` is off and classic-level does not expose it), skips a zeroed log
 * block without even logging it, and verifies table blocks only when a read asks (`verify_checksums`, also not
 * exposed). Spark's RocksDB store relies on RocksDB's block checksums plus, in newer Spark, a `.crc` sidecar (size
 * and CRC-32C) per checkpoint file checked on read (`spark.sql.streaming.stateStore.rocksdb.fileChecksumEnabled`,
 * CHECKPOINT_FILE_CHECKSUM_VERIFICATION_FAILED); weir's state lives in one local LevelDB, not in uploaded files,
 * so the check is over the entries instead.
 */

/** The hash of one (key, value) pair: FNV-1a over the key length, the key and the value, then a final mix. */
export function entryHash(key: Uint8Array, value: Uint8Array): number {
  let h = 0x811c9dc5;
  const length = key.length;
  h = Math.imul(h ^ (length & 0xff), 0x01000193);
  h = Math.imul(h ^ ((length >>> 8) & 0xff), 0x01000193);
  h = Math.imul(h ^ ((length >>> 16) & 0xff), 0x01000193);
  h = Math.imul(h ^ (length >>> 24), 0x01000193);
  for (let i = 0; i < length; i += 1) h = Math.imul(h ^ key[i]!, 0x01000193);
  for (let i = 0; i < value.length; i += 1) h = Math.imul(h ^ value[i]!, 0x01000193);
  // murmur3's fmix32, so that nearby inputs spread over all 32 bits
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** `digest` after `key` changed from `before` to `after` (null = absent). */
export function updateDigest(digest: number, key: Uint8Array, before: Uint8Array | null, after: Uint8Array | null): number {
  let d = digest;
  if (before !== null) d = (d - entryHash(key, before)) >>> 0;
  if (after !== null) d = (d + entryHash(key, after)) >>> 0;
  return d;
}

/** The hexadecimal form used in messages. */
export function formatDigest(digest: number): string {
  return digest.toString(16).padStart(8, '0');
}
