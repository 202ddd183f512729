/**
 * The offsets the Kafka source never reads past (Spark's ending `KafkaOffsetRangeLimit`: `endingOffsets`,
 * `endingOffsetsByTimestamp`, `endingTimestamp`; in weir caps of any query, not only batch reads).
 *
 * Invariant: caps never move back. A timestamp resolves to the first offset whose timestamp is >= it (Spark's
 * offsetsForTimes); while no record matches, the partition has no cap yet (Spark: "the offset will be set to
 * latest"); once one is found it is kept for the rest of the run.
 */
import { ErrorCodes, WeirError } from '../../../lib/errors';
import { tpKey, type KafkaClient, type TopicPartition } from '../client/KafkaClient';
import { offsetsByPartition } from './offsets';
import type { EndSpec } from './options';

/**
 * The ending caps of one source run.
 *
 * @example
 * ```ts
 * const caps = new EndingOffsets({ kind: 'timestamp', timestampMs: 1_700_000_000_000 }, 'KafkaV2[Subscribe[t]]');
 * await caps.caps(client, [{ topic: 't', partition: 0 }]); // Map { 't\u00000' => 17 } once a record at or after the time exists
 * ```
 */
export class EndingOffsets {
  /** Caps resolved from timestamps (tpKey → offset); they never change. */
  private readonly byTimestamp = new Map<string, number>();

  constructor(
    private readonly end: EndSpec | undefined,
    private readonly source: string,
  ) {}

  /** Forgets the caps resolved from timestamps (a new run resolves them again). */
  reset(): void {
    this.byTimestamp.clear();
  }

  /** Per partition (tpKey) of `tps`, the offset the source never passes; absent = no cap. */
  async caps(kafka: KafkaClient, tps: readonly TopicPartition[]): Promise<Map<string, number>> {
    const end = this.end;
    const caps = new Map<string, number>();
    if (!end) return caps;
    if (end.kind === 'offsets') {
      for (const [k, { offset }] of offsetsByPartition(end.offsets)) if (offset >= 0) caps.set(k, offset);
      return caps;
    }
    const byTs = end.kind === 'timestamps' ? offsetsByPartition(end.timestamps) : undefined;
    const ask = new Map<number, TopicPartition[]>();
    for (const tp of tps) {
      const k = tpKey(tp);
      const known = this.byTimestamp.get(k);
      if (known !== undefined) {
        caps.set(k, known);
        continue;
      }
      const ts = end.kind === 'timestamp' ? end.timestampMs : byTs!.get(k)?.offset;
      if (ts === undefined) {
        throw new WeirError(
          ErrorCodes.INVALID_ARGUMENT,
          `endingOffsetsByTimestamp must give a timestamp for every partition; ${tp.topic}-${tp.partition} has none`,
          { context: { source: this.source, option: 'endingOffsetsByTimestamp', topic: tp.topic, partition: tp.partition } },
        );
      }
      let list = ask.get(ts);
      if (!list) ask.set(ts, (list = []));
      list.push(tp);
    }
    for (const [ts, list] of ask) {
      const offsets = await kafka.offsetsForTimestamp(list, ts);
      list.forEach((tp, i) => {
        const o = offsets[i]!;
        if (o < 0) return;
        this.byTimestamp.set(tpKey(tp), o);
        caps.set(tpKey(tp), o);
      });
    }
    return caps;
  }
}
