/**
 * The Kafka source (Spark's `KafkaMicroBatchStream`, `format("kafka")`).
 *
 * Invariants:
 * - An offset is Spark's JSON `{"topic":{"0":23}}`: per partition, the next offset to read. `(start, end]` of the
 *   engine is `[start[p], end[p])` of each partition; a partition absent from `start` (new) starts at 0.
 * - Offsets live in weir's write-ahead log only (no consumer group, no offset commit), so re-reading a logged
 *   range returns the same records as long as Kafka keeps them; when it does not, `failOnDataLoss` decides.
 * - The starting offsets of a new query are resolved once and kept in `<checkpoint>/sources/<i>/initialOffsets`,
 *   so a restart before the first commit starts where the first run did.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { Observable } from 'rxjs';
import type { Offset, ReadLimit, Row, Source, SourceContext } from '../../lib/contracts';
import { ErrorCodes, WeirError } from '../../lib/errors';
import type { FetchRangeResult, IsolationLevel, KafkaClient, KafkaRecord, TopicPartition } from '../../lib/kafka/KafkaClient';
import { tpKey } from '../../lib/kafka/KafkaClient';
import { openKafkaClient, splitClientOption, type KafkaClientOption } from '../../lib/kafka/kafkaClientOption';
import { offsetRanges, type KafkaOffsetRange } from './offsetRanges';
import type { KafkaClientConfig } from '../../lib/kafka/KafkaClient';
import {
  OptionReader,
  clientConfigFromOptions,
  isolationFromOptions,
  kafkaParams,
  optionsFromMap,
  redactOptions,
  redactText,
  type KafkaRawOptions,
} from '../../lib/kafka/kafkaOptions';

/** Spark's offset JSON: topic → partition (as a string) → next offset. */
export type KafkaSourceOffset = Record<string, Record<string, number>>;

/** A row of the Kafka source (Spark's schema; `headers` only with `includeHeaders`). */
export interface KafkaRow {
  key: Buffer | null;
  value: Buffer | null;
  topic: string;
  partition: number;
  offset: number;
  timestamp: Date;
  timestampType: number;
  headers?: Array<{ key: string; value: Buffer | null }>;
}

/**
 * Options of {@link kafka}: Spark's option names (case-insensitive) and `kafka.*` client settings.
 *
 * @example
 * ```ts
 * const options: KafkaSourceOptions = { 'kafka.bootstrap.servers': '127.0.0.1:9092', subscribe: 'events' };
 * ```
 */
export interface KafkaSourceOptions {
  /** `host:port[,host:port]`; required unless `client` is a client object. */
  'kafka.bootstrap.servers'?: string;
  /**
   * weir's extension: the Kafka client to read with (e.g. `MemoryKafkaClient` in tests), or a factory making one
   * from the `kafka.*` settings. Default: kafkajs. A client object is not closed by the source; a factory's is.
   * Never printed (descriptions, explain, errors).
   */
  client?: KafkaClientOption;
  /** Comma-separated topics. Exactly one of subscribe, subscribePattern, assign. */
  subscribe?: string;
  /** A Java-style regex matched against whole topic names. */
  subscribePattern?: string;
  /** JSON `{"topicA":[0,1]}` (text or object). */
  assign?: string | Record<string, number[]>;
  /** `earliest`, `latest` (default) or JSON `{"t":{"0":23,"1":-2}}` with -2 = earliest, -1 = latest. */
  startingOffsets?: string | Record<string, Record<string, number>>;
  /** JSON `{"t":{"0":1700000000000}}`: per partition, the first offset with a timestamp >= the given ms. */
  startingOffsetsByTimestamp?: string | Record<string, Record<string, number>>;
  /** One timestamp (ms) for every partition; wins over the other starting options. */
  startingTimestamp?: string | number;
  /** `error` (default) or `latest`: what to do when no offset matches a timestamp. */
  startingOffsetsByTimestampStrategy?: 'error' | 'latest';
  /** `latest` (default) or JSON like startingOffsets (-1 only): the source never reads past it. */
  endingOffsets?: string | Record<string, Record<string, number>>;
  /** JSON `{"t":{"0":1700000000000}}`: per partition, never read records at or after the first with a timestamp >= ms. */
  endingOffsetsByTimestamp?: string | Record<string, Record<string, number>>;
  /** One ending timestamp (ms) for every partition; wins over the other ending options. */
  endingTimestamp?: string | number;
  /** Split a batch's topic-partition ranges into about this many read ranges, fetched concurrently (Spark's tasks). */
  minPartitions?: string | number;
  /** Accepted for Spark compatibility (default `spark-kafka-source`); weir joins no consumer group. */
  groupIdPrefix?: string;
  /** Max records (offsets) per micro-batch, split across partitions in proportion to their backlog. */
  maxOffsetsPerTrigger?: string | number;
  /** Min records per micro-batch; a batch waits for them unless `maxTriggerDelay` passed since the last one. */
  minOffsetsPerTrigger?: string | number;
  /** Default `15m`. */
  maxTriggerDelay?: string | number;
  /** Default true: missing records fail the query with `KAFKA_DATA_LOSS`; false skips and counts them. */
  failOnDataLoss?: string | boolean;
  /** Default false: adds the `headers` column. */
  includeHeaders?: string | boolean;
  [kafkaSetting: `kafka.${string}`]: string | undefined;
}

