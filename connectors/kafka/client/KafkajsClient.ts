/**
 * `KafkaClient` implemented with kafkajs.
 *
 * Invariant: range reads go straight to the partition leader with Fetch requests (no consumer group, no offset
 * commits), so the same `[from, until)` returns the same records for as long as Kafka keeps them. kafkajs has no
 * public "assign" consumer; this file is the only place that uses its internal cluster object (reached through
 * the Kafka instance's private factory) and its internal `Batch` (aborted/control record filtering). kafkajs is
 * pinned to 2.2.x in package.json; these internals have not changed across 2.x.
 */
import { retryTransient } from './retryTransient';
import { Kafka, logLevel as KafkaLogLevel, type Admin, type Producer, type SASLOptions } from 'kafkajs';
import {
  KafkaFencedError,
  type FetchRangeResult,
  type IsolationLevel,
  type KafkaClient,
  type KafkaClientConfig,
  type KafkaHeader,
  type KafkaOutRecord,
  type KafkaProducer,
  type KafkaProducerOptions,
  type KafkaRecord,
  type KafkaTransaction,
  type TopicPartition,
} from './KafkaClient';
import { produceChunks } from './produceChunks';

/* eslint-disable @typescript-eslint/no-require-imports */
const KafkajsBatch: new (topic: string, fetchedOffset: string, partitionData: any) => any = require('kafkajs/src/consumer/batch');
/* eslint-enable @typescript-eslint/no-require-imports */

/** kafkajs internal cluster: the subset used here. */
interface InternalCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  addMultipleTargetTopics(topics: string[]): Promise<void>;
  refreshMetadata(): Promise<void>;
  findLeaderForPartitions(topic: string, partitions: number[]): Record<string, number[]>;
  findBroker(args: { nodeId: string }): Promise<any>;
}

const ISOLATION = { read_uncommitted: 0, read_committed: 1 } as const;
const FENCED_TYPES = new Set(['INVALID_PRODUCER_EPOCH', 'PRODUCER_FENCED', 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED']);

function isFenced(e: unknown): boolean {
  let cur: any = e;
  for (let i = 0; i < 5 && cur; i += 1) {
    if (FENCED_TYPES.has(cur.type)) return true;
    if (typeof cur.message === 'string' && /fenced|INVALID_PRODUCER_EPOCH|producer epoch/i.test(cur.message)) return true;
    cur = cur.cause ?? cur.originalError;
  }
  return false;
}

function wrapFenced<T>(f: () => Promise<T>): Promise<T> {
  return f().catch((e: unknown) => {
    if (isFenced(e)) throw new KafkaFencedError((e as Error).message, { cause: e });
    throw e;
  });
}

/**
 * Retries `f` while the transaction coordinator answers CONCURRENT_TRANSACTIONS: the previous transaction's
 * markers are still being written (the Java client retries these too; kafkajs does not for AddOffsetsToTxn).
 */
async function retryConcurrent<T>(f: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await f();
    } catch (e) {
      if ((e as { type?: string })?.type !== 'CONCURRENT_TRANSACTIONS' || attempt >= 100) throw e;
      await new Promise((r) => setTimeout(r, Math.min(100, 5 * (attempt + 1))));
    }
  }
}

function toHeaders(h: Record<string, any> | undefined): KafkaHeader[] {
  if (!h) return [];
  const out: KafkaHeader[] = [];
  for (const [key, v] of Object.entries(h)) {
    const values = Array.isArray(v) ? v : [v];
    for (const value of values) out.push({ key, value: value == null ? null : Buffer.from(value) });
  }
  return out;
}

