/**
 * The Kafka source's options: Spark's names (case-insensitive) and `kafka.*` client settings, parsed and validated
 * into a `KafkaSourceConfig` at construction (Spark's `KafkaSourceProvider` validation and
 * `KafkaSourceProvider.getKafkaOffsetRangeLimit`).
 *
 * Invariant: every option error is raised here, before the source opens, as MISSING_OPTION or INVALID_ARGUMENT
 * naming the option; the `client` option is split off first, so the config's `raw` options (what descriptions and
 * errors may show, redacted) never hold a client.
 */
import { ErrorCodes, WeirError } from '../../../lib/errors';
import type { IsolationLevel, KafkaClientConfig, TopicPartition } from '../client/KafkaClient';
import { splitClientOption, type KafkaClientOption } from '../client/kafkaClientOption';
import {
  OptionReader,
  clientConfigFromOptions,
  isolationFromOptions,
  kafkaParams,
  type KafkaRawOptions,
} from '../client/kafkaOptions';
import { offsetsByPartition, sortTps, type KafkaSourceOffset, type PartitionOffset } from './offsets';

/**
 * Options of the `kafka()` source: Spark's option names (case-insensitive) and `kafka.*` client settings.
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

/** How the source picks its partitions (Spark's ConsumerStrategy). */
export type Strategy =
  | { kind: 'subscribe'; topics: string[] }
  | { kind: 'subscribePattern'; pattern: RegExp; text: string }
  | { kind: 'assign'; partitions: TopicPartition[] };

/** Where a new query starts (Spark's KafkaOffsetRangeLimit for the start). */
export type StartSpec =
  | { kind: 'earliest' }
  | { kind: 'latest' }
  | { kind: 'offsets'; offsets: KafkaSourceOffset }
  | { kind: 'timestamps'; timestamps: KafkaSourceOffset }
  | { kind: 'timestamp'; timestampMs: number };

/** Where the source stops reading (Spark's KafkaOffsetRangeLimit for the end); absent = never. */
export type EndSpec =
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
export interface KafkaSourceConfig {
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

/** The name errors give the source. */
export const KAFKA_SOURCE = 'kafka source';
const WHAT = KAFKA_SOURCE;

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
  const s = offsetsByPartition(pair.starts);
  const e = offsetsByPartition(pair.ends);
  const names = (m: Map<string, PartitionOffset>): string =>
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

/**
 * Parses and validates the options of a Kafka source.
 *
 * @throws WeirError `MISSING_OPTION` / `INVALID_ARGUMENT` naming the option.
 *
 * @example
 * ```ts
 * const config = parseKafkaSourceOptions({ 'kafka.bootstrap.servers': 'h:9092', subscribe: 'events', maxOffsetsPerTrigger: 100 });
 * ```
 */
export function parseKafkaSourceOptions(options: Readonly<Record<string, unknown>>): KafkaSourceConfig {
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