/** Spark's schema of the Kafka source, as DDL. */
export const KAFKA_SOURCE_SCHEMA_DDL =
  'key BINARY, value BINARY, topic STRING, partition INT, offset BIGINT, timestamp TIMESTAMP, timestampType INT';
/** The same with `includeHeaders`. */
export const KAFKA_SOURCE_SCHEMA_WITH_HEADERS_DDL = `${KAFKA_SOURCE_SCHEMA_DDL}, headers ARRAY<STRUCT<key: STRING, value: BINARY>>`;

type Strategy =
  | { kind: 'subscribe'; topics: string[] }
  | { kind: 'subscribePattern'; pattern: RegExp; text: string }
  | { kind: 'assign'; partitions: TopicPartition[] };

type StartSpec =
  | { kind: 'earliest' }
  | { kind: 'latest' }
  | { kind: 'offsets'; offsets: KafkaSourceOffset }
  | { kind: 'timestamps'; timestamps: KafkaSourceOffset }
  | { kind: 'timestamp'; timestampMs: number };

type EndSpec =
  | { kind: 'offsets'; offsets: KafkaSourceOffset }
  | { kind: 'timestamps'; timestamps: KafkaSourceOffset }
  | { kind: 'timestamp'; timestampMs: number };

/** Spark's warning (`CUSTOM_GROUP_ID_ERROR_MESSAGE`) when `kafka.group.id` is set, plus what it means in weir. */
export const CUSTOM_GROUP_ID_WARNING =
  "Kafka option 'kafka.group.id' has been set on this query, it is not recommended to set this option. This option " +
  'is unsafe to use since multiple concurrent queries or sources using the same group id will interfere with each ' +
  'other as they are part of the same consumer group. (weir: its Kafka source reads by assigned partition and never ' +
  'joins or commits to a consumer group, so the group id is accepted and not used.)';

/** Kafka settings Spark rejects, with Spark's hint. */
const UNSUPPORTED_PARAMS: Record<string, string> = {
  'auto.offset.reset':
    "Kafka option 'auto.offset.reset' is not supported. Instead set the source option 'startingOffsets' to 'earliest' or 'latest' to specify where to start.",
  'key.deserializer': "Kafka option 'key.deserializer' is not supported as keys are deserialized as byte arrays with ByteArrayDeserializer.",
  'value.deserializer':
    "Kafka option 'value.deserializer' is not supported as values are deserialized as byte arrays with ByteArrayDeserializer.",
  'enable.auto.commit': "Kafka option 'enable.auto.commit' is not supported as offsets are tracked in the checkpoint.",
  'interceptor.classes': "Kafka option 'interceptor.classes' is not supported as interceptors are not supported.",
};

/** The parsed, validated configuration of a Kafka source. */
interface KafkaSourceConfig {
  /** The options without `client`: what descriptions and errors may show (redacted). */
  readonly raw: KafkaRawOptions;
  readonly client: KafkaClientConfig;
  readonly clientOption: KafkaClientOption | undefined;
  readonly isolation: IsolationLevel;
  readonly strategy: Strategy;
  readonly start: StartSpec;
  readonly timestampStrategy: 'error' | 'latest';
  readonly end: EndSpec | undefined;
  readonly minPartitions: number | undefined;
  readonly maxOffsetsPerTrigger: number | undefined;
  readonly minOffsetsPerTrigger: number | undefined;
  readonly maxTriggerDelayMs: number;
  readonly failOnDataLoss: boolean;
  readonly includeHeaders: boolean;
}

const WHAT = 'kafka source';
/** The most records one partition's read-ahead holds. */
const PREFETCH_MAX_RECORDS = 100_000;

