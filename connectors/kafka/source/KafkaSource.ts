/**
 * The Kafka source (Spark's `KafkaMicroBatchStream`, `format("kafka")`).
 *
 * Invariants:
 * - An offset is Spark's JSON `{"topic":{"0":23}}`: per partition, the next offset to read. `(start, end]` of the
 *   engine is `[start[p], end[p])` of each partition; a partition absent from `start` (new) starts at 0.
 * - Offsets live in weir's write-ahead log only (no consumer group, no offset commit), so re-reading a logged
 *   range returns the same records as long as Kafka keeps them; when it does not, `failOnDataLoss` decides.
 * - The starting offsets of a new query are resolved once and kept in the source's metadata folder
 *   (`initialOffsets.ts`), so a restart before the first commit starts where the first run did.
 *
 * The units it is made of: `options.ts` (parsing), `offsets.ts` (the offset JSON), `startingOffsets.ts`,
 * `endingOffsets.ts`, `initialOffsets.ts`, `admission.ts` (read limits), `offsetRanges.ts` (minPartitions),
 * `readAhead.ts` and `schema.ts` (rows).
 */
import { Observable } from 'rxjs';
import type { Offset, ReadLimit, Row, Source, SourceContext } from '../../../lib/contracts';
import { ErrorCodes, WeirError } from '../../../lib/errors';
import { tpKey, type FetchRangeResult, type KafkaClient, type TopicPartition } from '../client/KafkaClient';
import { openKafkaClient } from '../client/kafkaClientOption';
import { optionsFromMap, redactOptions, redactText, type KafkaRawOptions } from '../client/kafkaOptions';
import { admit } from './admission';
import { EndingOffsets } from './endingOffsets';
import { KafkaInitialOffsets } from './initialOffsets';
import { offsetRanges, type KafkaOffsetRange } from './offsetRanges';
import { offsetFromEntries, offsetsByPartition, type KafkaSourceOffset, type PartitionOffset } from './offsets';
import { KAFKA_SOURCE, parseKafkaSourceOptions, type KafkaSourceConfig, type KafkaSourceOptions } from './options';
import { ReadAhead, fetchWithReadAhead, type RangeFetch } from './readAhead';
import { KAFKA_SOURCE_SCHEMA_DDL, KAFKA_SOURCE_SCHEMA_WITH_HEADERS_DDL, toKafkaRow, type KafkaRow } from './schema';
import { resolveStartingOffsets } from './startingOffsets';

class KafkaMicroBatchSource implements Source<KafkaRow> {
  readonly description: string;
  private client: KafkaClient | undefined;
  /** True when the source made `client` (kafkajs or the option's factory) and so closes it. */
  private ownsClient = false;
  private context: SourceContext | undefined;
  private lastTriggerMillis = 0;
  private availableNowEnd: KafkaSourceOffset | undefined;
  private availableNowPrepared = false;
  private latestSeen: Map<string, number> = new Map();
  private skippedOffsets = 0;
  private readonly ending: EndingOffsets;
  /** The number of read ranges of the last batch that read records (Spark's input partitions). */
  private lastOffsetRanges = 0;
  private readonly readAhead = new ReadAhead();

  constructor(private readonly config: KafkaSourceConfig) {
    const s = config.strategy;
    const inner =
      s.kind === 'subscribe'
        ? `Subscribe[${s.topics.join(',')}]`
        : s.kind === 'subscribePattern'
          ? `SubscribePattern[${s.text}]`
          : `Assign[${s.partitions.map((tp) => `${tp.topic}-${tp.partition}`).join(', ')}]`;
    this.description = `KafkaV2[${inner}]`;
    this.ending = new EndingOffsets(config.end, this.description);
  }

  /** The options with secrets redacted (for explain). */
  get redactedOptions(): Record<string, unknown> {
    return redactOptions(this.config.raw);
  }

  async open(context: SourceContext): Promise<void> {
    this.context = context;
    const { client, owned } = openKafkaClient(this.config.clientOption, this.config.client, KAFKA_SOURCE);
    this.client = client;
    this.ownsClient = owned;
    this.lastTriggerMillis = 0;
    this.availableNowEnd = undefined;
    this.availableNowPrepared = false;
    this.skippedOffsets = 0;
    this.ending.reset();
    this.lastOffsetRanges = 0;
  }

  private get kafka(): KafkaClient {
    if (!this.client) throw new WeirError(ErrorCodes.SOURCE_ERROR, `${this.description} used before open()`, { context: { source: this.description } });
    return this.client;
  }

