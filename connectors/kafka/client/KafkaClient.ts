/**
 * The narrow Kafka client interface weir's Kafka source and sink are written against.
 *
 * Invariant: nothing outside `connectors/kafka/client/` imports a Kafka client library. The source and the sink only see these
 * types, so a second implementation (another client library) can be added without touching them; two exist:
 * kafkajs (`KafkajsClient.ts`, the default) and an in-memory cluster (`MemoryKafkaClient.ts`), handed in through
 * the source's and sink's `client` option (`kafkaClientOption.ts`). Both pass the contract suite
 * `spec/connectors/kafka/client/kafkaClientContract.ts`. Offsets are JS numbers (safe integers): a partition would need 2^53
 * records to overflow them.
 */

/** One partition of one topic. */
export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** A header of a record; Kafka allows repeated keys, in order. */
export interface KafkaHeader {
  readonly key: string;
  readonly value: Buffer | null;
}

/** A record as read from a partition. */
export interface KafkaRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** Milliseconds since the epoch. */
  readonly timestamp: number;
  /** 0 = CreateTime, 1 = LogAppendTime (Kafka's and Spark's numbering). */
  readonly timestampType: number;
  readonly headers: readonly KafkaHeader[];
}

/** A record to produce. `partition` absent = the client's default partitioner. */
export interface KafkaOutRecord {
  readonly topic: string;
  readonly key: Buffer | string | null;
  readonly value: Buffer | string | null;
  readonly partition?: number;
  readonly headers?: readonly KafkaHeader[];
  /** CreateTime in ms since the epoch; absent = now. */
  readonly timestamp?: number;
}

/** Which records a read sees: all (`read_uncommitted`, Kafka's default) or only committed transactions. */
export type IsolationLevel = 'read_uncommitted' | 'read_committed';

/** The result of reading a range of a partition. */
export interface FetchRangeResult {
  /** Records with `from <= offset < until`, in offset order (aborted and control records removed). */
  readonly records: KafkaRecord[];
  /**
   * Set when the partition's log start is beyond `from` (records were deleted or aged out): the first offset
   * still present. Records from there on are in `records`.
   */
  readonly dataLostUntil?: number;
}

/** Raised by a client when a transactional producer was fenced by a newer instance with the same id. */
export class KafkaFencedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** One open transaction of a transactional producer. */
export interface KafkaTransaction {
  send(records: readonly KafkaOutRecord[]): Promise<void>;
  /** Commits `offset` for `(group, topic, partition)` atomically with the transaction's records. */
  commitGroupOffset(group: string, tp: TopicPartition, offset: number): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/** A producer: plain (idempotent, at-least-once) or transactional. */
export interface KafkaProducer {
  /** Connects; for a transactional producer this fences every older producer with the same transactional id. */
  connect(): Promise<void>;
  send(records: readonly KafkaOutRecord[]): Promise<void>;
  beginTransaction(): Promise<KafkaTransaction>;
  close(): Promise<void>;
}

/** Options of a producer. */
export interface KafkaProducerOptions {
  /** Set for exactly-once: every batch runs in a transaction of this id. */
  readonly transactionalId?: string;
  /** Transaction timeout in ms (broker-capped by `transaction.max.timeout.ms`). */
  readonly transactionTimeoutMs?: number;
  readonly idempotent?: boolean;
}

/**
 * A connection to one Kafka cluster: metadata, offsets, range reads by assigned partition, producers, admin.
 * Range reads never join a consumer group and never commit offsets: the caller owns positions.
 */
export interface KafkaClient {
  /** Topic names (internal `__` topics excluded). */
  listTopics(): Promise<string[]>;
  /** The partitions of existing topics; a missing topic is absent from the result. */
  partitions(topics: readonly string[]): Promise<TopicPartition[]>;
  /** The log start offset of each partition. */
  earliestOffsets(tps: readonly TopicPartition[]): Promise<number[]>;
  /** The end of each partition: the high watermark, or the last stable offset under `read_committed`. */
  latestOffsets(tps: readonly TopicPartition[], isolation: IsolationLevel): Promise<number[]>;
  /** The first offset whose timestamp is >= `timestampMs` in each partition, or -1 when there is none. */
  offsetsForTimestamp(tps: readonly TopicPartition[], timestampMs: number): Promise<number[]>;
  /** Reads `[from, until)` of one partition. */
  fetchRange(tp: TopicPartition, from: number, until: number, isolation: IsolationLevel): Promise<FetchRangeResult>;
  createTopic(topic: string, options?: { partitions?: number; configs?: Record<string, string> }): Promise<boolean>;
  createPartitions(topic: string, totalCount: number): Promise<void>;
  deleteTopic(topic: string): Promise<void>;
  /** Deletes the records of a partition below `beforeOffset` (Kafka's DeleteRecords). */
  deleteRecords(tp: TopicPartition, beforeOffset: number): Promise<void>;
  /** The committed offset of a consumer group on a partition, -1 when none. */
  groupOffset(group: string, tp: TopicPartition): Promise<number>;
  producer(options?: KafkaProducerOptions): KafkaProducer;
  close(): Promise<void>;
}

/** Settings a client is created from (parsed from `kafka.`-prefixed options). */
export interface KafkaClientConfig {
  readonly brokers: readonly string[];
  readonly clientId?: string;
  readonly ssl?: boolean | Record<string, unknown>;
  readonly sasl?: { mechanism: string; username: string; password: string };
  readonly connectionTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
}

/** Key of a topic-partition in maps. */
export function tpKey(tp: TopicPartition): string {
  return `${tp.topic}\u0000${tp.partition}`;
}