function parseOffsetJson(reader: OptionReader, name: string): KafkaSourceOffset {
  const obj = reader.json(name)!;
  const out: KafkaSourceOffset = {};
  for (const [topic, parts] of Object.entries(obj)) {
    if (!parts || typeof parts !== 'object' || Array.isArray(parts)) {
      throw reader.invalid(name, obj, 'must map each topic to {"partition": offset}');
    }
    out[topic] = {};
    for (const [p, o] of Object.entries(parts as Record<string, unknown>)) {
      const n = Number(o);
      if (!/^\d+$/.test(p) || !Number.isSafeInteger(n)) {
        throw reader.invalid(name, obj, `has a bad entry ${topic}/${p}: ${JSON.stringify(o)}`);
      }
      out[topic][p] = n;
    }
  }
  return out;
}

/** A `startingTimestamp`/`endingTimestamp` value: ms since the epoch (Spark: a single long value). */
function timestampOption(reader: OptionReader, name: string): number {
  const v = reader.get(name);
  const ts = Number(String(v).trim());
  if (String(v).trim() === '' || !Number.isSafeInteger(ts) || ts < 0) throw reader.invalid(name, v, 'must be a single long value (ms since the epoch)');
  return ts;
}

/**
 * Spark's `checkOffsetLimitValidity`: specific starting and ending offsets (or timestamps) must name the same
 * topic-partitions, and no start may be after its end (-1/-2 are not compared).
 */
function checkOffsetLimitValidity(reader: OptionReader, start: StartSpec, end: EndSpec | undefined): void {
  let pair: { starts: KafkaSourceOffset; ends: KafkaSourceOffset; what: string } | undefined;
  if (start.kind === 'offsets' && end?.kind === 'offsets') pair = { starts: start.offsets, ends: end.offsets, what: 'offset' };
  if (start.kind === 'timestamps' && end?.kind === 'timestamps') pair = { starts: start.timestamps, ends: end.timestamps, what: 'timestamp' };
  if (!pair) return;
  const s = toMap(pair.starts);
  const e = toMap(pair.ends);
  const names = (m: Map<string, { tp: TopicPartition }>): string =>
    [...m.values()].map(({ tp }) => `${tp.topic}-${tp.partition}`).sort().join(', ');
  const option = pair.what === 'offset' ? 'endingOffsets' : 'endingOffsetsByTimestamp';
  if (names(s) !== names(e)) {
    throw reader.invalid(option, reader.get(option), `must name the same topic-partitions as the starting ${pair.what}s (start: ${names(s)}; end: ${names(e)})`);
  }
  for (const [k, { tp, offset: from }] of s) {
    const until = e.get(k)!.offset;
    if (from > until && from >= 0 && until >= 0) {
      throw reader.invalid(option, reader.get(option), `has ${tp.topic}-${tp.partition} ending at ${until}, before its starting ${pair.what} ${from}`);
    }
  }
}