  private async call<T>(what: string, f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (e) {
      if (e instanceof WeirError) throw e;
      const message = redactText(`${this.description}: ${what} failed: ${(e as Error)?.message ?? String(e)}`, this.config.raw);
      throw new WeirError(ErrorCodes.SOURCE_ERROR, message, {
        cause: e,
        retriable: Boolean((e as { retriable?: boolean })?.retriable),
        context: { source: this.description, options: this.redactedOptions },
      });
    }
  }

  /** The partitions the strategy names now. */
  private async currentPartitions(): Promise<TopicPartition[]> {
    const s = this.config.strategy;
    if (s.kind === 'assign') return s.partitions;
    const topics = s.kind === 'subscribe' ? s.topics : (await this.kafka.listTopics()).filter((t) => s.pattern.test(t));
    return this.kafka.partitions(topics);
  }

  async initialOffset(): Promise<Offset> {
    const resolve = (): Promise<KafkaSourceOffset> =>
      this.call('resolving starting offsets', async () =>
        resolveStartingOffsets(this.kafka, await this.currentPartitions(), this.config, this.description),
      );
    if (!this.context) return resolve();
    return new KafkaInitialOffsets(this.context.metadataPath, this.description).getOrCreate(resolve);
  }

  defaultReadLimit(): ReadLimit {
    const { maxOffsetsPerTrigger: max, minOffsetsPerTrigger: min, maxTriggerDelayMs } = this.config;
    const limits: ReadLimit[] = [];
    if (min !== undefined) limits.push({ kind: 'minRows', minRows: min, maxDelayMs: maxTriggerDelayMs });
    if (max !== undefined) limits.push({ kind: 'maxRows', maxRows: max });
    if (limits.length === 0) return { kind: 'all' };
    return limits.length === 1 ? limits[0]! : { kind: 'composite', limits };
  }

  private dataLoss(message: string, context: Record<string, unknown>, skipped: number): void {
    if (this.config.failOnDataLoss) {
      throw new WeirError(
        ErrorCodes.KAFKA_DATA_LOSS,
        `${message} Some data may have been lost because they are not available in Kafka any more; either the data ` +
          'was aged out by Kafka or the topic may have been deleted before all the data in the topic was processed. ' +
          'If you want your streaming query to continue on such cases, set the source option "failOnDataLoss" to "false".',
        { context: { source: this.description, ...context } },
      );
    }
    this.skippedOffsets += Math.max(0, skipped);
  }

  async latestOffset(startOffset: Offset, limit: ReadLimit): Promise<Offset> {
    const start = offsetsByPartition(startOffset as KafkaSourceOffset);
    const tps = await this.call('listing partitions', () => this.currentPartitions());
    const now = new Set(tps.map(tpKey));
    for (const { tp } of start.values()) {
      if (!now.has(tpKey(tp)) && this.config.strategy.kind !== 'assign') {
        this.dataLoss(`${tp.topic}-${tp.partition} is gone.`, { topic: tp.topic, partition: tp.partition }, 0);
      }
    }
    const latest = await this.call('fetching latest offsets', () => this.kafka.latestOffsets(tps, this.config.isolation));
    const until = new Map<string, number>();
    const from = new Map<string, number>();
    const tpOf = new Map<string, TopicPartition>();
    tps.forEach((tp, i) => {
      const k = tpKey(tp);
      tpOf.set(k, tp);
      until.set(k, latest[i]!);
      // New partitions are read from their beginning (Spark: earliest).
      from.set(k, start.get(k)?.offset ?? 0);
    });
    this.latestSeen = new Map(until);
    for (const [k, end] of until) {
      const begin = from.get(k)!;
      if (end < begin) {
        const tp = tpOf.get(k)!;
        this.dataLoss(
          `Partition ${tp.topic}-${tp.partition}'s offset was changed from ${begin} to ${end}.`,
          { topic: tp.topic, partition: tp.partition, fromOffset: begin, availableFrom: end },
          0,
        );
        // failOnDataLoss=false: keep reading from where the partition is now.
        from.set(k, end);
      }
    }
    // Trigger.AvailableNow and ending*: never pass the fixed end (a cap below the start reads nothing).
    const caps = await this.call('resolving ending offsets', () => this.ending.caps(this.kafka, tps));
    const availableNow = this.availableNowEnd ? offsetsByPartition(this.availableNowEnd) : undefined;
    for (const [k, latestEnd] of until) {
      let end = latestEnd;
      if (availableNow) end = Math.min(end, availableNow.get(k)?.offset ?? from.get(k)!);
      const cap = caps.get(k);
      if (cap !== undefined) end = Math.min(end, cap);
      until.set(k, Math.max(end, from.get(k)!));
    }
    const clock = this.context?.clock;
    const nowMs = clock ? clock.now() : Date.now();
    const limited = admit(limit, from, until, { nowMs, lastTriggerMs: this.lastTriggerMillis, availableNow: this.availableNowPrepared });
    if (limited === 'wait') return startOffset;
    for (const [k, end] of limited) if (end > from.get(k)!) this.lastTriggerMillis = nowMs;
    const entries = [...limited].map(([k, offset]) => ({ tp: tpOf.get(k)!, offset: Math.max(offset, from.get(k)!) }));
    // Keep partitions of an assign strategy that vanished at their start (they cannot move).
    for (const [k, e] of start) if (!limited.has(k) && this.config.strategy.kind === 'assign') entries.push(e);
    return offsetFromEntries(entries);
  }

