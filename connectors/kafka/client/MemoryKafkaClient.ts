/**
 * An in-memory `KafkaClient`: one simulated Kafka cluster, so Kafka pipelines (weir's Kafka source and sink, or
 * code of one's own against `KafkaClient`) run without a broker.
 *
 * Invariants (Kafka's, as the kafkajs-backed client shows them):
 * - A partition is a log of offsets `[logStart, highWatermark)`; every produced record takes the next offset, and
 *   so does every transaction marker (commit or abort) on each partition the transaction wrote to. Markers are
 *   never returned by reads; offsets therefore have gaps where they are.
 * - `read_uncommitted` reads everything below the high watermark; `read_committed` reads below the last stable
 *   offset (the first offset of the oldest open transaction), without the records of aborted transactions.
 * - Records below `logStart` are gone (`deleteRecords`, `applyRetention`): a read from there reports
 *   `dataLostUntil`; a read from beyond the high watermark fails with OFFSET_OUT_OF_RANGE.
 * - A transactional producer's `connect` fences every older producer of its transactional id (their next call
 *   throws `KafkaFencedError`) and aborts their open transaction; a transaction open longer than its timeout is
 *   aborted and its producer fenced, as Kafka's coordinator does. Group offsets sent in a transaction become
 *   visible when it commits.
 * - Where kafkajs differs from Kafka, this follows kafkajs (the default client): a null header value is stored as
 *   an empty one; keyed records without a partition go to Kafka's murmur2 partition, unkeyed ones round-robin
 *   (per producer and topic, starting at partition 0 where kafkajs starts at a random one).
 * Broker failures are thrown as `MemoryKafkaError` with kafkajs's `type` names (UNKNOWN_TOPIC_OR_PARTITION, ...).
 */
import {
  KafkaFencedError,
  tpKey,
  type FetchRangeResult,
  type IsolationLevel,
  type KafkaClient,
  type KafkaHeader,
  type KafkaOutRecord,
  type KafkaProducer,
  type KafkaProducerOptions,
  type KafkaRecord,
  type KafkaTransaction,
  type TopicPartition,
} from './KafkaClient';
import { keyPartition } from './murmur2';

/** Options of {@link MemoryKafkaClient}. */
export interface MemoryKafkaClientOptions {
  /**
   * The cluster's time (ms since the epoch): CreateTime of records produced without a timestamp, LogAppendTime,
   * marker timestamps, transaction timeouts and retention. Default `Date.now`.
   */
  readonly clock?: { now(): number };
  /** Producing to a missing topic creates it (Kafka's `auto.create.topics.enable`). Default true. */
  readonly autoCreateTopics?: boolean;
  /** Partitions of an auto-created topic (Kafka's `num.partitions`). Default 1. */
  readonly defaultPartitions?: number;
  /** The broker's cap on transaction timeouts (Kafka's `transaction.max.timeout.ms`). Default 900000. */
  readonly maxTransactionTimeoutMs?: number;
}

/** A failure the simulated broker answers with; `type` is kafkajs's name for Kafka's error code. */
export class MemoryKafkaError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly retriable = false,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The operations {@link MemoryKafkaClient.failNext} can make fail. */
export type MemoryKafkaOperation =
  | 'listTopics'
  | 'partitions'
  | 'earliestOffsets'
  | 'latestOffsets'
  | 'offsetsForTimestamp'
  | 'fetchRange'
  | 'createTopic'
  | 'createPartitions'
  | 'deleteTopic'
  | 'deleteRecords'
  | 'groupOffset'
  /** A producer's or a transaction's `send`. */
  | 'send'
  /** A transaction's `commit`. */
  | 'commitTransaction';