function parseConfig(options: Readonly<Record<string, unknown>>): KafkaSourceConfig {
  const { raw, client: clientOption } = splitClientOption(options, WHAT);
  const reader = new OptionReader(raw, WHAT);
  const params = kafkaParams(raw);
  for (const [param, message] of Object.entries(UNSUPPORTED_PARAMS)) {
    if (params.has(param)) {
      throw new WeirError(ErrorCodes.INVALID_ARGUMENT, message, { context: { option: `kafka.${param}`, source: WHAT } });
    }
  }
  const client = clientConfigFromOptions(raw, WHAT, clientOption !== undefined && typeof clientOption !== 'function');
  const given = ['subscribe', 'subscribePattern', 'assign'].filter((k) => reader.has(k));
  if (given.length !== 1) {
    throw new WeirError(
      given.length === 0 ? ErrorCodes.MISSING_OPTION : ErrorCodes.INVALID_ARGUMENT,
      given.length === 0
        ? "One of the following options must be specified for Kafka source: subscribe, subscribePattern, assign. See the docs for more details."
        : `Only one of the following options can be specified for Kafka source: subscribe, subscribePattern, assign (got ${given.join(', ')})`,
      { context: { source: WHAT, option: 'subscribe' } },
    );
  }
  let strategy: Strategy;
  if (given[0] === 'subscribe') {
    const topics = reader.string('subscribe')!.split(',').map((t) => t.trim()).filter((t) => t.length > 0);
    if (topics.length === 0) throw reader.invalid('subscribe', reader.get('subscribe'), 'must name at least one topic');
    strategy = { kind: 'subscribe', topics: [...new Set(topics)].sort() };
  } else if (given[0] === 'subscribePattern') {
    const text = reader.string('subscribePattern')!.trim();
    let pattern: RegExp;
    try {
      pattern = new RegExp(`^(?:${text})$`);
    } catch (e) {
      throw reader.invalid('subscribePattern', text, 'must be a valid regular expression', e);
    }
    if (text === '') throw reader.invalid('subscribePattern', text, 'must not be empty');
    strategy = { kind: 'subscribePattern', pattern, text };
  } else {
    const obj = reader.json('assign')!;
    const partitions: TopicPartition[] = [];
    for (const [topic, ps] of Object.entries(obj)) {
      if (!Array.isArray(ps) || ps.some((p) => !Number.isSafeInteger(p) || (p as number) < 0)) {
        throw reader.invalid('assign', obj, 'must be JSON like {"topicA":[0,1],"topicB":[2,4]}');
      }
      for (const p of ps as number[]) partitions.push({ topic, partition: p });
    }
    if (partitions.length === 0) throw reader.invalid('assign', obj, 'must assign at least one partition');
    strategy = { kind: 'assign', partitions: sortTps(partitions) };
  }

  let start: StartSpec = { kind: 'latest' };
  if (reader.has('startingTimestamp')) {
    start = { kind: 'timestamp', timestampMs: timestampOption(reader, 'startingTimestamp') };
  } else if (reader.has('startingOffsetsByTimestamp')) {
    start = { kind: 'timestamps', timestamps: parseOffsetJson(reader, 'startingOffsetsByTimestamp') };
  } else if (reader.has('startingOffsets')) {
    const v = reader.get('startingOffsets');
    const s = typeof v === 'string' ? v.trim().toLowerCase() : '';
    if (s === 'earliest') start = { kind: 'earliest' };
    else if (s === 'latest') start = { kind: 'latest' };
    else start = { kind: 'offsets', offsets: parseOffsetJson(reader, 'startingOffsets') };
  }
  const strategyOpt = (reader.string('startingOffsetsByTimestampStrategy') ?? 'error').toLowerCase();
  if (strategyOpt !== 'error' && strategyOpt !== 'latest') {
    throw reader.invalid('startingOffsetsByTimestampStrategy', strategyOpt, "must be 'error' or 'latest'");
  }
  // Spark's getKafkaOffsetRangeLimit order: endingTimestamp > endingOffsetsByTimestamp > endingOffsets.
  let end: EndSpec | undefined;
  if (reader.has('endingTimestamp')) {
    end = { kind: 'timestamp', timestampMs: timestampOption(reader, 'endingTimestamp') };
  } else if (reader.has('endingOffsetsByTimestamp')) {
    end = { kind: 'timestamps', timestamps: parseOffsetJson(reader, 'endingOffsetsByTimestamp') };
  } else if (reader.has('endingOffsets')) {
    const v = reader.get('endingOffsets');
    if (typeof v === 'string' && v.trim().toLowerCase() === 'earliest') {
      throw reader.invalid('endingOffsets', v, "cannot be 'earliest' (Spark: ending offset can't be earliest for batch queries on Kafka)");
    }
    if (!(typeof v === 'string' && v.trim().toLowerCase() === 'latest')) {
      const ending = parseOffsetJson(reader, 'endingOffsets');
      for (const [t, ps] of Object.entries(ending)) {
        for (const [p, o] of Object.entries(ps)) {
          if (o === -2) throw reader.invalid('endingOffsets', v, `cannot use -2 (earliest) for ${t}/${p}`);
        }
      }
      end = { kind: 'offsets', offsets: ending };
    }
  }
  checkOffsetLimitValidity(reader, start, end);
  const minPartitions = reader.positiveInt('minPartitions');
  // groupIdPrefix and kafka.group.id name the consumer group Spark's consumers carry; weir's reads use none, so
  // both are accepted and unused. Spark logs these warnings at validation (validateGeneralOptions).
  if (params.has('group.id')) {
    console.warn(CUSTOM_GROUP_ID_WARNING);
    if (reader.has('groupIdPrefix')) console.warn('Option groupIdPrefix will be ignored as option kafka.group.id has been set.');
  }
  const maxOffsetsPerTrigger = reader.positiveInt('maxOffsetsPerTrigger');
  const minOffsetsPerTrigger = reader.positiveInt('minOffsetsPerTrigger');
  if (maxOffsetsPerTrigger !== undefined && minOffsetsPerTrigger !== undefined && minOffsetsPerTrigger > maxOffsetsPerTrigger) {
    throw reader.invalid('minOffsetsPerTrigger', minOffsetsPerTrigger, `must be <= maxOffsetsPerTrigger (${maxOffsetsPerTrigger})`);
  }
  return {
    raw,
    client,
    clientOption,
    isolation: isolationFromOptions(raw, WHAT),
    strategy,
    start,
    timestampStrategy: strategyOpt,
    end,
    minPartitions,
    maxOffsetsPerTrigger,
    minOffsetsPerTrigger,
    maxTriggerDelayMs: reader.durationMs('maxTriggerDelay', 15 * 60_000),
    failOnDataLoss: reader.boolean('failOnDataLoss', true),
    includeHeaders: reader.boolean('includeHeaders', false),
  };
}

