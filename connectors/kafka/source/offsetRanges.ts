/**
 * Spark's `KafkaOffsetRangeCalculator.getRanges`: the read ranges ("input partitions") of one micro-batch.
 *
 * Invariant: the ranges of one topic-partition are contiguous, in offset order, and cover exactly its
 * `[fromOffset, untilOffset)`; empty ranges are dropped. Without `minPartitions`, or when the batch already has at
 * least `minPartitions` non-empty topic-partitions, there is one range per topic-partition; otherwise large ranges
 * are split so that there are about `minPartitions` ranges, in proportion to their sizes (Spark's arithmetic).
 */
import type { TopicPartition } from '../client/KafkaClient';

/** `[fromOffset, untilOffset)` of one topic-partition. */
export interface KafkaOffsetRange {
  readonly tp: TopicPartition;
  readonly fromOffset: number;
  readonly untilOffset: number;
}

function partCount(size: number, totalSize: number, minParts: number): number {
  // Scala's math.round(Double): half up.
  return Math.max(Math.floor((size / totalSize) * minParts + 0.5), 1);
}

/**
 * The ranges to read for `ranges` (one per topic-partition, in the order the batch emits them) under
 * `minPartitions` (undefined = no splitting). Exported for tests.
 *
 * @example
 * ```ts
 * offsetRanges([{ tp: { topic: 't', partition: 0 }, fromOffset: 0, untilOffset: 10 }], 2);
 * // → [0, 5) and [5, 10) of t-0
 * ```
 */
export function offsetRanges(ranges: readonly KafkaOffsetRange[], minPartitions: number | undefined): KafkaOffsetRange[] {
  const nonEmpty = ranges.filter((r) => r.untilOffset - r.fromOffset > 0);
  if (minPartitions === undefined || nonEmpty.length >= minPartitions) return nonEmpty;
  const size = (r: KafkaOffsetRange): number => r.untilOffset - r.fromOffset;
  const totalSize = nonEmpty.reduce((a, r) => a + size(r), 0);
  // Small ranges stay whole and are left out of the proportional split of the large ones.
  const unsplit = new Set(nonEmpty.filter((r) => partCount(size(r), totalSize, minPartitions) === 1));
  const unsplitSize = [...unsplit].reduce((a, r) => a + size(r), 0);
  const splitTotal = totalSize - unsplitSize;
  const splitMinPartitions = Math.max(minPartitions - unsplit.size, 1);
  const out: KafkaOffsetRange[] = [];
  for (const r of nonEmpty) {
    const parts = unsplit.has(r) ? 1 : partCount(size(r), splitTotal, splitMinPartitions);
    let remaining = size(r);
    let start = r.fromOffset;
    for (let part = 0; part < parts; part += 1) {
      // Integer division; the last part takes the round-off.
      const thisPart = Math.floor(remaining / (parts - part));
      remaining -= thisPart;
      const end = Math.min(start + thisPart, r.untilOffset);
      if (end > start) out.push({ tp: r.tp, fromOffset: start, untilOffset: end });
      start = end;
    }
  }
  return out;
}