/** Where a produced record went. */
export interface MemoryRecordMetadata {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

/** The state of one transaction, shared by its records so that ending it is one assignment. */
interface TxnStatus {
  state: 'open' | 'committed' | 'aborted';
}

/** One offset of a partition: a data record or a transaction marker. */
interface LogEntry {
  readonly offset: number;
  readonly timestamp: number;
  readonly timestampType: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly KafkaHeader[];
  /** Set for a transaction marker (a control record: never read). */
  readonly control?: 'commit' | 'abort';
  /** Set for a record written in a transaction. */
  readonly txn?: TxnStatus;
}

class PartitionLog {
  logStart = 0;
  /** `entries[i]` has offset `logStart + i`. */
  entries: LogEntry[] = [];
  /** Open transactions writing here, with their first offset in this partition. */
  readonly open = new Map<TxnStatus, number>();

  get highWatermark(): number {
    return this.logStart + this.entries.length;
  }

  lastStableOffset(): number {
    let lso = this.highWatermark;
    for (const first of this.open.values()) lso = Math.min(lso, first);
    return Math.max(lso, this.logStart);
  }

  end(isolation: IsolationLevel): number {
    return isolation === 'read_committed' ? this.lastStableOffset() : this.highWatermark;
  }

  deleteBefore(offset: number): number {
    if (offset <= this.logStart) return 0;
    const n = offset - this.logStart;
    this.entries.splice(0, n);
    this.logStart = offset;
    return n;
  }
}

interface Topic {
  readonly name: string;
  readonly partitions: PartitionLog[];
  readonly configs: Readonly<Record<string, string>>;
}

/** A transaction the coordinator knows about (it wrote a record or an offset). */
interface OpenTxn {
  readonly status: TxnStatus;
  readonly startedAtMs: number;
  readonly timeoutMs: number;
  readonly partitions: Map<PartitionLog, TopicPartition>;
  readonly offsets: Array<{ group: string; tp: TopicPartition; offset: number }>;
}

/** Per transactional id: the current producer epoch and its open transaction. */
interface TxnCoordinatorEntry {
  epoch: number;
  txn: OpenTxn | undefined;
}

const LEGAL_TOPIC = /^[a-zA-Z0-9._-]{1,249}$/;

function copy(b: Buffer | null): Buffer | null {
  return b === null ? null : Buffer.from(b);
}

function toBuffer(v: Buffer | string | null | undefined): Buffer | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'string' ? Buffer.from(v, 'utf8') : Buffer.from(v);
}

function unknownPartition(tp: TopicPartition): MemoryKafkaError {
  return new MemoryKafkaError('UNKNOWN_TOPIC_OR_PARTITION', `This server does not host this topic-partition (${tp.topic}-${tp.partition})`, true);
}

/**
 * A simulated Kafka cluster behind the `KafkaClient` interface, for tests of Kafka pipelines without a broker.
 * Hand the same instance to the Kafka source and sink (`client` option) and produce or read with it; the source
 * and the sink never close a client they were handed.
 *
 * Beyond the interface: {@link produce} (plain producing that returns offsets), {@link topicRecords} (a topic's
 * records), {@link applyRetention} (topic `retention.ms` against the clock) and {@link failNext} (a broker error
 * for the next call of an operation).
 *
 * @example
 * ```ts
 * import { MemoryKafkaClient } from 'weir-streams/testing';
 * import { kafka } from 'weir-streams/sources';
 * const cluster = new MemoryKafkaClient();
 * await cluster.createTopic('events', { partitions: 2 });
 * await cluster.produce([{ topic: 'events', key: 'k', value: 'v' }]);
 * const source = kafka({ client: cluster, subscribe: 'events', startingOffsets: 'earliest' });
 * ```
 */
export class MemoryKafkaClient implements KafkaClient {
  private readonly topics = new Map<string, Topic>();
  /** group → tpKey → committed offset. */
  private readonly groups = new Map<string, Map<string, number>>();
  private readonly coordinator = new Map<string, TxnCoordinatorEntry>();
  private readonly producers = new Set<MemoryProducer>();
  private readonly faults = new Map<MemoryKafkaOperation, unknown[]>();
  /** Round-robin counters of {@link produce} (producers keep their own, as kafkajs's partitioner does). */
  private readonly roundRobin = new Map<string, number>();
  private readonly clock: { now(): number };
  private readonly autoCreateTopics: boolean;
  private readonly defaultPartitions: number;
  /** Kafka's `transaction.max.timeout.ms`. */
  readonly maxTransactionTimeoutMs: number;