function sortTps(tps: TopicPartition[]): TopicPartition[] {
  return tps.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
}

function toMap(offset: KafkaSourceOffset): Map<string, { tp: TopicPartition; offset: number }> {
  const m = new Map<string, { tp: TopicPartition; offset: number }>();
  for (const [topic, parts] of Object.entries(offset)) {
    for (const [p, o] of Object.entries(parts)) {
      const tp = { topic, partition: Number(p) };
      m.set(tpKey(tp), { tp, offset: o });
    }
  }
  return m;
}

function fromEntries(entries: Iterable<{ tp: TopicPartition; offset: number }>): KafkaSourceOffset {
  const list = sortTps([...entries].map((e) => ({ ...e.tp, offset: e.offset })) as (TopicPartition & { offset: number })[]) as (TopicPartition & {
    offset: number;
  })[];
  const out: KafkaSourceOffset = {};
  for (const e of list) (out[e.topic] ??= {})[String(e.partition)] = e.offset;
  return out;
}

/**
 * Spark's `KafkaMicroBatchStream.rateLimit`: `limit` offsets split across partitions in proportion to their
 * backlog; a partition whose share is below 1 still gets 1 (ceil), others floor. Exported for tests.
 */
export function rateLimit(
  limit: number,
  from: ReadonlyMap<string, number>,
  until: ReadonlyMap<string, number>,
): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const [k, end] of until) {
    const begin = from.get(k);
    if (begin !== undefined && end - begin > 0) sizes.set(k, end - begin);
  }
  let total = 0;
  for (const s of sizes.values()) total += s;
  if (total < 1) return new Map(until);
  const out = new Map<string, number>();
  for (const [k, end] of until) {
    const size = sizes.get(k);
    if (size === undefined) {
      out.set(k, end);
      continue;
    }
    const begin = from.get(k)!;
    const prorate = limit * (size / total);
    const prorateLong = prorate < 1 ? Math.ceil(prorate) : Math.floor(prorate);
    out.set(k, Math.min(end, begin + prorateLong));
  }
  return out;
}

/** A read-ahead fetch of `[from, until)` of one partition (undefined result = it failed). */
interface Prefetch {
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
  /** Ending offsets resolved from endingTimestamp / endingOffsetsByTimestamp (tpKey → offset); they never change. */
  private readonly endByTimestamp = new Map<string, number>();
  /** The number of read ranges of the last batch that read records (Spark's input partitions). */
  private lastOffsetRanges = 0;
  /**
   * Read-ahead: after a batch is read, the next range of each partition (up to the latest offsets seen, at most
   * PREFETCH_MAX_RECORDS) is fetched in the background while the engine runs the batch. Records at an offset
   * below the latest offset never change, so a prefetched range is the same as a fresh fetch of it.
   */
  private prefetched = new Map<string, Prefetch>();

  constructor(private readonly config: KafkaSourceConfig) {
    const s = config.strategy;
    const inner =
      s.kind === 'subscribe'
        ? `Subscribe[${s.topics.join(',')}]`
        : s.kind === 'subscribePattern'
          ? `SubscribePattern[${s.text}]`
          : `Assign[${s.partitions.map((tp) => `${tp.topic}-${tp.partition}`).join(', ')}]`;
    this.description = `KafkaV2[${inner}]`;
  }

  /** The options with secrets redacted (for explain). */
  get redactedOptions(): Record<string, unknown> {
    return redactOptions(this.config.raw);
  }

  async open(context: SourceContext): Promise<void> {
    this.context = context;
    const { client, owned } = openKafkaClient(this.config.clientOption, this.config.client, WHAT);
    this.client = client;
    this.ownsClient = owned;
    this.lastTriggerMillis = 0;
    this.availableNowEnd = undefined;
    this.availableNowPrepared = false;
    this.skippedOffsets = 0;
    this.endByTimestamp.clear();
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
    const file = this.context ? path.join(this.context.metadataPath, 'initialOffsets') : undefined;
    if (file) {
      const text = await fs.readFile(file, 'utf8').catch(() => undefined);
      if (text !== undefined) {
        try {
          return JSON.parse(text) as KafkaSourceOffset;
        } catch (e) {
          throw new WeirError(ErrorCodes.CHECKPOINT_CORRUPT, `${this.description}: ${file} does not parse`, { cause: e, context: { path: file } });
        }
      }
    }
    const offsets = await this.call('resolving starting offsets', () => this.resolveStart());
    if (file) {
      await fs.mkdir(path.dirname(file), { recursive: true });
      const tmp = `${file}.tmp`;
      const handle = await fs.open(tmp, 'w');
      await handle.writeFile(JSON.stringify(offsets));
      await handle.sync();
      await handle.close();
      await fs.rename(tmp, file);
    }
    return offsets;
  }