function toKafkajsMessages(records: readonly KafkaOutRecord[]): Map<string, any[]> {
  const byTopic = new Map<string, any[]>();
  for (const r of records) {
    let list = byTopic.get(r.topic);
    if (!list) byTopic.set(r.topic, (list = []));
    const headers: Record<string, any> = {};
    for (const h of r.headers ?? []) {
      const prev = headers[h.key];
      // kafkajs cannot encode a null header value: it is sent as an empty value (documented limitation).
      const v = h.value ?? Buffer.alloc(0);
      headers[h.key] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    list.push({
      key: r.key,
      value: r.value,
      partition: r.partition,
      timestamp: r.timestamp === undefined ? undefined : String(r.timestamp),
      headers: r.headers && r.headers.length > 0 ? headers : undefined,
    });
  }
  return byTopic;
}

/**
 * Creates a kafkajs-backed client. kafkajs logs at ERROR level by default here (its INFO logs are noisy).
 *
 * @example
 * ```ts
 * const client = kafkajsClient({ brokers: ['127.0.0.1:9092'] });
 * const [end] = await client.latestOffsets([{ topic: 'events', partition: 0 }], 'read_uncommitted');
 * await client.close();
 * ```
 */
export function kafkajsClient(config: KafkaClientConfig, options: { logLevel?: KafkaLogLevel } = {}): KafkaClient {
  return new KafkajsClient(config, options.logLevel ?? KafkaLogLevel.NOTHING);
}

class KafkajsClient implements KafkaClient {
  private readonly kafka: Kafka;
  private adminP: Promise<Admin> | undefined;
  private clusterP: Promise<InternalCluster> | undefined;
  private readonly producers = new Set<KafkaProducer>();
  /**
   * The in-flight connect of each broker's fetch connection. kafkajs's `Connection.connect` has no guard against a
   * second call while connecting: two concurrent fetches to a broker whose fetch connection is not open yet open
   * two sockets and keep one, and the other outlives `close()` (the process then never exits).
   */
  private readonly fetchConnects = new WeakMap<object, Promise<unknown>>();

  constructor(config: KafkaClientConfig, level: KafkaLogLevel) {
    this.kafka = new Kafka({
      clientId: config.clientId ?? 'weir',
      brokers: [...config.brokers],
      ssl: config.ssl as any,
      sasl: config.sasl as SASLOptions | undefined,
      connectionTimeout: config.connectionTimeoutMs ?? 3000,
      requestTimeout: config.requestTimeoutMs ?? 30_000,
      logLevel: level,
      retry: { retries: 5, initialRetryTime: 100 },
    });
  }

  private admin(): Promise<Admin> {
    this.adminP ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      return admin;
    })();
    return this.adminP;
  }

  private cluster(): Promise<InternalCluster> {
    this.clusterP ??= (async () => {
      const sym = Object.getOwnPropertySymbols(this.kafka).find((s) => s.description === 'private:Kafka:createCluster');
      if (!sym) throw new Error('kafkajs internals changed: cannot create a cluster for partition reads');
      const create = (this.kafka as any)[sym] as (o: object) => InternalCluster;
      const cluster = create({ allowAutoTopicCreation: false, metadataMaxAge: 300_000 });
      await cluster.connect();
      return cluster;
    })();
    return this.clusterP;
  }

  async listTopics(): Promise<string[]> {
    const topics = await (await this.admin()).listTopics();
    return topics.filter((t) => !t.startsWith('__')).sort();
  }

  async partitions(topics: readonly string[]): Promise<TopicPartition[]> {
    if (topics.length === 0) return [];
    const admin = await this.admin();
    const existing = new Set(await admin.listTopics());
    const wanted = [...new Set(topics)].filter((t) => existing.has(t));
    if (wanted.length === 0) return [];
    const meta = await retryTransient(() => admin.fetchTopicMetadata({ topics: wanted }));
    const out: TopicPartition[] = [];
    for (const t of meta.topics) {
      for (const p of t.partitions) out.push({ topic: t.name, partition: p.partitionId });
    }
    out.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
    return out;
  }

  /** ListOffsets at the partition leaders; `timestamp` -2 = earliest, -1 = latest. */
  private async listOffsets(tps: readonly TopicPartition[], timestamp: number, isolation: IsolationLevel): Promise<number[]> {
    if (tps.length === 0) return [];
    const cluster = await this.cluster();
    const topics = [...new Set(tps.map((tp) => tp.topic))];
    await cluster.addMultipleTargetTopics(topics);
    const result = new Map<string, number>();
    const attempt = async (): Promise<void> => {
      const byNode = new Map<string, Map<string, number[]>>();
      for (const topic of topics) {
        const parts = tps.filter((tp) => tp.topic === topic).map((tp) => tp.partition);
        const leaders = cluster.findLeaderForPartitions(topic, parts);
        for (const [nodeId, ps] of Object.entries(leaders)) {
          let m = byNode.get(nodeId);
          if (!m) byNode.set(nodeId, (m = new Map()));
          m.set(topic, ps);
        }
      }
      await Promise.all(
        [...byNode].map(async ([nodeId, m]) => {
          const broker = await cluster.findBroker({ nodeId });
          const { responses } = await broker.listOffsets({
            isolationLevel: ISOLATION[isolation],
            topics: [...m].map(([topic, ps]) => ({
              topic,
              partitions: ps.map((partition) => ({ partition, timestamp: String(timestamp) })),
            })),
          });
          for (const r of responses) {
            for (const p of r.partitions) result.set(`${r.topic}\u0000${p.partition}`, Number(p.offset));
          }
        }),
      );
    };
    // Leadership or metadata may be stale (new partitions, a topic created a moment ago): refresh and retry.
    await retryTransient(async () => {
      try {
        await attempt();
      } catch (e) {
        await cluster.refreshMetadata().catch(() => undefined);
        throw e;
      }
    });
    return tps.map((tp) => {
      const v = result.get(`${tp.topic}\u0000${tp.partition}`);
      if (v === undefined) throw new Error(`No offset returned for ${tp.topic}-${tp.partition}`);
      return v;
    });
  }

  earliestOffsets(tps: readonly TopicPartition[]): Promise<number[]> {
    return this.listOffsets(tps, -2, 'read_uncommitted');
  }

  latestOffsets(tps: readonly TopicPartition[], isolation: IsolationLevel): Promise<number[]> {
    return this.listOffsets(tps, -1, isolation);
  }

  offsetsForTimestamp(tps: readonly TopicPartition[], timestampMs: number): Promise<number[]> {
    return this.listOffsets(tps, timestampMs, 'read_uncommitted');
  }

  async fetchRange(
    tp: TopicPartition,
    from: number,
    until: number,
    isolation: IsolationLevel,
  ): Promise<FetchRangeResult> {
    const records: KafkaRecord[] = [];
    if (from >= until) return { records };
    const cluster = await this.cluster();
    await cluster.addMultipleTargetTopics([tp.topic]);
    let next = from;
    let dataLostUntil: number | undefined;
    let emptyFetches = 0;
    while (next < until) {
      let partitionData: any;
      try {
        const leaders = cluster.findLeaderForPartitions(tp.topic, [tp.partition]);
        const nodeId = Object.keys(leaders)[0];
        if (nodeId === undefined) throw new Error(`No leader for ${tp.topic}-${tp.partition}`);
        const broker = await cluster.findBroker({ nodeId });
        await this.fetchConnection(broker);
        const response = await broker.fetch({
          isolationLevel: ISOLATION[isolation],
          maxWaitTime: 100,
          minBytes: 1,
          maxBytes: 16 * 1024 * 1024,
          topics: [{ topic: tp.topic, partitions: [{ partition: tp.partition, fetchOffset: String(next), maxBytes: 8 * 1024 * 1024 }] }],
        });
        partitionData = response.responses[0]?.partitions[0];
      } catch (e: any) {
        if (e?.type === 'OFFSET_OUT_OF_RANGE') {
          const [earliest] = await this.earliestOffsets([tp]);
          if (earliest! > next) {
            dataLostUntil = Math.min(earliest!, until);
            next = dataLostUntil;
            continue;
          }
          throw e;
        }
        if (e?.retriable || e?.type === 'NOT_LEADER_FOR_PARTITION' || e?.type === 'UNKNOWN_TOPIC_OR_PARTITION') {
          emptyFetches += 1;
          if (emptyFetches > 20) throw e;
          await cluster.refreshMetadata().catch(() => undefined);
          await new Promise((r) => setTimeout(r, 100));
          continue;
        }
        throw e;
      }
      const batch = new KafkajsBatch(tp.topic, String(next), partitionData);
      for (const m of batch.messages as any[]) {
        const offset = Number(m.offset);
        if (offset >= until) break;
        records.push({
          topic: tp.topic,
          partition: tp.partition,
          offset,
          key: m.key ?? null,
          value: m.value ?? null,
          timestamp: Number(m.timestamp),
          timestampType: m.batchContext?.timestampType === 1 ? 1 : 0,
          headers: toHeaders(m.headers),
        });
      }
      if (batch.isEmptyIncludingFiltered()) {
        // Nothing at `next`: the range ends beyond what the partition holds (yet), or the fetch returned nothing.
        const hw = Number(partitionData?.highWatermark ?? -1);
        const lso = Number(partitionData?.lastStableOffset ?? -1);
        const end = isolation === 'read_committed' && lso >= 0 ? lso : hw;
        if (end >= until && emptyFetches < 50) {
          emptyFetches += 1;
          continue;
        }
        // Offsets up to `until` exist no more in readable form (e.g. compacted or an aborted tail): stop.
        break;
      }
      emptyFetches = 0;
      const last = Number(batch.lastOffset());
      next = Math.max(next + 1, last + 1);
    }
    return dataLostUntil === undefined ? { records } : { records, dataLostUntil };
  }

  /** Opens `broker`'s fetch connection (kafkajs's pool index 1, the one Fetch requests use), one connect at a time. */
  private async fetchConnection(broker: any): Promise<void> {
    const pool = broker?.connectionPool;
    if (typeof pool?.getConnection !== 'function') return;
    let connecting = this.fetchConnects.get(broker);
    if (!connecting) {
      connecting = Promise.resolve(pool.getConnection(1)).finally(() => this.fetchConnects.delete(broker));
      this.fetchConnects.set(broker, connecting);
    }
    await connecting;
  }

  async createTopic(topic: string, options: { partitions?: number; configs?: Record<string, string> } = {}): Promise<boolean> {
    const admin = await this.admin();
    return admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic,
          numPartitions: options.partitions ?? 1,
          replicationFactor: -1,
          configEntries: Object.entries(options.configs ?? {}).map(([name, value]) => ({ name, value })),
        },
      ],
    });
  }

  async createPartitions(topic: string, totalCount: number): Promise<void> {
    await (await this.admin()).createPartitions({ topicPartitions: [{ topic, count: totalCount }] });
  }

  async deleteTopic(topic: string): Promise<void> {
    await (await this.admin()).deleteTopics({ topics: [topic] });
  }

  async deleteRecords(tp: TopicPartition, beforeOffset: number): Promise<void> {
    const admin = await this.admin();
    // kafkajs looks the leader up in metadata it has only for topics it already asked about.
    await retryTransient(() => admin.fetchTopicOffsets(tp.topic));
    await admin.deleteTopicRecords({
      topic: tp.topic,
      partitions: [{ partition: tp.partition, offset: String(beforeOffset) }],
    });
  }

  async groupOffset(group: string, tp: TopicPartition): Promise<number> {
    const admin = await this.admin();
    const res = await retryTransient(() => admin.fetchOffsets({ groupId: group, topics: [tp.topic] }));
    const p = res[0]?.partitions.find((x) => x.partition === tp.partition);
    return p ? Number(p.offset) : -1;
  }

  producer(options: KafkaProducerOptions = {}): KafkaProducer {
    const p = new KafkajsProducer(this.kafka, options, (x) => this.producers.delete(x));
    this.producers.add(p);
    return p;
  }

  async close(): Promise<void> {
    for (const p of [...this.producers]) await p.close().catch(() => undefined);
    const admin = this.adminP;
    const cluster = this.clusterP;
    this.adminP = undefined;
    this.clusterP = undefined;
    await admin?.then((a) => a.disconnect()).catch(() => undefined);
    await cluster?.then((c) => c.disconnect()).catch(() => undefined);
  }
}