  read(start: Offset, end: Offset): Observable<KafkaRow> {
    return new Observable<KafkaRow>((subscriber) => {
      let cancelled = false;
      void (async () => {
        const startMap = offsetsByPartition(start as KafkaSourceOffset);
        const ranges: Array<{ tp: TopicPartition; from: number; until: number }> = [];
        for (const { tp, offset: until } of offsetsByPartition(end as KafkaSourceOffset).values()) {
          const from = startMap.get(tpKey(tp))?.offset ?? 0;
          if (from > until) {
            this.dataLoss(
              `Partition ${tp.topic}-${tp.partition}'s offset was changed from ${from} to ${until}.`,
              { topic: tp.topic, partition: tp.partition, fromOffset: from, availableFrom: until },
              0,
            );
            continue;
          }
          if (from < until) ranges.push({ tp, from, until });
        }
        // Read ranges (one per partition, or split by minPartitions) are fetched concurrently and emitted in
        // offset-JSON order, then offset order: a replay yields the same rows in the same order.
        const tasks = offsetRanges(
          ranges.map(({ tp, from, until }) => ({ tp, fromOffset: from, untilOffset: until })),
          this.config.minPartitions,
        );
        if (tasks.length > 0) this.lastOffsetRanges = tasks.length;
        const results = await this.fetchRanges(tasks);
        if (!cancelled) this.startReadAhead(offsetsByPartition(end as KafkaSourceOffset));
        for (let i = 0; i < tasks.length; i += 1) {
          const { tp, fromOffset: from } = tasks[i]!;
          const result = results[i]!;
          if (result.dataLostUntil !== undefined) {
            this.dataLoss(
              `Cannot fetch offset ${from} of ${tp.topic}-${tp.partition}: the earliest available offset is ${result.dataLostUntil}.`,
              { topic: tp.topic, partition: tp.partition, fromOffset: from, availableFrom: result.dataLostUntil },
              result.dataLostUntil - from,
            );
          }
          for (const r of result.records) {
            if (cancelled) return;
            subscriber.next(toKafkaRow(r, this.config.includeHeaders));
          }
        }
        subscriber.complete();
      })().catch((e: unknown) => subscriber.error(e));
      return () => {
        cancelled = true;
      };
    });
  }

  /**
   * Fetches every range concurrently. A partition's read-ahead (which starts where its first range starts) serves
   * the part of its ranges it covers; the rest is fetched.
   */
  private fetchRanges(tasks: readonly KafkaOffsetRange[]): Promise<FetchRangeResult[]> {
    const ahead = this.readAhead.take(tasks);
    const fetch: RangeFetch = (tp, from, until) => this.kafka.fetchRange(tp, from, until, this.config.isolation);
    return Promise.all(
      tasks.map((t) =>
        this.call(`reading ${t.tp.topic}-${t.tp.partition} [${t.fromOffset}, ${t.untilOffset})`, () =>
          fetchWithReadAhead(t, ahead.get(tpKey(t.tp)), fetch),
        ),
      ),
    );
  }

  private startReadAhead(end: ReadonlyMap<string, PartitionOffset>): void {
    const client = this.client;
    if (!client) return;
    const isolation = this.config.isolation;
    this.readAhead.start(end, this.latestSeen, this.config.maxOffsetsPerTrigger, (tp, from, until) => client.fetchRange(tp, from, until, isolation));
  }

  async commit(_end: Offset): Promise<void> {
    // Offsets live in the checkpoint: nothing to tell Kafka.
  }

  async stop(): Promise<void> {
    await this.readAhead.drain();
    const c = this.client;
    this.client = undefined;
    if (this.ownsClient) await c?.close();
  }

