/**
 * The Kafka sink (Spark's `writeStream.format("kafka")`), at-least-once like Spark's or exactly-once.
 *
 * Invariants (exactly-once):
 * - Every batch is produced in one Kafka transaction whose transactional id is derived from the query id, and
 *   the same transaction commits the marker "batch N done": offset N+1 of consumer group `weir-sink-<queryId>`
 *   on partition 0 of the marker topic. Records and marker become visible to read_committed consumers together
 *   or not at all.
 * - `open` connects the transactional producer first (InitProducerId: every older producer with the same id is
 *   fenced and its open transaction aborted), then reads the marker; `addBatch(N)` with N <= the marker's batch
 *   is a re-run of a batch Kafka already has and writes nothing.
 */
import type { Row, Sink, SinkBatchInfo, SinkContext } from '../../../lib/contracts';
import { ErrorCodes, WeirError } from '../../../lib/errors';
import {
  KafkaFencedError,
  type KafkaClient,
  type KafkaHeader,
  type KafkaOutRecord,
  type KafkaProducer,
  type TopicPartition,
} from '../client/KafkaClient';
import { openKafkaClient, splitClientOption, type KafkaClientOption } from '../client/kafkaClientOption';
import {
  OptionReader,
  clientConfigFromOptions,
  kafkaParams,
  optionsFromMap,
  redactOptions,
  redactText,
  type KafkaRawOptions,
} from '../client/kafkaOptions';
import type { KafkaClientConfig } from '../client/KafkaClient';

/** Steps of an exactly-once batch at which {@link KafkaSinkHooks.onStep} is called. */
export type KafkaSinkStep = 'transactionOpen' | 'recordsSent' | 'transactionCommitted';

/** Observation hooks (crash tests kill the process at these steps). */
export interface KafkaSinkHooks {
  onStep?(step: KafkaSinkStep, batchId: number): void | Promise<void>;
}

/**
 * Options of {@link kafkaSink}: Spark's names plus `deliveryGuarantee`.
 *
 * @example
 * ```ts
 * const options: KafkaSinkOptions = { 'kafka.bootstrap.servers': '127.0.0.1:9092', topic: 'out', deliveryGuarantee: 'exactly-once' };
 * ```
 */
export interface KafkaSinkOptions {
  /** `host:port[,host:port]`; required unless `client` is a client object. */
  'kafka.bootstrap.servers'?: string;
  /**
   * weir's extension: the Kafka client to write with (e.g. `MemoryKafkaClient` in tests), or a factory making one
   * from the `kafka.*` settings. Default: kafkajs. A client object is not closed by the sink; a factory's is.
   * Never printed (descriptions, explain, errors).
   */
  client?: KafkaClientOption;
  /** Topic of every record; overrides a `topic` column. Without it every row needs a `topic` column. */
  topic?: string;
  /** `at-least-once` (default, Spark's guarantee) or `exactly-once` (Kafka transactions, read_committed readers). */
  deliveryGuarantee?: 'at-least-once' | 'exactly-once';
  /** Exactly-once: topic whose partition 0 carries the batch markers. Default `weir-sink-commits` (created if absent). */
  markerTopic?: string;
  /** Exactly-once: transactional id. Default `weir-sink-<queryId>`. */
  transactionalId?: string;
  /** Exactly-once: transaction timeout (ms). Default 60000. */
  transactionTimeoutMs?: string | number;
  /** Records per produce request. Default 10000. */
  batchSize?: string | number;
  [kafkaSetting: `kafka.${string}`]: string | undefined;
}

const WHAT = 'kafka sink';
const UNSUPPORTED_PARAMS: Record<string, string> = {
  'key.serializer': "Kafka option 'key.serializer' is not supported as keys are serialized with ByteArraySerializer.",
  'value.serializer': "Kafka option 'value.serializer' is not supported as value are serialized with ByteArraySerializer.",
  'transactional.id': "Kafka option 'transactional.id' is not supported: use the sink option 'transactionalId' with deliveryGuarantee 'exactly-once'.",
};