  private async resolveStart(): Promise<KafkaSourceOffset> {
    const tps = await this.currentPartitions();
    const start = this.config.start;
    if (start.kind === 'earliest' || start.kind === 'latest') {
      const offs =
        start.kind === 'earliest' ? await this.kafka.earliestOffsets(tps) : await this.kafka.latestOffsets(tps, this.config.isolation);
      return fromEntries(tps.map((tp, i) => ({ tp, offset: offs[i]! })));
    }
    if (start.kind === 'offsets') {
      const given = toMap(start.offsets);
      const have = new Set(tps.map(tpKey));
      const missing = tps.filter((tp) => !given.has(tpKey(tp)));
      const extra = [...given.values()].filter((g) => !have.has(tpKey(g.tp)));
      if (missing.length > 0 || extra.length > 0) {
        throw new WeirError(
          ErrorCodes.INVALID_ARGUMENT,
          'If startingOffsets contains specific offsets, you must specify all TopicPartitions.\n' +
            `Use -1 for latest, -2 for earliest.\nSpecified: ${[...given.values()].map((g) => `${g.tp.topic}-${g.tp.partition}`).join(', ')} ` +
            `Assigned: ${tps.map((tp) => `${tp.topic}-${tp.partition}`).join(', ')}`,
          { context: { source: this.description, option: 'startingOffsets' } },
        );
      }
      const earliest = await this.kafka.earliestOffsets(tps);
      const latest = await this.kafka.latestOffsets(tps, this.config.isolation);
      return fromEntries(
        tps.map((tp, i) => {
          const o = given.get(tpKey(tp))!.offset;
          return { tp, offset: o === -2 ? earliest[i]! : o === -1 ? latest[i]! : o };
        }),
      );
    }
    const latest = await this.kafka.latestOffsets(tps, this.config.isolation);
    const out: Array<{ tp: TopicPartition; offset: number }> = [];
    const byTs = start.kind === 'timestamps' ? toMap(start.timestamps) : undefined;
    for (let i = 0; i < tps.length; i += 1) {
      const tp = tps[i]!;
      const ts = start.kind === 'timestamp' ? start.timestampMs : byTs!.get(tpKey(tp))?.offset;
      if (ts === undefined) {
        throw new WeirError(
          ErrorCodes.INVALID_ARGUMENT,
          `startingOffsetsByTimestamp must give a timestamp for every partition; ${tp.topic}-${tp.partition} has none`,
          { context: { source: this.description, option: 'startingOffsetsByTimestamp', topic: tp.topic, partition: tp.partition } },
        );
      }
      const [o] = await this.kafka.offsetsForTimestamp([tp], ts);
      if (o === undefined || o < 0) {
        if (this.config.timestampStrategy === 'latest') {
          out.push({ tp, offset: latest[i]! });
          continue;
        }
        throw new WeirError(
          ErrorCodes.KAFKA_OFFSET_NOT_FOUND,
          `No offset matched from request of topic-partition ${tp.topic}-${tp.partition} and timestamp ${ts}.`,
          { context: { source: this.description, topic: tp.topic, partition: tp.partition, timestamp: ts } },
        );
      }
      out.push({ tp, offset: o });
    }
    return fromEntries(out);
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
    const start = toMap(startOffset as KafkaSourceOffset);
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
    const caps = await this.call('resolving ending offsets', () => this.endCaps(tps));
    const availableNow = this.availableNowEnd ? toMap(this.availableNowEnd) : undefined;
    for (const [k, latestEnd] of until) {
      let end = latestEnd;
      if (availableNow) end = Math.min(end, availableNow.get(k)?.offset ?? from.get(k)!);
      const cap = caps.get(k);
      if (cap !== undefined) end = Math.min(end, cap);
      until.set(k, Math.max(end, from.get(k)!));
    }
    const limited = this.applyLimit(limit, from, until);
    if (limited === 'wait') return startOffset;
    const entries = [...limited].map(([k, offset]) => ({ tp: tpOf.get(k)!, offset: Math.max(offset, from.get(k)!) }));
    // Keep partitions of an assign strategy that vanished at their start (they cannot move).
    for (const [k, e] of start) if (!limited.has(k) && this.config.strategy.kind === 'assign') entries.push(e);
    return fromEntries(entries);
  }