  constructor(options: MemoryKafkaClientOptions = {}) {
    this.clock = options.clock ?? { now: () => Date.now() };
    this.autoCreateTopics = options.autoCreateTopics ?? true;
    this.defaultPartitions = options.defaultPartitions ?? 1;
    this.maxTransactionTimeoutMs = options.maxTransactionTimeoutMs ?? 900_000;
    if (!Number.isSafeInteger(this.defaultPartitions) || this.defaultPartitions < 1) {
      throw new RangeError(`defaultPartitions must be a positive integer, got ${options.defaultPartitions}`);
    }
  }

  // ---- the KafkaClient interface ----

  async listTopics(): Promise<string[]> {
    this.enter('listTopics');
    return [...this.topics.keys()].filter((t) => !t.startsWith('__')).sort();
  }

  async partitions(topics: readonly string[]): Promise<TopicPartition[]> {
    this.enter('partitions');
    const out: TopicPartition[] = [];
    for (const name of [...new Set(topics)].sort()) {
      const topic = this.topics.get(name);
      if (topic) topic.partitions.forEach((_, partition) => out.push({ topic: name, partition }));
    }
    return out;
  }

  async earliestOffsets(tps: readonly TopicPartition[]): Promise<number[]> {
    this.enter('earliestOffsets');
    return tps.map((tp) => this.log(tp).logStart);
  }

  async latestOffsets(tps: readonly TopicPartition[], isolation: IsolationLevel): Promise<number[]> {
    this.enter('latestOffsets');
    return tps.map((tp) => this.log(tp).end(isolation));
  }

  async offsetsForTimestamp(tps: readonly TopicPartition[], timestampMs: number): Promise<number[]> {
    this.enter('offsetsForTimestamp');
    return tps.map((tp) => {
      const log = this.log(tp);
      // Kafka's special timestamps: -1 latest, -2 earliest.
      if (timestampMs === -1) return log.highWatermark;
      if (timestampMs === -2) return log.logStart;
      // The first offset (markers included, as Kafka's time index) whose timestamp is >= the time.
      const hit = log.entries.find((e) => e.timestamp >= timestampMs);
      return hit === undefined ? -1 : hit.offset;
    });
  }

  async fetchRange(tp: TopicPartition, from: number, until: number, isolation: IsolationLevel): Promise<FetchRangeResult> {
    this.enter('fetchRange');
    if (from >= until) return { records: [] };
    const log = this.log(tp);
    let next = from;
    let dataLostUntil: number | undefined;
    if (next < log.logStart) {
      dataLostUntil = Math.min(log.logStart, until);
      next = dataLostUntil;
    }
    if (next > log.highWatermark) {
      throw new MemoryKafkaError(
        'OFFSET_OUT_OF_RANGE',
        `The requested offset ${next} is not within the range of offsets maintained by the server (${tp.topic}-${tp.partition}: ${log.logStart}..${log.highWatermark})`,
      );
    }
    const stop = Math.min(until, log.end(isolation));
    const records: KafkaRecord[] = [];
    for (let offset = next; offset < stop; offset += 1) {
      const e = log.entries[offset - log.logStart]!;
      if (e.control !== undefined) continue;
      if (isolation === 'read_committed' && e.txn !== undefined && e.txn.state !== 'committed') continue;
      records.push({
        topic: tp.topic,
        partition: tp.partition,
        offset: e.offset,
        key: copy(e.key),
        value: copy(e.value),
        timestamp: e.timestamp,
        timestampType: e.timestampType,
        headers: e.headers.map((h) => ({ key: h.key, value: copy(h.value) })),
      });
    }
    return dataLostUntil === undefined ? { records } : { records, dataLostUntil };
  }