interface KafkaSinkConfig {
  /** The options without `client`: what descriptions and errors may show (redacted). */
  readonly raw: KafkaRawOptions;
  readonly client: KafkaClientConfig;
  readonly clientOption: KafkaClientOption | undefined;
  readonly topic: string | undefined;
  readonly exactlyOnce: boolean;
  readonly markerTopic: string;
  readonly transactionalId: string | undefined;
  readonly transactionTimeoutMs: number;
  readonly batchSize: number;
}

function parseConfig(options: Readonly<Record<string, unknown>>): KafkaSinkConfig {
  const { raw, client: clientOption } = splitClientOption(options, WHAT);
  const reader = new OptionReader(raw, WHAT);
  const params = kafkaParams(raw);
  for (const [param, message] of Object.entries(UNSUPPORTED_PARAMS)) {
    if (params.has(param)) throw new WeirError(ErrorCodes.INVALID_ARGUMENT, message, { context: { option: `kafka.${param}`, sink: WHAT } });
  }
  const client = clientConfigFromOptions(raw, WHAT, clientOption !== undefined && typeof clientOption !== 'function');
  const guarantee = (reader.string('deliveryGuarantee') ?? 'at-least-once').toLowerCase().replace(/_/g, '-');
  if (guarantee !== 'at-least-once' && guarantee !== 'exactly-once') {
    throw reader.invalid('deliveryGuarantee', reader.get('deliveryGuarantee'), "must be 'at-least-once' or 'exactly-once'");
  }
  const topic = reader.string('topic');
  if (topic !== undefined && topic.trim() === '') throw reader.invalid('topic', topic, 'must not be empty');
  const timeout = reader.positiveInt('transactionTimeoutMs') ?? 60_000;
  return {
    raw,
    client,
    clientOption,
    topic,
    exactlyOnce: guarantee === 'exactly-once',
    markerTopic: reader.string('markerTopic') ?? 'weir-sink-commits',
    transactionalId: reader.string('transactionalId'),
    transactionTimeoutMs: timeout,
    batchSize: reader.positiveInt('batchSize') ?? 10_000,
  };
}

function toBytes(v: unknown, column: string, batchId: number, index: number): Buffer | string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return v;
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  throw new WeirError(
    ErrorCodes.INVALID_ARGUMENT,
    `${column} attribute type must be a string or binary, got ${typeof v} in row ${index} of batch ${batchId}`,
    { context: { sink: WHAT, column, batchId, row: index } },
  );
}

/** A Kafka sink: a `Sink` that writes rows `{ value, key?, topic?, partition?, headers? }` to Kafka. */
export class KafkaSink implements Sink<Row> {
  readonly description: string;
  private client: KafkaClient | undefined;
  /** True when the sink made `client` (kafkajs or the option's factory) and so closes it. */
  private ownsClient = false;
  private producer: KafkaProducer | undefined;
  private lastCommittedBatch = -1;
  private markerGroup = '';
  private readonly markerTp: TopicPartition;
  private _lastBatchOutputRows = -1;
  private skippedBatches = 0;

  constructor(
    private readonly config: KafkaSinkConfig,
    private readonly hooks: KafkaSinkHooks = {},
  ) {
    this.description = `KafkaSink[${config.topic ? `topic=${config.topic}` : 'topic column'}, ${config.exactlyOnce ? 'exactly-once' : 'at-least-once'}]`;
    this.markerTp = { topic: config.markerTopic, partition: 0 };
  }

  get lastBatchOutputRows(): number {
    return this._lastBatchOutputRows;
  }

  /** The options with secrets redacted (for explain). */
  get redactedOptions(): Record<string, unknown> {
    return redactOptions(this.config.raw);
  }

  /** The last batch id Kafka holds for this query (exactly-once), -1 when none. */
  get lastCommittedBatchId(): number {
    return this.lastCommittedBatch;
  }

  metrics(): Record<string, string> {
    return { skippedReplayedBatches: String(this.skippedBatches), lastCommittedBatchId: String(this.lastCommittedBatch) };
  }