  /**
   * Per partition (tpKey), the offset `endingTimestamp` / `endingOffsetsByTimestamp` / `endingOffsets` never lets
   * the source pass; absent = no cap. A timestamp resolves to the first offset whose timestamp is >= it (Spark's
   * offsetsForTimes); when no record matches yet the partition is read up to its latest offset (Spark: "the offset
   * will be set to latest"), and a found offset is kept, so caps never move back.
   */
  private async endCaps(tps: readonly TopicPartition[]): Promise<Map<string, number>> {
    const end = this.config.end;
    const caps = new Map<string, number>();
    if (!end) return caps;
    if (end.kind === 'offsets') {
      for (const [k, { offset }] of toMap(end.offsets)) if (offset >= 0) caps.set(k, offset);
      return caps;
    }
    const byTs = end.kind === 'timestamps' ? toMap(end.timestamps) : undefined;
    const ask = new Map<number, TopicPartition[]>();
    for (const tp of tps) {
      const k = tpKey(tp);
      const known = this.endByTimestamp.get(k);
      if (known !== undefined) {
        caps.set(k, known);
        continue;
      }
      const ts = end.kind === 'timestamp' ? end.timestampMs : byTs!.get(k)?.offset;
      if (ts === undefined) {
        throw new WeirError(
          ErrorCodes.INVALID_ARGUMENT,
          `endingOffsetsByTimestamp must give a timestamp for every partition; ${tp.topic}-${tp.partition} has none`,
          { context: { source: this.description, option: 'endingOffsetsByTimestamp', topic: tp.topic, partition: tp.partition } },
        );
      }
      let list = ask.get(ts);
      if (!list) ask.set(ts, (list = []));
      list.push(tp);
    }
    for (const [ts, list] of ask) {
      const offsets = await this.kafka.offsetsForTimestamp(list, ts);
      list.forEach((tp, i) => {
        const o = offsets[i]!;
        if (o < 0) return;
        this.endByTimestamp.set(tpKey(tp), o);
        caps.set(tpKey(tp), o);
      });
    }
    return caps;
  }

  private applyLimit(limit: ReadLimit, from: Map<string, number>, until: Map<string, number>): Map<string, number> | 'wait' {
    const limits = limit.kind === 'composite' ? limit.limits : [limit];
    const min = limits.find((l) => l.kind === 'minRows') as Extract<ReadLimit, { kind: 'minRows' }> | undefined;
    const max = limits.find((l) => l.kind === 'maxRows') as Extract<ReadLimit, { kind: 'maxRows' }> | undefined;
    const clock = this.context?.clock;
    const nowMs = clock ? clock.now() : Date.now();
    if (min && !this.availableNowPrepared) {
      let newRecords = 0;
      for (const [k, end] of until) newRecords += Math.max(0, end - from.get(k)!);
      if (nowMs - this.lastTriggerMillis < min.maxDelayMs && newRecords < min.minRows) return 'wait';
    }
    let result = new Map(until);
    // Trigger.AvailableNow keeps maxOffsetsPerTrigger (several batches up to the fixed end) and drops the wait.
    if (max) result = rateLimit(max.maxRows, from, until);
    let any = false;
    for (const [k, end] of result) if (end > from.get(k)!) any = true;
    if (any) this.lastTriggerMillis = nowMs;
    return result;
  }