  async prepareForTriggerAvailableNow(): Promise<void> {
    this.availableNowPrepared = true;
    const tps = await this.call('listing partitions', () => this.currentPartitions());
    const latest = await this.call('fetching latest offsets', () => this.kafka.latestOffsets(tps, this.config.isolation));
    const caps = await this.call('resolving ending offsets', () => this.ending.caps(this.kafka, tps));
    this.availableNowEnd = offsetFromEntries(
      tps.map((tp, i) => {
        const cap = caps.get(tpKey(tp));
        return { tp, offset: cap === undefined ? latest[i]! : Math.min(latest[i]!, cap) };
      }),
    );
  }

  metrics(latestConsumed: Offset): Record<string, string> {
    const consumed = offsetsByPartition((latestConsumed ?? {}) as KafkaSourceOffset);
    const behind: number[] = [];
    for (const [k, latest] of this.latestSeen) {
      const c = consumed.get(k);
      if (c !== undefined) behind.push(Math.max(0, latest - c.offset));
    }
    const out: Record<string, string> = {};
    if (behind.length > 0) {
      out.minOffsetsBehindLatest = String(Math.min(...behind));
      out.maxOffsetsBehindLatest = String(Math.max(...behind));
      out.avgOffsetsBehindLatest = String(behind.reduce((a, b) => a + b, 0) / behind.length);
    }
    out.dataLossSkippedOffsets = String(this.skippedOffsets);
    if (this.lastOffsetRanges > 0) out.offsetRanges = String(this.lastOffsetRanges);
    return out;
  }
}

/**
 * The Kafka source: Spark's `readStream.format("kafka")` for the RxJS face.
 *
 * - Exactly one of `subscribe`, `subscribePattern`, `assign`; `kafka.bootstrap.servers` is required unless a
 *   `client` object is given.
 * - `client` (weir's extension): a `KafkaClient` (e.g. `MemoryKafkaClient` from `weir-streams/testing`) or a
 *   factory `(config) => KafkaClient`; default kafkajs, loaded when the source opens. Never printed.
 * - Starting position (new queries only; a restart resumes from the checkpoint): `startingTimestamp` >
 *   `startingOffsetsByTimestamp` > `startingOffsets` (`latest` by default); partitions that appear later start at 0.
 * - `maxOffsetsPerTrigger`, `minOffsetsPerTrigger` + `maxTriggerDelay` limit batches as Spark does.
 * - Ending position (Spark's batch-only options; in weir caps of any query): `endingTimestamp` >
 *   `endingOffsetsByTimestamp` > `endingOffsets`; the source never reads at or past it.
 * - `minPartitions`: a batch's partition ranges are split into about that many ranges (Spark's
 *   KafkaOffsetRangeCalculator), fetched concurrently; rows keep their order. Progress metric `offsetRanges`.
 * - `kafka.group.id` (with Spark's warning) and `groupIdPrefix` are accepted; no consumer group is ever used.
 * - `failOnDataLoss` (true): `KAFKA_DATA_LOSS` when records a batch needs are gone; false: skipped offsets are
 *   counted in progress `sources[i].metrics.dataLossSkippedOffsets`.
 * - `kafka.isolation.level=read_committed` reads only committed transactions (offsets end at the last stable offset).
 * - Secrets in `kafka.*` options (password, jaas, token, secret, key) are redacted from errors and descriptions.
 *
 * @throws WeirError `MISSING_OPTION` / `INVALID_ARGUMENT` for bad options, at construction.
 *
 * @example
 * ```ts
 * import { kafka } from 'weir-streams/sources';
 * const source = kafka({ 'kafka.bootstrap.servers': '127.0.0.1:9092', subscribe: 'events', startingOffsets: 'earliest' });
 * ```
 */
export function kafka(options: KafkaSourceOptions): Source<KafkaRow> {
  return new KafkaMicroBatchSource(parseKafkaSourceOptions(options as Readonly<Record<string, unknown>>));
}

/**
 * The DataFrame face's hook: a Kafka source and its schema (DDL) from `readStream.format('kafka')` options.
 *
 * @example
 * ```ts
 * const { source, schema } = kafkaSourceFromOptions(new Map([['kafka.bootstrap.servers', 'h:9092'], ['subscribe', 't']]));
 * ```
 */
export function kafkaSourceFromOptions(options: ReadonlyMap<string, string> | KafkaRawOptions | KafkaSourceOptions): {
  source: Source<Row>;
  schema: string;
} {
  const config = parseKafkaSourceOptions(options instanceof Map ? optionsFromMap(options) : (options as Readonly<Record<string, unknown>>));
  return {
    // Rows are KafkaRow objects; the DataFrame face handles them as plain rows.
    source: new KafkaMicroBatchSource(config) as unknown as Source<Row>,
    schema: config.includeHeaders ? KAFKA_SOURCE_SCHEMA_WITH_HEADERS_DDL : KAFKA_SOURCE_SCHEMA_DDL,
  };
}