class KafkajsProducer implements KafkaProducer {
  private readonly producer: Producer;
  private connected = false;

  constructor(
    kafka: Kafka,
    private readonly options: KafkaProducerOptions,
    private readonly onClose: (p: KafkaProducer) => void,
  ) {
    const transactional = options.transactionalId !== undefined;
    this.producer = kafka.producer({
      transactionalId: options.transactionalId,
      transactionTimeout: options.transactionTimeoutMs ?? 60_000,
      idempotent: transactional || (options.idempotent ?? true),
      maxInFlightRequests: transactional || (options.idempotent ?? true) ? 1 : undefined,
      allowAutoTopicCreation: true,
    });
  }

  async connect(): Promise<void> {
    if (this.connected) return;
    await wrapFenced(() => this.producer.connect());
    this.connected = true;
    if (this.options.transactionalId !== undefined) {
      // kafkajs asks for the producer id (InitProducerId, which fences older producers of this transactional id
      // and aborts their open transaction) only on the first transaction: do it now.
      const txn = await wrapFenced(() => this.producer.transaction());
      await wrapFenced(() => txn.abort());
    }
  }

  async send(records: readonly KafkaOutRecord[]): Promise<void> {
    await this.connect();
    for (const chunk of produceChunks(records)) {
      const byTopic = toKafkajsMessages(chunk);
      await wrapFenced(() =>
        this.producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) }),
      );
    }
  }

  async beginTransaction(): Promise<KafkaTransaction> {
    if (this.options.transactionalId === undefined) throw new Error('beginTransaction needs a transactionalId');
    await this.connect();
    const txn = await wrapFenced(() => this.producer.transaction());
    return {
      send: async (records) => {
        for (const chunk of produceChunks(records)) {
          const byTopic = toKafkajsMessages(chunk);
          await wrapFenced(() => retryConcurrent(() =>
            txn.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) })),
          );
        }
      },
      commitGroupOffset: async (group, tp, offset) => {
        await wrapFenced(() => retryConcurrent(() =>
          txn.sendOffsets({
            consumerGroupId: group,
            topics: [{ topic: tp.topic, partitions: [{ partition: tp.partition, offset: String(offset) }] }],
          })),
        );
      },
      commit: () => wrapFenced(() => txn.commit()),
      abort: () => wrapFenced(() => txn.abort()),
    };
  }

  async close(): Promise<void> {
    this.onClose(this);
    if (!this.connected) return;
    this.connected = false;
    await this.producer.disconnect();
  }
}