  read(start: Offset, end: Offset): Observable<KafkaRow> {
    return new Observable<KafkaRow>((subscriber) => {
      let cancelled = false;
      void (async () => {
        const startMap = toMap(start as KafkaSourceOffset);
        const ranges: Array<{ tp: TopicPartition; from: number; until: number }> = [];
        for (const { tp, offset: until } of toMap(end as KafkaSourceOffset).values()) {
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
        if (!cancelled) this.startReadAhead(toMap(end as KafkaSourceOffset));
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
            subscriber.next(this.toRow(r));
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
    const ahead = new Map<string, Prefetch>();
    for (const t of tasks) {
      const k = tpKey(t.tp);
      const p = this.prefetched.get(k);
      this.prefetched.delete(k);
      if (p && p.from === t.fromOffset) ahead.set(k, p);
    }
    return Promise.all(
      tasks.map((t) =>
        this.call(`reading ${t.tp.topic}-${t.tp.partition} [${t.fromOffset}, ${t.untilOffset})`, () =>
          this.fetchRange(t, ahead.get(tpKey(t.tp))),
        ),
      ),
    );
  }

  /** One range, from the read-ahead where it covers the range. */
  private async fetchRange(t: KafkaOffsetRange, ahead: Prefetch | undefined): Promise<FetchRangeResult> {
    const { tp, fromOffset: from, untilOffset: until } = t;
    const got = ahead && from >= ahead.from && from < ahead.until ? await ahead.result : undefined;
    if (!ahead || !got) return this.kafka.fetchRange(tp, from, until, this.config.isolation);
    const covered = Math.min(ahead.until, until);
    const records = got.records.slice(lowerBound(got.records, from), lowerBound(got.records, covered));
    let lost = got.dataLostUntil !== undefined && got.dataLostUntil > from ? Math.min(got.dataLostUntil, until) : undefined;
    if (covered < until) {
      const rest = await this.kafka.fetchRange(tp, covered, until, this.config.isolation);
      for (const r of rest.records) records.push(r);
      lost ??= rest.dataLostUntil;
    }
    return lost === undefined ? { records } : { records, dataLostUntil: lost };
  }

  private startReadAhead(end: Map<string, { tp: TopicPartition; offset: number }>): void {
    const client = this.client;
    if (!client) return;
    const fromMap = new Map<string, number>();
    const latestMap = new Map<string, number>();
    for (const [k, { offset }] of end) {
      const latest = this.latestSeen.get(k);
      if (latest === undefined || latest <= offset) continue;
      fromMap.set(k, offset);
      latestMap.set(k, Math.min(latest, offset + PREFETCH_MAX_RECORDS));
    }
    // The next batch's likely range: the same split maxOffsetsPerTrigger will make.
    const max = this.config.maxOffsetsPerTrigger;
    const next = max === undefined ? latestMap : rateLimit(max, fromMap, latestMap);
    for (const [k, until] of next) {
      const { tp } = end.get(k)!;
      const from = fromMap.get(k)!;
      if (until <= from) continue;
      // A failed read-ahead is dropped: the batch then fetches the range itself and reports the error.
      const result = client.fetchRange(tp, from, until, this.config.isolation).catch(() => undefined);
      this.prefetched.set(k, { from, until, result });
    }
  }

  private toRow(r: KafkaRecord): KafkaRow {
    const row: KafkaRow = {
      key: r.key,
      value: r.value,
      topic: r.topic,
      partition: r.partition,
      offset: r.offset,
      timestamp: new Date(r.timestamp),
      timestampType: r.timestampType,
    };
    if (this.config.includeHeaders) row.headers = r.headers.map((h) => ({ key: h.key, value: h.value }));
    return row;
  }

  async commit(_end: Offset): Promise<void> {
    // Offsets live in the checkpoint: nothing to tell Kafka.
  }

  async stop(): Promise<void> {
    const pending = [...this.prefetched.values()].map((p) => p.result);
    this.prefetched.clear();
    await Promise.all(pending);
    const c = this.client;
    this.client = undefined;
    if (this.ownsClient) await c?.close();
  }

  async prepareForTriggerAvailableNow(): Promise<void> {
    this.availableNowPrepared = true;
    const tps = await this.call('listing partitions', () => this.currentPartitions());
    const latest = await this.call('fetching latest offsets', () => this.kafka.latestOffsets(tps, this.config.isolation));
    const caps = await this.call('resolving ending offsets', () => this.endCaps(tps));
    this.availableNowEnd = fromEntries(
      tps.map((tp, i) => {
        const cap = caps.get(tpKey(tp));
        return { tp, offset: cap === undefined ? latest[i]! : Math.min(latest[i]!, cap) };
      }),
    );
  }

  metrics(latestConsumed: Offset): Record<string, string> {
    const consumed = toMap((latestConsumed ?? {}) as KafkaSourceOffset);
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
 * - Exactly one of `subscribe`, `subscribePattern`, `assign`; `kafka.bootstrap.servers` is required.
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
  return new KafkaMicroBatchSource(parseConfig(options as Readonly<Record<string, unknown>>));
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
  const config = parseConfig(options instanceof Map ? optionsFromMap(options) : (options as Readonly<Record<string, unknown>>));
  return {
    // Rows are KafkaRow objects; the DataFrame face handles them as plain rows.
    source: new KafkaMicroBatchSource(config) as unknown as Source<Row>,
    schema: config.includeHeaders ? KAFKA_SOURCE_SCHEMA_WITH_HEADERS_DDL : KAFKA_SOURCE_SCHEMA_DDL,
  };
}