  private fail(what: string, e: unknown, batchId?: number): WeirError {
    if (e instanceof WeirError) return e;
    const text = redactText(`${this.description}: ${what} failed: ${(e as Error)?.message ?? String(e)}`, this.config.raw);
    if (e instanceof KafkaFencedError) {
      return new WeirError(
        ErrorCodes.KAFKA_PRODUCER_FENCED,
        `${text}. Another instance of this query (same query id) started and fenced this one.`,
        { cause: e, context: { sink: this.description, batchId, transactionalId: this.transactionalId } },
      );
    }
    return new WeirError(ErrorCodes.SINK_ERROR, text, {
      cause: e,
      retriable: Boolean((e as { retriable?: boolean })?.retriable),
      context: { sink: this.description, batchId, options: this.redactedOptions },
    });
  }

  private transactionalId: string | undefined;

  async open(context: SinkContext): Promise<void> {
    this.skippedBatches = 0;
    try {
      const { client, owned } = openKafkaClient(this.config.clientOption, this.config.client, WHAT);
      this.client = client;
      this.ownsClient = owned;
      if (this.config.exactlyOnce) {
        this.transactionalId = this.config.transactionalId ?? `weir-sink-${context.queryId}`;
        this.markerGroup = `weir-sink-${context.queryId}`;
        await this.client.createTopic(this.config.markerTopic, { partitions: 1 }).catch(async (e: unknown) => {
          // Another sink may have created it concurrently.
          if ((await this.client!.partitions([this.config.markerTopic])).length === 0) throw e;
        });
        this.producer = this.client.producer({
          transactionalId: this.transactionalId,
          transactionTimeoutMs: this.config.transactionTimeoutMs,
        });
        // Fences older producers of this query and aborts their open transaction before the marker is read.
        await this.producer.connect();
        // No marker yet: groupOffset is -1 (and so is the last committed batch).
        this.lastCommittedBatch = Math.max(-1, (await this.client.groupOffset(this.markerGroup, this.markerTp)) - 1);
      } else {
        this.producer = this.client.producer({ idempotent: true });
        await this.producer.connect();
      }
    } catch (e) {
      await this.close().catch(() => undefined);
      throw this.fail('opening', e);
    }
  }

  private toRecords(batchId: number, rows: readonly Row[]): KafkaOutRecord[] {
    const out = new Array<KafkaOutRecord>(rows.length);
    for (let i = 0; i < rows.length; i += 1) {
      const row = rows[i]!;
      const topic = this.config.topic ?? row.topic;
      if (typeof topic !== 'string' || topic.length === 0) {
        throw new WeirError(
          ErrorCodes.INVALID_ARGUMENT,
          `topic option required when no 'topic' attribute is present. Use the topic option for setting a topic. (row ${i} of batch ${batchId})`,
          { context: { sink: WHAT, column: 'topic', batchId, row: i } },
        );
      }
      if (!('value' in row)) {
        throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `Required attribute 'value' not found (row ${i} of batch ${batchId})`, {
          context: { sink: WHAT, column: 'value', batchId, row: i },
        });
      }
      let partition: number | undefined;
      if (row.partition !== undefined && row.partition !== null) {
        if (!Number.isSafeInteger(row.partition) || (row.partition as number) < 0) {
          throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `partition attribute type must be an int (row ${i} of batch ${batchId})`, {
            context: { sink: WHAT, column: 'partition', batchId, row: i },
          });
        }
        partition = row.partition as number;
      }
      let headers: KafkaHeader[] | undefined;
      if (Array.isArray(row.headers)) {
        headers = (row.headers as Array<{ key: unknown; value: unknown }>).map((h) => {
          if (!h || typeof h.key !== 'string') {
            throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `headers must be an array of { key: string, value } (row ${i} of batch ${batchId})`, {
              context: { sink: WHAT, column: 'headers', batchId, row: i },
            });
          }
          const v = toBytes(h.value, 'headers.value', batchId, i);
          return { key: h.key, value: typeof v === 'string' ? Buffer.from(v) : v };
        });
      }
      out[i] = {
        topic,
        key: toBytes(row.key, 'key', batchId, i),
        value: toBytes(row.value, 'value', batchId, i),
        partition,
        headers,
      };
    }
    return out;
  }

  async addBatch(batchId: number, rows: readonly Row[], _info: SinkBatchInfo): Promise<void> {
    const producer = this.producer;
    if (!producer) throw new WeirError(ErrorCodes.SINK_ERROR, `${this.description} used before open()`, { context: { sink: this.description, batchId } });
    if (this.config.exactlyOnce && batchId <= this.lastCommittedBatch) {
      // A batch re-run after a crash between the Kafka commit and commits/N: Kafka already has it.
      this.skippedBatches += 1;
      this._lastBatchOutputRows = 0;
      return;
    }
    const records = this.toRecords(batchId, rows);
    const size = this.config.batchSize;
    if (!this.config.exactlyOnce) {
      try {
        for (let i = 0; i < records.length; i += size) await producer.send(records.slice(i, i + size));
      } catch (e) {
        throw this.fail(`writing batch ${batchId}`, e, batchId);
      }
      this._lastBatchOutputRows = records.length;
      return;
    }
    let txn;
    try {
      txn = await producer.beginTransaction();
    } catch (e) {
      throw this.fail(`beginning the transaction of batch ${batchId}`, e, batchId);
    }
    try {
      await this.hooks.onStep?.('transactionOpen', batchId);
      for (let i = 0; i < records.length; i += size) await txn.send(records.slice(i, i + size));
      await txn.commitGroupOffset(this.markerGroup, this.markerTp, batchId + 1);
      await this.hooks.onStep?.('recordsSent', batchId);
      await txn.commit();
    } catch (e) {
      if (!(e instanceof KafkaFencedError)) await txn.abort().catch(() => undefined);
      throw this.fail(`writing batch ${batchId} in a transaction`, e, batchId);
    }
    this.lastCommittedBatch = batchId;
    this._lastBatchOutputRows = records.length;
    await this.hooks.onStep?.('transactionCommitted', batchId);
  }

  async close(_error?: unknown): Promise<void> {
    const producer = this.producer;
    const client = this.client;
    this.producer = undefined;
    this.client = undefined;
    await producer?.close().catch(() => undefined);
    if (this.ownsClient) await client?.close();
  }
}