  async createTopic(topic: string, options: { partitions?: number; configs?: Record<string, string> } = {}): Promise<boolean> {
    this.enter('createTopic');
    checkTopicName(topic);
    if (this.topics.has(topic)) return false;
    const partitions = options.partitions ?? 1;
    if (!Number.isSafeInteger(partitions) || partitions < 1) {
      throw new MemoryKafkaError('INVALID_PARTITIONS', `Number of partitions must be larger than 0, got ${partitions}`);
    }
    this.addTopic(topic, partitions, options.configs ?? {});
    return true;
  }

  async createPartitions(topic: string, totalCount: number): Promise<void> {
    this.enter('createPartitions');
    const t = this.topics.get(topic);
    if (!t) throw unknownPartition({ topic, partition: 0 });
    if (!Number.isSafeInteger(totalCount) || totalCount <= t.partitions.length) {
      throw new MemoryKafkaError(
        'INVALID_PARTITIONS',
        totalCount === t.partitions.length
          ? `Topic already has ${totalCount} partitions.`
          : `Topic currently has ${t.partitions.length} partitions, which is higher than the requested ${totalCount}.`,
      );
    }
    while (t.partitions.length < totalCount) t.partitions.push(new PartitionLog());
  }

  async deleteTopic(topic: string): Promise<void> {
    this.enter('deleteTopic');
    const t = this.topics.get(topic);
    if (!t) throw unknownPartition({ topic, partition: 0 });
    this.topics.delete(topic);
    // Kafka drops the group offsets of deleted partitions; open transactions forget them.
    for (const offsets of this.groups.values()) {
      for (const k of [...offsets.keys()]) if (k.startsWith(`${topic}\u0000`)) offsets.delete(k);
    }
    for (const { txn } of this.coordinator.values()) {
      for (const log of t.partitions) txn?.partitions.delete(log);
    }
  }

  async deleteRecords(tp: TopicPartition, beforeOffset: number): Promise<void> {
    this.enter('deleteRecords');
    const log = this.log(tp);
    const before = beforeOffset === -1 ? log.highWatermark : beforeOffset;
    if (!Number.isSafeInteger(before) || before < 0 || before > log.highWatermark) {
      throw new MemoryKafkaError(
        'OFFSET_OUT_OF_RANGE',
        `Cannot delete records of ${tp.topic}-${tp.partition} before ${beforeOffset}: the high watermark is ${log.highWatermark}`,
      );
    }
    log.deleteBefore(before);
  }

  async groupOffset(group: string, tp: TopicPartition): Promise<number> {
    this.enter('groupOffset');
    return this.groups.get(group)?.get(tpKey(tp)) ?? -1;
  }

  producer(options: KafkaProducerOptions = {}): KafkaProducer {
    const broker: Broker = {
      enter: (operation) => this.enter(operation),
      initProducerId: (id, timeoutMs) => this.initProducerId(id, timeoutMs),
      checkEpoch: (id, epoch) => this.checkEpoch(id, epoch),
      ongoing: (entry, timeoutMs) => this.ongoing(entry, timeoutMs),
      endTxn: (entry, how) => this.endTxn(entry, how),
      append: (records, counters, txn) => this.append(records, counters, txn),
      forget: (producer) => this.producers.delete(producer),
    };
    const p = new MemoryProducer(broker, options);
    this.producers.add(p);
    return p;
  }

  /** Closes this client's producers (they reconnect on use, as kafkajs's do). The cluster's data stays. */
  async close(): Promise<void> {
    for (const p of [...this.producers]) await p.close();
  }

  // ---- helpers for tests ----

  /**
   * Produces `records` without a transaction (what a plain producer's `send` does) and says where each went.
   *
   * @example
   * ```ts
   * const [{ offset }] = await cluster.produce([{ topic: 'events', key: null, value: 'a' }]);
   * ```
   */
  async produce(records: readonly KafkaOutRecord[]): Promise<MemoryRecordMetadata[]> {
    this.enter('send');
    return this.append(records, this.roundRobin, undefined);
  }

