/**
 * `format("kafka")`: Spark's KafkaSourceProvider: the streaming source, the streaming sink and the batch read.
 *
 * Invariants: Spark's option names (`subscribe`, `startingOffsets`, `maxOffsetsPerTrigger`, `topic`,
 * `deliveryGuarantee`, ...) are case-insensitive, `kafka.*` client settings are passed on as given (Kafka's own
 * names are case-sensitive); secrets among them stay redacted (connectors/kafka/client/kafkaOptions.ts); the
 * schema is Spark's fixed Kafka schema (with `headers` when `includeHeaders`).
 */
import type { Row, Sink } from '../../lib/contracts';
import type { DataSourceProvider } from '../../lib/connector/DataSourceProvider';
import { toSchema } from '../../lib/values/types';
import { kafkaRelation } from './kafkaRelation';
import { kafkaSinkFromOptions } from './sink';
import { kafkaSourceFromOptions } from './source';

export const kafkaProvider: DataSourceProvider = {
  shortName: 'kafka',
  options: [
    'subscribe', 'subscribePattern', 'assign', 'startingOffsets', 'endingOffsets', 'startingOffsetsByTimestamp', 'startingTimestamp',
    'maxOffsetsPerTrigger', 'minOffsetsPerTrigger', 'failOnDataLoss', 'includeHeaders', 'topic', 'deliveryGuarantee', 'kafka.bootstrap.servers',
  ],
  sourceSchema: (options) => toSchema(kafkaSourceFromOptions(options.asMap()).schema),
  createSource: (options) => kafkaSourceFromOptions(options.asMap()).source,
  createSink: (options) => kafkaSinkFromOptions(options.asMap()) as unknown as Sink<Row>,
  createRelation: (options) => kafkaRelation(options),
};
