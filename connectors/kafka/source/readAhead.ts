/**
 * The Kafka source's read-ahead: after a batch is read, the next range of each partition (up to the latest offsets
 * seen, at most PREFETCH_MAX_RECORDS) is fetched in the background while the engine runs the batch, and the next
 * batch takes what it covers.
 *
 * Invariant: records below the latest offset never change, so a prefetched range is the same as a fresh fetch of
 * it; a read-ahead is used only by a batch whose range of that partition starts where the read-ahead starts, and a
 * failed one is dropped (the batch then fetches the range itself and reports the error).
 */
import { tpKey, type FetchRangeResult, type KafkaRecord, type TopicPartition } from '../client/KafkaClient';
import { rateLimit } from './admission';
import type { KafkaOffsetRange } from './offsetRanges';
import type { PartitionOffset } from './offsets';

/** The most records one partition's read-ahead holds. */
export const PREFETCH_MAX_RECORDS = 100_000;

/** Reads `[from, until)` of one partition. */
export type RangeFetch = (tp: TopicPartition, from: number, until: number) => Promise<FetchRangeResult>;

/** A read-ahead fetch of `[from, until)` of one partition (undefined result = it failed). */
export interface Prefetch {
  readonly from: number;
  readonly until: number;
  readonly result: Promise<FetchRangeResult | undefined>;
}

/** The index of the first record at or after `offset` (records are in offset order). */
function lowerBound(records: readonly KafkaRecord[], offset: number): number {
  let lo = 0;
  let hi = records.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (records[mid]!.offset < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * One range, from `ahead` where it covers the range, the rest with `fetch`.
 *
 * @example
 * ```ts
 * await fetchWithReadAhead({ tp, fromOffset: 10, untilOffset: 20 }, ahead, (tp, f, u) => client.fetchRange(tp, f, u, 'read_uncommitted'));
 * ```
 */
export async function fetchWithReadAhead(t: KafkaOffsetRange, ahead: Prefetch | undefined, fetch: RangeFetch): Promise<FetchRangeResult> {
  const { tp, fromOffset: from, untilOffset: until } = t;
  const got = ahead && from >= ahead.from && from < ahead.until ? await ahead.result : undefined;
  if (!ahead || !got) return fetch(tp, from, until);
  const covered = Math.min(ahead.until, until);
  const records = got.records.slice(lowerBound(got.records, from), lowerBound(got.records, covered));
  let lost = got.dataLostUntil !== undefined && got.dataLostUntil > from ? Math.min(got.dataLostUntil, until) : undefined;
  if (covered < until) {
    const rest = await fetch(tp, covered, until);
    for (const r of rest.records) records.push(r);
    lost ??= rest.dataLostUntil;
  }
  return lost === undefined ? { records } : { records, dataLostUntil: lost };
}

/** The read-aheads of one source run, per partition (tpKey). */
export class ReadAhead {
  private readonly pending = new Map<string, Prefetch>();

  /**
   * Takes the read-aheads of the partitions of `tasks` (every one is taken: a batch reads a partition once); keeps
   * those that start where the partition's first task starts.
   */
  take(tasks: readonly KafkaOffsetRange[]): Map<string, Prefetch> {
    const ahead = new Map<string, Prefetch>();
    for (const t of tasks) {
      const k = tpKey(t.tp);
      const p = this.pending.get(k);
      this.pending.delete(k);
      if (p && p.from === t.fromOffset) ahead.set(k, p);
    }
    return ahead;
  }

  /**
   * Starts the read-ahead of the batch after one ending at `end`: per partition from its end towards the latest
   * offset seen (at most PREFETCH_MAX_RECORDS), split as `maxOffsetsPerTrigger` will split the next batch.
   */
  start(
    end: ReadonlyMap<string, PartitionOffset>,
    latestSeen: ReadonlyMap<string, number>,
    maxOffsetsPerTrigger: number | undefined,
    fetch: RangeFetch,
  ): void {
    const fromMap = new Map<string, number>();
    const latestMap = new Map<string, number>();
    for (const [k, { offset }] of end) {
      const latest = latestSeen.get(k);
      if (latest === undefined || latest <= offset) continue;
      fromMap.set(k, offset);
      latestMap.set(k, Math.min(latest, offset + PREFETCH_MAX_RECORDS));
    }
    // The next batch's likely range: the same split maxOffsetsPerTrigger will make.
    const next = maxOffsetsPerTrigger === undefined ? latestMap : rateLimit(maxOffsetsPerTrigger, fromMap, latestMap);
    for (const [k, until] of next) {
      const { tp } = end.get(k)!;
      const from = fromMap.get(k)!;
      if (until <= from) continue;
      const result = fetch(tp, from, until).catch(() => undefined);
      this.pending.set(k, { from, until, result });
    }
  }

  /** Drops every read-ahead, once the fetches under way have settled. */
  async drain(): Promise<void> {
    const pending = [...this.pending.values()].map((p) => p.result);
    this.pending.clear();
    await Promise.all(pending);
  }
}