  /** Every readable record of `topic`, partition by partition, in offset order (`read_uncommitted` by default). */
  async topicRecords(topic: string, isolation: IsolationLevel = 'read_uncommitted'): Promise<KafkaRecord[]> {
    const t = this.topics.get(topic);
    if (!t) return [];
    const out: KafkaRecord[] = [];
    for (let partition = 0; partition < t.partitions.length; partition += 1) {
      const log = t.partitions[partition]!;
      const { records } = await this.fetchRange({ topic, partition }, log.logStart, log.highWatermark, isolation);
      out.push(...records);
    }
    return out;
  }

  /**
   * Applies each topic's `retention.ms` config (from `createTopic`) at `nowMs`: per partition, the records at the
   * start of the log older than the retention are deleted (Kafka deletes whole segments; this deletes records).
   * Returns how many offsets were deleted.
   */
  applyRetention(nowMs: number = this.clock.now()): number {
    let deleted = 0;
    for (const t of this.topics.values()) {
      const retention = Number(t.configs['retention.ms'] ?? -1);
      if (!Number.isFinite(retention) || retention < 0) continue;
      for (const log of t.partitions) {
        let until = log.logStart;
        while (until < log.highWatermark && log.entries[until - log.logStart]!.timestamp < nowMs - retention) until += 1;
        deleted += log.deleteBefore(until);
      }
    }
    return deleted;
  }

  /** Makes the next call of `operation` throw `error` (queued: call again for the call after). */
  failNext(operation: MemoryKafkaOperation, error: unknown): void {
    let queue = this.faults.get(operation);
    if (!queue) this.faults.set(operation, (queue = []));
    queue.push(error);
  }

  // ---- internals (producers reach them through a Broker) ----

  /** Every operation starts here: injected faults, then the coordinator's transaction timeouts. */
  private enter(operation: MemoryKafkaOperation | undefined): void {
    const queue = operation === undefined ? undefined : this.faults.get(operation);
    if (queue && queue.length > 0) throw queue.shift();
    this.expireTransactions();
  }

  private now(): number {
    return this.clock.now();
  }