/**
 * The Kafka sink for the RxJS face.
 *
 * - Rows: `value` (string or Buffer, required; null allowed), `key` (string/Buffer/null), `topic` (unless the
 *   `topic` option is set, which wins), `partition` (int; absent = kafkajs's default partitioner), `headers`
 *   (array of `{ key, value }`). All output modes.
 * - `deliveryGuarantee: 'at-least-once'` (default, Spark's): a batch re-run after a crash may write its records
 *   again.
 * - `deliveryGuarantee: 'exactly-once'`: see the module invariants; consumers must read with `read_committed`.
 *   A second instance of the same query fences the first (`KAFKA_PRODUCER_FENCED`).
 * - `client` (weir's extension): a `KafkaClient` (e.g. `MemoryKafkaClient` from `weir-streams/testing`; then
 *   `kafka.bootstrap.servers` may be left out) or a factory `(config) => KafkaClient`; default kafkajs, loaded when
 *   the sink opens. A client object is not closed by the sink. Never printed.
 *
 * @throws WeirError `MISSING_OPTION` / `INVALID_ARGUMENT` for bad options, at construction.
 *
 * @example
 * ```ts
 * import { kafkaSink } from 'weir-streams/sinks';
 * const sink = kafkaSink({ 'kafka.bootstrap.servers': '127.0.0.1:9092', topic: 'out', deliveryGuarantee: 'exactly-once' });
 * ```
 */
export function kafkaSink(options: KafkaSinkOptions, hooks: KafkaSinkHooks = {}): KafkaSink {
  return new KafkaSink(parseConfig(options as Readonly<Record<string, unknown>>), hooks);
}

/**
 * The DataFrame face's hook: a Kafka sink from `writeStream.format('kafka')` options.
 *
 * @example
 * ```ts
 * const sink = kafkaSinkFromOptions(new Map([['kafka.bootstrap.servers', 'h:9092'], ['topic', 'out']]));
 * ```
 */
export function kafkaSinkFromOptions(
  options: ReadonlyMap<string, string> | KafkaRawOptions | KafkaSinkOptions,
  hooks: KafkaSinkHooks = {},
): KafkaSink {
  return new KafkaSink(parseConfig(options instanceof Map ? optionsFromMap(options) : (options as Readonly<Record<string, unknown>>)), hooks);
}