  /** InitProducerId: a new epoch for `transactionalId`, aborting the open transaction of the older one. */
  private initProducerId(transactionalId: string, timeoutMs: number): number {
    if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > this.maxTransactionTimeoutMs) {
      throw new MemoryKafkaError(
        'INVALID_TRANSACTION_TIMEOUT',
        `The transaction timeout ${timeoutMs} ms is larger than the maximum value allowed by the broker (transaction.max.timeout.ms = ${this.maxTransactionTimeoutMs})`,
      );
    }
    let entry = this.coordinator.get(transactionalId);
    if (!entry) this.coordinator.set(transactionalId, (entry = { epoch: -1, txn: undefined }));
    if (entry.txn) this.endTxn(entry, 'abort');
    entry.epoch += 1;
    return entry.epoch;
  }

  /** Throws `KafkaFencedError` unless `epoch` is the current one of `transactionalId`. */
  private checkEpoch(transactionalId: string, epoch: number): TxnCoordinatorEntry {
    const entry = this.coordinator.get(transactionalId);
    if (!entry || entry.epoch !== epoch) {
      throw new KafkaFencedError(
        `PRODUCER_FENCED: there is a newer producer with the same transactional id ${transactionalId} (epoch ${entry?.epoch ?? '?'} > ${epoch}), or its transaction timed out`,
      );
    }
    return entry;
  }

  /** The coordinator's open transaction of `entry`, begun now if there is none. */
  private ongoing(entry: TxnCoordinatorEntry, timeoutMs: number): OpenTxn {
    entry.txn ??= { status: { state: 'open' }, startedAtMs: this.now(), timeoutMs, partitions: new Map(), offsets: [] };
    return entry.txn;
  }

  /** Writes the markers of `entry`'s open transaction and ends it. */
  private endTxn(entry: TxnCoordinatorEntry, how: 'commit' | 'abort'): void {
    const txn = entry.txn;
    if (!txn) return;
    entry.txn = undefined;
    txn.status.state = how === 'commit' ? 'committed' : 'aborted';
    const now = this.now();
    for (const log of txn.partitions.keys()) {
      log.open.delete(txn.status);
      log.entries.push({ offset: log.highWatermark, timestamp: now, timestampType: 0, key: null, value: null, headers: [], control: how });
    }
    if (how === 'commit') {
      for (const { group, tp, offset } of txn.offsets) {
        let g = this.groups.get(group);
        if (!g) this.groups.set(group, (g = new Map()));
        g.set(tpKey(tp), offset);
      }
    }
  }

  /**
   * Appends `records` (validated first: all or none), in a transaction when `txn` is given. Records
   * without a partition go to the key's murmur2 partition, else round-robin by `counters`.
   */
  private append(records: readonly KafkaOutRecord[], counters: Map<string, number>, txn: OpenTxn | undefined): MemoryRecordMetadata[] {
    const placed: Array<{ log: PartitionLog; tp: TopicPartition; r: KafkaOutRecord; topic: Topic }> = [];
    for (const r of records) {
      checkTopicName(r.topic);
      let topic = this.topics.get(r.topic);
      if (!topic) {
        if (!this.autoCreateTopics) throw unknownPartition({ topic: r.topic, partition: r.partition ?? 0 });
        topic = this.addTopic(r.topic, this.defaultPartitions, {});
      }
      const n = topic.partitions.length;
      let partition: number;
      const key = toBuffer(r.key);
      if (r.partition !== undefined && r.partition !== null) partition = r.partition;
      else if (key !== null) partition = keyPartition(key, n);
      else {
        const c = (counters.get(r.topic) ?? -1) + 1;
        counters.set(r.topic, c);
        partition = c % n;
      }
      const log = topic.partitions[partition];
      if (!Number.isSafeInteger(partition) || !log) throw unknownPartition({ topic: r.topic, partition });
      placed.push({ log, tp: { topic: r.topic, partition }, r, topic });
    }
    const now = this.now();
    const out: MemoryRecordMetadata[] = [];
    for (const { log, tp, r, topic } of placed) {
      const logAppendTime = topic.configs['message.timestamp.type'] === 'LogAppendTime';
      const offset = log.highWatermark;
      if (txn) {
        if (!txn.partitions.has(log)) {
          txn.partitions.set(log, tp);
          log.open.set(txn.status, offset);
        }
      }
      log.entries.push({
        offset,
        timestamp: logAppendTime ? now : (r.timestamp ?? now),
        timestampType: logAppendTime ? 1 : 0,
        key: toBuffer(r.key),
        value: toBuffer(r.value),
        // kafkajs cannot encode a null header value: it is sent (and so stored) as an empty one.
        headers: (r.headers ?? []).map((h) => ({ key: h.key, value: h.value === null ? Buffer.alloc(0) : Buffer.from(h.value) })),
        ...(txn ? { txn: txn.status } : {}),
      });
      out.push({ ...tp, offset });
    }
    return out;
  }

  private addTopic(name: string, partitions: number, configs: Record<string, string>): Topic {
    const topic: Topic = { name, partitions: Array.from({ length: partitions }, () => new PartitionLog()), configs: { ...configs } };
    this.topics.set(name, topic);
    return topic;
  }

  private log(tp: TopicPartition): PartitionLog {
    const log = this.topics.get(tp.topic)?.partitions[tp.partition];
    if (!log) throw unknownPartition(tp);
    return log;
  }

  /** Kafka's coordinator aborts a transaction open longer than its timeout and bumps the producer epoch. */
  private expireTransactions(): void {
    const now = this.clock.now();
    for (const entry of this.coordinator.values()) {
      const txn = entry.txn;
      if (txn && now - txn.startedAtMs > txn.timeoutMs) {
        this.endTxn(entry, 'abort');
        entry.epoch += 1;
      }
    }
  }
}

function checkTopicName(topic: string): void {
  if (typeof topic !== 'string' || !LEGAL_TOPIC.test(topic) || topic === '.' || topic === '..') {
    throw new MemoryKafkaError(
      'INVALID_TOPIC_EXCEPTION',
      `Topic name ${JSON.stringify(topic)} is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-' (or is empty, '.', '..' or longer than 249 characters)`,
    );
  }
}

/** What a producer may ask of its cluster. */
interface Broker {
  enter(operation: MemoryKafkaOperation | undefined): void;
  initProducerId(transactionalId: string, timeoutMs: number): number;
  checkEpoch(transactionalId: string, epoch: number): TxnCoordinatorEntry;
  ongoing(entry: TxnCoordinatorEntry, timeoutMs: number): OpenTxn;
  endTxn(entry: TxnCoordinatorEntry, how: 'commit' | 'abort'): void;
  append(records: readonly KafkaOutRecord[], counters: Map<string, number>, txn: OpenTxn | undefined): MemoryRecordMetadata[];
  forget(producer: MemoryProducer): void;
}

class MemoryProducer implements KafkaProducer {
  private connected = false;
  /** The epoch InitProducerId gave this producer (transactional only; kept across close and connect). */
  private epoch: number | undefined;
  private current: { ended: boolean } | undefined;
  private readonly counters = new Map<string, number>();

  constructor(
    private readonly cluster: Broker,
    private readonly options: KafkaProducerOptions,
  ) {}

  private get transactionTimeoutMs(): number {
    return this.options.transactionTimeoutMs ?? 60_000;
  }

  async connect(): Promise<void> {
    if (this.connected) return;
    this.cluster.enter(undefined);
    const id = this.options.transactionalId;
    if (id !== undefined && this.epoch === undefined) this.epoch = this.cluster.initProducerId(id, this.transactionTimeoutMs);
    this.connected = true;
  }

  async send(records: readonly KafkaOutRecord[]): Promise<void> {
    await this.connect();
    this.cluster.enter('send');
    this.cluster.append(records, this.counters, undefined);
  }

  async beginTransaction(): Promise<KafkaTransaction> {
    const id = this.options.transactionalId;
    if (id === undefined) throw new Error('beginTransaction needs a transactionalId');
    await this.connect();
    if (this.current && !this.current.ended) {
      throw new MemoryKafkaError(
        'INVALID_TXN_STATE',
        'There is already an ongoing transaction for this producer. Please end the transaction before beginning another.',
      );
    }
    const epoch = this.epoch!;
    const handle = { ended: false };
    this.current = handle;
    const cluster = this.cluster;
    const timeoutMs = this.transactionTimeoutMs;
    // Like kafkajs, beginning is local: the coordinator hears of the transaction with its first record or offset.
    const guard = (): TxnCoordinatorEntry => {
      if (handle.ended) throw new MemoryKafkaError('INVALID_TXN_STATE', 'Cannot continue to use transaction once ended');
      return cluster.checkEpoch(id, epoch);
    };
    return {
      send: async (records) => {
        cluster.enter('send');
        const entry = guard();
        if (records.length === 0) return;
        cluster.append(records, this.counters, cluster.ongoing(entry, timeoutMs));
      },
      commitGroupOffset: async (group, tp, offset) => {
        cluster.enter(undefined);
        const entry = guard();
        cluster.ongoing(entry, timeoutMs).offsets.push({ group, tp: { topic: tp.topic, partition: tp.partition }, offset });
      },
      commit: async () => {
        cluster.enter('commitTransaction');
        const entry = guard();
        cluster.endTxn(entry, 'commit');
        handle.ended = true;
      },
      abort: async () => {
        cluster.enter(undefined);
        const entry = guard();
        cluster.endTxn(entry, 'abort');
        handle.ended = true;
      },
    };
  }

  /** Disconnects. An open transaction stays open (Kafka aborts it on timeout or when a newer producer connects). */
  async close(): Promise<void> {
    this.cluster.forget(this);
    this.connected = false;
  }
}
